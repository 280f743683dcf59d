// SPDX-License-Identifier: GPL-2.0
/*
 * 61f67c230a5e "mm/vma: fix anon_vma UAF on mremap() faulted, unfaulted merge": moving a
 * faulted VMA with MREMAP_DONTUNMAP next to unfaulted neighbours merges it into them; the
 * merged VMA must take the anon_vma, or unmapping the source frees it under the folios.
 * The four layouts of the fix's selftests; ASan catches the use-after-free, I5 the lost rmap.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

#define P PAGE_SIZE
#define MOVE (MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)

static void faulted_next_to(bool prev, bool next, bool next_faulted)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 3), far = a + 512 * P, base = a + 64 * P;

	op_write(p, a, 0x5a);
	EXPECT(op_mremap(p, a, 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, far) == far, "away");
	if (prev)
		EXPECT(op_mmap_anon(p, base - 3 * P, 3) == base - 3 * P, "prev");
	if (next) {
		EXPECT(op_mmap_anon(p, base + 3 * P, 3) == base + 3 * P, "next");
		if (next_faulted)
			op_write(p, base + 3 * P, 0x77);
	}
	EXPECT(op_mremap(p, far, 3 * P, 3 * P, MOVE, base) == base, "back with DONTUNMAP");
	EXPECT(op_munmap(p, far, 3 * P) == 0, "unmap the source");
	EXPECT(op_read(p, base) == 0x5a, "moved contents");
	op_write(p, base + P, 1);
	if (prev)
		op_write(p, base - P, 2);
	op_exit(p);
}

HARNESS_TEST(mremap, dontunmap_faulted_after_unfaulted_prev)
{
	faulted_next_to(true, false, false);
}

HARNESS_TEST(mremap, dontunmap_faulted_before_unfaulted_next)
{
	faulted_next_to(false, true, false);
}

HARNESS_TEST(mremap, dontunmap_faulted_between_unfaulted)
{
	faulted_next_to(true, true, false);
}

HARNESS_TEST(mremap, dontunmap_faulted_between_unfaulted_and_faulted)
{
	faulted_next_to(true, true, true);
}

/* 7e7757876f25: a page moved back in front of its VMA joins it with the right pgoff (I9). */
HARNESS_TEST(mremap, move_page_back_merges_with_next)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 3), far = a + 256 * P;

	op_write(p, a, 1);
	op_write(p, a + P, 2);
	op_write(p, a + 2 * P, 3);
	EXPECT(op_mremap(p, a, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, far) == far, "away");
	EXPECT(op_mremap(p, far, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, a) == a, "back");
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	EXPECT(op_read(p, a) == 1 && op_read(p, a + 2 * P) == 3, "contents");
	op_exit(p);
}
