// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/sched/core.c: tasks that run concurrently, and where they switch. */
/*
 * A concurrent run (harness_sched_run()) runs the tasks spawned for it on the one host
 * thread, a host context each (shims/host.c), as if each had a CPU of its own: at every
 * scheduling point the running task may stop and another go on. The per-CPU state the
 * kernel keeps for the running task (current, the preempt count, the interrupt flag) goes
 * with the task. Everything else per-CPU is still one CPU's: a run whose tasks meet in a
 * per-CPU critical section (a folio batch, say) is not modelled faithfully yet.
 *
 * Which task runs is decided by the schedule, a function of the seed alone, so that a run
 * replays exactly. Schedules are PCT's (probabilistic concurrency testing, Burckhardt et
 * al., ASPLOS 2010): each task gets a random priority, the highest-priority task that can
 * run runs, and at depth - 1 random steps the running task drops below every other. A bug
 * that needs d orderings between n tasks in k steps is hit with probability at least
 * 1 / (n * k^(d - 1)) per run.
 *
 * A bounded search (harness_sched_run_preempting()) instead names its schedule: which task
 * starts, and the steps at which the running task is preempted, each preemption dropping
 * it below every other; tests enumerate every schedule of at most k preemptions.
 *
 * A task that cannot take a lock waits (harness_sched_wait()) until another releases it.
 * If every unfinished task waits, the run is a deadlock: the wait fails, and the lock model
 * reports the holders.
 */
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include "host.h"
#include "rcu.h"
#include "sched.h"

#define MAX_TASKS 8
#define MAX_DEPTH 8

struct sched_task {
	struct task_struct *task;
	struct host_context *ctx;
	void (*fn)(void *);
	void *arg;
	unsigned int prio;
	bool done;
	/* While waiting: the condition to run again, and what it waits for. */
	bool (*ready)(const void *arg);
	const void *ready_arg;
	const char *waits_for;
	/* The per-CPU state of its CPU while another task runs. */
	unsigned long preempt_count;
	unsigned long eflags;
};

static struct sched_task tasks[MAX_TASKS];
static unsigned int nr_tasks;
static struct sched_task *running;
static struct sched_task main_task;	/* whoever called harness_sched_run() */
static bool active;

static u64 rng;
static unsigned long steps, switches, contended, failed_trylocks;
/* At step change_at[i], the running task's priority becomes change_prio[i]. */
static unsigned long change_at[MAX_DEPTH];
static unsigned int change_prio[MAX_DEPTH];
static unsigned int nr_changes;
static u64 trace_hash;

