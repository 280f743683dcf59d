// SPDX-License-Identifier: GPL-2.0
/*
 * uffd: UFFDIO_MOVE through the real move_pages() of mm/userfaultfd.c. Moving an exclusive
 * anonymous folio re-targets its anon rmap to the destination VMA's anon_vma and its index
 * to the destination address, a third way besides merge and mremap for a folio to change
 * anon_vma (no upstream anon_vma bug of UFFDIO_MOVE is known): rmap must find it there,
 * also after the source VMA is gone; a folio shared after fork must not move.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/huge_mm.h>
#include <linux/rmap.h>
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)
/* Far apart, so that the two mappings never merge; PMD-aligned for THPs. */
#define SRC		(16UL << 30)
#define DST		(32UL << 30)

static struct anon_vma *anon_vma_of(struct folio *folio)
{
	return (struct anon_vma *)((unsigned long)folio->mapping & ~FOLIO_MAPPING_FLAGS);
}

/*
 * Source and destination VMAs, the destination registered. A fault on a registered range
 * waits for the handler (which the harness does not run), so a faulted destination is
 * written before it is registered.
 */
static struct userfaultfd_ctx *setup_dst(struct task_struct *p, unsigned long npages,
					 bool faulted_dst)
{
	struct userfaultfd_ctx *ctx = op_userfaultfd(p);

	EXPECT(ctx, "userfaultfd() failed");
	EXPECT(op_mmap_anon(p, SRC, npages) == SRC, "mmap of the source");
	EXPECT(op_mmap_anon(p, DST, npages) == DST, "mmap of the destination");
	if (faulted_dst)
		op_write(p, DST, 0x40);
	EXPECT(!op_uffd_register(p, ctx, DST, npages * PAGE_SIZE), "register");
	return ctx;
}

static struct userfaultfd_ctx *setup(struct task_struct *p, unsigned long npages)
{
	return setup_dst(p, npages, false);
}

static void move_exclusive(bool faulted_dst)
{
	struct task_struct *p = op_spawn();
	struct userfaultfd_ctx *ctx = setup_dst(p, 4, faulted_dst);
	struct folio *folio;

	op_write(p, PAGE(SRC, 1), 0x31);
	op_write(p, PAGE(SRC, 2), 0x32);
	folio = harness_folio_at(p, PAGE(SRC, 1));
	EXPECT(op_uffd_move(p, ctx, PAGE(DST, 3), PAGE(SRC, 1), PAGE_SIZE, false) == PAGE_SIZE,
	       "the move failed");
	EXPECT(harness_folio_at(p, PAGE(DST, 3)) == folio, "the folio itself did not move");
	EXPECT(!harness_folio_at(p, PAGE(SRC, 1)), "the source still maps it");
	if (faulted_dst)
		EXPECT(anon_vma_of(folio) == anon_vma_of(harness_folio_at(p, DST)),
		       "the folio's anon_vma is not the destination's");
	/* Unless both VMAs joined the mm's anchor, the move re-pointed the folio. */
	EXPECT(harness_lazy() == (anon_vma_of(folio) == anon_vma_of(harness_folio_at(p, PAGE(SRC, 2)))),
	       "the folio's anon_vma is %s the source's", harness_lazy() ? "not" : "still");
	EXPECT(op_read(p, PAGE(DST, 3)) == 0x31, "data at the destination");
	/* The source VMA goes; the moved folio must not depend on it. */
	EXPECT(!op_munmap(p, SRC, 4 * PAGE_SIZE), "munmap of the source");
	EXPECT(harness_folio_at(p, PAGE(DST, 3)) == folio, "the folio went with the source");
	EXPECT(op_read(p, PAGE(DST, 3)) == 0x31, "data after the source is gone");
	op_write(p, PAGE(DST, 3), 0x33);
	EXPECT(harness_folio_at(p, PAGE(DST, 3)) == folio, "a write copied the moved folio");
	op_uffd_release(p, ctx);
	op_exit(p);
}

HARNESS_TEST(uffd, move_exclusive_page_to_faulted_vma)
{
	move_exclusive(true);
}

HARNESS_TEST(uffd, move_exclusive_page_to_unfaulted_vma)
{
	move_exclusive(false);
}

/* Moving into a VMA that is then forked and unmapped: rmap must follow it everywhere. */
HARNESS_TEST(uffd, move_then_fork_and_exit)
{
	struct task_struct *p = op_spawn(), *c;
	struct userfaultfd_ctx *ctx = setup(p, 2);

	op_write(p, SRC, 0x51);
	EXPECT(op_uffd_move(p, ctx, DST, SRC, PAGE_SIZE, false) == PAGE_SIZE, "move");
	c = op_fork(p);
	EXPECT(op_read(c, DST) == 0x51, "the child's copy");
	op_uffd_release(p, ctx);
	op_exit(p);
	EXPECT(op_read(c, DST) == 0x51, "the child's copy after the parent exited");
	op_exit(c);
}

