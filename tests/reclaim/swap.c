// SPDX-License-Identifier: GPL-2.0
/* reclaim: anonymous folios to swap and back, through fork, mprotect, mremap, munmap and exit. */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/swap.h>
#include "swap.h"
#include "slab.h"
#include "harness.h"

#define PAGE(a, i)	((a) + (i) * PAGE_SIZE)

HARNESS_TEST(reclaim, swap_out_and_in_keeps_data)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 4), i;
	unsigned long written;

	harness_fill_pages(p, a, 4, 0x10);
	written = harness_swap_stats()->pages_written;
	for (i = 0; i < 4; i++) {
		EXPECT(op_reclaim(p, PAGE(a, i)), "page %lu was not reclaimed", i);
		EXPECT(harness_swapped_at(p, PAGE(a, i)), "page %lu has no swap PTE", i);
		EXPECT(!harness_folio_at(p, PAGE(a, i)), "page %lu is still mapped", i);
	}
	EXPECT(harness_swap_stats()->pages_written - written == 4, "4 pages written, not %lu",
	       harness_swap_stats()->pages_written - written);
	EXPECT(harness_swap_slots_in_use() == 4, "%lu slots in use", harness_swap_slots_in_use());
	EXPECT(!op_reclaim(p, PAGE(a, 0)), "a swapped-out page was reclaimed again");
	harness_expect_pages(p, a, 4, 0x10);
	for (i = 0; i < 4; i++)
		EXPECT(!harness_swapped_at(p, PAGE(a, i)), "page %lu still swapped after the read", i);
	/* A read fault of an exclusive page keeps its swap-cache folio and slot. */
	EXPECT(harness_swap_cache_folio(p, a), "the read fault dropped the swap cache");
	op_write(p, a, 0x99);
	EXPECT(op_read(p, a) == 0x99, "the write after swap-in was lost");
	op_exit(p);
}

/* A zero-filled page is not written: the swap table's zero flag brings it back. */
HARNESS_TEST(reclaim, zero_page_needs_no_io)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 1);
	unsigned long written;

	op_write(p, a, 0);
	written = harness_swap_stats()->pages_written;
	EXPECT(op_reclaim(p, a), "not reclaimed");
	EXPECT(harness_swap_stats()->pages_written == written, "a zero page was written");
	EXPECT(op_read(p, a + 100) == 0, "the zero page came back non-zero");
	op_write(p, a + 5, 7);
	EXPECT(op_reclaim(p, a), "not reclaimed the second time");
	EXPECT(harness_swap_stats()->pages_written == written + 1, "the dirty page was not written");
	EXPECT(op_read(p, a + 5) == 7 && op_read(p, a) == 0, "contents after the second swap-in");
	op_exit(p);
}

/* A clean swap-cache folio is freed without a second write; its slot keeps the data. */
HARNESS_TEST(reclaim, clean_swap_cache_folio_is_dropped_without_io)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 1), written;

	op_write(p, a, 0x42);
	EXPECT(op_reclaim(p, a), "not reclaimed");
	EXPECT(op_read(p, a) == 0x42, "contents after swap-in");
	EXPECT(harness_swap_cache_folio(p, a), "no swap-cache folio after a read fault");
	written = harness_swap_stats()->pages_written;
	EXPECT(op_reclaim(p, a), "the clean swap-cache folio was not reclaimed");
	EXPECT(harness_swap_stats()->pages_written == written, "a clean folio was written again");
	EXPECT(op_read(p, a) == 0x42, "contents after the second swap-in");
	op_exit(p);
}

