// SPDX-License-Identifier: GPL-2.0
/*
 * migrate: anonymous folios moved by the real migrate_pages(), whole or stopped between the
 * unmap and the remap while other operations run; after fork, split, on THPs, in the swap
 * cache; and failures that take the undo path. Review of the posted lazy anon_vma series
 * doubted migration most: no migration entry may be left behind, whatever runs midway.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/huge_mm.h>
#include <linux/swap.h>
#include "memmap.h"
#include "slab.h"
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)
/* PMD-aligned, away from where the kernel places mappings by itself. */
#define THP_A		(16UL << 30)
#define THP_B		(32UL << 30)

/* A migrated folio is gone: nothing references it and its frames went back. */
static void expect_freed(struct folio *old)
{
	EXPECT(!folio_ref_count(old), "the old folio still has %d references",
	       folio_ref_count(old));
}

HARNESS_TEST(migrate, page_moves_and_old_folio_is_freed)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 3), live;
	struct folio *old;

	harness_fill_pages(p, a, 3, 0x10);
	old = harness_folio_at(p, PAGE(a, 1));
	live = harness_folio_stats()->live;
	EXPECT(op_migrate(p, PAGE(a, 1)) == 0, "migration failed");
	EXPECT(harness_folio_at(p, PAGE(a, 1)) && harness_folio_at(p, PAGE(a, 1)) != old,
	       "the page did not move");
	expect_freed(old);
	EXPECT(harness_folio_stats()->live == live, "%lu pages live, %lu before",
	       harness_folio_stats()->live, live);
	harness_expect_pages(p, a, 3, 0x10);
	/* Still exclusive and writable: the write reuses it. */
	old = harness_folio_at(p, PAGE(a, 1));
	op_write(p, PAGE(a, 1), 0x77);
	EXPECT(harness_folio_at(p, PAGE(a, 1)) == old, "a write after migration copied the page");
	op_exit(p);
}

HARNESS_TEST(migrate, shared_after_fork_moves_both_mappings)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct folio *old, *new;

	harness_fill_pages(p, a, 2, 0x20);
	c = op_fork(p);
	old = harness_folio_at(p, a);
	EXPECT(old == harness_folio_at(c, a), "not shared after fork");
	EXPECT(op_migrate(c, a) == 0, "migration failed");
	new = harness_folio_at(p, a);
	EXPECT(new && new != old && new == harness_folio_at(c, a),
	       "the parent and the child do not both map the new folio");
	expect_freed(old);
	harness_expect_pages(p, a, 2, 0x20);
	harness_expect_pages(c, a, 2, 0x20);
	/* Still COW-shared: the child's write copies, the parent keeps its data. */
	op_write(c, a, 0x99);
	EXPECT(op_read(p, a) == 0x20, "the child's write reached the parent");
	op_exit(p);
	EXPECT(op_migrate(c, a) == 0, "migration in the child after the parent exited");
	EXPECT(op_read(c, a) == 0x99, "child's data");
	op_exit(c);
}

/* Pages on both sides of an mprotect() split, and the one in the middle. */
HARNESS_TEST(migrate, both_sides_of_an_mprotect_split)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 6), i;

	harness_fill_pages(p, a, 6, 0x30);
	EXPECT(!op_mprotect(p, PAGE(a, 2), 2 * PAGE_SIZE, PROT_READ), "mprotect");
	EXPECT(harness_vma_count(p) == 3, "%lu VMAs", harness_vma_count(p));
	for (i = 0; i < 6; i++)
		EXPECT(op_migrate(p, PAGE(a, i)) == 0, "migration of page %lu failed", i);
	harness_expect_pages(p, a, 6, 0x30);
	EXPECT(!op_mprotect(p, PAGE(a, 2), 2 * PAGE_SIZE, PROT_READ | PROT_WRITE), "mprotect");
	EXPECT(harness_vma_count(p) == 1, "no merge back: %lu VMAs", harness_vma_count(p));
	op_write(p, PAGE(a, 3), 0x44);
	EXPECT(op_migrate(p, PAGE(a, 3)) == 0, "migration after the merge");
	EXPECT(op_read(p, PAGE(a, 3)) == 0x44, "data after the merge");
	op_exit(p);
}

