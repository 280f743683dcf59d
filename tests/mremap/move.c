// SPDX-License-Identifier: GPL-2.0
/* mremap: moving faulted VMAs, and moving them back next to their neighbours. */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

HARNESS_TEST(mremap, move_away_and_back)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 4), far = a + 256 * PAGE_SIZE, r, i;

	for (i = 0; i < 4; i++)
		op_write(p, a + i * PAGE_SIZE, 0x40 + i);
	r = op_mremap(p, a, 4 * PAGE_SIZE, 4 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, far);
	EXPECT(r == far, "mremap returned %#lx", r);
	EXPECT(!harness_folio_at(p, a), "old address still mapped");
	for (i = 0; i < 4; i++)
		EXPECT(op_read(p, far + i * PAGE_SIZE) == 0x40 + i, "moved page %lu", i);
	r = op_mremap(p, far + PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
		      a + PAGE_SIZE);
	EXPECT(r == a + PAGE_SIZE, "mremap of one page back returned %#lx", r);
	EXPECT(op_read(p, a + PAGE_SIZE) == 0x41, "page moved back");
	op_exit(p);
}
