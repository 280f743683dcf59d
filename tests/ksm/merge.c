// SPDX-License-Identifier: GPL-2.0
/* ksm: merging identical pages with the real mm/ksm.c, and what rmap finds afterwards. */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rmap.h>
#include "ksm_harness.h"
#include "slab.h"
#include "swap.h"
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)

HARNESS_TEST(ksm, merge_within_one_process_then_break_cow)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 4);
	struct folio *k;

	harness_set_page(p, PAGE(a, 0), 0x11);
	harness_set_page(p, PAGE(a, 1), 0x11);
	harness_set_page(p, PAGE(a, 2), 0x11);
	harness_set_page(p, PAGE(a, 3), 0x33);
	EXPECT(!harness_folio_ksm_at(p, a), "an ordinary anonymous folio looks like KSM");
	op_ksm_full_scans(2);
	k = harness_folio_at(p, a);
	EXPECT(k && folio_test_ksm(k), "page 0 was not merged");
	EXPECT(harness_folio_at(p, PAGE(a, 1)) == k && harness_folio_at(p, PAGE(a, 2)) == k,
	       "the identical pages do not share the KSM folio");
	EXPECT(!harness_folio_ksm_at(p, PAGE(a, 3)), "a unique page was merged");
	EXPECT(harness_ksm()->pages_shared == 1 && harness_ksm()->pages_sharing == 2,
	       "shared %lu sharing %lu", harness_ksm()->pages_shared,
	       harness_ksm()->pages_sharing);
	EXPECT(harness_ksm_rmap_items_of(k) == 3, "%d rmap_items on the stable node",
	       harness_ksm_rmap_items_of(k));
	EXPECT(harness_rmap_count(p, a) == 3, "rmap finds %d of 3 mappings",
	       harness_rmap_count(p, a));
	/* Three pages, one frame: the two others were freed. */
	EXPECT(folio_mapcount(k) == 3, "mapcount %d", folio_mapcount(k));
	harness_expect_page(p, PAGE(a, 1), 0x11);
	/* A write breaks COW: the writer gets a private copy, the others keep the KSM folio. */
	op_write(p, PAGE(a, 1) + 5, 0x55);
	EXPECT(harness_folio_at(p, PAGE(a, 1)) != k && !harness_folio_ksm_at(p, PAGE(a, 1)),
	       "the write did not copy the KSM page");
	EXPECT(op_read(p, PAGE(a, 1) + 5) == 0x55 && op_read(p, PAGE(a, 1)) == 0x11,
	       "the copy lost the old contents or the write");
	EXPECT(op_read(p, PAGE(a, 0) + 5) == 0 && op_read(p, PAGE(a, 2) + 5) == 0,
	       "the write reached the KSM folio");
	EXPECT(folio_mapcount(k) == 2 && harness_rmap_count(p, a) == 2,
	       "mapcount %d after the COW", folio_mapcount(k));
	op_ksm_full_scans(1);
	EXPECT(harness_ksm()->pages_sharing == 1, "sharing %lu after the COW was scanned",
	       harness_ksm()->pages_sharing);
	op_exit(p);
}

HARNESS_TEST(ksm, merge_across_two_processes_then_break_cow_in_each)
{
	struct task_struct *p = op_spawn(), *q = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 2), b = op_mmap_mergeable(q, 3);
	struct folio *k;

	harness_set_page(p, PAGE(a, 1), 0x42);
	harness_set_page(q, PAGE(b, 0), 0x42);
	harness_set_page(p, PAGE(a, 0), 0x01);
	harness_set_page(q, PAGE(b, 2), 0x02);
	op_ksm_full_scans(2);
	k = harness_folio_at(p, PAGE(a, 1));
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(q, b) == k,
	       "the identical pages of two processes were not merged");
	EXPECT(!harness_folio_ksm_at(p, a) && !harness_folio_ksm_at(q, PAGE(b, 2)),
	       "unique pages were merged");
	EXPECT(harness_rmap_count(q, b) == 2, "rmap finds %d of 2 mappings",
	       harness_rmap_count(q, b));
	op_write(q, b + 9, 0x99);
	EXPECT(harness_folio_at(q, b) != k, "q's write did not copy");
	harness_expect_page(p, PAGE(a, 1), 0x42);
	EXPECT(op_read(q, b + 9) == 0x99 && op_read(q, b) == 0x42, "q's copy");
	/* The last mapper's write may reuse the KSM folio's frame or copy: the data is what counts. */
	op_write(p, PAGE(a, 1) + 9, 0x77);
	EXPECT(!harness_folio_ksm_at(p, PAGE(a, 1)), "p still maps a KSM folio after writing");
	EXPECT(op_read(p, PAGE(a, 1) + 9) == 0x77 && op_read(q, b + 9) == 0x99, "after both writes");
	op_exit(q);
	op_exit(p);
}

