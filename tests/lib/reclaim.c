// SPDX-License-Identifier: GPL-2.0
/*
 * Reclaim to swap, as mm/vmscan.c does it for an anonymous folio: isolate it from the LRU,
 * add it to the swap cache (the real folio_alloc_swap()), unmap it with the real
 * try_to_unmap(), write it with the real swap_writeout() and free it once it is clean and
 * unmapped. The steps are shrink_folio_list()'s with reclaim_pages()' settings (references
 * ignored, as MADV_PAGEOUT and the tests want); that function is static in vmscan.c, whose
 * other 8000 lines (LRU scanning, memcg, MGLRU) the harness does not build. The same steps
 * serve the tests' op_reclaim() and MADV_PAGEOUT's reclaim_pages(), modelled below. Swap-in
 * is the real fault path: op_read() and op_write() reach do_swap_page().
 */
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/rmap.h>
#include <linux/swap.h>
#include <linux/swap_ops.h>
#include <linux/sched/mm.h>
#include <linux/mmap_lock.h>
#include <linux/kthread.h>
#include "mm/internal.h"
#include "mm/swap.h"
#include "host.h"
#include "locks.h"
#include "process.h"
#include "swap.h"
#include "kthread.h"
#include "harness.h"

int op_swapon(unsigned long nr_slots, unsigned long dev_flags)
{
	int err;

	harness_op_enter(NULL, UNDO_NONE);
	err = harness_swap_activate(nr_slots, dev_flags);
	harness_log("swapon(%lu slots, flags %#lx) = %d", nr_slots, dev_flags, err);
	harness_op_leave(false);
	return err;
}

int op_swapoff(struct task_struct *task)
{
	int err;

	harness_op_enter(task, UNDO_NONE);
	err = harness_swap_deactivate();
	harness_log("swapoff() by p%d = %d", task->pid, err);
	harness_op_leave(false);
	return err;
}

static void need_swap(void)
{
	if (!harness_swap_area())
		EXPECT(!op_swapon(HARNESS_SWAP_SLOTS, HARNESS_SWAP_DEFAULT),
		       "the default swap area could not be activated");
}

/* vmscan.c's pageout() for a swap-backed folio; true if the write was started. */
static bool pageout(struct swap_io_ctx *ctx, struct folio *folio, bool *activate)
{
	int res;

	*activate = false;
	if (folio_ref_count(folio) != 1 + folio_nr_pages(folio) || !folio_mapping(folio))
		return false;
	if (!folio_clear_dirty_for_io(folio))
		return false;
	folio_set_reclaim(folio);
	res = swap_writeout(ctx, folio);
	if (res < 0)
		harness_fail("swap_writeout() = %d: no error path is modelled", res);
	if (res == AOP_WRITEPAGE_ACTIVATE) {
		folio_clear_reclaim(folio);
		*activate = true;
		return false;
	}
	if (!folio_test_writeback(folio))
		folio_clear_reclaim(folio);
	return true;
}

/*
 * vmscan.c's __remove_mapping() for a swap-cache folio: with only the isolation and the
 * swap cache's references left and the folio clean, it leaves the swap cache with its
 * count frozen at zero. No workingset shadow is stored (the harness has no workingset).
 */
static bool remove_mapping_frozen(struct folio *folio)
{
	int refcount = 1 + folio_nr_pages(folio);
	struct swap_cluster_info *ci;

	if (!folio_test_swapcache(folio))
		return false;
	ci = swap_cluster_get_and_lock_irq(folio);
	if (!folio_ref_freeze(folio, refcount))
		goto cannot_free;
	if (folio_test_dirty(folio)) {
		folio_ref_unfreeze(folio, refcount);
		goto cannot_free;
	}
	__swap_cache_del_folio(ci, folio, folio->swap, NULL, true);
	swap_cluster_unlock_irq(ci);
	return true;

cannot_free:
	swap_cluster_unlock_irq(ci);
	return false;
}

enum outcome { KEPT, WRITTEN, FREED };

/*
 * One pass of shrink_folio_list() over one isolated folio, then what reclaim_folio_list()
 * does with a folio it kept: put it back on the LRU.
 */
static enum outcome shrink_one(struct folio *folio)
{
	struct swap_io_ctx ctx = {};
	enum outcome ret = KEPT;
	bool activate;