/* A PMD-mapped THP moves whole, through a PMD migration entry. */
HARNESS_TEST(migrate, pmd_mapped_thp)
{
	struct task_struct *p = op_spawn(), *c;
	struct folio *old, *new;

	harness_thp_set_mode(HARNESS_THP_ALWAYS, BIT(HPAGE_PMD_ORDER));
	EXPECT(op_mmap_anon(p, THP_A, HPAGE_PMD_NR) == THP_A, "mmap");
	op_thp_fill(p, THP_A, HPAGE_PMD_NR, 3);
	EXPECT(harness_pmd_mapped(p, THP_A), "no PMD THP");
	old = harness_folio_at(p, THP_A);
	EXPECT(op_migrate(p, THP_A + 5 * PAGE_SIZE) == 0, "THP migration failed");
	EXPECT(harness_pmd_mapped(p, THP_A), "not PMD-mapped after migration");
	EXPECT(harness_folio_order_at(p, THP_A) == HPAGE_PMD_ORDER, "not a PMD THP any more");
	expect_freed(old);
	harness_thp_expect_fill(p, THP_A, HPAGE_PMD_NR, 3);
	/* Shared with a child, then stopped midway: PMD migration entries in both. */
	c = op_fork(p);
	{
		struct harness_migration *m = op_migrate_start(c, THP_A);

		EXPECT(m, "unmap failed");
		EXPECT(!harness_pmd_mapped(p, THP_A) && !harness_pmd_mapped(c, THP_A),
		       "a PMD still maps the THP under migration");
		EXPECT(op_migrate_finish(m) == 0, "move failed");
	}
	new = harness_folio_at(c, THP_A);
	EXPECT(harness_pmd_mapped(p, THP_A) && new == harness_folio_at(p, THP_A),
	       "parent and child do not map the same new THP");
	harness_thp_expect_fill(c, THP_A, HPAGE_PMD_NR, 3);
	op_exit(p);
	harness_thp_expect_fill(c, THP_A, HPAGE_PMD_NR, 3);
	op_exit(c);
}

/* A THP whose new folio cannot be allocated is split, and its pages move one by one. */
HARNESS_TEST(migrate, thp_allocation_failure_splits)
{
	struct task_struct *p = op_spawn();

	harness_thp_set_mode(HARNESS_THP_ALWAYS, BIT(HPAGE_PMD_ORDER));
	EXPECT(op_mmap_anon(p, THP_A, HPAGE_PMD_NR) == THP_A, "mmap");
	op_thp_fill(p, THP_A, HPAGE_PMD_NR, 9);
	harness_fail_nth_in("pages", 1);
	/* migrate_pages() counts the split THP as one failure, even if its pages moved. */
	EXPECT(op_migrate(p, THP_A) >= 0, "migration returned an error");
	EXPECT(!harness_fail_armed(), "no page allocation was failed");
	EXPECT(harness_folio_order_at(p, THP_A) == 0, "the THP was not split");
	harness_thp_expect_fill(p, THP_A, HPAGE_PMD_NR, 9);
	op_exit(p);
}

/* A folio in the swap cache moves with its slot: the new folio takes its place there. */
HARNESS_TEST(migrate, swap_cache_folio)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct folio *old, *new;

	harness_fill_pages(p, a, 2, 0x40);
	c = op_fork(p);
	EXPECT(op_reclaim(p, a), "not reclaimed");
	/* The child's read brings it back into the swap cache, mapped in the child only. */
	EXPECT(op_read(c, a) == 0x40, "swap-in");
	old = harness_swap_cache_folio(c, a);
	EXPECT(old && old == harness_folio_at(c, a), "no mapped swap-cache folio");
	EXPECT(harness_swapped_at(p, a), "the parent's PTE is not a swap entry");
	EXPECT(op_migrate(c, a) == 0, "migration failed");
	new = harness_folio_at(c, a);
	EXPECT(new && new != old, "the folio did not move");
	EXPECT(folio_test_swapcache(new) && harness_swap_cache_folio(p, a) == new,
	       "the new folio did not take the old one's place in the swap cache");
	expect_freed(old);
	/* The parent swaps in the new folio; both reclaim and read back again. */
	EXPECT(op_read(p, a) == 0x40, "parent's swap-in after migration");
	EXPECT(harness_folio_at(p, a) == new, "the parent did not find the migrated folio");
	EXPECT(op_reclaim(p, a), "the migrated folio was not reclaimed");
	harness_expect_pages(p, a, 2, 0x40);
	harness_expect_pages(c, a, 2, 0x40);
	op_exit(c);
	op_exit(p);
}

