// SPDX-License-Identifier: GPL-2.0
/*
 * KSM through the real mm/ksm.c: processes opt in with op_madvise(MADV_MERGEABLE), and
 * ksmd, created at boot but never scheduled, scans when a test says so: op_ksm_scan() is
 * one turn of ksm_scan_thread()'s loop (the real ksm_do_scan() of pages_to_scan pages),
 * run on behalf of the ksmd task. At teardown ksmd runs until it has let go of every mm,
 * as it would on its own: an exited mm's rmap_items (and their anon_vma pins) are only
 * freed when the scanner next reaches it.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/ksm.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include "host.h"
#include "locks.h"
#include "process.h"
#include "kthread.h"
#include "ksm_harness.h"
#include "harness.h"

static unsigned long ksmd_turn(void)
{
	struct task_struct *ksmd = harness_kthread("ksmd");
	unsigned long scanned;

	EXPECT(ksmd, "ksm_init() created no ksmd");
	harness_set_current(ksmd);
	scanned = harness_ksmd_turn();
	harness_assert_no_locks_held(ksmd);
	harness_set_current(NULL);
	return scanned;
}

unsigned long op_ksm_scan(void)
{
	struct harness_ksm_stats st;
	unsigned long scanned;

	harness_op_enter(NULL, UNDO_NONE);
	scanned = ksmd_turn();

	harness_ksm_stats(&st);
	harness_log("ksmd: scanned %lu pages; shared %lu sharing %lu unshared %lu, full scans %lu",
		    scanned, st.pages_shared, st.pages_sharing, st.pages_unshared, st.full_scans);
	harness_op_leave(false);
	return scanned;
}

void op_ksm_full_scans(unsigned int n)
{
	struct harness_ksm_stats st;
	unsigned long target, turns = 0;

	harness_ksm_stats(&st);
	target = st.full_scans + n;
	while (st.full_scans < target && harness_ksm_has_mms()) {
		op_ksm_scan();
		harness_ksm_stats(&st);
		if (++turns > 1000)
			harness_fail("ksmd made %lu turns without %u full scans", turns, n);
	}
}

const struct harness_ksm_stats *harness_ksm(void)
{
	static struct harness_ksm_stats st;

	harness_ksm_stats(&st);
	return &st;
}

void harness_ksm_set_pages_to_scan(unsigned int pages)
{
	struct harness_ksm_knobs knobs;

	harness_ksm_get(&knobs);
	knobs.pages_to_scan = pages;
	harness_ksm_set(&knobs);
	harness_log("ksm pages_to_scan = %u", pages);
}

bool harness_folio_ksm_at(struct task_struct *task, unsigned long addr)
{
	struct folio *folio = harness_folio_at(task, addr);

	return folio && folio_test_ksm(folio);
}

/*
 * What ksmd does for an exited mm by itself: the pass that reaches it frees its rmap_items,
 * drops their anon_vma pins and lets go of the mm; a second pass covers an mm the cursor
 * was on when it exited.
 */
void harness_ksm_settle(void)
{
	unsigned long start = harness_ksm()->full_scans, turns;

	for (turns = 0; harness_ksm_has_mms(); turns++) {
		if (harness_ksm()->full_scans - start > 2 || turns > 10000)
			harness_fail("I7 teardown violated: ksmd still holds an mm after %lu full scans",
				     harness_ksm()->full_scans - start);
		ksmd_turn();
	}
}

/*
 * Distinct (mm, address) pairs: rmap_walk_ksm() may visit a mapping twice, once through
 * the item of the process that forked it and once through the child's own item.
 */
struct rmap_seen {
	struct mm_struct *mm[64];
	unsigned long addr[64];
	int n;
};

static bool count_one(struct folio *folio, struct vm_area_struct *vma, unsigned long addr,
		      void *arg)
{
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, 0);
	struct rmap_seen *seen = arg;
	int i;

	while (page_vma_mapped_walk(&pvmw)) {
		for (i = 0; i < seen->n; i++)
			if (seen->mm[i] == vma->vm_mm && seen->addr[i] == pvmw.address)
				break;
		if (i < seen->n)
			continue;
		if (seen->n == ARRAY_SIZE(seen->mm))
			harness_fail("more than %zu mappings of one folio", ARRAY_SIZE(seen->mm));
		seen->mm[seen->n] = vma->vm_mm;
		seen->addr[seen->n++] = pvmw.address;
	}
	return true;
}

int harness_rmap_mms(struct task_struct *task, unsigned long addr, struct mm_struct **mms,
		     int max)
{
	struct folio *folio = harness_folio_at(task, addr);
	struct rmap_walk_control rwc = { .rmap_one = count_one };
	struct rmap_seen seen = { .n = 0 };
	int i;

	EXPECT(folio, "p%d: nothing mapped at %#lx", task->pid, addr);
	rwc.arg = &seen;
	harness_set_current(NULL);
	EXPECT(folio_trylock(folio), "the folio at %#lx is locked", addr);
	rmap_walk(folio, &rwc);
	folio_unlock(folio);
	for (i = 0; i < seen.n && i < max; i++)
		mms[i] = seen.mm[i];
	return seen.n;
}

int harness_rmap_count(struct task_struct *task, unsigned long addr)
{
	return harness_rmap_mms(task, addr, NULL, 0);
}

/* An anonymous mapping of npages that KSM may merge (MADV_MERGEABLE). */
unsigned long op_mmap_mergeable(struct task_struct *t, unsigned long npages)
{
	unsigned long a = op_mmap_anon(t, 0, npages);

	EXPECT(op_madvise(t, a, npages * PAGE_SIZE, MADV_MERGEABLE) == 0, "MADV_MERGEABLE");
	return a;
}
