// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failure at every allocation an operation makes (I10): each failing attempt
 * must return an error and leave VMAs, chains, anon_vma counters, page tables and live
 * objects exactly as they were; then the operation succeeds. Covers the anon_vma_clone()
 * error paths that leaked or underflowed before (c4ea95d7cd08, 3a206a8649f8) and fork's
 * recovery (dup_mmap tearing down the half-built mm).
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "slab.h"
#include "rcu.h"
#include "memmap.h"
#include "harness.h"

#define P PAGE_SIZE
#define MAX_ATTEMPTS 500

/*
 * A process whose mappings exercise every kind of chain: two VMAs sharing one anon_vma
 * (split), a lone faulted VMA, an unfaulted one, and a VMA whose chain holds three
 * anon_vmas (it went through two forks). The ancestors stay alive, so the chains do too.
 */
static struct task_struct *rich_process(unsigned long *a)
{
	struct task_struct *g = op_spawn(), *p, *c;

	*a = op_mmap_anon(g, 0, 16);
	op_write(g, *a, 1);
	p = op_fork(g);
	op_write(p, *a + P, 2);
	c = op_fork(p);
	op_write(c, *a + 2 * P, 3);
	op_write(c, *a + 8 * P, 4);
	EXPECT(op_mprotect(c, *a + 4 * P, 2 * P, PROT_READ) == 0, "split");
	EXPECT(op_mmap_anon(c, *a + 64 * P, 4) == *a + 64 * P, "lone VMA");
	op_write(c, *a + 64 * P, 5);
	EXPECT(op_mmap_anon(c, *a + 128 * P, 4) == *a + 128 * P, "unfaulted VMA");
	return c;
}

/* How a failed attempt must leave the state. */
enum expect {
	EXACT,		/* exactly as it was (harness_snapshot()) */
	VISIBLE,	/* as userspace and rmap see it, no object kept (harness_snapshot_visible()) */
	STEPS,		/* as userspace and rmap see it; a completed earlier step may stay */
};

/*
 * Run attempt() with the n-th allocation failing, for n = 1, 2, ... until it succeeds
 * without a failure being injected. attempt() returns true on success.
 */
static void fail_each(bool (*attempt)(struct task_struct *, unsigned long),
		      struct task_struct *t, unsigned long a, const char *what, enum expect e)
{
	bool steps = e != EXACT;

	unsigned long n;

	for (n = 1; n < MAX_ATTEMPTS; n++) {
		unsigned long injected = harness_failures_injected();
		char *before = steps ? harness_snapshot_visible() : harness_snapshot();
		bool ok;

		unsigned long live = harness_slab_outstanding() + harness_folio_stats()->live;
		struct harness_trace_mark mark = harness_trace_mark();

		harness_log("-- %s with allocation %lu failing", what, n);
		harness_fail_nth(n);
		ok = attempt(t, a);
		harness_fail_nth(0);
		if (harness_failures_injected() == injected) {
			EXPECT(ok, "%s failed without an injected failure", what);
			host_free(before);
			return;
		}
		if (ok) {
			/* The operation recovered from the failure (a retry, a fallback). */
			host_free(before);
			return;
		}
		/* Which allocation fails first differs with the series: L2 skips the attempt. */
		harness_trace_rewind(mark);
		if (steps)
			harness_expect_unchanged_visible(before, what);
		else
			harness_expect_unchanged(before, what);
		/*
		 * Whatever the failed attempt allocated, it gave back (a kept step keeps its
		 * objects; the teardown check at the end of the test still counts everything).
		 */
		EXPECT(e == STEPS || harness_slab_outstanding() + harness_folio_stats()->live == live,
		       "%s leaked after allocation %lu failed", what, n);
	}
	harness_fail("%s still failing after %d attempts", what, MAX_ATTEMPTS);
}

static bool try_fork(struct task_struct *t, unsigned long a)
{
	struct task_struct *c = op_fork(t);

	if (!c)
		return false;
	EXPECT(op_read(c, a + 2 * P) == 3 && op_read(c, a + 64 * P) == 5, "child contents");
	op_exit(c);
	return true;
}

static bool try_split(struct task_struct *t, unsigned long a)
{
	return op_mprotect(t, a + 9 * P, 2 * P, PROT_READ) == 0;
}

static bool try_mremap(struct task_struct *t, unsigned long a)
{
	return op_mremap(t, a + 8 * P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, a + 300 * P) ==
	       a + 300 * P;
}

static bool try_merge_into_unfaulted(struct task_struct *t, unsigned long a)
{
	/* Makes the unfaulted VMA at a + 128 pages part of a faulted one: dup_anon_vma(). */
	return op_mremap(t, a + 64 * P, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			 a + 124 * P) == a + 124 * P;
}

HARNESS_TEST(failure, fork_at_every_allocation)
{
	unsigned long a;
	struct task_struct *c = rich_process(&a);

	/* Fork write-protects the parent's PTEs as it copies; a failure does not undo that. */
	fail_each(try_fork, c, a, "fork", VISIBLE);
}

HARNESS_TEST(failure, split_at_every_allocation)
{
	unsigned long a;
	struct task_struct *c = rich_process(&a);

	/* Splits at both ends: the first may stay when the second fails. */
	fail_each(try_split, c, a, "mprotect split", STEPS);
	EXPECT(op_read(c, a + 8 * P) == 4, "contents after the split");
}

HARNESS_TEST(failure, mremap_at_every_allocation)
{
	unsigned long a;
	struct task_struct *c = rich_process(&a);

	fail_each(try_mremap, c, a, "mremap", EXACT);
	EXPECT(op_read(c, a + 300 * P) == 4, "moved contents");
}

HARNESS_TEST(failure, merge_into_unfaulted_at_every_allocation)
{
	unsigned long a;
	struct task_struct *c = rich_process(&a);

	fail_each(try_merge_into_unfaulted, c, a, "mremap next to an unfaulted VMA", EXACT);
	EXPECT(op_read(c, a + 124 * P) == 5, "moved contents");
	op_write(c, a + 129 * P, 6);
}
