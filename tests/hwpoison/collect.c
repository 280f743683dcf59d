// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison: memory failure on an anonymous page must find and signal every process that
 * maps it (collect_procs_anon() walks the anon_vma): after fork, in a split VMA, in the swap
 * cache.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)

HARNESS_TEST(hwpoison, page_shared_by_parent_and_two_children)
{
	struct task_struct *p = op_spawn(), *c1, *c2, *other;
	unsigned long a = op_mmap_anon(p, 0, 3);

	op_write(p, PAGE(a, 1), 1);
	op_write(p, PAGE(a, 2), 2);
	c1 = op_fork(p);
	c2 = op_fork(p);
	/* A process that does not map it, and a page the children copied, must not count. */
	other = op_spawn();
	op_write(c2, PAGE(a, 2), 3);
	EXPECT(op_memory_failure(p, harness_folio_at(p, PAGE(a, 1)), PAGE(a, 1)) == 3,
	       "not all three processes were collected");
	EXPECT(harness_signalled(p, PAGE(a, 1)) && harness_signalled(c1, PAGE(a, 1)) &&
	       harness_signalled(c2, PAGE(a, 1)), "a process mapping the page was not signalled");
	EXPECT(!harness_signalled(other, PAGE(a, 1)), "an unrelated process was signalled");
	EXPECT(op_memory_failure(c2, harness_folio_at(c2, PAGE(a, 2)), PAGE(a, 2)) == 1,
	       "the child's own copy is not its alone");
	EXPECT(harness_signalled(c2, PAGE(a, 2)), "the child was not signalled");
	/* A child gone: the other two remain. */
	op_exit(c1);
	EXPECT(op_memory_failure(p, harness_folio_at(p, PAGE(a, 1)), PAGE(a, 1)) == 2,
	       "after the child's exit");
	op_exit(other);
}

/* mprotect() splits the VMA: the page is found in the piece that maps it now. */
HARNESS_TEST(hwpoison, page_of_a_split_vma)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 6);
	int i;

	for (i = 0; i < 6; i++)
		op_write(p, PAGE(a, i), i + 1);
	EXPECT(!op_mprotect(p, PAGE(a, 2), 2 * PAGE_SIZE, PROT_READ), "mprotect");
	c = op_fork(p);
	for (i = 0; i < 6; i++) {
		EXPECT(op_memory_failure(p, harness_folio_at(p, PAGE(a, i)), PAGE(a, i)) == 2,
		       "page %d: not both processes", i);
		EXPECT(harness_signalled(p, PAGE(a, i)) && harness_signalled(c, PAGE(a, i)),
		       "page %d: wrong address signalled", i);
	}
	/* Moved by mremap(): the address is the new one. */
	{
		unsigned long b = op_mremap(p, PAGE(a, 2), 2 * PAGE_SIZE, 2 * PAGE_SIZE,
					    MREMAP_MAYMOVE | MREMAP_FIXED, PAGE(a, 64));

		EXPECT(b == PAGE(a, 64), "mremap");
		EXPECT(op_memory_failure(p, harness_folio_at(p, PAGE(b, 1)), PAGE(b, 1)) == 2,
		       "after mremap");
		EXPECT(harness_signalled(p, PAGE(b, 1)) && harness_signalled(c, PAGE(a, 3)),
		       "after mremap: wrong addresses");
	}
}

/* A swap-cache folio mapped by one process; the other still has the swap entry. */
HARNESS_TEST(hwpoison, swap_cache_folio)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct folio *folio;

	op_write(p, a, 0x21);
	c = op_fork(p);
	EXPECT(op_reclaim(p, a), "not reclaimed");
	EXPECT(op_read(c, a) == 0x21, "swap-in");
	folio = harness_swap_cache_folio(p, a);
	EXPECT(folio && folio_test_swapcache(folio), "no swap-cache folio");
	EXPECT(op_memory_failure(c, folio, a) == 1, "only the child maps it");
	EXPECT(harness_signalled(c, a) && !harness_signalled(p, a),
	       "the process with the swap entry was signalled, or the mapper was not");
	EXPECT(op_read(p, a) == 0x21, "the parent's swap-in");
	EXPECT(op_memory_failure(p, folio, a) == 2, "both map it now");
}