HARNESS_TEST(reclaim, fork_then_cow_of_swapped_pages)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 3);
	struct folio *f;

	harness_fill_pages(p, a, 3, 0x20);
	c = op_fork(p);
	EXPECT(c, "fork failed");
	/* Shared with the child: reclaim unmaps it from both. */
	EXPECT(op_reclaim(p, PAGE(a, 0)), "shared page not reclaimed");
	EXPECT(harness_swapped_at(p, PAGE(a, 0)) && harness_swapped_at(c, PAGE(a, 0)),
	       "reclaim left a mapping of the shared page");
	EXPECT(op_reclaim(p, PAGE(a, 1)), "page 1 not reclaimed");
	/* The child reads first: one swap-cache folio, mapped read-only in the child only. */
	EXPECT(op_read(c, PAGE(a, 0)) == 0x20, "child read of the swapped page");
	f = harness_folio_at(c, PAGE(a, 0));
	EXPECT(f && folio_test_swapcache(f), "the child's page is not the swap-cache folio");
	EXPECT(harness_swapped_at(p, PAGE(a, 0)), "the parent's PTE changed on the child's read");
	EXPECT(op_read(p, PAGE(a, 0)) == 0x20, "parent read of the swapped page");
	EXPECT(harness_folio_at(p, PAGE(a, 0)) == f, "parent and child do not share the folio");
	/* Writes copy: each side keeps its own data. */
	op_write(p, PAGE(a, 0), 0xa0);
	op_write(c, PAGE(a, 1), 0xc1);
	EXPECT(op_read(c, PAGE(a, 0)) == 0x20, "the child saw the parent's write");
	EXPECT(op_read(p, PAGE(a, 1)) == 0x21, "the parent saw the child's write");
	EXPECT(op_read(p, PAGE(a, 0)) == 0xa0 && op_read(c, PAGE(a, 1)) == 0xc1,
	       "a write after swap-in was lost");
	EXPECT(harness_folio_at(p, PAGE(a, 1)) != harness_folio_at(c, PAGE(a, 1)),
	       "the child's write did not copy");
	harness_expect_pages(c, PAGE(a, 2), 1, 0x22);
	op_exit(c);
	harness_expect_pages(p, PAGE(a, 1), 2, 0x21);
	op_exit(p);
}

HARNESS_TEST(reclaim, page_shared_by_three_processes)
{
	struct task_struct *p = op_spawn(), *c, *g;
	unsigned long a = op_mmap_anon(p, 0, 2);

	harness_fill_pages(p, a, 2, 0x30);
	c = op_fork(p);
	g = op_fork(c);
	EXPECT(op_reclaim(g, a), "the page shared by three was not reclaimed");
	EXPECT(harness_swapped_at(p, a) && harness_swapped_at(c, a) && harness_swapped_at(g, a),
	       "not every process has the swap PTE");
	EXPECT(harness_swap_slots_in_use() == 1, "%lu slots for one page",
	       harness_swap_slots_in_use());
	op_write(c, a, 0xcc);
	EXPECT(op_read(p, a) == 0x30 && op_read(g, a) == 0x30, "the middle child's write leaked");
	op_exit(p);
	EXPECT(op_read(g, a) == 0x30 && op_read(c, a) == 0xcc, "contents after the parent exited");
	/* Reclaim again the folio still shared by g and (through the swap cache) nobody else. */
	EXPECT(op_reclaim(g, a), "not reclaimed the second time");
	EXPECT(op_read(g, a) == 0x30, "grandchild contents");
	op_exit(g);
	op_exit(c);
}

/* Many processes: the swap count goes past what the table holds inline. */
HARNESS_TEST(reclaim, swap_count_overflows_into_extend_table)
{
	struct task_struct *t[24];
	unsigned long a;
	int i;

	t[0] = op_spawn();
	a = op_mmap_anon(t[0], 0, 1);
	op_write(t[0], a, 0x5a);
	for (i = 1; i < 24; i++)
		t[i] = op_fork(t[0]);
	EXPECT(op_reclaim(t[5], a), "the page shared by 24 was not reclaimed");
	for (i = 0; i < 24; i++)
		EXPECT(harness_swapped_at(t[i], a), "p%d still maps the page", t[i]->pid);
	for (i = 23; i >= 0; i -= 2) {
		EXPECT(op_read(t[i], a) == 0x5a, "p%d read", t[i]->pid);
		op_exit(t[i]);
	}
	for (i = 0; i < 24; i += 2)
		op_exit(t[i]);
}

