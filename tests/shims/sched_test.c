// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the scheduler model (shims/sched.c) with the lock model (shims/locks.c):
 * tasks switch at lock operations by a schedule the seed alone decides, so a run replays;
 * locks keep their exclusion across switches, and a task that cannot take one waits; a
 * race the locks do not cover shows up in some schedule; when every task waits, the
 * deadlock is reported with the lock; synchronize_rcu() waits for the read-side sections
 * other tasks are inside (shims/rcu.c). KTAP on stdout.
 */
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "host.h"
#include "locks.h"
#include "sched.h"

/* ---- the few kernel symbols a standalone link needs ---- */

DEFINE_PER_CPU_CACHE_HOT(struct task_struct *, current_task);
DEFINE_PER_CPU_CACHE_HOT(int, cpu_number);
DEFINE_PER_CPU_CACHE_HOT(unsigned long, __preempt_count) = PREEMPT_ENABLED;

/* Nothing sets NEED_RESCHED here, so preempt_enable() never calls it. */
asm(".pushsection .text\n"
    ".globl preempt_schedule_thunk\n"
    "preempt_schedule_thunk:\n\tud2\n"
    ".popsection\n");

static struct task_struct main_task = { .comm = "main", .pid = 100 };
static struct task_struct task[3] = {
	{ .comm = "task-0", .pid = 1 },
	{ .comm = "task-1", .pid = 2 },
	{ .comm = "task-2", .pid = 3 },
};

#define SEEDS 200

static bool case_failed;
static int n, passed, failed;

