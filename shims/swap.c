// SPDX-License-Identifier: GPL-2.0
/* Stands in for a swap file's filesystem (fs/nfs/file.c's swap_ops), sys_swapon's file side and the writeback flag of mm/page-writeback.c. */
/*
 * The real mm/page_io.c hands whole I/Os to si->ops; here they complete at once: a write
 * copies each page into host memory kept per slot, a read copies it back, and the real
 * completion handlers (set up by swap_fs_prepare_rw()) end writeback or unlock the folio.
 * The file is a bare inode and file with a swap_activate() that, like NFS's, installs the
 * ops and one extent with swap_fs_activate(); its header page is built in host memory.
 */
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/swap.h>
#include <linux/swap_ops.h>
#include <linux/pagemap.h>
#include <linux/uio.h>
#include <linux/bvec.h>
#include <linux/blkdev.h>
#include "mm/swap.h"
#include "host.h"
#include "folio.h"
#include "swap.h"

static struct super_block swap_sb;	/* s_bdev NULL: not on a block device */
static struct inode swap_inode;
static struct address_space swap_mapping;
static struct file swap_file;
static struct swap_info_struct *swap_area;
static void **slot_data;		/* one host page per slot written, or NULL */
static unsigned long nr_slots;
static unsigned long write_failures;
static struct harness_swap_stats stats;

/* Move each page of the I/O between its folio and its slot. */
static void swap_transfer(struct swap_iocb *sio, bool write)
{
	pgoff_t slot = sio->iocb.ki_pos >> PAGE_SHIFT;
	size_t off;
	int i;

	for (i = 0; i < sio->nr_bvecs; i++) {
		struct bio_vec *bv = &sio->bvecs[i];

		for (off = 0; off < bv->bv_len; off += PAGE_SIZE, slot++) {
			void *mem = page_address(bv->bv_page) + bv->bv_offset + off;

			if (!slot || slot >= nr_slots)
				host_die("swap I/O to slot %lu outside the area (%lu slots)",
					 slot, nr_slots);
			if (write) {
				if (!slot_data[slot])
					slot_data[slot] = host_alloc(PAGE_SIZE);
				memcpy(slot_data[slot], mem, PAGE_SIZE);
				stats.pages_written++;
			} else {
				if (!slot_data[slot])
					host_die("swap read of slot %lu, which was never written",
						 slot);
				memcpy(mem, slot_data[slot], PAGE_SIZE);
				stats.pages_read++;
			}
		}
	}
}

static void swap_submit_write(struct swap_io_ctx *ctx)
{
	struct swap_iocb *sio = ctx->sio;
	struct iov_iter iter;
	long ret = sio->len;

	swap_fs_prepare_rw(ctx, WRITE, &iter);
	if (write_failures) {
		write_failures--;
		stats.write_errors++;
		ret = -EIO;
	} else {
		swap_transfer(sio, true);
	}
	sio->iocb.ki_complete(&sio->iocb, ret);
}

static void swap_submit_read(struct swap_io_ctx *ctx)
{
	struct swap_iocb *sio = ctx->sio;
	struct iov_iter iter;

	swap_fs_prepare_rw(ctx, READ, &iter);
	swap_transfer(sio, false);
	sio->iocb.ki_complete(&sio->iocb, sio->len);
}

static const struct swap_ops harness_swap_ops = {
	.submit_write	= swap_submit_write,
	.submit_read	= swap_submit_read,
	.can_merge	= swap_fs_can_merge,
};

static int swap_file_activate(struct swap_info_struct *sis, struct file *file, sector_t *span)
{
	int ret = swap_fs_activate(sis, &harness_swap_ops);

	if (ret >= 0)
		*span = sis->pages;
	return ret;
}

static const struct address_space_operations swap_file_aops = {
	.swap_activate	= swap_file_activate,
};

