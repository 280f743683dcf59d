// SPDX-License-Identifier: GPL-2.0
/*
 * The schedules of a concurrent test (tests/race/, for_each_schedule()): each runs in a
 * process of its own, forked from the test's once the test has set its scenario up, so it
 * starts from the same state whether it runs among the others or alone; `--schedule=SEED`
 * replays it exactly. What the schedules add up (harness_schedule_totals()) lives in
 * memory the test shares with them.
 *
 * A seed names a PCT schedule (1, 2, ...), or, with BOUNDED set, a schedule of the bounded
 * search: the task that runs first and up to two preemption points, the scheduling points
 * (counted from 1) at which the running task is preempted. The search runs each first task
 * without preemptions to learn how many points its schedule has (n), then every schedule
 * with one preemption at 1..n, and with k = 2 every pair of them.
 *
 * A failed PCT schedule is shrunk before the test fails: the loop goes on through the
 * schedules of the bounded search of two tasks, those with at most one preemption first,
 * then those with two (at most SHRINK_TRIES in all), and the first that fails too is named
 * beside the PCT seed: its seed replays it, and it has the fewest preemptions the failure
 * needs.
 */
#include <linux/kernel.h>
#include "host.h"
#include "sched.h"
#include "harness.h"

#define BOUNDED		(1UL << 62)
#define FIRST_SHIFT	48
#define AT_BITS		24
#define AT_MASK		((1UL << AT_BITS) - 1)

unsigned long harness_schedule_first, harness_schedule_count;
bool harness_few_schedules;
static struct harness_schedule_totals *totals;
/* --few-schedules: the PCT seeds a test runs at most, and no preemption in the search. */
#define FEW_PCT_SCHEDULES	8
/* The points of each first task's schedule without preemptions. */
static unsigned long bounded_points[8];
/* The schedules a shrink may try: the largest bounded search of tests/race/ has 488. */
#define SHRINK_TRIES	600
/* The failed PCT schedule being shrunk, its exit status, and how many schedules were tried. */
static unsigned long shrinking, shrinking_status, shrink_tries;

struct harness_schedule_totals *harness_schedule_totals(void)
{
	if (!totals)
		totals = host_alloc_shared(sizeof(*totals));
	return totals;
}

static unsigned long bounded(unsigned int first, unsigned long at1, unsigned long at2)
{
	return BOUNDED | (unsigned long)first << FIRST_SHIFT | at1 << AT_BITS | at2;
}

static void decode(unsigned long seed, unsigned int *first, unsigned long *at1,
		   unsigned long *at2)
{
	*first = (seed & ~BOUNDED) >> FIRST_SHIFT;
	*at1 = seed >> AT_BITS & AT_MASK;
	*at2 = seed & AT_MASK;
}

static unsigned long bounded_next(unsigned long seed, unsigned int tasks, unsigned int k);

/*
 * The next schedule a shrink tries, or failing the test once there is none: every schedule
 * with at most one preemption, then those with two.
 */
static unsigned long shrink_next(unsigned long seed)
{
	static unsigned int k = 1;
	unsigned long next = seed & BOUNDED ? seed : 0;

	do {
		next = bounded_next(next, 2, k);
		if (!next && k == 1) {
			k = 2;
			next = bounded_next(0, 2, k);
		}
	/* Those with one preemption ran already; each first task's run alone counts its steps. */
	} while (next && k == 2 && (next >> AT_BITS & AT_MASK) && !(next & AT_MASK));
	if (++shrink_tries > SHRINK_TRIES)
		next = 0;
	if (!next)
		harness_fail("schedule %lu (PCT seed %lu) failed (exit status %lu): replay it with --schedule=%lu; no schedule of two tasks with at most two preemptions fails (%lu tried)",
			     shrinking, shrinking, shrinking_status, shrinking, shrink_tries - 1);
	return next;
}

unsigned long harness_pct_next(unsigned long seed, unsigned long n)
{
	if (shrinking)
		return shrink_next(seed);
	/*
	 * The seeds asked for (--schedule, --schedules) run here, a bounded one too: a shrunk
	 * schedule replays in a test that has no bounded search of its own.
	 */
	if (harness_schedule_count) {
		if (!seed)
			return harness_schedule_first;
		if (seed & BOUNDED)
			return 0;
		return seed + 1 < harness_schedule_first + harness_schedule_count ? seed + 1 : 0;
	}
	if (harness_few_schedules)
		n = min(n, FEW_PCT_SCHEDULES);
	return seed < n ? seed + 1 : 0;
}

