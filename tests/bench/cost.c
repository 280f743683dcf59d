// SPDX-License-Identifier: GPL-2.0
/*
 * What the operations the series changes cost, in instructions: tools/report runs each
 * benchmark under callgrind, stock against lazy, counting only inside its kernel entry. A
 * first write fault in a new VMA, fork of a process with 24 faulted VMAs, one try_to_unmap()
 * walk in a process with 10, 100 or 1000 faulted VMAs or with 100 whose offsets overlap,
 * munmap of a faulted VMA, and an mprotect() that splits a faulted VMA and one that merges
 * it back.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

#define P PAGE_SIZE
/* VMAs of up to 3 pages, 4 pages apart: never neighbours, so never merged. */
#define AT(i) (0x10000000UL + (unsigned long)(i) * 4 * P)

/* A process with @nr VMAs of @npages pages, the first page of each written. */
static struct task_struct *faulted(int nr, unsigned long npages)
{
	struct task_struct *t = op_spawn();
	int i;

	for (i = 0; i < nr; i++) {
		EXPECT(op_mmap_anon(t, AT(i), npages) == AT(i), "mmap %d", i);
		op_write(t, AT(i), i);
	}
	return t;
}

/* In a process that has faulted before, as nearly every process has. */
HARNESS_BENCH(first_write_fault, "handle_mm_fault", 64)
{
	struct task_struct *t = faulted(1, 1);
	int i;

	for (i = 1; i <= 64; i++)
		op_mmap_anon(t, AT(i), 1);
	host_cost_begin();
	for (i = 1; i <= 64; i++)
		op_write(t, AT(i), i);
	host_cost_end();
}

HARNESS_BENCH(fork_24_vmas, "dup_mmap", 8)
{
	struct task_struct *parents[8];
	int i;

	for (i = 0; i < 8; i++)
		parents[i] = faulted(24, 1);
	host_cost_begin();
	for (i = 0; i < 8; i++)
		op_fork(parents[i]);
	host_cost_end();
}

/* Ten folios reclaimed, each a walk of its anon_vma: one VMA in stock, all @nr in lazy. */
static void unmap_walks(int nr)
{
	struct task_struct *t = faulted(nr, 1);
	int i;

	host_cost_begin();
	for (i = 0; i < 10; i++)
		EXPECT(op_reclaim(t, AT(i * nr / 10)), "reclaim %d", i);
	host_cost_end();
}

HARNESS_BENCH(try_to_unmap_10_vmas, "try_to_unmap", 10)
{
	unmap_walks(10);
}

HARNESS_BENCH(try_to_unmap_100_vmas, "try_to_unmap", 10)
{
	unmap_walks(100);
}

HARNESS_BENCH(try_to_unmap_1000_vmas, "try_to_unmap", 10)
{
	unmap_walks(1000);
}

/*
 * Members whose offsets overlap: 100 VMAs each faulted at the same address and moved away by
 * mremap(), as realloc() moves large blocks, so that they keep that address's offsets. A
 * walk of one of their folios visits all 100 in lazy mode (each gets a page table lookup and
 * an MMU notifier range from try_to_unmap_one()), and one VMA in stock.
 */
HARNESS_BENCH(try_to_unmap_100_overlapping, "try_to_unmap", 10)
{
	struct task_struct *t = faulted(1, 1);
	int i;

	for (i = 1; i <= 100; i++) {
		EXPECT(op_mmap_anon(t, AT(0) + 2 * P, 1) == AT(0) + 2 * P, "mmap %d", i);
		op_write(t, AT(0) + 2 * P, i);
		EXPECT(op_mremap(t, AT(0) + 2 * P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, AT(i)) ==
		       AT(i), "mremap %d", i);
	}
	host_cost_begin();
	for (i = 1; i <= 10; i++)
		EXPECT(op_reclaim(t, AT(i * 10)), "reclaim %d", i);
	host_cost_end();
}

/* The process keeps one more faulted VMA, so that its anchor outlives the munmaps. */
HARNESS_BENCH(munmap_faulted_vma, "__x64_sys_munmap", 32)
{
	struct task_struct *t = faulted(33, 1);
	int i;

	host_cost_begin();
	for (i = 1; i <= 32; i++)
		op_munmap(t, AT(i), P);
	host_cost_end();
}

HARNESS_BENCH(mprotect_split, "__x64_sys_mprotect", 32)
{
	struct task_struct *t = faulted(32, 3);
	int i;

	host_cost_begin();
	for (i = 0; i < 32; i++)
		op_mprotect(t, AT(i) + P, P, PROT_READ);
	host_cost_end();
}

HARNESS_BENCH(mprotect_merge, "__x64_sys_mprotect", 32)
{
	struct task_struct *t = faulted(32, 3);
	int i;

	for (i = 0; i < 32; i++)
		op_mprotect(t, AT(i) + P, P, PROT_READ);
	host_cost_begin();
	for (i = 0; i < 32; i++)
		op_mprotect(t, AT(i) + P, P, PROT_READ | PROT_WRITE);
	host_cost_end();
}
