// SPDX-License-Identifier: GPL-2.0
/*
 * Step 1 of ANON_VMA_LAZY: the VMAs of an mm that has not forked share one anon_vma, the
 * anchor (mm->anon_vma_anchor). These tests run only with the lazy mode on; every other
 * test of the harness runs with it on and off too, and the runner compares what they observe
 * (L2). The checker verifies chains, counters (I2), I4 and rmap after each step.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rmap.h>
#include "mm/internal.h"
#include "slab.h"
#include "harness.h"
#include "series.h"

#define P PAGE_SIZE
/* Mappings 64 pages apart: never neighbours, so find_mergeable_anon_vma() cannot help. */
#define AREA(i) (0x10000000UL + (i) * 64 * P)

static void need_lazy(void)
{
	if (!harness_lazy())
		harness_skip("the lazy mode is off");
}

/* mm->anon_vma_anchor, which only the lazy build has (the tests skip in the others). */
static struct anon_vma *anchor_of(struct task_struct *t)
{
#ifdef CONFIG_ANON_VMA_LAZY
	return t->mm->anon_vma_anchor;
#else
	return NULL;
#endif
}

/*
 * L1: a member of an anchor belongs to the anchor's mm, which still points at it. Step 1
 * gives it the chain [anchor]; step 2 links it without one, as an implicit member.
 */
static void expect_member(struct task_struct *t, unsigned long addr)
{
	EXPECT(harness_anon_vma_at(t, addr) == anchor_of(t),
	       "the VMA at %#lx of p%d did not join its mm's anchor", addr, t->pid);
	EXPECT(harness_chain_length(t, addr) == (HARNESS_IMPLICIT_MEMBERS ? 0 : 1),
	       "a member's chain has %lu entries", harness_chain_length(t, addr));
	EXPECT(vma_anon_implicit(vma_lookup(t->mm, addr)) == HARNESS_IMPLICIT_MEMBERS,
	       "the member at %#lx is %simplicit", addr, HARNESS_IMPLICIT_MEMBERS ? "not " : "");
}

/* Faulted VMAs far apart share one anon_vma, each with a one-entry chain of its own. */
HARNESS_TEST(lazy, non_adjacent_vmas_share_the_anchor)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b = op_mmap_anon(p, AREA(1), 4);
	unsigned long c = op_mmap_anon(p, AREA(2), 4);

	need_lazy();
	EXPECT(harness_vma_count(p) == 3, "the mappings merged (%lu VMAs)", harness_vma_count(p));
	harness_fill_pages(p, a, 4, 0x10);
	harness_fill_pages(p, c, 4, 0x30);
	harness_fill_pages(p, b, 4, 0x20);
	expect_member(p, a);
	expect_member(p, b);
	expect_member(p, c);
	EXPECT(harness_cache_live("anon_vma") == 1, "%lu anon_vmas",
	       harness_cache_live("anon_vma"));
	EXPECT(harness_cache_live("anon_vma_chain") == (HARNESS_IMPLICIT_MEMBERS ? 0 : 3),
	       "%lu chain entries", harness_cache_live("anon_vma_chain"));
	harness_expect_pages(p, a, 4, 0x10);
	harness_expect_pages(p, b, 4, 0x20);
	harness_expect_pages(p, c, 4, 0x30);
	op_exit(p);
}

/*
 * Members that become neighbours merge: a mapping filling the gap between two faulted
 * VMAs joins both (vma_merge_new_range() sees one anon_vma). The stock kernel keeps the
 * second apart; L2 compares what userspace sees, which is the same.
 */
HARNESS_TEST(lazy, members_merge_across_a_filled_gap)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, AREA(0), 12);

	need_lazy();
	EXPECT(op_munmap(p, a + 4 * P, 4 * P) == 0, "punch the gap");
	harness_fill_pages(p, a, 4, 0x40);
	harness_fill_pages(p, a + 8 * P, 4, 0x50);
	EXPECT(op_mmap_anon(p, a + 4 * P, 4) == a + 4 * P, "fill the gap");
	EXPECT(harness_vma_count(p) == 1, "%lu VMAs", harness_vma_count(p));
	harness_fill_pages(p, a + 4 * P, 4, 0x60);
	expect_member(p, a);
	harness_expect_pages(p, a, 4, 0x40);
	harness_expect_pages(p, a + 8 * P, 4, 0x50);
	op_exit(p);
}