/* xorshift64*: small, and the same sequence for a seed everywhere. */
static u64 rand64(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned long rand_below(unsigned long n)
{
	return rand64() % n;
}

bool harness_sched_active(void)
{
	return active;
}

void harness_sched_spawn(struct task_struct *task, void (*fn)(void *), void *arg)
{
	struct sched_task *t;

	if (active || nr_tasks == MAX_TASKS)
		host_die("harness_sched_spawn: %s", active ? "a run is going on" : "too many tasks");
	t = &tasks[nr_tasks++];
	memset(t, 0, sizeof(*t));
	t->task = task;
	t->fn = fn;
	t->arg = arg;
	t->preempt_count = PREEMPT_ENABLED;
	t->eflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;
}

static bool can_run(const struct sched_task *t)
{
	return !t->done && (!t->ready || t->ready(t->ready_arg));
}

/* The task that runs next: the highest priority of those that can run; NULL if none can. */
static struct sched_task *pick(void)
{
	struct sched_task *best = NULL;
	unsigned int i;

	for (i = 0; i < nr_tasks; i++)
		if (can_run(&tasks[i]) && (!best || tasks[i].prio > best->prio))
			best = &tasks[i];
	return best;
}

static void save_cpu(struct sched_task *t)
{
	t->preempt_count = raw_cpu_read(__preempt_count);
	t->eflags = harness_eflags;
}

static void load_cpu(struct sched_task *t)
{
	raw_cpu_write(__preempt_count, t->preempt_count);
	harness_eflags = t->eflags;
	raw_cpu_write(current_task, t->task);
}

/* Hand the CPU from the running task to @next (NULL: back to harness_sched_run()). */
static void switch_to(struct sched_task *next, bool exiting)
{
	struct sched_task *prev = running;

	if (!next)
		next = &main_task;
	if (next == prev)
		return;
	switches++;
	trace_hash = (trace_hash ^ (next - tasks + 1)) * 0x100000001b3ULL;
	save_cpu(prev);
	load_cpu(next);
	running = next;
	if (exiting)
		host_context_exit(next->ctx);
	host_context_switch(next->ctx);
}

static void task_main(void *arg)
{
	struct sched_task *t = arg;
	struct sched_task *next;

	t->fn(t->arg);
	t->done = true;
	next = pick();
	/*
	 * Tasks still waiting with none able to run: their waits fail as deadlocks, one at a
	 * time, each when it is resumed.
	 */
	if (!next) {
		unsigned int i;

		for (i = 0; i < nr_tasks && !next; i++)
			if (!tasks[i].done)
				next = &tasks[i];
	}
	switch_to(next, true);
}

void harness_sched_point(void)
{
	struct sched_task *next;
	unsigned int i;

	if (!active || running == &main_task)
		return;
	steps++;
	for (i = 0; i < nr_changes; i++)
		if (change_at[i] == steps)
			running->prio = change_prio[i];
	next = pick();
	if (next)
		switch_to(next, false);
}

bool harness_sched_wait(bool (*ready)(const void *arg), const void *arg, const char *what)
{
	struct sched_task *self = running, *next;

	if (!active || self == &main_task)
		return false;
	contended++;
	self->ready = ready;
	self->ready_arg = arg;
	self->waits_for = what;
	while (!ready(arg)) {
		next = pick();
		if (!next)
			break;
		switch_to(next, false);
	}
	self->ready = NULL;
	self->waits_for = NULL;
	return ready(arg);
}

void harness_sched_print_waiters(void)
{
	unsigned int i;

	for (i = 0; i < nr_tasks; i++)
		if (tasks[i].waits_for)
			host_eprint("  %.16s/%d waits for %s\n", tasks[i].task->comm,
				    tasks[i].task->pid, tasks[i].waits_for);
}

/* Run the spawned tasks by the priorities and changes set up; then forget them. */
static void run_tasks(void)
{
	unsigned int i;

	steps = switches = contended = failed_trylocks = 0;
	trace_hash = 0xcbf29ce484222325ULL;
	for (i = 0; i < nr_tasks; i++)
		tasks[i].ctx = host_context_new(task_main, &tasks[i]);

	main_task.task = current;
	main_task.ctx = host_context_main();
	running = &main_task;
	active = true;
	switch_to(pick(), false);
	active = false;
	harness_rcu_forget_readers();
	for (i = 0; i < nr_tasks; i++)
		host_context_free(tasks[i].ctx);
	nr_tasks = 0;
}

void harness_sched_run(unsigned long seed, unsigned int depth, unsigned long max_steps)
{
	unsigned int i;

	if (!nr_tasks)
		return;
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	/* Priorities depth .. depth + n - 1 in a random order; the drops go below them all. */
	for (i = 0; i < nr_tasks; i++)
		tasks[i].prio = depth + i;
	for (i = nr_tasks - 1; i > 0; i--) {
		unsigned int j = rand_below(i + 1), p = tasks[i].prio;

		tasks[i].prio = tasks[j].prio;
		tasks[j].prio = p;
	}
	nr_changes = min_t(unsigned int, depth ? depth - 1 : 0, MAX_DEPTH);
	for (i = 0; i < nr_changes; i++) {
		change_at[i] = 1 + rand_below(max_steps ? max_steps : 1);
		change_prio[i] = i;
	}
	run_tasks();
}

void harness_sched_run_preempting(unsigned int first, const unsigned long *at,
				  unsigned int nr)
{
	unsigned int i;

	if (!nr_tasks)
		return;
	if (first >= nr_tasks || nr > MAX_DEPTH)
		host_die("harness_sched_run_preempting: task %u of %u, %u preemptions", first,
			 nr_tasks, nr);
	/* Above every drop: the first task, then the others in the order they were spawned. */
	for (i = 0; i < nr_tasks; i++)
		tasks[i].prio = MAX_DEPTH + nr_tasks - i;
	tasks[first].prio = MAX_DEPTH + nr_tasks + 1;
	nr_changes = nr;
	for (i = 0; i < nr; i++) {
		change_at[i] = at[i];
		/* Each preempted task goes below the ones preempted before it. */
		change_prio[i] = MAX_DEPTH - 1 - i;
	}
	run_tasks();
}

unsigned long harness_sched_switches(void)
{
	return switches;
}

unsigned long harness_sched_steps(void)
{
	return steps;
}

void harness_sched_trylock_failed(void)
{
	if (active && running != &main_task)
		failed_trylocks++;
}

unsigned long harness_sched_contended(void)
{
	return contended;
}

unsigned long harness_sched_failed_trylocks(void)
{
	return failed_trylocks;
}

u64 harness_sched_trace_hash(void)
{
	return trace_hash;
}
