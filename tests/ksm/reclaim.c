// SPDX-License-Identifier: GPL-2.0
/* ksm: reclaim of KSM folios (try_to_unmap() through rmap_walk_ksm()) and swap-in. */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/swap.h>
#include "ksm_harness.h"
#include "swap.h"
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)

/*
 * Reclaim unmaps a KSM folio from every process through its rmap_items; swap-in gives the
 * first process the swap-cache folio and the other, of another anon_vma, a copy
 * (ksm_might_need_to_copy()); ksmd merges them again.
 */
HARNESS_TEST(ksm, reclaim_merged_page_from_two_processes)
{
	struct task_struct *p = op_spawn(), *q = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 2), b = op_mmap_mergeable(q, 1);
	struct folio *k, *fp, *fq;

	harness_set_page(p, PAGE(a, 1), 0x5e);
	harness_set_page(q, b, 0x5e);
	harness_set_page(p, a, 0x01);
	op_ksm_full_scans(2);
	k = harness_folio_at(q, b);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(p, PAGE(a, 1)) == k, "not merged");
	EXPECT(op_reclaim(p, PAGE(a, 1)), "the KSM folio was not reclaimed");
	EXPECT(harness_swapped_at(p, PAGE(a, 1)) && harness_swapped_at(q, b),
	       "reclaim left a mapping of the KSM folio");
	EXPECT(harness_swap_slots_in_use() == 1, "%lu slots", harness_swap_slots_in_use());
	harness_expect_page(q, b, 0x5e);
	harness_expect_page(p, PAGE(a, 1), 0x5e);
	fp = harness_folio_at(p, PAGE(a, 1));
	fq = harness_folio_at(q, b);
	EXPECT(fp && fq && fp != fq, "two anon_vmas share a swapped-in page");
	EXPECT(!folio_test_ksm(fp) && !folio_test_ksm(fq), "a swapped-in page is KSM");
	op_ksm_full_scans(2);
	k = harness_folio_at(q, b);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(p, PAGE(a, 1)) == k,
	       "not merged again after swap-in");
	harness_expect_page(p, a, 0x01);
	op_exit(p);
	op_exit(q);
}

/* A KSM folio shared with a forked child: reclaim finds the child through the parent's item. */
HARNESS_TEST(ksm, reclaim_merged_page_after_fork)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_mergeable(p, 2);

	harness_set_page(p, a, 0x2d);
	harness_set_page(p, PAGE(a, 1), 0x2d);
	op_ksm_full_scans(2);
	EXPECT(harness_folio_ksm_at(p, a), "not merged");
	c = op_fork(p);
	EXPECT(op_reclaim(c, a), "the KSM folio was not reclaimed");
	EXPECT(harness_swapped_at(p, a) && harness_swapped_at(p, PAGE(a, 1)) &&
	       harness_swapped_at(c, a) && harness_swapped_at(c, PAGE(a, 1)),
	       "a mapping of the KSM folio was left");
	harness_expect_page(c, PAGE(a, 1), 0x2d);
	harness_expect_page(p, a, 0x2d);
	op_write(c, a, 0x11);
	harness_expect_page(p, PAGE(a, 1), 0x2d);
	op_exit(p);
	op_exit(c);
}

/* MADV_PAGEOUT takes a KSM folio only once a single mapping is left. */
HARNESS_TEST(ksm, pageout_merged_page)
{
	struct task_struct *p = op_spawn(), *q = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 1), b = op_mmap_mergeable(q, 1);
	struct folio *k;

	harness_set_page(p, a, 0x3e);
	harness_set_page(q, b, 0x3e);
	op_ksm_full_scans(2);
	k = harness_folio_at(p, a);
	EXPECT(k && folio_test_ksm(k), "not merged");
	EXPECT(!op_swapon(HARNESS_SWAP_SLOTS, HARNESS_SWAP_DEFAULT), "swapon");
	EXPECT(op_madvise(p, a, PAGE_SIZE, MADV_PAGEOUT) == 0, "MADV_PAGEOUT");
	EXPECT(harness_folio_at(p, a) == k && harness_folio_at(q, b) == k,
	       "PAGEOUT took a KSM folio mapped by two processes");
	op_write(q, b + 1, 0x01);
	EXPECT(op_madvise(p, a, PAGE_SIZE, MADV_PAGEOUT) == 0, "MADV_PAGEOUT");
	EXPECT(harness_swapped_at(p, a), "the KSM folio mapped once was not paged out");
	/* Still in the swap cache as a KSM folio: the fault maps it back as it is. */
	harness_expect_page(p, a, 0x3e);
	EXPECT(harness_folio_at(p, a) == k && folio_test_ksm(k), "swap-in did not map the KSM folio");
	op_exit(q);
	op_exit(p);
}
