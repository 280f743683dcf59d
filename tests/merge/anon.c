// SPDX-License-Identifier: GPL-2.0
/*
 * VMA merges with faulted and unfaulted neighbours, as mmap(), mprotect() and mremap()
 * produce them; the invariant checker verifies chains and rmap after each step.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rmap.h>
#include "mm/internal.h"
#include "harness.h"
#include "series.h"

#define P PAGE_SIZE

static struct vm_area_struct *vma_at(struct task_struct *t, unsigned long addr)
{
	return vma_lookup(t->mm, addr);
}

/* A new mapping next to a faulted one joins it (vma_merge_new_range) and its anon_vma. */
HARNESS_TEST(merge, new_range_after_faulted)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 4);

	op_write(p, a, 1);
	EXPECT(op_mmap_anon(p, a + 4 * P, 4) == a + 4 * P, "second mapping");
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	op_write(p, a + 6 * P, 2);
	EXPECT(folio_anon_vma(harness_folio_at(p, a + 6 * P)) ==
	       folio_anon_vma(harness_folio_at(p, a)), "both folios under one anon_vma");
	op_exit(p);
}

/* Two faulted VMAs with different anon_vmas never merge, whatever mprotect does between them. */
HARNESS_TEST(merge, two_faulted_anon_vmas_stay_apart)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 8);

	EXPECT(op_mprotect(p, a + 4 * P, 4 * P, PROT_READ) == 0, "split");
	op_write(p, a, 1);
	EXPECT(op_mprotect(p, a + 4 * P, 4 * P, PROT_READ | PROT_WRITE) == 0, "mprotect back");
	/* The unfaulted half merged into the faulted one and took its anon_vma. */
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	op_write(p, a + 5 * P, 2);
	op_exit(p);
}

/*
 * 879bca0a2c4f: an unfaulted VMA next to a faulted one with other protections merges once
 * mprotect makes them equal, keeping the faulted VMA's anon_vma (tools/testing/selftests
 * merge.c mprotect_* cases). MAP_NORESERVE, as there: mprotect() drops VM_ACCOUNT from an
 * unfaulted VMA that loses write permission, and that alone would forbid the merge.
 */
static unsigned long map_noreserve(struct task_struct *p, unsigned long npages)
{
	return op_mmap(p, 0, npages * P, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
}

HARNESS_TEST(merge, mprotect_unfaulted_prev_faulted_vma)
{
	struct task_struct *p = op_spawn();
	unsigned long a = map_noreserve(p, 10);
	struct anon_vma *av;

	EXPECT(op_mprotect(p, a, 5 * P, PROT_READ) == 0, "first half read-only");
	op_write(p, a + 5 * P, 5);
	av = vma_at(p, a + 5 * P)->anon_vma;
	EXPECT(op_mprotect(p, a + 5 * P, 5 * P, PROT_READ) == 0, "second half read-only");
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	EXPECT(vma_at(p, a)->anon_vma == av, "the merged VMA lost the faulted anon_vma");
	EXPECT(vma_anon_single(vma_at(p, a)), "chain is not singular");
	EXPECT(op_read(p, a + 5 * P) == 5, "contents");
	op_exit(p);
}

HARNESS_TEST(merge, mprotect_faulted_prev_unfaulted_vma)
{
	struct task_struct *p = op_spawn();
	unsigned long a = map_noreserve(p, 10);

	EXPECT(op_mprotect(p, a + 5 * P, 5 * P, PROT_READ) == 0, "second half read-only");
	op_write(p, a, 7);
	EXPECT(op_mprotect(p, a, 5 * P, PROT_READ) == 0, "first half read-only");
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	EXPECT(op_read(p, a) == 7, "contents");
	op_exit(p);
}

/* Merging a faulted middle into faulted-compatible neighbours after a three-way split. */
HARNESS_TEST(merge, split_three_ways_and_back)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 9), i;

	for (i = 0; i < 9; i++)
		op_write(p, a + i * P, i);
	EXPECT(op_mprotect(p, a + 3 * P, 3 * P, PROT_READ) == 0, "middle read-only");
	EXPECT(op_mprotect(p, a, 3 * P, PROT_READ) == 0, "head read-only: merges with middle");
	EXPECT(harness_vma_count(p) == 2, "%lu VMAs", harness_vma_count(p));
	EXPECT(op_mprotect(p, a, 9 * P, PROT_READ | PROT_WRITE) == 0, "all back");
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	for (i = 0; i < 9; i++)
		EXPECT(op_read(p, a + i * P) == i, "page %lu", i);
	op_exit(p);
}