HARNESS_TEST(reclaim, both_sides_of_an_mprotect_split)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 6);

	harness_fill_pages(p, a, 6, 0x40);
	EXPECT(op_mprotect(p, PAGE(a, 2), 2 * PAGE_SIZE, PROT_READ) == 0, "mprotect failed");
	EXPECT(harness_vma_count(p) == 3, "no split");
	EXPECT(op_reclaim(p, PAGE(a, 1)), "left side not reclaimed");
	EXPECT(op_reclaim(p, PAGE(a, 2)), "middle (read-only) not reclaimed");
	EXPECT(op_reclaim(p, PAGE(a, 4)), "right side not reclaimed");
	harness_expect_pages(p, a, 6, 0x40);
	EXPECT(op_mprotect(p, PAGE(a, 2), 2 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0,
	       "mprotect back failed");
	EXPECT(harness_vma_count(p) == 1, "no merge back");
	EXPECT(op_reclaim(p, PAGE(a, 2)), "not reclaimed after the merge");
	op_write(p, PAGE(a, 2), 0xee);
	EXPECT(op_read(p, PAGE(a, 2)) == 0xee && op_read(p, PAGE(a, 3)) == 0x43, "after the merge");
	op_exit(p);
}

HARNESS_TEST(reclaim, mremap_moves_swap_entries)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 4), b, hole;

	harness_fill_pages(p, a, 4, 0x50);
	EXPECT(op_reclaim(p, PAGE(a, 0)) && op_reclaim(p, PAGE(a, 3)), "not reclaimed");
	/* Move it somewhere else: the swap PTEs travel with the pages. */
	hole = op_mmap_anon(p, 0, 8);
	EXPECT(op_munmap(p, hole, 8 * PAGE_SIZE) == 0, "munmap of the hole");
	b = op_mremap(p, a, 4 * PAGE_SIZE, 4 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	EXPECT(b == hole, "mremap went to %#lx", b);
	EXPECT(harness_swapped_at(p, PAGE(b, 0)) && harness_swapped_at(p, PAGE(b, 3)),
	       "the swap PTEs did not move");
	harness_expect_pages(p, b, 4, 0x50);
	op_exit(p);
}

HARNESS_TEST(reclaim, munmap_frees_slots)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 4), i;

	harness_fill_pages(p, a, 4, 0x60);
	for (i = 0; i < 4; i++)
		EXPECT(op_reclaim(p, PAGE(a, i)), "page %lu not reclaimed", i);
	EXPECT(op_read(p, PAGE(a, 3)) == 0x63, "swap-in of page 3");
	EXPECT(harness_swap_slots_in_use() == 4, "%lu slots", harness_swap_slots_in_use());
	c = op_fork(p);
	EXPECT(op_munmap(p, a, 2 * PAGE_SIZE) == 0, "munmap failed");
	EXPECT(harness_swap_slots_in_use() == 4, "slots still named by the child were freed");
	EXPECT(op_munmap(c, a, 4 * PAGE_SIZE) == 0, "munmap failed");
	EXPECT(harness_swap_slots_in_use() == 2, "%lu slots after the child's munmap",
	       harness_swap_slots_in_use());
	EXPECT(op_munmap(p, PAGE(a, 2), 2 * PAGE_SIZE) == 0, "munmap failed");
	EXPECT(harness_swap_slots_in_use() == 0, "%lu slots leaked by munmap",
	       harness_swap_slots_in_use());
	op_exit(c);
	op_exit(p);
}

HARNESS_TEST(reclaim, exit_frees_slots)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 3);

	harness_fill_pages(p, a, 3, 0x70);
	c = op_fork(p);
	EXPECT(op_reclaim_all(p) == 3, "not every page was reclaimed");
	EXPECT(harness_swap_slots_in_use() == 3, "%lu slots", harness_swap_slots_in_use());
	EXPECT(op_read(c, PAGE(a, 1)) == 0x71, "child swap-in");
	op_exit(p);
	EXPECT(harness_swap_slots_in_use() == 3, "slots still used by the child were freed");
	op_exit(c);
	EXPECT(harness_swap_slots_in_use() == 0, "%lu slots leaked by exit",
	       harness_swap_slots_in_use());
}

