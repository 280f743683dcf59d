// SPDX-License-Identifier: GPL-2.0
/* Splitting a faulted VMA with mprotect and munmap, in both orientations. */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

HARNESS_TEST(split, mprotect_middle_then_back)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 10), i;

	for (i = 0; i < 10; i++)
		op_write(p, a + i * PAGE_SIZE, i);
	EXPECT(op_mprotect(p, a + 3 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ) == 0, "mprotect");
	EXPECT(harness_vma_count(p) == 3, "%lu VMAs after splitting the middle",
	       harness_vma_count(p));
	for (i = 0; i < 10; i++)
		EXPECT(op_read(p, a + i * PAGE_SIZE) == i, "page %lu", i);
	EXPECT(op_mprotect(p, a + 3 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0,
	       "mprotect back");
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs after merging back", harness_vma_count(p));
	op_write(p, a + 5 * PAGE_SIZE, 55);
	op_exit(p);
}

HARNESS_TEST(split, munmap_head_and_tail_of_forked_vma)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 8), i;

	for (i = 0; i < 8; i++)
		op_write(p, a + i * PAGE_SIZE, i);
	c = op_fork(p);
	EXPECT(op_munmap(c, a, 2 * PAGE_SIZE) == 0, "munmap head");
	EXPECT(op_munmap(p, a + 6 * PAGE_SIZE, 2 * PAGE_SIZE) == 0, "munmap tail");
	op_write(c, a + 3 * PAGE_SIZE, 33);
	EXPECT(op_read(p, a + 3 * PAGE_SIZE) == 3, "parent page 3");
	op_exit(c);
	op_exit(p);
}
