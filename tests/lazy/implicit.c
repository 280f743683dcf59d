// SPDX-License-Identifier: GPL-2.0
/*
 * Step 2 of ANON_VMA_LAZY: implicit members. A VMA without a file whose only anon_vma is
 * vma->anon_vma is linked into anon_vma->rb_vmas through its own node, with no
 * anon_vma_chain, and stays so whatever happens to it in its mm; a fork gives the child's
 * copies chain entries. These tests run with the lazy mode on in a tree that has step 2;
 * the checker (I1 both ways, I2, I4, I5, L1) runs after every operation, and every other
 * test of the harness runs with implicit members too.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rmap.h>
#include <linux/huge_mm.h>
#include "slab.h"
#include "harness.h"
#include "series.h"

#define P PAGE_SIZE
/* Mappings 64 pages apart: never neighbours. */
#define AREA(i) (0x10000000UL + (i) * 64 * P)

static void need_implicit(void)
{
	if (!HARNESS_IMPLICIT_MEMBERS)
		harness_skip("this tree has no implicit members");
	if (!harness_lazy())
		harness_skip("the lazy mode is off");
}

static struct vm_area_struct *vma_of(struct task_struct *t, unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(t->mm, addr);

	EXPECT(vma, "no VMA at %#lx in p%d", addr, t->pid);
	return vma;
}

static void expect_implicit(struct task_struct *t, unsigned long addr)
{
	EXPECT(vma_anon_implicit(vma_of(t, addr)), "the VMA at %#lx of p%d is not implicit",
	       addr, t->pid);
}

/*
 * An exec'd process: faulted VMAs far apart, one split by mprotect() and merged back, one
 * moved by mremap() and moved back. No anon_vma_chain at any point, one anon_vma.
 */
HARNESS_TEST(lazy, unshared_vmas_hold_no_chain)
{
	struct task_struct *p = op_spawn();
	unsigned long a[4];
	int i;

	need_implicit();
	for (i = 0; i < 4; i++) {
		a[i] = op_mmap_anon(p, AREA(i), 8);
		harness_fill_pages(p, a[i], 8, 0x10 * (i + 1));
		expect_implicit(p, a[i]);
	}
	EXPECT(op_mprotect(p, a[0] + 2 * P, 2 * P, PROT_READ) == 0, "split");
	expect_implicit(p, a[0]);
	expect_implicit(p, a[0] + 2 * P);
	expect_implicit(p, a[0] + 4 * P);
	EXPECT(op_mprotect(p, a[0] + 2 * P, 2 * P, PROT_READ | PROT_WRITE) == 0, "merge");
	EXPECT(vma_of(p, a[0])->vm_end == a[0] + 8 * P, "the split did not merge back");
	EXPECT(op_mremap(p, a[1], 8 * P, 8 * P, MREMAP_MAYMOVE | MREMAP_FIXED, AREA(8)) ==
	       AREA(8), "move");
	expect_implicit(p, AREA(8));
	EXPECT(op_mremap(p, AREA(8), 8 * P, 8 * P, MREMAP_MAYMOVE | MREMAP_FIXED, a[1]) == a[1],
	       "move back");
	expect_implicit(p, a[1]);
	EXPECT(harness_cache_live("anon_vma_chain") == 0, "%lu chain entries",
	       harness_cache_live("anon_vma_chain"));
	EXPECT(harness_cache_live("anon_vma") == 1, "%lu anon_vmas",
	       harness_cache_live("anon_vma"));
	for (i = 0; i < 4; i++) {
		EXPECT(op_reclaim(p, a[i] + P), "page 1 of area %d was not reclaimed", i);
		harness_expect_pages(p, a[i], 8, 0x10 * (i + 1));
	}
	op_exit(p);
}

/*
 * A zygote: fork leaves the parent's members implicit and gives each child VMA the chain
 * [its own anon_vma, the anchor]; the children's exits, in any order with the parent's,
 * keep the anchor alive while either tree holds a VMA.
 */