	if (!folio_trylock(folio))
		goto keep;
	if (!folio_evictable(folio))
		goto activate_locked;
	if (folio_test_writeback(folio)) {
		folio_set_reclaim(folio);
		goto activate_locked;
	}
	/* Only anonymous swap-backed folios are modelled (no MADV_FREE, no page cache). */
	if (!folio_test_anon(folio) || !folio_test_swapbacked(folio))
		goto keep_locked;
	if (!folio_test_swapcache(folio)) {
		if (folio_maybe_dma_pinned(folio))
			goto keep_locked;
		if (folio_test_large(folio) &&
		    folio_expected_ref_count(folio) != folio_ref_count(folio) - 1)
			goto activate_locked;
		/* The kernel splits a large folio it finds no slots for; not modelled here. */
		if (folio_alloc_swap(folio))
			goto activate_locked;
		folio_mark_dirty(folio);
	}
	if (folio_mapped(folio)) {
		enum ttu_flags flags = TTU_BATCH_FLUSH;

		if (folio_test_pmd_mappable(folio))
			flags |= TTU_SPLIT_HUGE_PMD;
		if (folio_test_large(folio))
			flags |= TTU_SYNC;
		try_to_unmap(folio, flags);
		if (folio_mapped(folio))
			goto activate_locked;
	}
	if (folio_maybe_dma_pinned(folio))
		goto activate_locked;
	if (folio_test_dirty(folio)) {
		try_to_unmap_flush_dirty();
		if (!pageout(&ctx, folio, &activate)) {
			if (activate)
				goto activate_locked;
			if (folio_test_dirty(folio))
				goto keep_locked;
			/* PAGE_CLEAN: free it below. */
		} else {
			ret = WRITTEN;
			/* The write may already be over; then free it as the kernel would. */
			if (folio_test_writeback(folio) || folio_test_dirty(folio) ||
			    !folio_trylock(folio))
				goto keep;
			if (folio_test_dirty(folio) || folio_test_writeback(folio))
				goto keep_locked;
		}
	}
	if (!remove_mapping_frozen(folio))
		goto keep_locked;
	folio_unlock(folio);
	try_to_unmap_flush();
	swap_write_submit(&ctx);
	/* free_unref_folios(): the reference count is frozen at zero. */
	__folio_put(folio);
	return FREED;

activate_locked:
	if (folio_test_swapcache(folio) && folio_test_mlocked(folio))
		folio_free_swap(folio);
	if (!folio_test_mlocked(folio))
		folio_set_active(folio);
keep_locked:
	folio_unlock(folio);
keep:
	try_to_unmap_flush();
	swap_write_submit(&ctx);
	folio_putback_lru(folio);
	return ret;
}

/*
 * mm/vmscan.c's reclaim_pages() for MADV_PAGEOUT: one pass of shrink_folio_list() over the
 * isolated folios (one node), each kept folio put back. Unlike reclaim_at(), a folio whose
 * write was started stays in the swap cache, as the kernel leaves it for the next reclaim.
 */
unsigned long reclaim_pages(struct list_head *folio_list)
{
	unsigned long nr_reclaimed = 0;
	unsigned int noreclaim;
	struct folio *folio;

	if (list_empty(folio_list))
		return 0;
	noreclaim = memalloc_noreclaim_save();
	while (!list_empty(folio_list)) {
		long nr;

		folio = lru_to_folio(folio_list);
		nr = folio_nr_pages(folio);
		list_del(&folio->lru);
		folio_clear_active(folio);
		if (shrink_one(folio) == FREED)
			nr_reclaimed += nr;
	}
	memalloc_noreclaim_restore(noreclaim);
	return nr_reclaimed;
}

struct folio *harness_reclaim_isolate(struct task_struct *task, unsigned long addr)
{
	struct folio *folio;

	need_swap();
	folio = harness_folio_at(task, addr);
	return folio && folio_isolate_lru(folio) ? folio : NULL;
}

bool harness_reclaim_isolated(struct folio *folio)
{
	unsigned int noreclaim = memalloc_noreclaim_save();
	enum outcome out;

	folio_clear_active(folio);
	out = shrink_one(folio);
	memalloc_noreclaim_restore(noreclaim);
	return out == FREED;
}

/* Reclaim the folio mapped at addr in task; true if it was freed. */
static bool reclaim_at(struct task_struct *task, unsigned long addr)
{
	enum outcome out = KEPT;
	unsigned int noreclaim;
	struct folio *folio;

	folio = harness_folio_at(task, addr);
	noreclaim = memalloc_noreclaim_save();
	if (folio && folio_isolate_lru(folio)) {
		/* reclaim_pages() takes folios from either list. */
		folio_clear_active(folio);
		out = shrink_one(folio);
		/*
		 * Written and kept: its write is over by now, and folio_end_writeback() put it
		 * where reclaim looks next, so the next pass frees it (the swap cache holds it).
		 */
		if (out == WRITTEN && folio_isolate_lru(folio)) {
			folio_clear_active(folio);
			out = shrink_one(folio);
		}
	}
	memalloc_noreclaim_restore(noreclaim);
	/* The kworker's turn: swap may have queued cluster reclaim. */
	harness_swap_run_work();
	return out == FREED;
}