/* A page someone else holds (a GUP pin, a racing reference) cannot move: undo restores it. */
HARNESS_TEST(migrate, busy_page_is_restored)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct folio *old;

	harness_fill_pages(p, a, 2, 0x50);
	c = op_fork(p);
	old = harness_folio_at(p, a);
	harness_folio_hold(old);
	EXPECT(op_migrate(p, a) == 1, "a busy page was migrated");
	EXPECT(harness_folio_at(p, a) == old && harness_folio_at(c, a) == old,
	       "the undo did not restore the old folio in both processes");
	harness_expect_pages(p, a, 2, 0x50);
	harness_expect_pages(c, a, 2, 0x50);
	harness_folio_release(old);
	EXPECT(op_migrate(p, a) == 0, "migration once the page is free");
	op_exit(c);
	harness_expect_pages(p, a, 2, 0x50);
	op_exit(p);
}

/* No page for the new folio: nothing was unmapped, nothing changes. */
HARNESS_TEST(migrate, allocation_failure_changes_nothing)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct folio *old;
	char *before;

	harness_fill_pages(p, a, 2, 0x58);
	old = harness_folio_at(p, a);
	before = harness_snapshot_visible();
	harness_fail_nth_in("pages", 1);
	EXPECT(op_migrate(p, a) == -ENOMEM, "migration did not fail with -ENOMEM");
	harness_expect_unchanged_visible(before, "migration");
	EXPECT(harness_folio_at(p, a) == old, "the folio changed");
	harness_expect_pages(p, a, 2, 0x58);
	op_exit(p);
}

/* --- stopped between the unmap and the remap */

HARNESS_TEST(migrate, midway_then_finish)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct harness_migration *m;
	struct folio *old;

	harness_fill_pages(p, a, 2, 0x60);
	old = harness_folio_at(p, a);
	m = op_migrate_start(p, a);
	EXPECT(m, "unmap failed");
	EXPECT(!harness_folio_at(p, a), "the page is still mapped by a present PTE");
	EXPECT(!folio_mapped(old), "the old folio is still mapped");
	EXPECT(op_migrate_finish(m) == 0, "move failed");
	EXPECT(harness_folio_at(p, a) && harness_folio_at(p, a) != old, "not moved");
	expect_freed(old);
	harness_expect_pages(p, a, 2, 0x60);
	op_exit(p);
}

HARNESS_TEST(migrate, midway_abort_restores)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct harness_migration *m;
	struct folio *old;

	harness_fill_pages(p, a, 2, 0x68);
	old = harness_folio_at(p, a);
	m = op_migrate_start(p, a);
	EXPECT(m, "unmap failed");
	op_migrate_abort(m);
	EXPECT(harness_folio_at(p, a) == old, "the old folio is not mapped again");
	harness_expect_pages(p, a, 2, 0x68);
	op_write(p, a, 0x11);
	EXPECT(harness_folio_at(p, a) == old, "the restored mapping lost its exclusivity");
	op_exit(p);
}

/* A reference taken while the folio is unmapped makes the move fail: the undo path. */
HARNESS_TEST(migrate, midway_busy_then_undo)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct harness_migration *m;
	struct folio *old;

	harness_fill_pages(p, a, 2, 0x70);
	c = op_fork(p);
	old = harness_folio_at(p, a);
	m = op_migrate_start(p, a);
	EXPECT(m, "unmap failed");
	harness_folio_hold(old);
	EXPECT(op_migrate_finish(m) == 1, "a busy folio moved");
	EXPECT(harness_folio_at(p, a) == old && harness_folio_at(c, a) == old,
	       "the undo did not restore the old folio in both processes");
	harness_folio_release(old);
	harness_expect_pages(p, a, 2, 0x70);
	harness_expect_pages(c, a, 2, 0x70);
	op_exit(p);
	op_exit(c);
}

/* munmap() zaps the migration entries; the move still completes and frees the old folio. */
HARNESS_TEST(migrate, midway_munmap)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 3);
	struct harness_migration *m;
	struct folio *old;
	unsigned long live;

	harness_fill_pages(p, a, 3, 0x78);
	old = harness_folio_at(p, PAGE(a, 1));
	live = harness_folio_stats()->live;
	m = op_migrate_start(p, PAGE(a, 1));
	EXPECT(m, "unmap failed");
	EXPECT(!op_munmap(p, PAGE(a, 1), PAGE_SIZE), "munmap");
	EXPECT(op_migrate_finish(m) == 0, "move failed");
	expect_freed(old);
	EXPECT(harness_folio_stats()->live == live - 1, "%lu pages live, expected %lu",
	       harness_folio_stats()->live, live - 1);
	EXPECT(op_read(p, PAGE(a, 0)) == 0x78 && op_read(p, PAGE(a, 2)) == 0x7a,
	       "the neighbours' data");
	op_exit(p);
}