/* A folio shared after fork is not exclusive: the move is refused and nothing changes. */
HARNESS_TEST(uffd, move_refused_for_page_shared_after_fork)
{
	struct task_struct *p = op_spawn(), *c;
	struct userfaultfd_ctx *ctx = setup(p, 2);
	struct folio *folio;

	op_write(p, SRC, 0x61);
	c = op_fork(p);
	folio = harness_folio_at(p, SRC);
	/* The destination gets its anon_vma before the check, as in the kernel. */
	EXPECT(op_uffd_move(p, ctx, DST, SRC, PAGE_SIZE, false) == -EBUSY,
	       "a shared page was moved");
	EXPECT(!harness_folio_at(p, DST), "the destination maps something");
	EXPECT(harness_folio_at(p, SRC) == folio && harness_folio_at(c, SRC) == folio,
	       "the shared folio changed");
	/* Once the child has gone the parent's page is exclusive again (after a write). */
	op_exit(c);
	op_write(p, SRC, 0x62);
	EXPECT(op_uffd_move(p, ctx, DST, SRC, PAGE_SIZE, false) == PAGE_SIZE, "move after exit");
	EXPECT(op_read(p, DST) == 0x62, "data");
	op_uffd_release(p, ctx);
	op_exit(p);
}

/* A PMD-mapped THP moves whole by its PMD; one page of it splits it first. */
HARNESS_TEST(uffd, move_thp)
{
	struct task_struct *p = op_spawn();
	struct userfaultfd_ctx *ctx = setup(p, 2 * HPAGE_PMD_NR);
	struct folio *folio;

	harness_thp_set_mode(HARNESS_THP_ALWAYS, BIT(HPAGE_PMD_ORDER));
	op_thp_fill(p, SRC, 2 * HPAGE_PMD_NR, 5);
	folio = harness_folio_at(p, SRC);
	EXPECT(harness_pmd_mapped(p, SRC), "no PMD THP");
	EXPECT(op_uffd_move(p, ctx, DST, SRC, HPAGE_PMD_SIZE, false) == HPAGE_PMD_SIZE,
	       "PMD move");
	EXPECT(harness_pmd_mapped(p, DST) && harness_folio_at(p, DST) == folio,
	       "the THP was not moved by its PMD");
	harness_thp_expect_fill(p, DST, HPAGE_PMD_NR, 5);
	/* One page of the second THP: the PMD and the folio are split. */
	EXPECT(op_uffd_move(p, ctx, PAGE(DST, HPAGE_PMD_NR + 7), PAGE(SRC, HPAGE_PMD_NR + 7),
			    PAGE_SIZE, false) == PAGE_SIZE, "move of one page of a THP");
	EXPECT(harness_folio_order_at(p, PAGE(DST, HPAGE_PMD_NR + 7)) == 0,
	       "the moved page is not a small folio");
	EXPECT(op_read(p, PAGE(DST, HPAGE_PMD_NR + 7)) == (5 + HPAGE_PMD_NR + 7) % 255 + 1,
	       "data of the moved page");
	harness_thp_expect_fill(p, PAGE(SRC, HPAGE_PMD_NR), 7, (5 + HPAGE_PMD_NR) % 255);
	op_uffd_release(p, ctx);
	op_exit(p);
}

/* A swapped-out page moves as its swap entry; swap-in at the destination finds it. */
HARNESS_TEST(uffd, move_swapped_out_page)
{
	struct task_struct *p = op_spawn();
	struct userfaultfd_ctx *ctx = setup(p, 2);

	op_write(p, SRC, 0x71);
	op_write(p, PAGE(SRC, 1), 0x72);
	EXPECT(op_reclaim(p, SRC), "not reclaimed");
	EXPECT(op_uffd_move(p, ctx, DST, SRC, PAGE_SIZE, false) == PAGE_SIZE, "move");
	EXPECT(harness_swapped_at(p, DST) && !harness_swapped_at(p, SRC),
	       "the swap entry did not move");
	EXPECT(op_read(p, DST) == 0x71, "swap-in at the destination");
	/* And one that is back in the swap cache, mapped: a present page of the cache. */
	EXPECT(op_reclaim(p, PAGE(SRC, 1)), "not reclaimed");
	EXPECT(op_read(p, PAGE(SRC, 1)) == 0x72, "swap-in at the source");
	EXPECT(op_uffd_move(p, ctx, PAGE(DST, 1), PAGE(SRC, 1), PAGE_SIZE, false) == PAGE_SIZE,
	       "move of a swap-cache page");
	EXPECT(op_read(p, PAGE(DST, 1)) == 0x72, "data of the swap-cache page");
	EXPECT(op_reclaim(p, PAGE(DST, 1)), "not reclaimed at the destination");
	EXPECT(op_read(p, PAGE(DST, 1)) == 0x72, "swap-in after the move");
	op_uffd_release(p, ctx);
	op_exit(p);
}
