// SPDX-License-Identifier: GPL-2.0
/*
 * ksm: what KSM's rmap_items keep alive (anon_vmas, the mm) through munmap, exit and VMA
 * merges, and rmap of KSM folios after mremap, which moves pages to addresses that no
 * longer match their page offset.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "ksm_harness.h"
#include "slab.h"
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)

/* An unused range of npages pages, for MREMAP_FIXED. */
static unsigned long hole(struct task_struct *t, unsigned long npages)
{
	unsigned long h = op_mmap_anon(t, 0, npages);

	EXPECT(op_munmap(t, h, npages * PAGE_SIZE) == 0, "munmap of the hole");
	return h;
}

/*
 * The mm-unstable regression of ee100156d490 "ksm: optimize rmap_walk_ksm by passing a
 * suitable address range" (reported by Hugh Dickins, 2026): mremap() unmerges what it
 * moves, and ksmd merges it again at the new address, whose page offset is still the old
 * one. rmap_walk_ksm() must look the mapping up by the offset its rmap_item recorded, not
 * by the address.
 */
HARNESS_TEST(ksm, mremap_then_remerge_rmap_uses_pgoff)
{
	struct task_struct *p = op_spawn(), *q = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 2), b = op_mmap_mergeable(q, 1), h = hole(p, 16), n;
	struct folio *k;

	harness_set_page(p, PAGE(a, 0), 0x61);
	harness_set_page(p, PAGE(a, 1), 0x61);
	harness_set_page(q, b, 0x61);
	op_ksm_full_scans(2);
	k = harness_folio_at(q, b);
	EXPECT(k && folio_test_ksm(k) && folio_mapcount(k) == 3, "not merged");
	n = op_mremap(p, a, 2 * PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
		      PAGE(h, 8));
	EXPECT(n == PAGE(h, 8), "mremap went to %#lx", n);
	EXPECT(!harness_folio_ksm_at(p, n) && !harness_folio_ksm_at(p, PAGE(n, 1)),
	       "mremap moved KSM pages");
	EXPECT(folio_mapcount(k) == 1, "mapcount %d after the move", folio_mapcount(k));
	harness_expect_page(p, n, 0x61);
	harness_expect_page(p, PAGE(n, 1), 0x61);
	op_ksm_full_scans(2);
	k = harness_folio_at(q, b);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(p, n) == k &&
	       harness_folio_at(p, PAGE(n, 1)) == k, "not merged again after the move");
	EXPECT(harness_rmap_count(q, b) == 3, "rmap finds %d of 3 mappings after the move",
	       harness_rmap_count(q, b));
	op_write(q, b, 0x01);
	EXPECT(harness_rmap_count(p, n) == 2, "rmap finds %d of p's 2 mappings",
	       harness_rmap_count(p, n));
	op_exit(q);
	op_exit(p);
}

/* That regression's shape: map 2N, merge, move the second half over the first. */
HARNESS_TEST(ksm, mremap_second_half_over_first)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 4), i, n;
	struct folio *k;

	for (i = 0; i < 4; i++)
		harness_set_page(p, PAGE(a, i), 0x70);
	op_ksm_full_scans(2);
	EXPECT(harness_folio_ksm_at(p, a), "not merged");
	n = op_mremap(p, PAGE(a, 2), 2 * PAGE_SIZE, 2 * PAGE_SIZE,
		      MREMAP_MAYMOVE | MREMAP_FIXED, a);
	EXPECT(n == a, "mremap went to %#lx", n);
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	op_ksm_full_scans(2);
	k = harness_folio_at(p, a);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(p, PAGE(a, 1)) == k,
	       "the moved pages were not merged again");
	EXPECT(harness_rmap_count(p, a) == 2, "rmap finds %d of 2", harness_rmap_count(p, a));
	harness_expect_page(p, PAGE(a, 1), 0x70);
	op_exit(p);
}