/* The process exits while its folio migrates: the pinned anon_vma outlives it. */
HARNESS_TEST(migrate, midway_exit)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct harness_migration *m;
	struct folio *old;

	harness_fill_pages(p, a, 2, 0x80);
	c = op_fork(p);
	old = harness_folio_at(p, a);
	m = op_migrate_start(c, a);
	EXPECT(m, "unmap failed");
	op_exit(p);
	op_exit(c);
	EXPECT(harness_cache_live("anon_vma"), "the migration's anon_vma pin did not hold");
	EXPECT(op_migrate_finish(m) == 0, "move failed");
	expect_freed(old);
}

/* fork() copies the migration entries; the remap finds the child's through rmap. */
HARNESS_TEST(migrate, midway_fork)
{
	struct task_struct *p = op_spawn(), *c, *g;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct harness_migration *m;
	struct folio *new;

	harness_fill_pages(p, a, 2, 0x88);
	m = op_migrate_start(p, a);
	EXPECT(m, "unmap failed");
	c = op_fork(p);
	EXPECT(c, "fork failed");
	g = op_fork(c);
	EXPECT(op_migrate_finish(m) == 0, "move failed");
	new = harness_folio_at(p, a);
	EXPECT(new && new == harness_folio_at(c, a) && new == harness_folio_at(g, a),
	       "the new folio is not mapped in all three processes");
	harness_expect_pages(g, a, 2, 0x88);
	op_write(c, a, 0x01);
	harness_expect_pages(p, a, 2, 0x88);
	EXPECT(op_read(c, a) == 0x01 && op_read(g, a) == 0x88, "COW after the migration");
	op_exit(c);
	op_exit(p);
	harness_expect_pages(g, a, 2, 0x88);
	op_exit(g);
}

/* mprotect() splits the VMA around the migration entry and makes it read-only. */
HARNESS_TEST(migrate, midway_mprotect_split)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 3);
	struct harness_migration *m;

	harness_fill_pages(p, a, 3, 0x90);
	m = op_migrate_start(p, PAGE(a, 1));
	EXPECT(m, "unmap failed");
	EXPECT(!op_mprotect(p, PAGE(a, 1), PAGE_SIZE, PROT_READ), "mprotect");
	EXPECT(harness_vma_count(p) == 3, "%lu VMAs", harness_vma_count(p));
	EXPECT(op_migrate_finish(m) == 0, "move failed");
	harness_expect_pages(p, a, 3, 0x90);
	EXPECT(!op_mprotect(p, PAGE(a, 1), PAGE_SIZE, PROT_READ | PROT_WRITE), "mprotect back");
	op_write(p, PAGE(a, 1), 0x12);
	EXPECT(op_read(p, PAGE(a, 1)) == 0x12, "write after the split");
	op_exit(p);
}

/* mremap() moves the migration entries; the remap finds them at the new address. */
HARNESS_TEST(migrate, midway_mremap)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 3), b = op_mmap_anon(p, 0, 8), n;
	struct harness_migration *m;
	struct folio *new;

	harness_fill_pages(p, a, 3, 0xa0);
	EXPECT(!op_munmap(p, b, 8 * PAGE_SIZE), "munmap of the target range");
	m = op_migrate_start(p, PAGE(a, 1));
	EXPECT(m, "unmap failed");
	n = op_mremap(p, a, 3 * PAGE_SIZE, 3 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, b);
	EXPECT(n == b, "mremap = %#lx", n);
	EXPECT(op_migrate_finish(m) == 0, "move failed");
	new = harness_folio_at(p, PAGE(b, 1));
	EXPECT(new, "nothing mapped at the new address");
	harness_expect_pages(p, b, 3, 0xa0);
	op_exit(p);
}

/* A THP stopped midway while its VMA is split through it: the PMD entry is split too. */
HARNESS_TEST(migrate, midway_thp_split_vma)
{
	struct task_struct *p = op_spawn();
	struct harness_migration *m;

	harness_thp_set_mode(HARNESS_THP_ALWAYS, BIT(HPAGE_PMD_ORDER));
	EXPECT(op_mmap_anon(p, THP_B, HPAGE_PMD_NR) == THP_B, "mmap");
	op_thp_fill(p, THP_B, HPAGE_PMD_NR, 17);
	m = op_migrate_start(p, THP_B);
	EXPECT(m, "unmap failed");
	EXPECT(!op_mprotect(p, THP_B + 16 * PAGE_SIZE, 16 * PAGE_SIZE, PROT_READ), "mprotect");
	EXPECT(op_migrate_finish(m) == 0, "move failed");
	EXPECT(!harness_pmd_mapped(p, THP_B), "still PMD-mapped across a VMA boundary");
	harness_thp_expect_fill(p, THP_B, HPAGE_PMD_NR, 17);
	op_exit(p);
}
