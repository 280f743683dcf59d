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

/*
 * make fuzz SEED=106 OPS=500 PROCS=5, lazy on (stock too), shrunk from 500 steps: a page
 * shared by fork becomes a KSM folio in place when ksmd merges another page with it; only
 * the mapping ksmd scanned gets an rmap_item, so rmap_walk_ksm() misses the parent's mapping
 * until ksmd scans it. mm/ksm.c as it is in the base: I5 exempts KSM mappings no rmap_item
 * of their mm records (tests/lib/check.c), and this sequence must pass with every other
 * check.
 */
HARNESS_TEST(random, ksm_merge_into_forked_folio)
{
	static const struct random_step steps[] = {
		{ RANDOM_ACCESS, 58, 197, 177, 20, 219 },
		{ RANDOM_KSM, 50, 144, 7, 9, 131 },
		{ RANDOM_KSM, 150, 207, 85, 191, 25 },
		{ RANDOM_KSM, 39, 168, 127, 56, 44 },
		{ RANDOM_FORK, 242, 244, 211, 156, 149 },
		{ RANDOM_KSM, 189, 245, 145, 179, 216 },
		{ RANDOM_ACCESS, 218, 242, 226, 94, 219 },
		{ RANDOM_KSM, 183, 120, 15, 41, 130 },
		{ RANDOM_KSM, 163, 41, 178, 233, 157 },
	};

	harness_random_steps(steps, ARRAY_SIZE(steps), 5);
}
