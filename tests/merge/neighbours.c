// SPDX-License-Identifier: GPL-2.0
/*
 * What userspace can see of the lazy mode (Documentation/mm/anon_vma_lazy.rst): faulted
 * VMAs of one process share the anchor, so when they become neighbours they merge, where
 * the stock kernel keeps VMAs with different anon_vmas apart. Fewer VMAs, and an mremap()
 * that resizes a range across the old boundary succeeds where stock fails it with EFAULT
 * (a move alone may span several VMAs, a resize may not). These tests
 * run in every configuration and expect each kernel's own answer; L2 compares them up to
 * that mremap() and no further (tests/harness).
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

#define P PAGE_SIZE
#define AREA(i) (0x10000000UL + (i) * 64 * P)

/* Two faulted VMAs with a gap, and a mapping that fills it: A [4] gap [4] C [4]. */
static unsigned long faulted_with_gap_filled(struct task_struct *p)
{
	unsigned long a = op_mmap_anon(p, AREA(0), 12);

	EXPECT(op_munmap(p, a + 4 * P, 4 * P) == 0, "punch the gap");
	harness_fill_pages(p, a, 4, 0x40);
	harness_fill_pages(p, a + 8 * P, 4, 0x50);
	EXPECT(op_mmap_anon(p, a + 4 * P, 4) == a + 4 * P, "fill the gap");
	harness_fill_pages(p, a + 4 * P, 4, 0x60);
	/* Stock: the filling mapping merges with A only; C has an anon_vma of its own. */
	EXPECT(harness_vma_count(p) == (harness_lazy() ? 1 : 2), "%lu VMAs", harness_vma_count(p));
	return a;
}

HARNESS_TEST(merge, mremap_across_merged_members)
{
	struct task_struct *p = op_spawn();
	unsigned long a = faulted_with_gap_filled(p), to = AREA(1);
	unsigned long ret = op_mremap(p, a, 12 * P, 16 * P, MREMAP_MAYMOVE | MREMAP_FIXED, to);

	if (harness_lazy()) {
		EXPECT(ret == to, "mremap growing the merged VMA gave %#lx", ret);
		harness_expect_pages(p, to, 4, 0x40);
		harness_expect_pages(p, to + 4 * P, 4, 0x60);
		harness_expect_pages(p, to + 8 * P, 4, 0x50);
	} else {
		EXPECT(ret == (unsigned long)-EFAULT, "mremap growing two VMAs gave %#lx", ret);
		harness_expect_pages(p, a, 4, 0x40);
		harness_expect_pages(p, a + 8 * P, 4, 0x50);
	}
	op_exit(p);
}
