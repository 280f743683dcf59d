// SPDX-License-Identifier: GPL-2.0
/* exec: the temporary stack relocated downwards with its pages (relocate_vma_down()). */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

#define P PAGE_SIZE

HARNESS_TEST(exec, relocate_stack_with_faulted_pages)
{
	struct task_struct *p = op_spawn();
	unsigned long top = 0x7ff000000000UL, a = top - 8 * P, shift = 64 * P, i;

	EXPECT(op_mmap(p, a, 8 * P, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_GROWSDOWN) == a,
	       "stack mapping");
	for (i = 0; i < 8; i += 2)
		op_write(p, a + i * P, 0x30 + i);
	EXPECT(op_relocate_stack(p, a, shift) == 0, "relocate");
	EXPECT(!harness_folio_at(p, a), "old range still mapped");
	for (i = 0; i < 8; i += 2)
		EXPECT(op_read(p, a - shift + i * P) == 0x30 + i, "page %lu after the move", i);
	op_write(p, a - shift + P, 1);
	op_exit(p);
}