/* Splitting a member (mprotect, munmap) and merging it back keeps every piece a member. */
HARNESS_TEST(lazy, members_split_and_merge)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, AREA(0), 8), b = op_mmap_anon(p, AREA(1), 2);

	need_lazy();
	harness_fill_pages(p, a, 8, 0x70);
	op_write(p, b, 1);
	EXPECT(op_mprotect(p, a + 2 * P, 2 * P, PROT_READ) == 0, "split in three");
	EXPECT(harness_vma_count(p) == 4, "%lu VMAs", harness_vma_count(p));
	expect_member(p, a);
	expect_member(p, a + 2 * P);
	expect_member(p, a + 4 * P);
	EXPECT(op_munmap(p, a + 6 * P, P) == 0, "punch a hole");
	expect_member(p, a + 7 * P);
	EXPECT(op_mprotect(p, a + 2 * P, 2 * P, PROT_READ | PROT_WRITE) == 0, "merge back");
	EXPECT(harness_vma_count(p) == 3, "%lu VMAs", harness_vma_count(p));
	expect_member(p, a);
	harness_expect_pages(p, a, 6, 0x70);
	EXPECT(harness_cache_live("anon_vma") == 1, "%lu anon_vmas",
	       harness_cache_live("anon_vma"));
	op_exit(p);
}

/* A member moved by mremap() keeps its anon_vma and its folios' index: rmap follows it. */
HARNESS_TEST(lazy, member_moved_by_mremap)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b = op_mmap_anon(p, AREA(1), 4);
	unsigned long dst = op_mmap_anon(p, AREA(2), 16);
	struct anon_vma *anchor;

	need_lazy();
	harness_fill_pages(p, a, 4, 0x80);
	op_write(p, b, 2);
	anchor = anchor_of(p);
	EXPECT(op_munmap(p, dst, 16 * P) == 0, "free the destination");
	EXPECT(op_mremap(p, a, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 4 * P) ==
	       dst + 4 * P, "move");
	expect_member(p, dst + 4 * P);
	EXPECT(anchor_of(p) == anchor, "the move changed the anchor");
	harness_expect_pages(p, dst + 4 * P, 4, 0x80);
	/* A new VMA next to the moved one cannot merge with it (its offsets do not follow). */
	EXPECT(op_mmap_anon(p, dst, 4) == dst, "a mapping before the moved one");
	op_write(p, dst, 3);
	expect_member(p, dst);
	op_exit(p);
}

/*
 * Fork closes the anchor: the parent's next VMA starts a new one, the child's VMAs get the
 * usual child anon_vmas under the old one, and the child starts an anchor of its own.
 */
HARNESS_TEST(lazy, fork_closes_the_anchor)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b = op_mmap_anon(p, AREA(1), 4);
	struct anon_vma *old;

	need_lazy();
	harness_fill_pages(p, a, 4, 0x90);
	old = anchor_of(p);
	EXPECT(old, "no anchor after a fault");
	c = op_fork(p);
	EXPECT(!anchor_of(p) && !anchor_of(c), "an anchor survived the fork");
	EXPECT(harness_anon_vma_at(c, a) != old && harness_anon_vma_at(c, a)->root == old,
	       "the child's VMA is not a child of the anchor");
	op_write(p, b, 4);
	expect_member(p, b);
	EXPECT(anchor_of(p) != old, "the parent joined its closed anchor");
	op_write(c, b, 5);
	expect_member(c, b);
	/* COW in both: each side keeps its own data, rmap finds each copy once. */
	op_write(c, a, 0x11);
	harness_expect_pages(p, a, 4, 0x90);
	EXPECT(op_read(c, a) == 0x11, "the child's copy");
	op_exit(p);
	harness_expect_pages(c, a + P, 3, 0x91);
	op_exit(c);
}

/*
 * A closed anchor stays the root of the family: when the parent's members are gone, the
 * child's entry still keeps its tree (and its self-link in num_children), so a grandchild's
 * fork does not reuse it (maybe_reuse_anon_vma()), and the parent does not rejoin it.
 */