/*
 * A forked child's VMA (chain of two anon_vmas) must not lend its anon_vma to an unfaulted
 * neighbour (vma_is_fork_child(), 61f67c230a5e's companion fix): mprotect makes the
 * neighbour compatible, and the two stay separate VMAs.
 */
HARNESS_TEST(merge, forked_vma_does_not_merge_with_unfaulted_neighbour)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 4), b;

	op_write(p, a, 1);
	c = op_fork(p);
	op_write(c, a, 2);
	b = op_mmap(c, a + 4 * P, 4 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
	EXPECT(b == a + 4 * P, "neighbour");
	EXPECT(op_mprotect(c, b, 4 * P, PROT_READ | PROT_WRITE) == 0, "make it compatible");
	EXPECT(harness_vma_count(c) == 2, "the forked VMA merged with its unfaulted neighbour");
	EXPECT(!vma_at(c, b)->anon_vma, "the unfaulted neighbour got an anon_vma");
	op_write(c, b, 3);
	op_exit(p);
	op_exit(c);
}

/*
 * The other direction of the ban (is_mergeable_anon_vma() case 1): the forked, faulted VMA
 * is the one that changes and its unfaulted neighbour the merge target. MAP_NORESERVE on
 * both, so that VM_ACCOUNT does not keep them apart anyway.
 */
HARNESS_TEST(merge, forked_vma_does_not_merge_into_unfaulted_neighbour)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = map_noreserve(p, 4), b;

	op_write(p, a, 1);
	c = op_fork(p);
	op_write(c, a, 2);
	b = op_mmap(c, a + 4 * P, 4 * P, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE);
	EXPECT(b == a + 4 * P, "neighbour");
	EXPECT(op_mprotect(c, a, 4 * P, PROT_READ) == 0, "make the forked VMA compatible");
	EXPECT(harness_vma_count(c) == 2, "the forked VMA merged into its unfaulted neighbour");
	EXPECT(!vma_at(c, b)->anon_vma, "the unfaulted neighbour got an anon_vma");
	op_exit(p);
	op_exit(c);
}

/*
 * The fork-child check of 61f67c230a5e's series: a forked VMA moved away and back next to
 * an unfaulted VMA that took its old place's neighbourhood (so page offsets line up) must
 * not merge with it.
 */
HARNESS_TEST(merge, forked_vma_moved_next_to_unfaulted_does_not_merge)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 4), far = a + 256 * P, r;

	op_write(p, a, 1);
	c = op_fork(p);
	op_write(c, a, 2);
	op_write(c, a + P, 3);
	r = op_mremap(c, a, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, far);
	EXPECT(r == far, "away: %#lx", r);
	EXPECT(op_mmap_anon(c, a - 4 * P, 4) == a - 4 * P, "unfaulted VMA before the old place");
	r = op_mremap(c, far, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, a);
	EXPECT(r == a, "back: %#lx", r);
	EXPECT(harness_vma_count(c) == 2, "the moved forked VMA merged with its unfaulted neighbour");
	EXPECT(!vma_at(c, a - 4 * P)->anon_vma, "the unfaulted neighbour got an anon_vma");
	EXPECT(op_read(c, a) == 2 && op_read(p, a) == 1, "contents");
	op_exit(p);
	op_exit(c);
}