unsigned long harness_bounded_next(unsigned long seed, unsigned int tasks, unsigned int k)
{
	if (harness_schedule_count)
		return 0;
	return bounded_next(seed, tasks, harness_few_schedules ? 0 : k);
}

static unsigned long bounded_next(unsigned long seed, unsigned int tasks, unsigned int k)
{
	unsigned long at1, at2, n;
	unsigned int first;

	if (!seed)
		return bounded(0, 0, 0);
	decode(seed, &first, &at1, &at2);
	if (WARN_ON(first >= ARRAY_SIZE(bounded_points)))
		return 0;
	if (!at1)
		bounded_points[first] = min(harness_schedule_totals()->last_points, AT_MASK);
	n = bounded_points[first];
	if (k >= 2 && at1 && (at2 ? at2 : at1) < n)
		return bounded(first, at1, (at2 ? at2 : at1) + 1);
	if (k >= 1 && at1 < n)
		return bounded(first, at1 + 1, 0);
	return first + 1 < tasks ? bounded(first + 1, 0, 0) : 0;
}

const char *harness_schedule_name(unsigned long seed)
{
	static char name[80];
	unsigned long at1, at2;
	unsigned int first;

	if (!(seed & BOUNDED)) {
		snprintf(name, sizeof(name), "PCT seed %lu", seed);
		return name;
	}
	decode(seed, &first, &at1, &at2);
	if (at2)
		snprintf(name, sizeof(name), "task %u first, preempted at steps %lu and %lu",
			 first, at1, at2);
	else if (at1)
		snprintf(name, sizeof(name), "task %u first, preempted at step %lu", first, at1);
	else
		snprintf(name, sizeof(name), "task %u first, no preemption", first);
	return name;
}

bool harness_schedule_begin(unsigned long seed)
{
	int status;

	harness_schedule_totals();
	/*
	 * The failure shown is the PCT schedule's; the shrink's tries stay quiet. What the
	 * schedule's process observes is not traced for L2: it ends without writing a trace,
	 * and a schedule's interleaving is the configuration's own.
	 */
	if (host_fork_wait(&status, !shrinking)) {
		harness_trace_stop();
		return true;
	}
	if (!status)
		return false;
	if (shrinking)
		harness_fail("schedule %lu (PCT seed %lu) failed (exit status %lu): replay it with --schedule=%lu; shrunk to %s: --schedule=%lu",
			     shrinking, shrinking, shrinking_status, shrinking,
			     harness_schedule_name(seed), seed);
	/* A replay (--schedule=SEED) shows the failure as it is. */
	if (!(seed & BOUNDED) && harness_schedule_count != 1) {
		host_eprint("schedule %lu (%s) failed (exit status %d): shrinking it\n", seed,
			    harness_schedule_name(seed), status);
		shrinking = seed;
		shrinking_status = status;
		return false;
	}
	harness_fail("schedule %lu (%s) failed (exit status %d): replay it with --schedule=%lu",
		     seed, harness_schedule_name(seed), status, seed);
}

/*
 * The schedule's process ends without LeakSanitizer's scan, which would cost more than the
 * schedule itself: the teardown check finds the objects the code under test leaks (I7:
 * VMAs, anon_vmas, chains, mms, pages), and only a leak of another kind goes unseen.
 */
void harness_schedule_end(void)
{
	harness_exit_all();
	harness_check_teardown();
	host_exit_now(0);
}

void harness_schedule_run(unsigned long seed, unsigned int depth, unsigned long max_steps)
{
	unsigned long at[2];
	unsigned int first, nr = 0;

	if (seed & BOUNDED) {
		decode(seed, &first, &at[0], &at[1]);
		nr = !!at[0] + !!at[1];
		harness_sched_run_preempting(first, at, nr);
	} else {
		harness_sched_run(seed, depth, max_steps);
	}
	totals->runs++;
	totals->last_points = harness_sched_steps();
	totals->points += totals->last_points;
	/* One task after the other takes three switches: in, from the first, back out. */
	totals->interleaved += harness_sched_switches() > 3;
	totals->contended += harness_sched_contended();
	totals->failed_trylocks += harness_sched_failed_trylocks();
}