/* A child moves its copy of a merged range; the parent's stays merged. */
HARNESS_TEST(ksm, mremap_in_forked_child)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_mergeable(p, 2), h, n;
	struct folio *k;

	harness_set_page(p, PAGE(a, 0), 0x3c);
	harness_set_page(p, PAGE(a, 1), 0x3c);
	op_ksm_full_scans(2);
	k = harness_folio_at(p, a);
	EXPECT(k && folio_test_ksm(k), "not merged");
	c = op_fork(p);
	h = hole(c, 8);
	n = op_mremap(c, a, 2 * PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
		      PAGE(h, 3));
	EXPECT(n == PAGE(h, 3), "mremap went to %#lx", n);
	EXPECT(harness_folio_at(p, a) == k && folio_mapcount(k) == 2,
	       "the parent's merged pages changed");
	op_ksm_full_scans(2);
	EXPECT(harness_folio_at(c, n) == k && harness_folio_at(c, PAGE(n, 1)) == k,
	       "the child's moved pages did not merge with the parent's KSM folio");
	EXPECT(harness_rmap_count(p, a) == 4, "rmap finds %d of 4", harness_rmap_count(p, a));
	op_exit(p);
	EXPECT(harness_rmap_count(c, n) == 2, "rmap finds %d of 2 after the parent exited",
	       harness_rmap_count(c, n));
	harness_expect_page(c, PAGE(n, 1), 0x3c);
	op_exit(c);
}

/*
 * 76545066c852 ("mm: extend KSM refcounts to the anon_vma root") with KSM's own pins: the
 * child's rmap_item holds the child's anon_vma, which holds the root. Both processes exit;
 * the anon_vmas live until ksmd drops the item, and rmap of the surviving mapper locks the
 * root through them in the meantime.
 */
HARNESS_TEST(ksm, rmap_item_pins_child_anon_vma_past_exit)
{
	struct task_struct *p = op_spawn(), *q = op_spawn(), *c;
	unsigned long a = op_mmap_mergeable(p, 1), b = op_mmap_mergeable(q, 1);
	struct folio *k;

	harness_set_page(p, a, 0x10);
	c = op_fork(p);
	harness_set_page(c, a, 0x20);
	harness_set_page(q, b, 0x20);
	op_ksm_full_scans(2);
	k = harness_folio_at(q, b);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(c, a) == k,
	       "the child's page did not merge");
	EXPECT(harness_cache_live("anon_vma") == 3, "%lu anon_vmas",
	       harness_cache_live("anon_vma"));
	op_exit(c);
	op_exit(p);
	/* Pinned by c's rmap_item: c's anon_vma, and through it p's root. */
	EXPECT(harness_cache_live("anon_vma") == 3, "%lu anon_vmas after both exits",
	       harness_cache_live("anon_vma"));
	EXPECT(harness_cache_live("mm_struct") == 3, "ksmd let go of an exited mm early");
	harness_expect_page(q, b, 0x20);
	EXPECT(harness_rmap_count(q, b) == 1, "rmap of the survivor");
	op_ksm_full_scans(1);
	EXPECT(harness_cache_live("anon_vma") == 1, "%lu anon_vmas after ksmd's pass",
	       harness_cache_live("anon_vma"));
	EXPECT(harness_cache_live("mm_struct") == 1, "%lu mms after ksmd's pass",
	       harness_cache_live("mm_struct"));
	EXPECT(harness_folio_at(q, b) == k && folio_test_ksm(k), "q's page was unmerged");
	op_exit(q);
}

