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

/*
 * An in-place resize across the old boundary: stock fails it with EFAULT (the range spans
 * two VMAs); the lazy mode finds one VMA, which the range does not reach the end of, so it
 * could grow only by moving, and fails it with ENOMEM. Neither changes anything, so L2
 * accepts the step and goes on comparing (tests/l2-compare, mremap-across-merged).
 */
HARNESS_TEST(merge, mremap_in_place_across_merged_members)
{
	struct task_struct *p = op_spawn();
	unsigned long a = faulted_with_gap_filled(p);
	unsigned long ret = op_mremap(p, a + 2 * P, 8 * P, 10 * P, 0, 0);

	EXPECT(ret == (unsigned long)(harness_lazy() ? -ENOMEM : -EFAULT),
	       "mremap growing in place across the old boundary gave %ld", (long)ret);
	harness_expect_pages(p, a, 4, 0x40);
	harness_expect_pages(p, a + 4 * P, 4, 0x60);
	harness_expect_pages(p, a + 8 * P, 4, 0x50);
	/* The traces agree again from here on, and L2 compares them. */
	harness_fill_pages(p, a, 1, 0x70);
	op_exit(p);
}

static bool vma_accounted(struct task_struct *t, unsigned long addr)
{
	bool ret;

	mmap_read_lock(t->mm);
	ret = vma_lookup(t->mm, addr)->vm_flags & VM_ACCOUNT;
	mmap_read_unlock(t->mm);
	return ret;
}

/*
 * A child inherits the parent's VMA boundaries, and MADV_WIPEONFORK gives it the VMAs
 * without their anon_vmas. Once the child writes to A, stock has given an anon_vma to
 * A and the gap's filling only, the lazy mode to the merged VMA. An mprotect() that takes
 * write access away then drops the commit charge of C in stock, which has no anon_vma
 * there yet (mprotect_fixup()), and keeps it in the lazy mode: VM_ACCOUNT, seen in smaps'
 * VmFlags and in Committed_AS. L2 accepts the step and compares no further
 * (tests/l2-compare, unaccounted-readonly).
 */
HARNESS_TEST(merge, mprotect_readonly_charge_of_merged_members)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = faulted_with_gap_filled(p);

	EXPECT(op_madvise(p, a, 12 * P, MADV_WIPEONFORK) == 0, "MADV_WIPEONFORK");
	c = op_fork(p);
	harness_fill_pages(c, a, 1, 0x70);
	EXPECT(op_mprotect(c, a, 12 * P, PROT_READ) == 0, "mprotect read-only");
	EXPECT(vma_accounted(c, a), "A lost its charge");
	EXPECT(vma_accounted(c, a + 8 * P) == harness_lazy(),
	       "C is %s", vma_accounted(c, a + 8 * P) ? "charged" : "not charged");
	op_exit(c);
	op_exit(p);
}
