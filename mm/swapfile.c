// SPDX-License-Identifier: GPL-2.0
/* The real mm/swapfile.c of KDIR, built into the userland harness, with its swapon/swapoff core. */
#include "mm/swapfile.c"
#include "swap.h"

/* subsys_initcall(swapfile_init): it only computes limits, so it runs before main() does. */
static void __attribute__((constructor)) harness_swapfile_initcall(void)
{
	swapfile_init();
}

long harness_swap_usage(struct swap_info_struct *si)
{
	return swap_usage_in_pages(si);
}

/*
 * Adapted copy of sys_swapon() in mm/swapfile.c, known versions: 600370d582221b32
 * From where the file is open and its header page read: the same steps with the same
 * helpers. The device's properties come in @dev_flags instead of from si->bdev.
 */
int harness_swapon(struct file *swap_file, void *header, unsigned long dev_flags)
{
	struct inode *inode = swap_file->f_mapping->host;
	union swap_header *swap_header = header;
	bool inced_nr_rotate_swap = false;
	struct swap_info_struct *si;
	unsigned long maxpages;
	int nr_extents, error;
	sector_t span;

	si = alloc_swap_info();
	if (IS_ERR(si))
		return PTR_ERR(si);
	INIT_WORK(&si->discard_work, swap_discard_work);
	INIT_WORK(&si->reclaim_work, swap_reclaim_work);

	error = claim_swapfile(si, inode);
	if (error)
		goto bad_swap;
	inode_lock(inode);
	if (IS_SWAPFILE(inode)) {
		error = -EBUSY;
		goto bad_swap_unlock_inode;
	}
	maxpages = read_swap_header(si, swap_header, inode);
	if (!maxpages) {
		error = -EINVAL;
		goto bad_swap_unlock_inode;
	}
	si->max = maxpages;
	si->pages = maxpages - 1;
	nr_extents = setup_swap_extents(si, swap_file, &span);
	if (nr_extents < 0) {
		error = nr_extents;
		goto bad_swap_unlock_inode;
	}
	error = setup_swap_clusters_info(si, swap_header, si->max);
	if (error)
		goto bad_swap_unlock_inode;

	si->flags |= dev_flags & (SWP_STABLE_WRITES | SWP_SYNCHRONOUS_IO | SWP_SOLIDSTATE);
	if (!(si->flags & SWP_SOLIDSTATE)) {
		atomic_inc(&nr_rotate_swap);
		inced_nr_rotate_swap = true;
	}
	inode->i_flags |= S_SWAPFILE;

	mutex_lock(&swapon_mutex);
	si->prio = DEF_SWAP_PRIO;
	si->list.prio = -si->prio;
	si->avail_list.prio = -si->prio;
	si->swap_file = swap_file;
	enable_swap_info(si);
	mutex_unlock(&swapon_mutex);
	inode_unlock(inode);
	return 0;

bad_swap_unlock_inode:
	inode_unlock(inode);
bad_swap:
	kfree(si->global_cluster);
	si->global_cluster = NULL;
	destroy_swap_extents(si, swap_file);
	free_swap_cluster_info(si->cluster_info, si->max);
	si->cluster_info = NULL;
	spin_lock(&swap_lock);
	si->flags = 0;
	spin_unlock(&swap_lock);
	if (inced_nr_rotate_swap)
		atomic_dec(&nr_rotate_swap);
	return error;
}

/*
 * Adapted copy of sys_swapoff() in mm/swapfile.c, known versions: 1b5a111c3dff8720
 * From where it has found @si: the real try_to_unuse() brings every page back.
 */
int harness_swapoff(struct swap_info_struct *si)
{
	struct swap_cluster_info *cluster_info;
	struct file *swap_file;
	struct inode *inode;
	unsigned int maxpages;
	int err;

	spin_lock(&swap_lock);
	if (!(si->flags & SWP_WRITEOK)) {
		spin_unlock(&swap_lock);
		return -EINVAL;
	}
	if (!security_vm_enough_memory_mm(current ? current->mm : NULL, si->pages)) {
		vm_unacct_memory(si->pages);
	} else {
		spin_unlock(&swap_lock);
		return -ENOMEM;
	}
	spin_lock(&si->lock);
	del_from_avail_list(si, true);
	plist_del(&si->list, &swap_active_head);
	atomic_long_sub(si->pages, &nr_swap_pages);
	total_swap_pages -= si->pages;
	spin_unlock(&si->lock);
	spin_unlock(&swap_lock);

	wait_for_allocation(si);
	err = try_to_unuse(si->type);
	if (err) {
		reinsert_swap_info(si);
		return err;
	}

	percpu_ref_kill(&si->users);
	synchronize_rcu();
	wait_for_completion(&si->comp);
	flush_work(&si->discard_work);
	flush_work(&si->reclaim_work);
	flush_percpu_swap_cluster(si);
	destroy_swap_extents(si, si->swap_file);
	if (!(si->flags & SWP_SOLIDSTATE))
		atomic_dec(&nr_rotate_swap);

	mutex_lock(&swapon_mutex);
	spin_lock(&swap_lock);
	spin_lock(&si->lock);
	drain_mmlist();
	swap_file = si->swap_file;
	si->swap_file = NULL;
	maxpages = si->max;
	cluster_info = si->cluster_info;
	si->max = 0;
	si->cluster_info = NULL;
	spin_unlock(&si->lock);
	spin_unlock(&swap_lock);
	mutex_unlock(&swapon_mutex);
	kfree(si->global_cluster);
	si->global_cluster = NULL;
	free_swap_cluster_info(cluster_info, maxpages);

	inode = swap_file->f_mapping->host;
	inode_lock(inode);
	inode->i_flags &= ~S_SWAPFILE;
	inode_unlock(inode);

	spin_lock(&swap_lock);
	si->flags = 0;
	spin_unlock(&swap_lock);
	return 0;
}

/*
 * Slots [@offset, @offset + @n) as the swap table has them: in @count each swap count, or
 * -1 if the slot is free or bad, in @cached each swap-cache folio or NULL. Each cluster's
 * lock is taken once (a lock per slot made the check of a 1024-slot area cost more than
 * the operation it followed). For the invariant checker.
 */
void harness_swap_slots(struct swap_info_struct *si, unsigned long offset, unsigned long n,
			int *count, struct folio **cached)
{
	unsigned long end = offset + n, stop;
	struct swap_cluster_info *ci;
	unsigned long swp_tb;
	unsigned int ci_off;

	while (offset < end) {
		ci = __swap_offset_to_cluster(si, offset);
		stop = min(end, round_down(offset, SWAPFILE_CLUSTER) + SWAPFILE_CLUSTER);
		spin_lock(&ci->lock);
		for (; offset < stop; offset++, count++, cached++) {
			ci_off = offset % SWAPFILE_CLUSTER;
			*cached = NULL;
			*count = -1;
			if (!cluster_table_is_alloced(ci))
				continue;
			swp_tb = __swap_table_get(ci, ci_off);
			if (swp_tb_is_folio(swp_tb))
				*cached = swp_tb_to_folio(swp_tb);
			if (!swp_tb_is_null(swp_tb) && !swp_tb_is_bad(swp_tb)) {
				*count = __swp_tb_get_count(swp_tb);
				if (*count == SWP_TB_COUNT_MAX)
					*count = ci->extend_table[ci_off];
			}
		}
		spin_unlock(&ci->lock);
	}
}

int harness_swap_slot(struct swap_info_struct *si, unsigned long offset, struct folio **cached)
{
	int count;

	harness_swap_slots(si, offset, 1, &count, cached);
	return count;
}
