// SPDX-License-Identifier: GPL-2.0
/*
 * A forked child's mapping of a KSM folio is found by rmap only through an rmap_item at the
 * same address. Found by the allocation-failure sweep (ksm/fork_after_merge_rmap_finds_the_child
 * with the allocation of the child's rmap_item failing); it needs no failure, only a ksmd
 * turn that ends between the parent's page and the child's.
 */
#include <linux/mm.h>
#include "ksm_harness.h"
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)

HARNESS_TEST(ksm, forked_child_unreachable_until_scanned)
{
	struct task_struct *p = op_spawn(), *q = op_spawn(), *c;
	unsigned long a = op_mmap_mergeable(p, 2), b = op_mmap_mergeable(q, 1);
	struct folio *k;

	harness_set_page(p, PAGE(a, 0), 0x5a);
	harness_set_page(p, PAGE(a, 1), 0x5a);
	harness_set_page(q, b, 0x5a);
	op_ksm_full_scans(2);
	k = harness_folio_at(p, a);
	EXPECT(k && folio_test_ksm(k) && harness_folio_at(q, b) == k, "not merged");
	c = op_fork(p);
	/* p's page at a is its own now; its rmap_item there still leads to c's mapping. */
	op_write(p, a, 0x01);
	EXPECT(harness_rmap_count(c, a) == 4, "rmap finds %d of 4 mappings",
	       harness_rmap_count(c, a));
	/* One page a turn: ksmd drops p's stale item at a, and stops before c. */
	harness_ksm_set_pages_to_scan(1);
	op_ksm_scan();
	EXPECT(harness_folio_at(c, a) == k && !harness_ksm_item_at(k, p->mm, a),
	       "p's item at a was not dropped");
	/* mm/ksm.c as it is: rmap_walk_ksm() misses c's mapping at a (3 of 4). */
	EXPECT(harness_rmap_count(c, a) == 3, "rmap finds %d mappings, mm/ksm.c misses one",
	       harness_rmap_count(c, a));
	/* ksmd reaches c and gives it an item at a: rmap finds all four again. */
	harness_ksm_set_pages_to_scan(100);
	op_ksm_full_scans(1);
	EXPECT(harness_ksm_item_at(k, c->mm, a) && harness_rmap_count(c, a) == 4,
	       "rmap finds %d of 4 mappings after ksmd scanned the child",
	       harness_rmap_count(c, a));
	op_exit(c);
	op_exit(q);
	op_exit(p);
}