/* A swap-cache folio, mapped in one process and named by swap PTEs in another, at fork. */
HARNESS_TEST(reclaim, swap_cache_folio_at_fork)
{
	struct task_struct *p = op_spawn(), *c, *g;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct folio *f;

	harness_fill_pages(p, a, 2, 0x80);
	c = op_fork(p);
	EXPECT(op_reclaim(p, a), "not reclaimed");
	EXPECT(op_read(p, a) == 0x80, "parent swap-in");
	f = harness_swap_cache_folio(p, a);
	EXPECT(f && folio_mapped(f), "no mapped swap-cache folio after the read");
	EXPECT(harness_swapped_at(c, a), "the child lost its swap PTE");
	/* Fork both the mapped side and the swapped side. */
	g = op_fork(p);
	EXPECT(harness_folio_at(g, a) == f, "the grandchild does not share the swap-cache folio");
	op_exit(p);
	{
		struct task_struct *h = op_fork(c);

		EXPECT(harness_swapped_at(h, a), "fork did not copy the swap PTE");
		EXPECT(op_read(h, a) == 0x80, "swap-in in the child's child");
		EXPECT(harness_folio_at(h, a) == f, "the swap cache was not used");
		op_write(h, a, 0x11);
		EXPECT(op_read(g, a) == 0x80 && op_read(c, a) == 0x80, "a write leaked");
		op_exit(h);
	}
	EXPECT(op_reclaim(g, a), "the shared swap-cache folio was not reclaimed");
	EXPECT(op_read(c, a) == 0x80 && op_read(g, a) == 0x80, "contents after the last reclaim");
	op_exit(g);
	op_exit(c);
}

/* A failed write leaves the folio dirty in the swap cache; a fault maps it back intact. */
HARNESS_TEST(reclaim, write_error_keeps_the_folio)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 1);
	struct folio *f;

	op_write(p, a, 0x3c);
	op_swapon(HARNESS_SWAP_SLOTS, HARNESS_SWAP_DEFAULT);
	harness_swap_fail_writes(2);
	EXPECT(!op_reclaim(p, a), "reclaimed though every write failed");
	EXPECT(harness_swap_stats()->write_errors == 2, "%lu write errors",
	       harness_swap_stats()->write_errors);
	EXPECT(harness_swapped_at(p, a), "the page was not unmapped");
	f = harness_swap_cache_folio(p, a);
	EXPECT(f && folio_test_dirty(f), "the folio is not dirty in the swap cache");
	EXPECT(op_read(p, a) == 0x3c, "contents after the failed write");
	EXPECT(op_reclaim(p, a), "not reclaimed once writes work");
	EXPECT(op_read(p, a) == 0x3c, "contents after the successful write");
	op_exit(p);
}

/*
 * Reclaim that needs a new cluster, whose swap table is a page: fail each page allocation
 * of the reclaim in turn. A failed atomic table allocation is retried by
 * swap_cluster_populate() with the locks dropped, so the reclaim still succeeds; the data
 * and every count stay right either way.
 */
HARNESS_TEST(reclaim, allocation_failure_during_reclaim)
{
	struct task_struct *p = op_spawn();
	unsigned long full = op_mmap_anon(p, 0, 511), a = op_mmap_anon(p, 0, 1), i, n;
	unsigned long runs = 0;

	EXPECT(!op_swapon(2 * 512, HARNESS_SWAP_DEFAULT), "swapon");
	for (i = 0; i < 511; i++)
		op_write(p, PAGE(full, i), i);
	EXPECT(op_reclaim_all(p) == 511, "the first cluster was not filled");
	for (n = 1; ; n++) {
		unsigned long injected = harness_failures_injected();
		bool ok;

		op_write(p, a + 1, n);
		harness_fail_nth_in("pages", n);
		ok = op_reclaim(p, a);
		injected = harness_failures_injected() - injected;
		harness_fail_nth(0);
		EXPECT(ok, "reclaim kept the page after failing page allocation %lu", n);
		EXPECT(harness_swapped_at(p, a), "no swap PTE after reclaim");
		EXPECT(harness_swap_slots_in_use() == 512, "%lu slots in use",
		       harness_swap_slots_in_use());
		/* A write fault of the exclusive page frees its slot, and the cluster with it. */
		op_write(p, a, n);
		EXPECT(!harness_swap_cache_folio(p, a), "the write fault kept the swap cache");
		EXPECT(op_read(p, a + 1) == n, "contents after failing page allocation %lu", n);
		if (!injected)
			break;
		runs++;
		if (n > 8)
			harness_fail("reclaim keeps allocating");
	}
	EXPECT(runs >= 1, "reclaim into a new cluster allocated no page");
	EXPECT(op_read(p, PAGE(full, 300)) == (u8)300, "a page of the full cluster");
	op_exit(p);
}

