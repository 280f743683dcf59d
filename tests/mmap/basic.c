// SPDX-License-Identifier: GPL-2.0
/* Anonymous mappings: first faults, contents, unmapping. */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

HARNESS_TEST(mmap, fault_write_read_unmap)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 4), i;

	EXPECT(!IS_ERR_VALUE(a), "mmap failed: %ld", (long)a);
	for (i = 0; i < 4; i++)
		op_write(p, a + i * PAGE_SIZE + 7, 0x10 + i);
	for (i = 0; i < 4; i++)
		EXPECT(op_read(p, a + i * PAGE_SIZE + 7) == 0x10 + i, "page %lu", i);
	EXPECT(harness_folio_at(p, a) != harness_folio_at(p, a + PAGE_SIZE),
	       "two pages share a folio");
	EXPECT(op_munmap(p, a + PAGE_SIZE, PAGE_SIZE) == 0, "munmap");
	EXPECT(!harness_folio_at(p, a + PAGE_SIZE), "unmapped page still mapped");
	EXPECT(op_read(p, a + 3 * PAGE_SIZE + 7) == 0x13, "page after the hole");
	op_exit(p);
}

HARNESS_TEST(mmap, read_fault_maps_zero_page)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 2);

	EXPECT(op_read(p, a) == 0, "fresh anonymous memory reads zero");
	/* The shared zero page is not an anonymous folio: nothing for rmap to find. */
	EXPECT(!harness_folio_at(p, a) || !folio_test_anon(harness_folio_at(p, a)),
	       "a read fault allocated an anonymous folio");
	op_write(p, a, 1);
	EXPECT(folio_test_anon(harness_folio_at(p, a)), "the write fault gives an anonymous folio");
	op_exit(p);
}
