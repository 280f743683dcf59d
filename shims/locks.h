/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locking model of the harness (shims/locks.c, shims/lockdep.c): the kernel's rwsem,
 * spinlock, mutex and lockdep entry points, plus what tests and reports need to observe them. Kernel code uses the kernel
 * API unchanged; this header is for the harness' op layer, tests and reports.
 *
 * Every lock problem is reported on stderr with the tasks, lock classes and acquisition sites
 * involved, then handed to the failure hook; without a hook the program stops (host_die()).
 */
#ifndef HARNESS_LOCKS_H
#define HARNESS_LOCKS_H

#include <linux/types.h>

struct task_struct;

enum lock_failure {
	LOCK_FAIL_CIRCULAR,		/* acquisition closes a cycle in the lock order (ABBA) */
	LOCK_FAIL_RECURSIVE,		/* class already held, no subclass/nest_lock annotation */
	LOCK_FAIL_SELF_DEADLOCK,	/* task takes a lock instance it already holds */
	LOCK_FAIL_DEADLOCK,		/* another task holds it: would block forever */
	LOCK_FAIL_NOT_HELD,		/* release (or downgrade) of a lock the task does not hold */
	LOCK_FAIL_HELD_AT_RETURN,	/* locks still held when an operation returns */
	LOCK_FAIL_NEST_NOT_HELD,	/* *_nest_lock() without holding the nest lock */
	LOCK_FAIL_BAD_KEY,		/* uninitialised lock: no name, non-static or unregistered key */
	LOCK_FAIL_CORRUPT,		/* bad magic, wrong owner, lock word disagrees with holders */
	LOCK_FAIL_ATOMIC_SLEEP,		/* sleeping lock with preemption or interrupts disabled */
	LOCK_FAIL_BLOCKED_WAIT,		/* a wait (rcuwait, schedule()) nobody can end */
	LOCK_FAIL_FREED_HELD,		/* memory holding a held lock is freed or re-initialised */
	LOCK_FAIL_NR
};

/*
 * Called after the report is printed. @summary names the failure and the classes involved; it
 * is valid only during the call. When the hook returns, the model carries on: lock-order
 * reports (circular, recursive, nest) let the acquisition proceed as lockdep does; an
 * acquisition that would block is abandoned (the lock is not taken; *_killable() returns
 * -EINTR, void lock functions simply return without the lock).
 */
typedef void (*lock_failure_hook_t)(enum lock_failure kind, const char *summary);

/* Install @hook (NULL: host_die() on failure); returns the previous hook. */
lock_failure_hook_t harness_set_lock_failure_hook(lock_failure_hook_t hook);
/* Number of failures reported of @kind since the start (LOCK_FAIL_NR: all kinds). */
unsigned long lock_failure_count(enum lock_failure kind);
/* Name of a failure kind, e.g. "circular". */
const char *lock_failure_name(enum lock_failure kind);

/* The op layer calls this after each operation: @task must hold no lock (lockdep or lock word). */
void harness_assert_no_locks_held(struct task_struct *task);
/* Locks @task holds, as lockdep sees them (held-lock stack depth). */
unsigned int harness_locks_held(struct task_struct *task);
/* Print @task's held locks (class, mode, site) on stderr. */
void harness_print_held_locks(struct task_struct *task);
/* @task exits: it must hold no lock; its held-lock record is dropped. */
void harness_lock_task_exit(struct task_struct *task);

/*
 * For the schedule() model: current sleeps (state != TASK_RUNNING) and no other thread can
 * wake it. Reports LOCK_FAIL_BLOCKED_WAIT naming @what and @ip with current's held locks.
 */
void harness_report_blocked_wait(const char *what, unsigned long ip);

/*
 * Acquisitions per lock class name (the lockdep_map name, e.g. "&anon_vma->rwsem"), summed
 * over keys and subclasses: @read 0 exclusive, 1 shared (read or recursive read), -1 both.
 * Successful trylocks count; failed ones do not.
 */
unsigned long lock_class_acquisitions(const char *name, int read);
/* Zero all acquisition counters. */
void lock_class_stats_reset(void);
/* Print every class with its exclusive/shared acquisition counts on stdout. */
void lock_class_stats_print(void);

/*
 * Forget the recorded lock order (classes stay, edges go) so that independent test cases do
 * not see each other's dependencies. No task may hold a lock.
 */
void harness_lockdep_reset_order(void);

#endif /* HARNESS_LOCKS_H */
