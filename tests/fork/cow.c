// SPDX-License-Identifier: GPL-2.0
/* fork: shared anonymous folios, copy-on-write in parent and child, exit orders. */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

HARNESS_TEST(fork, child_sees_parent_data_then_cows)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 3), i;

	for (i = 0; i < 3; i++)
		op_write(p, a + i * PAGE_SIZE, 0xa0 + i);
	c = op_fork(p);
	EXPECT(c, "fork failed");
	for (i = 0; i < 3; i++) {
		EXPECT(op_read(c, a + i * PAGE_SIZE) == 0xa0 + i, "child page %lu", i);
		EXPECT(harness_folio_at(c, a + i * PAGE_SIZE) == harness_folio_at(p, a + i * PAGE_SIZE),
		       "page %lu is not shared after fork", i);
	}
	op_write(c, a + PAGE_SIZE, 0xc1);
	EXPECT(harness_folio_at(c, a + PAGE_SIZE) != harness_folio_at(p, a + PAGE_SIZE),
	       "the child's write did not copy");
	EXPECT(op_read(p, a + PAGE_SIZE) == 0xa1, "the parent saw the child's write");
	op_write(p, a, 0xb0);
	EXPECT(op_read(c, a) == 0xa0, "the child saw the parent's write");
	op_exit(p);
	EXPECT(op_read(c, a + 2 * PAGE_SIZE) == 0xa2, "child data after the parent exited");
	op_exit(c);
}

HARNESS_TEST(fork, three_generations_exit_parent_first)
{
	struct task_struct *p = op_spawn(), *c, *g;
	unsigned long a = op_mmap_anon(p, 0, 2);

	op_write(p, a, 1);
	c = op_fork(p);
	op_write(c, a + PAGE_SIZE, 2);
	g = op_fork(c);
	op_write(g, a, 3);
	op_exit(p);
	EXPECT(op_read(c, a) == 1 && op_read(g, a) == 3, "contents after the parent exited");
	op_exit(c);
	EXPECT(op_read(g, a + PAGE_SIZE) == 2, "grandchild keeps the child's page");
	op_exit(g);
}

/*
 * dup_mmap() links the child's VMA into the anon_vma first and copies the page tables after,
 * without the anon_vma lock: a walk running between the two (remove_migration_ptes() after a
 * migration, remap after a THP split) must meet the parent's VMA before the child's, or it
 * passes the child's still empty page table, then restores only the parent's entry while the
 * copy keeps the migration entry. Right after a fork, each walk of an inherited folio finds
 * the ancestors first, whatever kind of link each VMA has.
 */
HARNESS_TEST(fork, walk_meets_the_parent_before_the_child)
{
	struct task_struct *p = op_spawn(), *c, *g;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct mm_struct *mms[3];

	op_write(p, a, 1);
	c = op_fork(p);
	EXPECT(harness_rmap_mms(p, a, mms, 3) == 2, "the walk did not find both mappings");
	EXPECT(mms[0] == p->mm && mms[1] == c->mm, "the walk met the child before the parent");
	g = op_fork(c);
	EXPECT(harness_rmap_mms(p, a, mms, 3) == 3, "the walk did not find all three mappings");
	EXPECT(mms[0] == p->mm && mms[1] == c->mm && mms[2] == g->mm,
	       "the walk met a descendant before its ancestor");
	op_exit(g);
	op_exit(c);
	op_exit(p);
}
