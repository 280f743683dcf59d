/* SPDX-License-Identifier: GPL-2.0 */
/* The harness' physical memory: the arena, its memmap and the page allocator (memmap.c). */
#ifndef HARNESS_MEMMAP_H
#define HARNESS_MEMMAP_H

#include <linux/types.h>

struct harness_folio_stats {
	unsigned long live;	/* pages allocated and not yet freed */
	unsigned long peak;
	unsigned long allocs;	/* allocation calls that succeeded */
};

/* Create the arena of nr_pages frames; call once before anything allocates. */
void harness_memmap_init(unsigned long nr_pages);
const struct harness_folio_stats *harness_folio_stats(void);

/*
 * Failure injection shared by every allocator (slab.c implements it): true if this
 * allocation is the one the test asked to fail. Never true for __GFP_NOFAIL.
 */
bool harness_alloc_should_fail(gfp_t gfp);

#endif /* HARNESS_MEMMAP_H */
