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

/*
 * make fuzz SEED=5 OPS=200000 PROCS=4, every configuration, shrunk from 196,998 steps: a
 * KSM folio reclaimed to swap, then swapped in by a write of one of its mappers. The fault
 * maps a copy (ksm_might_need_to_copy()) and frees only the copy's swap cache, so the KSM
 * folio stays in the swap cache, unmapped and uncounted, for reclaim to free (mm/memory.c,
 * do_swap_page()). I7 took that for a leaked slot; it now lets reclaim free such folios
 * first (harness_reclaim_unmapped_swap_cache()), and this sequence must pass.
 */
HARNESS_TEST(random, ksm_copy_at_swapin_leaves_swap_cache)
{
	static const struct random_step steps[] = {
		{ RANDOM_FORK, 13, 197, 160, 30, 249 },
		{ RANDOM_ACCESS, 199, 140, 178, 71, 163 },
		{ RANDOM_FORK, 142, 11, 226, 233, 36 },
		{ RANDOM_FORK, 253, 91, 73, 247, 113 },
		{ RANDOM_KSM, 95, 235, 61, 249, 95 },
		{ RANDOM_EXIT, 146, 227, 201, 152, 90 },
		{ RANDOM_EXIT, 102, 1, 179, 58, 160 },
		{ RANDOM_ACCESS, 10, 141, 221, 50, 163 },
		{ RANDOM_FORK, 144, 254, 238, 186, 115 },
		{ RANDOM_EXIT, 208, 0, 24, 109, 249 },
		{ RANDOM_KSM, 125, 237, 164, 225, 130 },
		{ RANDOM_FORK, 149, 12, 31, 207, 4 },
		{ RANDOM_KSM, 50, 87, 94, 80, 57 },
		{ RANDOM_EXIT, 231, 96, 47, 26, 178 },
		{ RANDOM_FORK, 65, 210, 202, 121, 130 },
		{ RANDOM_KSM, 94, 197, 242, 38, 91 },
		{ RANDOM_FORK, 129, 1, 246, 7, 160 },
		{ RANDOM_MADVISE, 179, 234, 185, 55, 98 },
		{ RANDOM_EXIT, 237, 241, 176, 196, 26 },
		{ RANDOM_RECLAIM, 138, 45, 193, 20, 197 },
		{ RANDOM_EXIT, 74, 44, 235, 106, 7 },
		{ RANDOM_ACCESS, 56, 140, 36, 16, 147 },
		{ RANDOM_ACCESS, 152, 141, 208, 82, 85 },
	};

	harness_random_steps(steps, ARRAY_SIZE(steps), 4);
}
