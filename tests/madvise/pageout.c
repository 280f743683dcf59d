// SPDX-License-Identifier: GPL-2.0
/* madvise: MADV_PAGEOUT and MADV_COLD, through reclaim_pages() and folio_deactivate(). */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/swap.h>
#include "swap.h"
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)

/* PAGEOUT writes exclusive pages out and leaves them in the swap cache; a fault maps them back. */
HARNESS_TEST(madvise, pageout_exclusive_pages)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 3), written, i;
	struct folio *f;

	for (i = 0; i < 3; i++)
		op_write(p, PAGE(a, i) + 7, 0x60 + i);
	EXPECT(!op_swapon(HARNESS_SWAP_SLOTS, HARNESS_SWAP_DEFAULT), "swapon");
	written = harness_swap_stats()->pages_written;
	EXPECT(op_madvise(p, a, 2 * PAGE_SIZE, MADV_PAGEOUT) == 0, "MADV_PAGEOUT");
	EXPECT(harness_swapped_at(p, a) && harness_swapped_at(p, PAGE(a, 1)),
	       "the advised pages are still mapped");
	EXPECT(harness_folio_at(p, PAGE(a, 2)) && !harness_swapped_at(p, PAGE(a, 2)),
	       "a page outside the range was paged out");
	EXPECT(harness_swap_stats()->pages_written - written == 2, "%lu pages written",
	       harness_swap_stats()->pages_written - written);
	f = harness_swap_cache_folio(p, a);
	EXPECT(f && !folio_test_dirty(f) && !folio_mapped(f),
	       "the written folio is not clean and unmapped in the swap cache");
	for (i = 0; i < 3; i++)
		EXPECT(op_read(p, PAGE(a, i) + 7) == 0x60 + i, "page %lu after PAGEOUT", i);
	EXPECT(harness_folio_at(p, a) == f, "the fault did not map the swap-cache folio");
	op_exit(p);
}

/* A page shared with a child stays: PAGEOUT does not interfere with other mappings. */
HARNESS_TEST(madvise, pageout_skips_shared_pages)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 2);

	op_write(p, a, 0x71);
	op_write(p, PAGE(a, 1), 0x72);
	c = op_fork(p);
	op_write(c, PAGE(a, 1), 0x73);
	EXPECT(!op_swapon(HARNESS_SWAP_SLOTS, HARNESS_SWAP_DEFAULT), "swapon");
	EXPECT(op_madvise(p, a, 2 * PAGE_SIZE, MADV_PAGEOUT) == 0, "MADV_PAGEOUT");
	EXPECT(!harness_swapped_at(p, a) && !harness_swapped_at(c, a),
	       "a page shared with the child was paged out");
	EXPECT(harness_swapped_at(p, PAGE(a, 1)), "the parent's own page was not paged out");
	EXPECT(!harness_swapped_at(c, PAGE(a, 1)), "the child's page was paged out");
	EXPECT(op_read(p, PAGE(a, 1)) == 0x72 && op_read(c, PAGE(a, 1)) == 0x73 &&
	       op_read(c, a) == 0x71, "contents after PAGEOUT");
	op_exit(c);
	op_exit(p);
}

/* Without swap, PAGEOUT keeps every page mapped and back on the LRU. */
HARNESS_TEST(madvise, pageout_without_swap_keeps_pages)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct folio *f;

	op_write(p, a, 0x81);
	f = harness_folio_at(p, a);
	EXPECT(op_madvise(p, a, 2 * PAGE_SIZE, MADV_PAGEOUT) == 0, "MADV_PAGEOUT");
	EXPECT(harness_folio_at(p, a) == f && folio_test_lru(f), "the page was not kept");
	EXPECT(op_read(p, a) == 0x81, "contents");
	op_exit(p);
}

/* MADV_COLD deactivates without unmapping; the pages still reclaim. */
HARNESS_TEST(madvise, cold_deactivates)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct folio *f;

	op_write(p, a, 0x91);
	f = harness_folio_at(p, a);
	folio_set_active(f);
	EXPECT(op_madvise(p, a, 2 * PAGE_SIZE, MADV_COLD) == 0, "MADV_COLD");
	EXPECT(harness_folio_at(p, a) == f && !folio_test_active(f) && folio_test_lru(f),
	       "the folio is still active or was unmapped");
	EXPECT(op_reclaim(p, a), "a cold page was not reclaimed");
	EXPECT(op_read(p, a) == 0x91, "contents");
	op_exit(p);
}
