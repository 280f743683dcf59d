// SPDX-License-Identifier: GPL-2.0
/* PMD-sized THPs: fault, huge zero folio, fork and COW, split, mremap, exit in every order. */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/huge_mm.h>
#include "harness.h"

/* PMD-aligned addresses well away from where the kernel places mappings by itself. */
#define A	(16UL << 30)
#define B	(32UL << 30)
#define NR	HPAGE_PMD_NR

static void thp_on(void)
{
	harness_thp_set_mode(HARNESS_THP_ALWAYS, BIT(HPAGE_PMD_ORDER));
}

static void expect_pmd_thp(struct task_struct *p, unsigned long addr)
{
	EXPECT(harness_pmd_mapped(p, addr), "p%d: %#lx is not PMD-mapped", p->pid, addr);
	EXPECT(harness_folio_order_at(p, addr) == HPAGE_PMD_ORDER, "p%d: order %d at %#lx",
	       p->pid, harness_folio_order_at(p, addr), addr);
}

static void expect_pte_order(struct task_struct *p, unsigned long addr, int order)
{
	EXPECT(!harness_pmd_mapped(p, addr), "p%d: %#lx is still PMD-mapped", p->pid, addr);
	EXPECT(harness_folio_order_at(p, addr) == order, "p%d: order %d at %#lx, expected %d",
	       p->pid, harness_folio_order_at(p, addr), addr, order);
}

HARNESS_TEST(thp, never_maps_small_folios)
{
	struct task_struct *p = op_spawn();

	harness_thp_set_mode(HARNESS_THP_NEVER, BIT(HPAGE_PMD_ORDER));
	EXPECT(op_mmap_anon(p, A, NR) == A, "mmap");
	op_write(p, A + 5 * PAGE_SIZE, 5);
	expect_pte_order(p, A + 5 * PAGE_SIZE, 0);
	EXPECT(harness_folio_order_at(p, A) == -1, "only the written page is faulted");
	op_exit(p);
}

HARNESS_TEST(thp, fault_pmd_write_read)
{
	struct task_struct *p = op_spawn();

	thp_on();
	EXPECT(op_mmap_anon(p, A, 2 * NR) == A, "mmap");
	op_write(p, A + 7, 77);
	expect_pmd_thp(p, A);
	expect_pmd_thp(p, A + (NR - 1) * PAGE_SIZE);
	EXPECT(harness_folio_order_at(p, A + NR * PAGE_SIZE) == -1, "second PMD not faulted yet");
	/* The rest of the THP was zeroed; the second PMD gets its own THP. */
	EXPECT(op_read(p, A + 3 * PAGE_SIZE) == 0, "fresh THP page is zero");
	op_thp_fill(p, A, 2 * NR, 1);
	expect_pmd_thp(p, A + NR * PAGE_SIZE);
	harness_thp_expect_fill(p, A, 2 * NR, 1);
	op_exit(p);
}

HARNESS_TEST(thp, read_maps_huge_zero_folio_then_cow)
{
	struct task_struct *p = op_spawn(), *kswapd;

	/* A process that outlives p to run reclaim (forked: a second spawn needs current). */
	kswapd = op_fork(p);
	thp_on();
	EXPECT(op_mmap_anon(p, A, NR) == A, "mmap");
	EXPECT(op_read(p, A + 100 * PAGE_SIZE) == 0, "huge zero folio reads zero");
	EXPECT(harness_pmd_mapped(p, A), "read fault maps the huge zero folio by a PMD");
	EXPECT(harness_folio_order_at(p, A) == -1, "the huge zero folio is no normal folio");
	op_write(p, A + 100 * PAGE_SIZE, 9);
	expect_pmd_thp(p, A);
	EXPECT(op_read(p, A + 100 * PAGE_SIZE) == 9, "written");
	EXPECT(op_read(p, A + 101 * PAGE_SIZE) == 0, "neighbour zero");
	op_exit(p);
	/* Nothing maps it now: the kernel keeps it until its shrinker runs. */
	EXPECT(op_thp_shrink(kswapd) >= NR, "the huge zero folio is freed");
	op_exit(kswapd);
}