/* L8 with the stock kernel: the VMA of a merged page goes (munmap), or merges away. */
HARNESS_TEST(ksm, munmap_while_merged)
{
	struct task_struct *p = op_spawn(), *q = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 3), b = op_mmap_mergeable(q, 1);
	struct folio *k;

	harness_set_page(p, PAGE(a, 1), 0x44);
	harness_set_page(q, b, 0x44);
	harness_set_page(p, a, 0x01);
	op_ksm_full_scans(2);
	k = harness_folio_at(q, b);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(p, PAGE(a, 1)) == k, "not merged");
	EXPECT(!harness_folio_ksm_at(p, a), "a unique page looks like KSM");
	EXPECT(op_munmap(p, a, 3 * PAGE_SIZE) == 0, "munmap");
	EXPECT(folio_mapcount(k) == 1 && harness_rmap_count(q, b) == 1, "after munmap");
	/* p's rmap_item still pins its anon_vma. */
	EXPECT(harness_cache_live("anon_vma") == 2, "%lu anon_vmas",
	       harness_cache_live("anon_vma"));
	op_ksm_full_scans(1);
	/* With the lazy mode p's mm keeps its memberless anchor until it exits. */
	EXPECT(harness_cache_live("anon_vma") == 1 + harness_lazy(), "%lu anon_vmas after ksmd's pass",
	       harness_cache_live("anon_vma"));
	harness_expect_page(q, b, 0x44);
	op_exit(p);
	op_exit(q);
}

HARNESS_TEST(ksm, merged_page_vma_merges_away)
{
	struct task_struct *p = op_spawn(), *q = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 2), b = op_mmap_mergeable(q, 1);
	struct folio *k;

	harness_set_page(p, a, 0x45);
	harness_set_page(p, PAGE(a, 1), 0x46);
	harness_set_page(q, b, 0x45);
	EXPECT(op_madvise(p, a, PAGE_SIZE, MADV_MERGEABLE) == 0, "MADV_MERGEABLE");
	EXPECT(harness_vma_count(p) == 2, "no split");
	op_ksm_full_scans(2);
	k = harness_folio_at(q, b);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(p, a) == k, "not merged");
	/* The neighbour becomes mergeable too: one VMA again, the merged page inside it. */
	EXPECT(op_madvise(p, PAGE(a, 1), PAGE_SIZE, MADV_MERGEABLE) == 0, "MADV_MERGEABLE");
	EXPECT(harness_vma_count(p) == 1, "the VMAs did not merge");
	EXPECT(harness_rmap_count(q, b) == 2, "rmap after the VMA merge");
	EXPECT(op_mprotect(p, a, PAGE_SIZE, PROT_READ) == 0, "mprotect");
	EXPECT(harness_rmap_count(q, b) == 2, "rmap after the split");
	EXPECT(op_mprotect(p, a, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "mprotect");
	op_ksm_full_scans(1);
	EXPECT(harness_folio_at(p, a) == k, "p's page was unmerged");
	harness_expect_page(p, a, 0x45);
	harness_expect_page(p, PAGE(a, 1), 0x46);
	op_exit(q);
	op_exit(p);
}

HARNESS_TEST(ksm, exit_while_merged)
{
	struct task_struct *p = op_spawn(), *q = op_spawn(), *r = op_spawn();
	unsigned long a = op_mmap_mergeable(p, 1), b = op_mmap_mergeable(q, 1), c = op_mmap_mergeable(r, 1);
	struct folio *k;

	harness_set_page(p, a, 0x77);
	harness_set_page(q, b, 0x77);
	harness_set_page(r, c, 0x77);
	op_ksm_full_scans(2);
	k = harness_folio_at(r, c);
	EXPECT(k && folio_test_ksm(k) && folio_mapcount(k) == 3, "not merged");
	op_exit(q);
	EXPECT(folio_mapcount(k) == 2 && harness_rmap_count(r, c) == 2, "after q's exit");
	op_ksm_full_scans(1);
	EXPECT(harness_ksm()->pages_shared == 1 && harness_ksm()->pages_sharing == 1,
	       "shared %lu sharing %lu", harness_ksm()->pages_shared,
	       harness_ksm()->pages_sharing);
	op_exit(p);
	op_exit(r);
	/* Teardown (I7) checks that ksmd frees the stable node and the last items. */
}
