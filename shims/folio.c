// SPDX-License-Identifier: GPL-2.0
/* Stands in for the folio services of mm/filemap.c, mm/folio.c, mm/mlock.c, mm/page-writeback.c, and the LRU of mm/swap.c and mm/vmscan.c. */
/*
 * The LRU is one list (reclaim in the harness picks folios from it); there are no per-cpu
 * batches, so a folio is on the list as soon as the kernel would have queued it. As in the
 * kernel, being on the LRU holds no reference.
 */
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/pagemap.h>
#include <linux/swap.h>
#include <linux/huge_mm.h>
#include <linux/folio_batch.h>
#include "mm/internal.h"
#include "host.h"
#include "folio.h"
#include "sched.h"

LIST_HEAD(harness_lru);

static bool folio_unlocked(const void *folio)
{
	return !folio_test_locked(folio);
}

/*
 * Wait for another task's folio_unlock(), as folio_wait_bit_common() sleeps. Without a
 * concurrent run, or with every other task blocked too, no task would ever unlock it.
 */
static void folio_wait_unlocked(struct folio *folio, const char *why)
{
	if (harness_sched_wait(folio_unlocked, folio, why))
		return;
	harness_sched_print_waiters();
	dump_page(&folio->page, why);
	host_die("%s: the folio stays locked, and no task can unlock it", why);
}

void __folio_lock(struct folio *folio)
{
	while (!folio_trylock(folio))
		folio_wait_unlocked(folio, "folio lock");
}

vm_fault_t __folio_lock_or_retry(struct folio *folio, struct vm_fault *vmf)
{
	__folio_lock(folio);
	return 0;
}

void folio_unlock(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	/* As for every lock model (shims/locks.c): the holder may be preempted before it lets go. */
	harness_sched_point();
	clear_bit_unlock(PG_locked, folio_flags(folio, 0));
}

void unlock_page(struct page *page)
{
	folio_unlock(page_folio(page));
}

/*
 * A fault or UFFDIO_MOVE met a migration entry: with the page table lock held, which keeps
 * the folio until it is dropped, wait for the migration to unlock the folio. The kernel is
 * woken by that unlock and then no longer touches the folio, which may be freed; the model
 * polls the folio's flags instead, which stay readable (the memmap is never unmapped), so a
 * freed folio reads unlocked.
 */
void softleaf_entry_wait_on_locked(softleaf_t entry, spinlock_t *ptl)
{
	struct folio *folio = softleaf_to_folio(entry);

	spin_unlock(ptl);
	if (folio_test_locked(folio))
		folio_wait_unlocked(folio, "migration entry");
}

static void lru_add(struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);
	folio_set_lru(folio);
	list_add_tail(&folio->lru, &harness_lru);
}

void harness_lru_del(struct folio *folio)
{
	if (!folio_test_lru(folio))
		return;
	list_del(&folio->lru);
	__folio_clear_lru_flags(folio);
}

void folio_add_lru_vma(struct folio *folio, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
		folio_set_mlocked(folio);
	lru_add(folio);
}

void folio_mark_accessed(struct folio *folio)
{
	if (!folio_test_referenced(folio))
		folio_set_referenced(folio);
	else if (!folio_test_active(folio))
		folio_set_active(folio);
}

/* No per-cpu batches to drain. */
void lru_add_drain(void)
{
}

void mlock_drain_local(void)
{
}

void lru_add_drain_all(void)
{
}

void mlock_folio(struct folio *folio)
{
	folio_set_mlocked(folio);
}

/* The kernel clears PG_mlocked later, once no VM_LOCKED mapping is left: immediately here. */
void munlock_folio(struct folio *folio)
{
	folio_clear_mlocked(folio);
}

/* Anonymous folios have no address_space to tell: just the flag. */
bool folio_mark_dirty(struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_mapping(folio) && !folio_test_swapcache(folio), folio);
	return !folio_test_set_dirty(folio);
}

bool folio_mark_dirty_lock(struct folio *folio)
{
	return folio_mark_dirty(folio);
}

/* The LRU's half of mm/swap.c's folios_put_refs(): drop each folio's references. */
void folios_put_refs(struct folio_batch *folios, unsigned int *refs)
{
	unsigned int i;

	for (i = 0; i < folios->nr; i++) {
		struct folio *folio = folios->folios[i];

		if (is_huge_zero_folio(folio))
			continue;
		folio_put_refs(folio, refs ? refs[i] : 1);
	}
	folio_batch_reinit(folios);
}

void folio_add_lru(struct folio *folio)
{
	lru_add(folio);
}

/*
 * mm/folio.c: MADV_COLD's hint that an active folio will not be used soon. The one list
 * has no inactive part to move it to, so only its flags change, as lru_deactivate() sets them.
 */
void folio_deactivate(struct folio *folio)
{
	if (folio_test_unevictable(folio) || !folio_test_lru(folio) || !folio_test_active(folio))
		return;
	folio_clear_active(folio);
	folio_clear_referenced(folio);
}

/* mm/vmscan.c: take a folio off the LRU for reclaim; the caller gets a reference. */
bool folio_isolate_lru(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_ref_count(folio), folio);
	if (!folio_test_clear_lru(folio))
		return false;
	folio_get(folio);
	list_del(&folio->lru);
	return true;
}

/* mm/vmscan.c: back on the LRU, dropping the isolation reference. */
void folio_putback_lru(struct folio *folio)
{
	folio_add_lru(folio);
	folio_put(folio);
}

/* Reclaim annotations for lockdep; the harness never reclaims from inside an allocation. */
void fs_reclaim_acquire(gfp_t gfp_mask)
{
}

void fs_reclaim_release(gfp_t gfp_mask)
{
}