HARNESS_TEST(lazy, closed_anchor_stays_the_root_of_the_family)
{
	struct task_struct *p = op_spawn(), *c, *g;
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b;
	struct anon_vma *old;

	need_lazy();
	harness_fill_pages(p, a, 4, 0xa0);
	old = anchor_of(p);
	c = op_fork(p);
	EXPECT(op_munmap(p, a, 4 * P) == 0, "the parent's only member goes");
	g = op_fork(c);
	EXPECT(harness_anon_vma_at(g, a) != old && harness_anon_vma_at(g, a)->root == old,
	       "the grandchild's VMA is not a new anon_vma under the old anchor");
	b = op_mmap_anon(p, AREA(1), 4);
	op_write(p, b, 6);
	expect_member(p, b);
	EXPECT(harness_anon_vma_at(p, b) != old, "the parent rejoined the family's root");
	harness_expect_pages(g, a, 4, 0xa0);
	op_exit(c);
	op_exit(p);
	harness_expect_pages(g, a, 4, 0xa0);
	op_exit(g);
}

/* An anchor whose members all went is not joined again; the next VMA starts a new one. */
HARNESS_TEST(lazy, memberless_anchor_is_replaced)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b = op_mmap_anon(p, AREA(1), 4);
	struct anon_vma *old;

	need_lazy();
	op_write(p, a, 7);
	old = anchor_of(p);
	EXPECT(op_munmap(p, a, 4 * P) == 0, "the only member goes");
	EXPECT(harness_cache_live("anon_vma") == 1, "the mm let go of its anchor early");
	op_write(p, b, 8);
	expect_member(p, b);
	EXPECT(harness_anon_vma_at(p, b) != old, "a memberless anchor was joined");
	/* The old anchor has gone with the mm's reference. */
	EXPECT(harness_cache_live("anon_vma") == 1, "%lu anon_vmas",
	       harness_cache_live("anon_vma"));
	op_exit(p);
}

/*
 * Exit with an anchor whose folios outlive the mm: a pin (as KSM or migration hold one)
 * keeps the anchor until it drops; a member's page is in swap at exit.
 */
HARNESS_TEST(lazy, anchor_outlives_its_mm)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b = op_mmap_anon(p, AREA(1), 4);
	struct anon_vma *pin;

	need_lazy();
	harness_fill_pages(p, a, 4, 0xb0);
	harness_fill_pages(p, b, 4, 0xc0);
	EXPECT(op_reclaim(p, a), "reclaim a member's page");
	pin = op_pin_anon_vma(p, b);
	EXPECT(pin == anchor_of(p), "the pin is not on the anchor");
	op_exit(p);
	EXPECT(harness_cache_live("anon_vma") == 1, "the pinned anchor went with its mm");
	op_unpin_anon_vma(pin);
}

/* The switch between operations: off stops joining and starting; on resumes joining. */
HARNESS_TEST(lazy, switch_flips_between_operations)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b = op_mmap_anon(p, AREA(1), 4);
	unsigned long c = op_mmap_anon(p, AREA(2), 4), d = op_mmap_anon(p, AREA(3), 4);
	struct anon_vma *anchor;

	need_lazy();
	op_write(p, a, 1);
	anchor = anchor_of(p);
	if (op_set_lazy(0) == -ENOENT)
		harness_skip("this tree has no vm.anon_vma_lazy");
	op_write(p, b, 2);
	EXPECT(harness_anon_vma_at(p, b) != anchor && harness_chain_length(p, b) == 1,
	       "a VMA joined the anchor with the switch off");
	EXPECT(anchor_of(p) == anchor, "turning the switch off changed the anchor");
	EXPECT(op_set_lazy(1) == 0, "switch on");
	op_write(p, c, 3);
	expect_member(p, c);
	EXPECT(anchor_of(p) == anchor, "a new anchor after the switch came back");
	EXPECT(op_set_lazy(0) == 0, "switch off");
	EXPECT(op_munmap(p, a, 4 * P) == 0 && op_munmap(p, c, 4 * P) == 0, "the members go");
	op_write(p, d, 4);
	EXPECT(harness_anon_vma_at(p, d) != anchor, "a memberless anchor was joined");
	EXPECT(op_set_lazy(1) == 0, "switch on");
	op_exit(p);
}