HARNESS_TEST(lazy, fork_chains_the_children_only)
{
	struct task_struct *p = op_spawn(), *c1, *c2;
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b = op_mmap_anon(p, AREA(1), 4);

	need_implicit();
	harness_fill_pages(p, a, 4, 0x20);
	harness_fill_pages(p, b, 4, 0x30);
	c1 = op_fork(p);
	c2 = op_fork(p);
	expect_implicit(p, a);
	expect_implicit(p, b);
	EXPECT(harness_chain_length(c1, a) == 2 && harness_chain_length(c2, b) == 2,
	       "a child's chain has %lu entries", harness_chain_length(c1, a));
	EXPECT(harness_cache_live("anon_vma_chain") == 8, "%lu chain entries",
	       harness_cache_live("anon_vma_chain"));
	/* Shared folios: rmap meets the children in the chain tree, the parent after. */
	EXPECT(harness_rmap_count(p, a) == 3, "rmap found %d mappings",
	       harness_rmap_count(p, a));
	op_write(c1, a, 0x77);
	op_exit(c1);
	expect_implicit(p, a);
	op_exit(p);
	harness_expect_pages(c2, a, 4, 0x20);
	EXPECT(op_reclaim(c2, b), "the parent's folio was not reclaimed from the child");
	harness_expect_pages(c2, b, 4, 0x30);
	op_exit(c2);
}

/* A fork's copies of folios in every state: swapped, swap-cached, migrating, PMD-mapped. */
HARNESS_TEST(lazy, fork_with_folios_in_every_state)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, AREA(0), 4), t;
	struct harness_migration *m;

	need_implicit();
	harness_thp_set_mode(HARNESS_THP_ALWAYS, BIT(HPAGE_PMD_ORDER));
	t = op_mmap_anon(p, 0x40000000UL, HPAGE_PMD_NR);
	EXPECT(t == 0x40000000UL, "mmap of the THP area");
	op_thp_fill(p, t, HPAGE_PMD_NR, 5);
	EXPECT(harness_pmd_mapped(p, t), "no PMD THP");
	expect_implicit(p, t);
	harness_fill_pages(p, a, 4, 0x40);
	EXPECT(op_reclaim(p, a), "page 0 not reclaimed");
	EXPECT(op_reclaim(p, a + P) && op_read(p, a + P) == 0x41, "page 1 swapped in");
	EXPECT(harness_swap_cache_folio(p, a + P), "page 1 is not in the swap cache");
	m = op_migrate_start(p, a + 2 * P);
	EXPECT(m, "unmap for migration failed");
	c = op_fork(p);
	EXPECT(op_migrate_finish(m) == 0, "migration after the fork failed");
	expect_implicit(p, a);
	harness_expect_pages(c, a, 4, 0x40);
	harness_thp_expect_fill(c, t, HPAGE_PMD_NR, 5);
	EXPECT(op_migrate(p, t) == 0, "the shared THP did not migrate");
	op_write(c, a + 3 * P, 0x99);
	op_exit(p);
	harness_thp_expect_fill(c, t, HPAGE_PMD_NR, 5);
	op_exit(c);
}

/* A large folio that straddles a split stays found from both halves. */
HARNESS_TEST(lazy, large_folio_straddles_a_split)
{
	struct task_struct *p = op_spawn();
	unsigned long t;

	need_implicit();
	harness_thp_set_mode(HARNESS_THP_ALWAYS, BIT(HPAGE_PMD_ORDER));
	t = op_mmap_anon(p, 0x40000000UL, HPAGE_PMD_NR);
	op_thp_fill(p, t, HPAGE_PMD_NR, 9);
	EXPECT(op_mprotect(p, t + 8 * P, 8 * P, PROT_READ) == 0, "split in the THP");
	expect_implicit(p, t);
	expect_implicit(p, t + 8 * P);
	EXPECT(harness_folio_order_at(p, t + 8 * P) == HPAGE_PMD_ORDER,
	       "the THP was split with its PMD");
	/* Migration unmaps every PTE of the folio: a half the walk missed fails it. */
	EXPECT(op_migrate(p, t + 4 * P) == 0, "the straddling folio did not migrate");
	EXPECT(op_migrate(p, t + 12 * P) == 0, "it did not migrate back from the other half");
	harness_thp_expect_fill(p, t, HPAGE_PMD_NR, 9);
	op_exit(p);
}

