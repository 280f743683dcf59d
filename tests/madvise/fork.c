// SPDX-License-Identifier: GPL-2.0
/* madvise: MADV_DONTFORK, MADV_WIPEONFORK and MADV_DONTNEED through the real mm/madvise.c. */
#include <linux/mm.h>
#include <linux/mman.h>
#include "slab.h"
#include "swap.h"
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)

static void expect_zero(struct task_struct *t, unsigned long a, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		EXPECT(op_read(t, PAGE(a, i)) == 0 && op_read(t, PAGE(a, i) + PAGE_SIZE - 1) == 0,
		       "p%d page %lu at %#lx is not zero", t->pid, i, PAGE(a, i));
}

/* The child gets no copy of a DONTFORK range: no VMA, no pages, no anon_vma chain. */
HARNESS_TEST(madvise, dontfork_middle_of_faulted_vma)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 6);

	harness_fill_pages(p, a, 6, 0x10);
	EXPECT(op_madvise(p, PAGE(a, 2), 2 * PAGE_SIZE, MADV_DONTFORK) == 0, "MADV_DONTFORK");
	EXPECT(harness_vma_count(p) == 3, "%lu VMAs", harness_vma_count(p));
	c = op_fork(p);
	EXPECT(harness_vma_count(c) == 2, "the child has %lu VMAs", harness_vma_count(c));
	EXPECT(!harness_folio_at(c, PAGE(a, 2)) && !harness_folio_at(c, PAGE(a, 3)),
	       "the child maps a DONTFORK page");
	EXPECT(harness_folio_at(c, PAGE(a, 1)) == harness_folio_at(p, PAGE(a, 1)),
	       "the child does not share the pages around the range");
	harness_expect_pages(c, a, 2, 0x10);
	harness_expect_pages(c, PAGE(a, 4), 2, 0x14);
	/* The parent's DONTFORK pages are its alone: a write reuses them in place. */
	{
		struct folio *f = harness_folio_at(p, PAGE(a, 2));

		op_write(p, PAGE(a, 2) + 1, 0xee);
		EXPECT(harness_folio_at(p, PAGE(a, 2)) == f, "an exclusive page was copied");
	}
	/* The child maps something else at the hole; it stays its own. */
	EXPECT(op_mmap_anon(c, PAGE(a, 2), 2) == PAGE(a, 2), "mmap into the hole");
	op_write(c, PAGE(a, 2), 0xcc);
	EXPECT(op_read(p, PAGE(a, 2)) == 0x12, "the child's new page reached the parent");
	EXPECT(op_madvise(p, PAGE(a, 2), 2 * PAGE_SIZE, MADV_DOFORK) == 0, "MADV_DOFORK");
	EXPECT(harness_vma_count(p) == 1, "the VMAs did not merge back");
	op_exit(c);
	c = op_fork(p);
	EXPECT(op_read(c, PAGE(a, 2) + 1) == 0xee, "DOFORK did not bring the range back");
	op_exit(c);
	op_exit(p);
}

/* The child sees zeroes in a WIPEONFORK range, faulted or not; the parent keeps its data. */
HARNESS_TEST(madvise, wipeonfork_whole_vma)
{
	struct task_struct *p = op_spawn(), *c, *g;
	unsigned long a = op_mmap_anon(p, 0, 4);

	harness_fill_pages(p, a, 3, 0x20);
	EXPECT(op_madvise(p, a, 4 * PAGE_SIZE, MADV_WIPEONFORK) == 0, "MADV_WIPEONFORK");
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	c = op_fork(p);
	EXPECT(harness_vma_count(c) == 1, "the child has %lu VMAs", harness_vma_count(c));
	EXPECT(!harness_folio_at(c, a), "the child maps a wiped page");
	expect_zero(c, a, 4);
	op_write(c, PAGE(a, 1), 0xc1);
	EXPECT(op_read(p, PAGE(a, 1)) == 0x21, "the child's write reached the parent");
	harness_expect_pages(p, a, 3, 0x20);
	/* The child's VMA keeps the advice: its own child starts from zeroes again. */
	g = op_fork(c);
	expect_zero(g, a, 4);
	op_exit(g);
	op_exit(p);
	EXPECT(op_read(c, PAGE(a, 1)) == 0xc1, "the child lost its write");
	op_exit(c);
}

