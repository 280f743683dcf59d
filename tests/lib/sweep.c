// SPDX-License-Identifier: GPL-2.0
/*
 * The allocation-failure sweep (harness --fail-sweep): every failable allocation a test
 * makes (slab.c counts them, page allocations included) is made to fail, once each. The
 * test runs once without a failure; at each failable allocation the process forks, the
 * child gets that allocation failing and the parent waits for it, then goes on as if
 * nothing happened. So the N-th allocation fails for every N at the cost of one run plus the
 * rest of one operation per N, with no reboot and no replay of the test up to N.
 * --fail-sweep=N replays one N in a fresh run (the same count, from the same point).
 *
 * A child stops at the end of the operation that met the failure: every invariant must hold
 * (harness_op_leave() checked them), an operation that reports failing must have left what
 * its enum harness_undo names as it was (I10), and once every process has exited nothing
 * may be left (I7). The test's own expectations stop applying there. A fault that fails
 * (VM_FAULT_OOM) must change nothing a program can observe, and is retried as a CPU would.
 */
#include <linux/mm.h>
#include "host.h"
#include "slab.h"
#include "thp.h"
#include "harness.h"

/*
 * Every one of a test's first SWEEP_ALL failable allocations fails in turn, then every
 * SWEEP_STRIDE-th: the long runs of alike allocations (a page per page of a THP being
 * split, migrated or copied) would cost most of the suite's time for little more.
 */
#define SWEEP_ALL 128
#define SWEEP_STRIDE 8

static struct harness_sweep_result *result;
/* Fresh-run replay: the allocation to fail; 0 when forking at every allocation. */
static unsigned long replay_n;
static unsigned long seen;
/* In a child: the allocation failed; the snapshot and undo kind of the operation. */
static bool injected, ending;
static bool clean_at_enter;
static enum harness_undo undo;
static char *before;

static int paused;

/* What tests hold across operations, to give back when the sweep stops one early. */
struct owed {
	void (*undo)(void *a, void *b);
	void *a, *b;
};
static struct owed owed[16];
static int nr_owed;

static bool sweep_hook(void)
{
	int status;

	if (injected || paused)
		return false;
	seen++;
	result->allocs = seen;
	if (replay_n && seen != replay_n)
		return false;
	if (!replay_n) {
		if (seen > SWEEP_ALL && seen % SWEEP_STRIDE)
			return false;
		result->swept++;
		/* The parent goes on; the first failure is shown in full, others counted. */
		if (!host_fork_wait(&status, !result->failed)) {
			if (status) {
				if (result->failed < ARRAY_SIZE(result->first))
					result->first[result->failed] = seen;
				result->failed++;
			}
			return false;
		}
	}
	injected = true;
	harness_log("-- sweep: failable allocation %lu fails; replay with --fail-sweep=%lu",
		    seen, seen);
	return true;
}

void harness_sweep_arm(struct harness_sweep_result *res, unsigned long n)
{
	result = res;
	replay_n = n;
	harness_set_fail_hook(sweep_hook);
}

bool harness_sweeping(void)
{
	return result;
}

bool harness_sweep_injected(void)
{
	return injected;
}

void harness_sweep_pause(bool pause)
{
	paused += pause ? 1 : -1;
}

void harness_owe(void (*undo)(void *a, void *b), void *a, void *b)
{
	if (nr_owed == ARRAY_SIZE(owed))
		harness_fail("a test holds more than %zu things across operations",
			     ARRAY_SIZE(owed));
	owed[nr_owed++] = (struct owed){ .undo = undo, .a = a, .b = b };
}

void harness_repaid(void *a)
{
	int i;

	for (i = nr_owed - 1; i >= 0; i--)
		if (owed[i].a == a) {
			memmove(&owed[i], &owed[i + 1], (--nr_owed - i) * sizeof(owed[0]));
			return;
		}
}

/* Give back what the test holds, exit every process, check nothing was left (I7). */
static __noreturn void sweep_end(void)
{
	ending = true;
	while (nr_owed) {
		struct owed o = owed[--nr_owed];

		o.undo(o.a, o.b);
	}
	harness_exit_all();
	/* The huge zero folio stays cached until the shrinker runs, as tests using it do. */
	if (harness_thp_booted())
		op_thp_shrink(NULL);
	harness_check_teardown();
	/* LeakSanitizer's scan costs more than most runs; I7 is the leak check here. */
	host_exit_now(0);
}

void harness_sweep_op_enter(enum harness_undo kind)
{
	if (!result || ending)
		return;
	host_free(before);
	before = NULL;
	clean_at_enter = !injected;
	undo = kind;
	if (injected)
		return;
	if (kind == UNDO_EXACT)
		before = harness_snapshot();
	else if (kind == UNDO_VISIBLE)
		before = harness_snapshot_visible();
}

void harness_sweep_op_leave(bool failed)
{
	char *snap = before;

	if (!result || ending)
		return;
	before = NULL;
	if (!injected) {
		host_free(snap);
		clean_at_enter = false;
		return;
	}
	/* Failed at this operation's allocation: it must have undone all it did. */
	if (clean_at_enter && failed && undo == UNDO_EXACT)
		harness_expect_unchanged(snap, "the operation");
	else if (clean_at_enter && failed && undo == UNDO_VISIBLE)
		harness_expect_unchanged_visible(snap, "the operation");
	else
		host_free(snap);
	sweep_end();
}

char *harness_sweep_fault_begin(void)
{
	if (!result || injected || ending)
		return NULL;
	return harness_snapshot_fault();
}

bool harness_sweep_fault_end(char *snap, bool oom, bool swapin)
{
	char *now;

	if (!snap || !injected || !oom) {
		host_free(snap);
		return false;
	}
	now = harness_snapshot_fault();
	/* A write fault on a swap PTE swaps in, and keeps the page in when its COW fails. */
	if (!swapin && strcmp(snap, now)) {
		host_eprint("before:\n%s\nafter:\n%s", snap, now);
		harness_fail("I10 failure atomicity violated: a fault returned VM_FAULT_OOM but changed what the program sees");
	}
	host_free(snap);
	host_free(now);
	return true;
}

/* The end of the test body: an allocation that failed after its last operation. */
void harness_sweep_test_done(void)
{
	if (injected)
		sweep_end();
}