/* Fork with a PMD THP, COW in child then parent; exit in the given order. */
static void fork_cow(bool parent_exits_first)
{
	struct task_struct *p = op_spawn(), *c;

	thp_on();
	EXPECT(op_mmap_anon(p, A, NR) == A, "mmap");
	op_thp_fill(p, A, NR, 10);
	c = op_fork(p);
	expect_pmd_thp(c, A);
	EXPECT(harness_folio_at(p, A) == harness_folio_at(c, A), "fork shares the THP");
	/* A shared THP is not copied whole: the child's PMD is split and one page copied. */
	op_write(c, A + 3 * PAGE_SIZE, 200);
	expect_pte_order(c, A + 3 * PAGE_SIZE, 0);
	expect_pte_order(c, A + 4 * PAGE_SIZE, HPAGE_PMD_ORDER);
	expect_pmd_thp(p, A);
	EXPECT(op_read(p, A + 3 * PAGE_SIZE) == 14, "parent keeps its page 3");
	op_write(p, A + 5 * PAGE_SIZE, 201);
	expect_pte_order(p, A + 5 * PAGE_SIZE, 0);
	expect_pte_order(p, A + 6 * PAGE_SIZE, HPAGE_PMD_ORDER);
	EXPECT(op_read(c, A + 5 * PAGE_SIZE) == 16, "child keeps its page 5");
	EXPECT(op_read(c, A + 3 * PAGE_SIZE) == 200, "child page 3");
	EXPECT(op_read(p, A + 5 * PAGE_SIZE) == 201, "parent page 5");
	EXPECT(harness_folio_at(p, A + 7 * PAGE_SIZE) == harness_folio_at(c, A + 7 * PAGE_SIZE),
	       "untouched pages still shared");
	if (parent_exits_first) {
		op_exit(p);
		EXPECT(op_read(c, A + 100 * PAGE_SIZE) == 111, "child after parent exit");
		op_exit(c);
	} else {
		op_exit(c);
		EXPECT(op_read(p, A + 100 * PAGE_SIZE) == 111, "parent after child exit");
		op_exit(p);
	}
}

HARNESS_TEST(thp, fork_cow_child_exits_first)
{
	fork_cow(false);
}

HARNESS_TEST(thp, fork_cow_parent_exits_first)
{
	fork_cow(true);
}

/*
 * mprotect of a part that is not 2 MiB aligned: the PMD is split and one large folio is
 * mapped by the PTEs of two VMAs (rmap must find both); munmap of a part leaves it partially
 * mapped, on the deferred split queue, and the shrinker splits it.
 */
HARNESS_TEST(thp, mprotect_straddle_munmap_deferred_split)
{
	struct task_struct *p = op_spawn();
	struct folio *folio;

	thp_on();
	EXPECT(op_mmap_anon(p, A, NR) == A, "mmap");
	op_thp_fill(p, A, NR, 20);
	folio = harness_folio_at(p, A);
	EXPECT(op_mprotect(p, A + 100 * PAGE_SIZE, (NR - 100) * PAGE_SIZE, PROT_READ) == 0,
	       "mprotect");
	EXPECT(harness_vma_count(p) == 2, "%lu VMAs", harness_vma_count(p));
	expect_pte_order(p, A, HPAGE_PMD_ORDER);
	expect_pte_order(p, A + 300 * PAGE_SIZE, HPAGE_PMD_ORDER);
	EXPECT(harness_folio_at(p, A + 300 * PAGE_SIZE) == folio, "one folio across both VMAs");
	harness_thp_expect_fill(p, A, NR, 20);
	EXPECT(!folio_test_partially_mapped(folio), "still fully mapped");

	EXPECT(op_munmap(p, A + 200 * PAGE_SIZE, 50 * PAGE_SIZE) == 0, "munmap");
	EXPECT(folio_test_partially_mapped(folio), "partially mapped after munmap");
	EXPECT(harness_thp_deferred_queued() == 1, "%lu queued", harness_thp_deferred_queued());
	EXPECT(op_thp_shrink(p) == 1, "the deferred split splits one folio");
	EXPECT(harness_thp_deferred_queued() == 0, "queue drained");
	expect_pte_order(p, A, 0);
	expect_pte_order(p, A + 300 * PAGE_SIZE, 0);
	EXPECT(harness_folio_order_at(p, A + 220 * PAGE_SIZE) == -1, "the hole stays unmapped");
	harness_thp_expect_fill(p, A, 200, 20);
	harness_thp_expect_fill(p, A + 250 * PAGE_SIZE, NR - 250, (20 + 250) % 255);
	op_exit(p);
}

/* split_folio() of a THP mapped by PMDs in parent and child: both get the small folios. */
static void split_shared(bool parent_exits_first)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long i;

	thp_on();
	EXPECT(op_mmap_anon(p, A, NR) == A, "mmap");
	op_thp_fill(p, A, NR, 30);
	c = op_fork(p);
	EXPECT(op_split_folio(p, A, 0) == 0, "split_folio");
	for (i = 0; i < NR; i += 37) {
		expect_pte_order(p, A + i * PAGE_SIZE, 0);
		expect_pte_order(c, A + i * PAGE_SIZE, 0);
		EXPECT(harness_folio_at(p, A + i * PAGE_SIZE) ==
		       harness_folio_at(c, A + i * PAGE_SIZE), "page %lu shared after split", i);
	}
	harness_thp_expect_fill(p, A, NR, 30);
	harness_thp_expect_fill(c, A, NR, 30);
	op_write(c, A + 8 * PAGE_SIZE, 0);
	EXPECT(op_read(p, A + 8 * PAGE_SIZE) == 39, "parent unaffected by the child's COW");
	EXPECT(harness_folio_at(p, A + 8 * PAGE_SIZE) != harness_folio_at(c, A + 8 * PAGE_SIZE),
	       "COW after split copies");
	op_exit(parent_exits_first ? p : c);
	op_exit(parent_exits_first ? c : p);
}