/* WIPEONFORK on part of a faulted VMA: the split leaves faulted pages on both sides. */
HARNESS_TEST(madvise, wipeonfork_split_vma)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 6);

	harness_fill_pages(p, a, 6, 0x30);
	EXPECT(op_madvise(p, PAGE(a, 3), 3 * PAGE_SIZE, MADV_WIPEONFORK) == 0,
	       "MADV_WIPEONFORK");
	EXPECT(harness_vma_count(p) == 2, "%lu VMAs", harness_vma_count(p));
	c = op_fork(p);
	harness_expect_pages(c, a, 3, 0x30);
	expect_zero(c, PAGE(a, 3), 3);
	EXPECT(harness_folio_at(c, PAGE(a, 2)) == harness_folio_at(p, PAGE(a, 2)),
	       "the kept side is not shared");
	op_write(c, PAGE(a, 0), 0xc0);
	op_write(p, PAGE(a, 4), 0xa4);
	EXPECT(op_read(p, a) == 0x30, "the child's COW reached the parent");
	EXPECT(op_read(c, PAGE(a, 4)) == 0, "the parent's write reached the child");
	/* Undo the advice: the halves merge, and the next child copies everything. */
	EXPECT(op_madvise(p, PAGE(a, 3), 3 * PAGE_SIZE, MADV_KEEPONFORK) == 0,
	       "MADV_KEEPONFORK");
	EXPECT(harness_vma_count(p) == 1, "the VMAs did not merge back");
	op_exit(c);
	c = op_fork(p);
	EXPECT(op_read(c, PAGE(a, 4)) == 0xa4 && op_read(c, PAGE(a, 5)) == 0x35,
	       "KEEPONFORK did not keep");
	op_exit(c);
	op_exit(p);
}

/* MADV_DONTNEED drops the pages; the next touch faults in zeroes. */
HARNESS_TEST(madvise, dontneed_then_touch)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 4);

	harness_fill_pages(p, a, 4, 0x40);
	EXPECT(op_madvise(p, PAGE(a, 1), 2 * PAGE_SIZE, MADV_DONTNEED) == 0, "MADV_DONTNEED");
	EXPECT(harness_vma_count(p) == 1, "DONTNEED split the VMA");
	EXPECT(!harness_folio_at(p, PAGE(a, 1)) && !harness_folio_at(p, PAGE(a, 2)),
	       "pages still mapped after DONTNEED");
	EXPECT(harness_folio_at(p, a) && harness_folio_at(p, PAGE(a, 3)), "too much dropped");
	expect_zero(p, PAGE(a, 1), 2);
	op_write(p, PAGE(a, 2), 0x99);
	EXPECT(op_read(p, PAGE(a, 2)) == 0x99, "the write after DONTNEED");
	harness_expect_pages(p, PAGE(a, 3), 1, 0x43);
	/* In a child: only its mappings go, the parent's pages stay. */
	c = op_fork(p);
	EXPECT(op_madvise(c, a, 4 * PAGE_SIZE, MADV_DONTNEED) == 0, "MADV_DONTNEED");
	expect_zero(c, a, 2);
	EXPECT(op_read(p, a) == 0x40 && op_read(p, PAGE(a, 2)) == 0x99, "the parent lost pages");
	op_write(c, PAGE(a, 3), 0xc3);
	EXPECT(op_read(p, PAGE(a, 3)) == 0x43, "the child's write reached the parent");
	op_exit(p);
	EXPECT(op_read(c, PAGE(a, 3)) == 0xc3, "child contents after the parent exited");
	op_exit(c);
}

/* DONTNEED of swapped-out pages frees their slots. */
HARNESS_TEST(madvise, dontneed_frees_swap)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 3);

	harness_fill_pages(p, a, 3, 0x50);
	EXPECT(op_reclaim(p, a) && op_reclaim(p, PAGE(a, 1)), "not reclaimed");
	EXPECT(harness_swap_slots_in_use() == 2, "%lu slots", harness_swap_slots_in_use());
	EXPECT(op_madvise(p, a, 3 * PAGE_SIZE, MADV_DONTNEED) == 0, "MADV_DONTNEED");
	EXPECT(harness_swap_slots_in_use() == 0, "%lu slots after DONTNEED",
	       harness_swap_slots_in_use());
	EXPECT(!harness_swapped_at(p, a), "a swap PTE left");
	expect_zero(p, a, 3);
	op_exit(p);
}

/*
 * madvise(MADV_WIPEONFORK) refuses only file and shared VMAs, so special mappings (the vDSO,
 * vvar) take it. A fork child gets such a VMA without an anon_vma; its vm_pgoff must stay
 * what the parent's is, since special mapping fault handlers index pages by it.
 */
HARNESS_TEST(madvise, wipeonfork_special_mapping_keeps_pgoff)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = 0x10000000UL;
	struct vm_area_struct *vma;

	EXPECT(op_install_special_mapping(p, a, 2) == 0, "install a special mapping");
	EXPECT(op_madvise(p, a, 2 * PAGE_SIZE, MADV_WIPEONFORK) == 0, "MADV_WIPEONFORK");
	c = op_fork(p);
	vma = vma_lookup(c->mm, a);
	EXPECT(vma && vma->vm_pgoff == vma_lookup(p->mm, a)->vm_pgoff,
	       "the child's special mapping has vm_pgoff %#lx, the parent's %#lx",
	       vma ? vma->vm_pgoff : 0, vma_lookup(p->mm, a)->vm_pgoff);
	op_exit(c);
	op_exit(p);
}