/* A child forked after the merge maps the KSM folio with no rmap_item of its own. */
HARNESS_TEST(ksm, fork_after_merge_rmap_finds_the_child)
{
	struct task_struct *p = op_spawn(), *q = op_spawn(), *c;
	unsigned long a = op_mmap_mergeable(p, 2), b = op_mmap_mergeable(q, 1);
	struct folio *k;

	harness_set_page(p, PAGE(a, 0), 0x5a);
	harness_set_page(p, PAGE(a, 1), 0x5a);
	harness_set_page(q, b, 0x5a);
	op_ksm_full_scans(2);
	k = harness_folio_at(p, a);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(q, b) == k, "not merged");
	c = op_fork(p);
	EXPECT(harness_folio_at(c, a) == k && harness_folio_at(c, PAGE(a, 1)) == k,
	       "the child does not map the KSM folio");
	EXPECT(harness_ksm_rmap_items_of(k) == 3, "fork added rmap_items");
	EXPECT(harness_rmap_count(c, a) == 5, "rmap finds %d of 5 mappings",
	       harness_rmap_count(c, a));
	/* The parent breaks COW; the child's mappings are still found through its items. */
	op_write(p, a, 0x01);
	EXPECT(harness_rmap_count(c, a) == 4, "rmap finds %d of 4 mappings",
	       harness_rmap_count(c, a));
	harness_expect_page(c, a, 0x5a);
	/* ksmd drops p's stale item and gives the child items of its own (ksm_fork()). */
	op_ksm_full_scans(1);
	EXPECT(harness_folio_at(c, a) == k, "the child lost the KSM folio");
	EXPECT(harness_ksm_rmap_items_of(k) == 4, "%d rmap_items after the child was scanned",
	       harness_ksm_rmap_items_of(k));
	op_exit(p);
	EXPECT(harness_rmap_count(c, a) == 3, "after the parent exited");
	op_write(c, PAGE(a, 1), 0x02);
	harness_expect_page(q, b, 0x5a);
	harness_expect_page(c, a, 0x5a);
	op_exit(q);
	op_exit(c);
}

HARNESS_TEST(ksm, unmergeable_unmerges)
{
	struct task_struct *p = op_spawn(), *q = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 4), b = op_mmap_mergeable(q, 1), i;
	struct folio *k;

	for (i = 0; i < 4; i++)
		harness_set_page(p, PAGE(a, i), 0x24);
	harness_set_page(q, b, 0x24);
	op_ksm_full_scans(2);
	k = harness_folio_at(q, b);
	EXPECT(k && folio_test_ksm(k) && folio_mapcount(k) == 5, "not merged");
	/* Unmerge the middle two pages: the VMA splits, those two get private copies. */
	EXPECT(op_madvise(p, PAGE(a, 1), 2 * PAGE_SIZE, MADV_UNMERGEABLE) == 0,
	       "MADV_UNMERGEABLE");
	EXPECT(harness_vma_count(p) == 3, "%lu VMAs", harness_vma_count(p));
	EXPECT(!harness_folio_ksm_at(p, PAGE(a, 1)) && !harness_folio_ksm_at(p, PAGE(a, 2)),
	       "an unmerged page is still KSM");
	EXPECT(harness_folio_at(p, PAGE(a, 1)) != harness_folio_at(p, PAGE(a, 2)),
	       "the unmerged pages share a frame");
	EXPECT(harness_folio_at(p, a) == k && harness_folio_at(p, PAGE(a, 3)) == k,
	       "the pages left mergeable were unmerged");
	for (i = 0; i < 4; i++)
		harness_expect_page(p, PAGE(a, i), 0x24);
	/* ksmd leaves the unmergeable range alone. */
	op_ksm_full_scans(2);
	EXPECT(!harness_folio_ksm_at(p, PAGE(a, 1)), "ksmd merged an unmergeable page");
	EXPECT(harness_ksm()->pages_shared + harness_ksm()->pages_sharing == 3,
	       "shared %lu sharing %lu", harness_ksm()->pages_shared,
	       harness_ksm()->pages_sharing);
	EXPECT(op_madvise(p, a, 4 * PAGE_SIZE, MADV_UNMERGEABLE) == 0, "MADV_UNMERGEABLE");
	EXPECT(op_madvise(q, b, PAGE_SIZE, MADV_UNMERGEABLE) == 0, "MADV_UNMERGEABLE");
	EXPECT(harness_vma_count(p) == 1, "the VMAs did not merge back");
	EXPECT(!harness_folio_ksm_at(q, b) && !harness_folio_ksm_at(p, a), "still merged");
	harness_expect_page(q, b, 0x24);
	op_ksm_full_scans(1);
	EXPECT(harness_ksm()->pages_shared == 0 && harness_ksm()->pages_sharing == 0 &&
	       harness_ksm()->rmap_items == 0, "KSM still counts merged pages");
	op_exit(p);
	op_exit(q);
}