HARNESS_TEST(thp, split_folio_shared_child_exits_first)
{
	split_shared(false);
}

HARNESS_TEST(thp, split_folio_shared_parent_exits_first)
{
	split_shared(true);
}

HARNESS_TEST(thp, split_pmd_then_folio_to_mthp)
{
	struct task_struct *p = op_spawn();

	thp_on();
	EXPECT(op_mmap_anon(p, A, NR) == A, "mmap");
	op_thp_fill(p, A, NR, 40);
	op_split_huge_pmd(p, A);
	expect_pte_order(p, A + 17 * PAGE_SIZE, HPAGE_PMD_ORDER);
	EXPECT(op_split_folio(p, A + 17 * PAGE_SIZE, 4) == 0, "split to order 4");
	expect_pte_order(p, A, 4);
	expect_pte_order(p, A + 17 * PAGE_SIZE, 4);
	expect_pte_order(p, A + (NR - 1) * PAGE_SIZE, 4);
	EXPECT(harness_folio_at(p, A) != harness_folio_at(p, A + 16 * PAGE_SIZE), "16 per folio");
	harness_thp_expect_fill(p, A, NR, 40);
	op_exit(p);
}

HARNESS_TEST(thp, mremap_aligned_keeps_pmd)
{
	struct task_struct *p = op_spawn();
	struct folio *folio;

	thp_on();
	EXPECT(op_mmap_anon(p, A, NR) == A, "mmap");
	op_thp_fill(p, A, NR, 50);
	folio = harness_folio_at(p, A);
	EXPECT(op_mremap(p, A, NR * PAGE_SIZE, NR * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, B) == B,
	       "mremap");
	expect_pmd_thp(p, B);
	EXPECT(harness_folio_at(p, B) == folio, "the PMD moved, not the data");
	EXPECT(harness_folio_order_at(p, A) == -1, "old range empty");
	harness_thp_expect_fill(p, B, NR, 50);
	op_write(p, B + 9 * PAGE_SIZE, 1);
	expect_pmd_thp(p, B);
	op_exit(p);
}

HARNESS_TEST(thp, mremap_unaligned_splits_pmd)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long to = B + 4 * PAGE_SIZE;
	struct folio *folio;

	thp_on();
	EXPECT(op_mmap_anon(p, A, NR) == A, "mmap");
	op_thp_fill(p, A, NR, 60);
	folio = harness_folio_at(p, A);
	EXPECT(op_mremap(p, A, NR * PAGE_SIZE, NR * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, to) == to,
	       "mremap");
	expect_pte_order(p, to, HPAGE_PMD_ORDER);
	expect_pte_order(p, to + (NR - 1) * PAGE_SIZE, HPAGE_PMD_ORDER);
	EXPECT(harness_folio_at(p, to + 300 * PAGE_SIZE) == folio, "same folio, now by PTEs");
	harness_thp_expect_fill(p, to, NR, 60);
	/* The moved folio is shared at fork and split while mapped at its new place. */
	c = op_fork(p);
	EXPECT(op_split_folio(c, to, 0) == 0, "split_folio after the move");
	expect_pte_order(p, to + 300 * PAGE_SIZE, 0);
	harness_thp_expect_fill(c, to, NR, 60);
	op_exit(p);
	op_exit(c);
}

HARNESS_TEST(thp, mthp_order4_fork_cow)
{
	struct task_struct *p = op_spawn(), *c;

	harness_thp_set_mode(HARNESS_THP_ALWAYS, BIT(4));
	EXPECT(op_mmap_anon(p, A, 64) == A, "mmap");
	op_write(p, A + 20 * PAGE_SIZE, 1);
	expect_pte_order(p, A + 16 * PAGE_SIZE, 4);
	EXPECT(harness_folio_order_at(p, A) == -1, "only the faulting 64 KiB");
	op_thp_fill(p, A, 64, 70);
	expect_pte_order(p, A + 63 * PAGE_SIZE, 4);
	c = op_fork(p);
	op_write(c, A + 33 * PAGE_SIZE, 3);
	EXPECT(op_read(p, A + 33 * PAGE_SIZE) == 104, "parent page 33");
	harness_thp_expect_fill(c, A + 34 * PAGE_SIZE, 30, 70 + 34);
	op_exit(p);
	op_exit(c);
}