/* UFFDIO_MOVE out of one implicit member into another. */
HARNESS_TEST(lazy, uffd_move_between_members)
{
	struct task_struct *p = op_spawn();
	unsigned long src = op_mmap_anon(p, AREA(0), 4), dst = op_mmap_anon(p, AREA(1), 4);
	struct userfaultfd_ctx *ctx = op_userfaultfd(p);

	need_implicit();
	EXPECT(ctx, "userfaultfd() failed");
	op_write(p, dst + 3 * P, 0x50);
	EXPECT(!op_uffd_register(p, ctx, dst, 4 * P), "register");
	harness_fill_pages(p, src, 3, 0x60);
	expect_implicit(p, src);
	expect_implicit(p, dst);
	EXPECT(op_uffd_move(p, ctx, dst, src, 3 * P, false) == 3 * P, "UFFDIO_MOVE");
	harness_expect_pages(p, dst, 3, 0x60);
	EXPECT(op_reclaim(p, dst + P), "a moved page was not reclaimed");
	EXPECT(op_read(p, dst + P) == 0x61, "contents after reclaim");
	op_uffd_release(p, ctx);
	op_exit(p);
}

/* memory-failure finds the processes whose implicit members and chained copies map a page. */
HARNESS_TEST(lazy, memory_failure_finds_members)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, AREA(0), 2);

	need_implicit();
	harness_fill_pages(p, a, 2, 0x70);
	c = op_fork(p);
	EXPECT(op_memory_failure(p, harness_folio_at(p, a), a) == 2,
	       "the parent (implicit) and the child (chained) both map it");
	op_exit(c);
	op_exit(p);
}

/*
 * The switch turned off while an implicit member exists: a VMA faulted next to it then shares
 * its anon_vma through a chain entry; the two merge, and parts of the result move away.
 */
HARNESS_TEST(lazy, chained_and_implicit_vmas_of_one_anon_vma)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, AREA(0), 4);

	need_implicit();
	op_write(p, a, 1);
	expect_implicit(p, a);
	/* Read-only, so that the VMA mapped next to it does not merge with it at once. */
	EXPECT(op_mprotect(p, a + 2 * P, 2 * P, PROT_READ) == 0, "split");
	if (op_set_lazy(0) == -ENOENT)
		harness_skip("this tree has no vm.anon_vma_lazy");
	EXPECT(op_mmap_anon(p, a + 4 * P, 4) == a + 4 * P, "mmap next to the member");
	op_write(p, a + 4 * P, 2);
	EXPECT(!vma_anon_implicit(vma_of(p, a + 4 * P)),
	       "a VMA became implicit with the switch off");
	EXPECT(harness_anon_vma_at(p, a + 4 * P) == harness_anon_vma_at(p, a),
	       "the neighbour did not share the member's anon_vma");
	EXPECT(harness_chain_length(p, a + 4 * P) == 1, "the neighbour's chain has %lu entries",
	       harness_chain_length(p, a + 4 * P));
	EXPECT(op_mprotect(p, a + 2 * P, 2 * P, PROT_READ | PROT_WRITE) == 0, "unprotect");
	EXPECT(vma_of(p, a)->vm_end == a + 8 * P, "the member and its neighbour did not merge");
	op_write(p, a + 2 * P, 3);
	EXPECT(op_mremap(p, a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, AREA(2)) == AREA(2),
	       "move the first part away");
	EXPECT(op_read(p, AREA(2)) == 1 && op_read(p, a + 2 * P) == 3 &&
	       op_read(p, a + 4 * P) == 2, "contents after the moves");
	EXPECT(op_reclaim(p, a + 4 * P) && op_read(p, a + 4 * P) == 2,
	       "the neighbour's page after reclaim");
	EXPECT(op_set_lazy(1) == 0, "switch on");
	op_exit(p);
}
