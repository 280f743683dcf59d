/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Concurrent runs (shims/sched.c): tasks that take turns at scheduling points, by a
 * schedule that the seed alone decides.
 */
#ifndef HARNESS_SCHED_H
#define HARNESS_SCHED_H

#include <linux/types.h>

struct task_struct;

/* Add a task to the next run: it will run fn(arg) as @task, on a CPU of its own. */
void harness_sched_spawn(struct task_struct *task, void (*fn)(void *), void *arg);
/*
 * Run the spawned tasks to their end by the PCT schedule of @seed with @depth priority
 * drops spread over the first @max_steps scheduling points; then forget them.
 */
void harness_sched_run(unsigned long seed, unsigned int depth, unsigned long max_steps);
/*
 * The same by a named schedule: task @first (in the order of spawning) runs first, and at
 * each step of @at (scheduling points counted from 1) the running task is preempted.
 */
void harness_sched_run_preempting(unsigned int first, const unsigned long *at,
				  unsigned int nr);
/* Whether a run is going on. */
bool harness_sched_active(void);
/* A place where another task may run now (lock acquire and release, ...). */
void harness_sched_point(void);
/*
 * Let the other tasks run until ready(arg) holds; false if it never can (every task
 * waits: a deadlock) or no run is going on. @what names the wait in reports.
 */
bool harness_sched_wait(bool (*ready)(const void *arg), const void *arg, const char *what);
/* For deadlock reports: every waiting task and what it waits for, on stderr. */
void harness_sched_print_waiters(void);
/* A trylock failed: counted while a run is going on. */
void harness_sched_trylock_failed(void);
/*
 * The last run's scheduling points, task switches, waits for a lock another task held,
 * failed trylocks, and a hash of its switches.
 */
unsigned long harness_sched_steps(void);
unsigned long harness_sched_switches(void);
unsigned long harness_sched_contended(void);
unsigned long harness_sched_failed_trylocks(void);
u64 harness_sched_trace_hash(void);

#endif /* HARNESS_SCHED_H */
