// SPDX-License-Identifier: GPL-2.0
/*
 * Page contents for tests: patterns written through op_write() and checked through
 * op_read(), so that a lost, swapped or stale page shows.
 */
#include <linux/mm.h>
#include "harness.h"

void harness_fill_pages(struct task_struct *t, unsigned long a, unsigned long n, u8 seed)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		op_write(t, a + i * PAGE_SIZE, seed + i);
		op_write(t, a + i * PAGE_SIZE + PAGE_SIZE - 1, ~(u8)(seed + i));
	}
}

void harness_expect_pages(struct task_struct *t, unsigned long a, unsigned long n, u8 seed)
{
	unsigned long i, p;

	for (i = 0; i < n; i++) {
		p = a + i * PAGE_SIZE;
		EXPECT(op_read(t, p) == (u8)(seed + i), "p%d page %lu at %#lx: first byte",
		       t->pid, i, p);
		EXPECT(op_read(t, p + PAGE_SIZE - 1) == (u8)~(u8)(seed + i),
		       "p%d page %lu at %#lx: last byte", t->pid, i, p);
	}
}

void harness_set_page(struct task_struct *t, unsigned long addr, u8 v)
{
	op_write(t, addr, v);
	op_write(t, addr + PAGE_SIZE - 1, v);
}

void harness_expect_page(struct task_struct *t, unsigned long addr, u8 v)
{
	EXPECT(op_read(t, addr) == v && op_read(t, addr + PAGE_SIZE - 1) == v &&
	       op_read(t, addr + 100) == 0, "p%d: page at %#lx does not hold %#x", t->pid, addr, v);
}