int harness_swap_activate(unsigned long slots, unsigned long dev_flags)
{
	static bool initialised;
	union swap_header *header;
	int err;

	if (swap_area)
		host_die("harness_swap_activate(): the harness has one swap area, and it is on");
	if (!initialised) {
		harness_swap_state_init();
		initialised = true;
	}
	swap_inode.i_mode = S_IFREG | 0600;
	swap_inode.i_sb = &swap_sb;
	swap_inode.i_size = slots << PAGE_SHIFT;
	swap_inode.i_mapping = &swap_mapping;
	init_rwsem(&swap_inode.i_rwsem);
	swap_mapping.host = &swap_inode;
	swap_mapping.a_ops = &swap_file_aops;
	swap_file.f_mapping = &swap_mapping;
	swap_file.f_inode = &swap_inode;

	/* What mkswap writes: a version 1 header naming the last slot. */
	header = host_alloc(PAGE_SIZE);
	memcpy(header->magic.magic, "SWAPSPACE2", 10);
	header->info.version = 1;
	header->info.last_page = slots - 1;
	nr_slots = slots;
	slot_data = host_alloc(slots * sizeof(*slot_data));
	err = harness_swapon(&swap_file, header, dev_flags);
	host_free(header);
	if (err) {
		host_free(slot_data);
		slot_data = NULL;
		nr_slots = 0;
		return err;
	}
	swap_area = swap_info[0];
	return 0;
}

int harness_swap_deactivate(void)
{
	unsigned long i;
	int err;

	if (!swap_area)
		return -EINVAL;
	err = harness_swapoff(swap_area);
	if (err)
		return err;
	for (i = 0; i < nr_slots; i++)
		host_free(slot_data[i]);
	host_free(slot_data);
	slot_data = NULL;
	nr_slots = 0;
	swap_area = NULL;
	return 0;
}

struct swap_info_struct *harness_swap_area(void)
{
	return swap_area;
}

unsigned long harness_swap_slots_in_use(void)
{
	return swap_area ? harness_swap_usage(swap_area) : 0;
}

void harness_swap_fail_writes(unsigned long n)
{
	write_failures = n;
}

const struct harness_swap_stats *harness_swap_stats(void)
{
	return &stats;
}

/* The bio paths of swap_bdev_ops are never taken: the area is not on a block device. */

/*
 * The writeback flag. Swap-cache folios have no xarray tags to keep, so only the flag and
 * the reclaim rotation matter; the NR_WRITEBACK statistics are not kept.
 */
void __folio_start_writeback(struct folio *folio, bool keep_write)
{
	VM_BUG_ON_FOLIO(folio_test_writeback(folio), folio);
	folio_test_set_writeback(folio);
}

void folio_end_writeback(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_writeback(folio), folio);
	/* A folio reclaim wrote is next to be reclaimed: the LRU's oldest end (folio_rotate_reclaimable). */
	if (folio_test_reclaim(folio)) {
		folio_clear_reclaim(folio);
		if (folio_test_lru(folio) && !folio_test_locked(folio) &&
		    !folio_test_dirty(folio))
			list_move(&folio->lru, &harness_lru);
	}
	folio_test_clear_writeback(folio);
}

void end_page_writeback(struct page *page)
{
	folio_end_writeback(page_folio(page));
}

/* Writes complete before their submitter returns, so nobody ever waits for one. */
void folio_wait_writeback(struct folio *folio)
{
	if (folio_test_writeback(folio))
		host_die("folio_wait_writeback(): the harness' writes complete at once");
}

bool set_page_dirty(struct page *page)
{
	return folio_mark_dirty(page_folio(page));
}

/* lib/iov_iter.c: the model's ops walk the bvecs themselves; the iterator is only set up. */
void iov_iter_bvec(struct iov_iter *i, unsigned int direction, const struct bio_vec *bvec,
		   unsigned long nr_segs, size_t count)
{
	*i = (struct iov_iter) {
		.iter_type = ITER_BVEC,
		.data_source = direction,
		.bvec = bvec,
		.nr_segs = nr_segs,
		.count = count,
	};
}

/* mm/page-writeback.c: the swap cache's dirty_folio. */
bool noop_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	if (!folio_test_dirty(folio))
		return !folio_test_set_dirty(folio);
	return false;
}

/* block/blk-core.c: swap_ops I/O is submitted whole by page_io.c, with no queue to plug. */
void blk_start_plug(struct blk_plug *plug)
{
}

void blk_finish_plug(struct blk_plug *plug)
{
}

/*
 * mm/page-writeback.c: the swap cache's backing device does no dirty accounting
 * (noop_backing_dev_info), so this is just the flag.
 */
bool folio_clear_dirty_for_io(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	return folio_test_clear_dirty(folio);
}