/*
 * Fork with swap entries, failing each allocation in turn: a failed fork leaves the parent
 * and every swap count as they were (I10 and the swap check), a good one shares them.
 */
HARNESS_TEST(reclaim, fork_failure_with_swapped_pages)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 4), n;

	harness_fill_pages(p, a, 4, 0xb0);
	EXPECT(op_reclaim(p, PAGE(a, 0)) && op_reclaim(p, PAGE(a, 1)), "not reclaimed");
	EXPECT(op_read(p, PAGE(a, 1)) == 0xb1, "swap-in leaving a swap-cache folio");
	for (n = 1; ; n++) {
		unsigned long injected = harness_failures_injected();

		harness_fail_nth(n);
		c = op_fork(p);
		injected = harness_failures_injected() - injected;
		harness_fail_nth(0);
		if (!c) {
			EXPECT(injected, "fork failed with no injected failure");
			EXPECT(harness_swap_slots_in_use() == 2, "%lu slots after a failed fork",
			       harness_swap_slots_in_use());
			continue;
		}
		harness_expect_pages(c, a, 4, 0xb0);
		op_exit(c);
		if (!injected)
			break;
		if (n > 100)
			harness_fail("fork keeps allocating");
	}
	EXPECT(n > 1, "fork made no failable allocation");
	harness_expect_pages(p, a, 4, 0xb0);
	op_exit(p);
}

/* A full swap area: reclaim keeps the page mapped and intact. */
HARNESS_TEST(reclaim, full_swap_area_keeps_pages)
{
	struct task_struct *p = op_spawn();
	unsigned long a = op_mmap_anon(p, 0, 6), i;

	EXPECT(!op_swapon(5, HARNESS_SWAP_DEFAULT), "swapon of a 4-slot area");
	harness_fill_pages(p, a, 6, 0xd0);
	for (i = 0; i < 4; i++)
		EXPECT(op_reclaim(p, PAGE(a, i)), "page %lu not reclaimed", i);
	EXPECT(!op_reclaim(p, PAGE(a, 4)), "reclaimed into a full area");
	EXPECT(harness_folio_at(p, PAGE(a, 4)), "the kept page is not mapped");
	EXPECT(harness_swap_slots_in_use() == 4, "%lu slots", harness_swap_slots_in_use());
	harness_expect_pages(p, a, 6, 0xd0);
	op_exit(p);
}

/* swapoff brings every page back with the real try_to_unuse(). */
HARNESS_TEST(reclaim, swapoff_brings_everything_back)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 3);

	harness_fill_pages(p, a, 3, 0xa0);
	c = op_fork(p);
	op_write(c, PAGE(a, 2), 0xcc);
	EXPECT(op_reclaim_all(p) == 3, "parent's pages");
	EXPECT(op_reclaim(c, PAGE(a, 2)), "child's page");
	EXPECT(op_swapoff(c) == 0, "swapoff failed");
	EXPECT(!harness_swap_area(), "the area is still on");
	EXPECT(!harness_swapped_at(p, a) && !harness_swapped_at(c, PAGE(a, 2)),
	       "swap PTEs left after swapoff");
	EXPECT(op_read(c, PAGE(a, 2)) == 0xcc, "child's data after swapoff");
	harness_expect_pages(p, a, 3, 0xa0);
	harness_expect_pages(c, a, 2, 0xa0);
	op_exit(p);
	op_exit(c);
}