#define CHECK(c)								\
	do {									\
		if (!(c)) {							\
			host_eprint("# %s:%d: check failed: %s\n", __FILE__,	\
				    __LINE__, #c);				\
			case_failed = true;					\
		}								\
	} while (0)

static void result(const char *name)
{
	host_print("%sok %d %s\n", case_failed ? "not " : "", ++n, name);
	if (case_failed)
		failed++;
	else
		passed++;
	case_failed = false;
}

static unsigned int reports[LOCK_FAIL_NR];

static void count_report(enum lock_failure kind, const char *summary)
{
	reports[kind]++;
	host_print("# report: %s: %s\n", lock_failure_name(kind), summary);
}

static void run(void (*fn)(void *), unsigned int tasks, unsigned long seed,
		unsigned int depth, unsigned long max_steps)
{
	unsigned int i;

	for (i = 0; i < tasks; i++)
		harness_sched_spawn(&task[i], fn, (void *)(long)i);
	harness_sched_run(seed, depth, max_steps);
	CHECK(current == &main_task);
	CHECK(!preemptible() || preempt_count() == 0);
	harness_lockdep_reset_order();
}

/* ---- a counter under a spin lock: exclusion holds across switches ---- */

static DEFINE_SPINLOCK(counter_lock);
static int counter, inside, most_inside;

static void locked_increments(void *unused)
{
	int i, v;

	for (i = 0; i < 10; i++) {
		spin_lock(&counter_lock);
		inside++;
		most_inside = max(most_inside, inside);
		v = counter;
		harness_sched_point();
		counter = v + 1;
		inside--;
		spin_unlock(&counter_lock);
	}
}

static void test_spinlock_exclusion(void)
{
	unsigned long seed, switched = 0;

	for (seed = 1; seed <= SEEDS; seed++) {
		counter = most_inside = 0;
		run(locked_increments, 3, seed, 3, 60);
		CHECK(counter == 30);
		CHECK(most_inside == 1);
		/* One after another, 3 tasks take 4 switches (main in, and each one's end). */
		switched += harness_sched_switches() > 4;
	}
	/* The schedules do interleave the tasks, or exclusion proves nothing. */
	CHECK(switched > SEEDS / 2);
	CHECK(!reports[LOCK_FAIL_DEADLOCK]);
	result("spin lock: one task inside at a time over 200 schedules, and they interleave");
}

/* ---- the same without the lock: some schedule loses an update ---- */

static void racy_increment(void *unused)
{
	int v = counter;

	harness_sched_point();
	counter = v + 1;
}

static void test_race_found(void)
{
	unsigned long seed, lost = 0, first = 0;

	for (seed = 1; seed <= SEEDS; seed++) {
		counter = 0;
		run(racy_increment, 2, seed, 2, 2);
		if (counter != 2 && !lost++)
			first = seed;
	}
	host_print("# a lost update in %lu of %d schedules, first with seed %lu\n", lost, SEEDS,
		   first);
	CHECK(lost > 0);
	CHECK(lost < SEEDS);
	result("no lock: some schedules lose an update, others do not");
}

/* ---- replay: the seed alone decides the schedule ---- */

static void test_replay(void)
{
	u64 hash[2];
	int results[2];
	unsigned long seed, distinct = 0;
	u64 first = 0;
	int i;

	for (seed = 1; seed <= 20; seed++) {
		for (i = 0; i < 2; i++) {
			counter = 0;
			run(racy_increment, 3, seed, 3, 4);
			hash[i] = harness_sched_trace_hash();
			results[i] = counter;
		}
		CHECK(hash[0] == hash[1]);
		CHECK(results[0] == results[1]);
		if (seed == 1)
			first = hash[0];
		else
			distinct += hash[0] != first;
	}
	CHECK(distinct > 0);
	result("replay: a seed gives the same switches and outcome every time; seeds differ");
}

/* ---- an rwsem: readers share, a writer excludes everyone ---- */

static DECLARE_RWSEM(rw);
static int readers_in, writer_in, most_readers;

static void reader_or_writer(void *arg)
{
	if ((long)arg == 0) {
		down_write(&rw);
		writer_in++;
		CHECK(readers_in == 0 && writer_in == 1);
		harness_sched_point();
		writer_in--;
		up_write(&rw);
		return;
	}
	down_read(&rw);
	readers_in++;
	most_readers = max(most_readers, readers_in);
	CHECK(writer_in == 0);
	harness_sched_point();
	readers_in--;
	up_read(&rw);
}

static void test_rwsem(void)
{
	unsigned long seed;

	most_readers = 0;
	for (seed = 1; seed <= SEEDS; seed++)
		run(reader_or_writer, 3, seed, 3, 12);
	CHECK(most_readers == 2);
	CHECK(!reports[LOCK_FAIL_DEADLOCK]);
	result("rwsem: readers in together, never with the writer");
}

/* ---- AB-BA on two mutexes: the schedules that deadlock are reported ---- */

static DEFINE_MUTEX(mutex_a);
static DEFINE_MUTEX(mutex_b);

static void ab_ba(void *arg)
{
	struct mutex *first = arg ? &mutex_b : &mutex_a;
	struct mutex *second = arg ? &mutex_a : &mutex_b;

	mutex_lock(first);
	harness_sched_point();
	mutex_lock(second);
	/* A deadlock report abandons the acquisition: release only what was taken. */
	if (atomic_long_read(&second->owner) == (long)current)
		mutex_unlock(second);
	mutex_unlock(first);
}

static void test_deadlock(void)
{
	unsigned long seed, deadlocked = 0, before;

	for (seed = 1; seed <= SEEDS; seed++) {
		before = reports[LOCK_FAIL_DEADLOCK];
		run(ab_ba, 2, seed, 2, 4);
		deadlocked += reports[LOCK_FAIL_DEADLOCK] != before;
		CHECK(!mutex_is_locked(&mutex_a) && !mutex_is_locked(&mutex_b));
	}
	host_print("# %lu of %d schedules deadlocked\n", deadlocked, SEEDS);
	CHECK(deadlocked > 0 && deadlocked < SEEDS);
	/* Lockdep saw the inversion too, in the schedules where both orders ran. */
	CHECK(reports[LOCK_FAIL_CIRCULAR] > 0);
	result("AB-BA: the schedules where each task holds one lock are reported as deadlocks");
}

/* ---- RCU: a grace period waits for the readers inside when it began ---- */

static DEFINE_SPINLOCK(reader_lock);
static bool reader_inside;
static unsigned long gp_waited, gp_too_early;

static void rcu_reader_or_writer(void *arg)
{
	bool was_inside;

	if (!arg) {
		rcu_read_lock();
		reader_inside = true;
		spin_lock(&reader_lock);
		spin_unlock(&reader_lock);
		reader_inside = false;
		rcu_read_unlock();
		return;
	}
	spin_lock(&reader_lock);
	spin_unlock(&reader_lock);
	was_inside = reader_inside;
	synchronize_rcu();
	gp_waited += was_inside;
	gp_too_early += was_inside && reader_inside;
}

static void test_rcu_grace_period(void)
{
	unsigned long seed, deadlocks = reports[LOCK_FAIL_DEADLOCK];

	for (seed = 1; seed <= SEEDS; seed++) {
		reader_inside = false;
		run(rcu_reader_or_writer, 2, seed, 3, 8);
	}
	host_print("# synchronize_rcu() began inside a reader's section in %lu of %d schedules\n",
		   gp_waited, SEEDS);
	CHECK(gp_waited > 0);
	CHECK(!gp_too_early);
	CHECK(reports[LOCK_FAIL_DEADLOCK] == deadlocks);
	result("RCU: synchronize_rcu() returns only after the sections it began inside");
}

int harness_main(int argc, char **argv)
{
	harness_set_lock_failure_hook(count_report);
	this_cpu_write(current_task, &main_task);
	host_print("KTAP version 1\n1..6\n");
	test_spinlock_exclusion();
	test_race_found();
	test_replay();
	test_rwsem();
	test_deadlock();
	test_rcu_grace_period();
	host_print("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