bool op_reclaim(struct task_struct *task, unsigned long addr)
{
	bool freed;

	need_swap();
	harness_op_enter(task, UNDO_NONE);
	freed = reclaim_at(task, addr);
	harness_log("reclaim(p%d, %#lx) = %s", task->pid, addr, freed ? "freed" : "kept");
	harness_op_leave(false);
	return freed;
}

unsigned long op_reclaim_all(struct task_struct *task)
{
	unsigned long starts[64], ends[64], addr, freed = 0;
	struct vm_area_struct *vma;
	int i, n = 0;

	need_swap();
	harness_op_enter(task, UNDO_NONE);
	mmap_read_lock(task->mm);
	{
		VMA_ITERATOR(vmi, task->mm, 0);

		for_each_vma(vmi, vma) {
			if (!vma_is_anonymous(vma))
				continue;
			if (n == ARRAY_SIZE(starts))
				harness_fail("op_reclaim_all(): more than %d VMAs", n);
			starts[n] = vma->vm_start;
			ends[n++] = vma->vm_end;
		}
	}
	mmap_read_unlock(task->mm);
	for (i = 0; i < n; i++)
		for (addr = starts[i]; addr < ends[i]; addr += PAGE_SIZE)
			freed += reclaim_at(task, addr);
	harness_log("reclaim_all(p%d) = %lu freed", task->pid, freed);
	harness_op_leave(false);
	return freed;
}

/*
 * What the LRU scan of a later reclaim does with swap-cache folios that no page table maps
 * and no slot counts: shrink_folio_list() frees them. The kernel leaves such folios behind
 * on purpose: a swap-in that maps a copy of a KSM folio (ksm_might_need_to_copy()) puts the
 * slot's count but frees only the copy's swap cache (do_swap_page()). I7 runs this before
 * it counts the slots in use.
 */
void harness_reclaim_unmapped_swap_cache(void)
{
	struct swap_info_struct *si = harness_swap_area();
	struct task_struct *kswapd = harness_kthread("kswapd0");
	unsigned long offset;
	struct folio *folio;

	if (!si)
		return;
	/* The reclaimer that gets there later, with its flags (mm/vmscan.c, kswapd()). */
	if (!kswapd) {
		kswapd = kthread_create_on_node(NULL, NULL, NUMA_NO_NODE, "kswapd%d", 0);
		kswapd->flags |= PF_MEMALLOC | PF_KSWAPD;
	}
	harness_set_current(kswapd);
	for (offset = 1; offset < si->max; offset++) {
		if (harness_swap_slot(si, offset, &folio) != 0 || !folio ||
		    folio_mapped(folio) || !folio_isolate_lru(folio))
			continue;
		folio_clear_active(folio);
		shrink_one(folio);
	}
	harness_swap_run_work();
	harness_assert_no_locks_held(kswapd);
	harness_set_current(NULL);
}

struct folio *harness_swap_cache_folio(struct task_struct *task, unsigned long addr)
{
	struct vm_area_struct *vma;
	struct folio *folio = NULL;
	softleaf_t entry;
	spinlock_t *ptl;
	pte_t *ptep;
	pmd_t *pmd;

	harness_set_current(task);
	mmap_read_lock(task->mm);
	vma = vma_lookup(task->mm, addr);
	if (!vma)
		goto out;
	pmd = mm_find_pmd(task->mm, addr);
	if (!pmd)
		goto out;
	ptep = pte_offset_map_lock(task->mm, pmd, addr, &ptl);
	if (!ptep)
		goto out;
	entry = softleaf_from_pte(ptep_get(ptep));
	if (softleaf_is_swap(entry)) {
		folio = swap_cache_get_folio(entry);
		if (folio)
			folio_put(folio);
	} else if (pte_present(ptep_get(ptep))) {
		struct page *page = vm_normal_page(vma, addr, ptep_get(ptep));

		if (page && folio_test_swapcache(page_folio(page)))
			folio = page_folio(page);
	}
	pte_unmap_unlock(ptep, ptl);
out:
	mmap_read_unlock(task->mm);
	return folio;
}

bool harness_swapped_at(struct task_struct *task, unsigned long addr)
{
	struct vm_area_struct *vma;
	bool swapped = false;
	spinlock_t *ptl;
	pte_t *ptep;
	pmd_t *pmd;

	harness_set_current(task);
	mmap_read_lock(task->mm);
	vma = vma_lookup(task->mm, addr);
	pmd = vma ? mm_find_pmd(task->mm, addr) : NULL;
	ptep = pmd ? pte_offset_map_lock(task->mm, pmd, addr, &ptl) : NULL;
	if (ptep) {
		swapped = softleaf_is_swap(softleaf_from_pte(ptep_get(ptep)));
		pte_unmap_unlock(ptep, ptl);
	}
	mmap_read_unlock(task->mm);
	return swapped;
}
