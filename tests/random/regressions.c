// SPDX-License-Identifier: GPL-2.0
/*
 * Random sequences that once failed, shrunk by the runner (make fuzz prints them in this
 * form) and kept as they were found. Each names the bug and where it was fixed.
 */
#include <linux/kernel.h>
#include "harness.h"
#include "random.h"

/*
 * make fuzz SEED=21 OPS=500 PROCS=5, lazy on, shrunk from 500 steps: a faulted VMA, made
 * MADV_WIPEONFORK, moved and grown by mremap(), forked; the child's mmap(MAP_FIXED) over
 * part of its copy warned in assert_sane_pgoff(). Fixed by patch 1 of the series ("mm: give
 * a wiped VMA of a fork child virtual page offsets"); tests/known-base-bugs lists it.
 */
HARNESS_TEST(random, wipeonfork_moved_fork_mmap)
{
	static const struct random_step steps[] = {
		{ RANDOM_ACCESS, 126, 44, 28, 160, 181 },
		{ RANDOM_MADVISE, 155, 137, 67, 56, 20 },
		{ RANDOM_MREMAP, 104, 90, 13, 73, 244 },
		{ RANDOM_FORK, 90, 202, 45, 189, 166 },
		{ RANDOM_MMAP, 193, 173, 215, 14, 235 },
	};

	harness_random_steps(steps, ARRAY_SIZE(steps), 5);
}
