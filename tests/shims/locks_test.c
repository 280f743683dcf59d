// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the locking model (shims/locks.c, shims/lockdep.c) and the irqflags shadow (include/asm/irqflags.h):
 * lock words as the kernel's inline helpers read them, lockdep assertions through the real
 * macros, order/deadlock reports through the failure hook. KTAP on stdout.
 */

/*
 * Without CONFIG_BUG, WARN_ON() only evaluates its condition; count the warnings instead so that
 * lockdep_assert_held() and friends (which expand to WARN_ON()) become observable. Must come
 * before any kernel header.
 */
int test_warn(int cond, const char *file, int line);
#define HAVE_ARCH_WARN_ON
#define WARN_ON(condition) test_warn(!!(condition), __FILE__, __LINE__)

#include <linux/lockdep.h>
#include <linux/mm_types.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
#include <linux/rcuwait.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "host.h"
#include "locks.h"

/* ---- the few kernel symbols a standalone link needs ---- */

/* One CPU (number 0), preemption enabled: x86 keeps NEED_RESCHED inverted in the count. */
DEFINE_PER_CPU_CACHE_HOT(int, cpu_number);
DEFINE_PER_CPU_CACHE_HOT(unsigned long, __preempt_count) = PREEMPT_ENABLED;

/* `current`: %gs base is 0 in userland, so the per-cpu read lands on this variable. */
DEFINE_PER_CPU_CACHE_HOT(struct task_struct *, current_task);

/* Nothing sets NEED_RESCHED here, so preempt_enable() never calls it. */
asm(".pushsection .text\n"
    ".globl preempt_schedule_thunk\n"
    "preempt_schedule_thunk:\n\tud2\n"
    ".popsection\n");

static struct task_struct task_a = { .comm = "task-a", .pid = 1 };
static struct task_struct task_b = { .comm = "task-b", .pid = 2 };

static void switch_to_task(struct task_struct *t)
{
	this_cpu_write(current_task, t);
	barrier();
}

/* ---- test plumbing ---- */

static int warnings;
static bool case_failed;

int test_warn(int cond, const char *file, int line)
{
	if (cond) {
		warnings++;
		host_eprint("# WARN_ON at %s:%d\n", file, line);
	}
	return cond;
}

#define CHECK(c)								\
	do {									\
		if (!(c)) {							\
			host_eprint("# %s:%d: check failed: %s\n", __FILE__,	\
				    __LINE__, #c);				\
			case_failed = true;					\
		}								\
	} while (0)

static int hook_calls;
static enum lock_failure hook_kind;
static char hook_summary[512];

static void test_hook(enum lock_failure kind, const char *summary)
{
	unsigned int i;

	hook_calls++;
	hook_kind = kind;
	for (i = 0; summary[i] && i < sizeof(hook_summary) - 1; i++)
		hook_summary[i] = summary[i];
	hook_summary[i] = '\0';
	host_print("# hook: %s: %s\n", lock_failure_name(kind), hook_summary);
}

static bool contains(const char *s, const char *sub)
{
	unsigned int i, j;

	for (i = 0; s[i]; i++) {
		for (j = 0; sub[j] && s[i + j] == sub[j]; j++)
			;
		if (!sub[j])
			return true;
	}
	return !sub[0];
}

/* Exactly one report since the last expectation, of @kind, naming @a and @b. */
static void expect_report(enum lock_failure kind, const char *a, const char *b, int line)
{
	if (hook_calls != 1 || hook_kind != kind || !contains(hook_summary, a) ||
	    !contains(hook_summary, b)) {
		host_eprint("# line %d: expected one %s report naming '%s' and '%s', got %d (last: %s: %s)\n",
			    line, lock_failure_name(kind), a, b, hook_calls,
			    hook_calls ? lock_failure_name(hook_kind) : "-", hook_summary);
		case_failed = true;
	}
	hook_calls = 0;
	hook_summary[0] = '\0';
}
#define EXPECT_REPORT(kind, a, b) expect_report(kind, a, b, __LINE__)

static void expect_quiet(int line)
{
	if (hook_calls) {
		host_eprint("# line %d: unexpected report: %s: %s\n", line,
			    lock_failure_name(hook_kind), hook_summary);
		case_failed = true;
	}
	hook_calls = 0;
}
#define EXPECT_QUIET() expect_quiet(__LINE__)

/* ---- test cases ---- */

static struct rw_semaphore sem_a, sem_b, sem_c;
static struct rw_semaphore same[3];
static struct mutex mtx;
static spinlock_t spin;
static struct mm_struct test_mm;

/* One init_rwsem() site: every semaphore initialised here shares one lockdep class. */
static void init_same_class(struct rw_semaphore *sem)
{
	init_rwsem(sem);
}

static void init_locks(void)
{
	int i;

	init_rwsem(&sem_a);
	init_rwsem(&sem_b);
	init_rwsem(&sem_c);
	for (i = 0; i < ARRAY_SIZE(same); i++)
		init_same_class(&same[i]);
	mutex_init(&mtx);
	spin_lock_init(&spin);
	init_rwsem(&test_mm.mmap_lock);
}

static void test_rwsem_counts(void)
{
	unsigned long rd0 = lock_class_acquisitions("&sem_a", 1);
	unsigned long wr0 = lock_class_acquisitions("&sem_a", 0);

	CHECK(!rwsem_is_locked(&sem_a));
	down_read(&sem_a);
	CHECK(rwsem_is_locked(&sem_a));
	CHECK(atomic_long_read(&sem_a.count) == 1 << 8);
	CHECK(atomic_long_read(&sem_a.owner) == ((long)&task_a | 1));
	CHECK(lock_is_held_type(&sem_a.dep_map, 1) == LOCK_STATE_HELD);
	CHECK(lock_is_held_type(&sem_a.dep_map, 0) == LOCK_STATE_NOT_HELD);

	switch_to_task(&task_b);
	CHECK(down_read_trylock(&sem_a) == 1);
	CHECK(atomic_long_read(&sem_a.count) == 2 << 8);
	CHECK(down_write_trylock(&sem_a) == 0);
	up_read(&sem_a);
	switch_to_task(&task_a);
	up_read(&sem_a);
	CHECK(!rwsem_is_locked(&sem_a));
	CHECK(!rwsem_is_contended(&sem_a));

	down_write(&sem_a);
	CHECK(atomic_long_read(&sem_a.count) == RWSEM_WRITER_LOCKED);
	CHECK(atomic_long_read(&sem_a.owner) == (long)&task_a);
	CHECK(down_read_trylock(&sem_a) == 0);
	CHECK(lock_is_held_type(&sem_a.dep_map, 0) == LOCK_STATE_HELD);
	downgrade_write(&sem_a);
	CHECK(atomic_long_read(&sem_a.count) == 1 << 8);
	CHECK(atomic_long_read(&sem_a.owner) == ((long)&task_a | 1));
	CHECK(lock_is_held_type(&sem_a.dep_map, 1) == LOCK_STATE_HELD);
	CHECK(lock_is_held_type(&sem_a.dep_map, 0) == LOCK_STATE_NOT_HELD);
	up_read(&sem_a);
	CHECK(!rwsem_is_locked(&sem_a));
	CHECK(down_write_killable(&sem_a) == 0);
	up_write(&sem_a);

	CHECK(lock_class_acquisitions("&sem_a", 1) - rd0 == 2);
	CHECK(lock_class_acquisitions("&sem_a", 0) - wr0 == 2);
	CHECK(lock_class_acquisitions("&sem_a", -1) - rd0 - wr0 == 4);
	CHECK(harness_locks_held(&task_a) == 0);
	EXPECT_QUIET();
}

static void test_lockdep_asserts(void)
{
	int w0 = warnings;

	down_write(&test_mm.mmap_lock);
	mmap_assert_locked(&test_mm);
	mmap_assert_write_locked(&test_mm);
	lockdep_assert_held(&test_mm.mmap_lock);
	lockdep_assert_held_write(&test_mm.mmap_lock);
	CHECK(lockdep_is_held(&test_mm.mmap_lock));
	CHECK(lockdep_depth(&task_a) == 1);
	CHECK(warnings == w0);

	/* Held by task-a, not by task-b. */
	switch_to_task(&task_b);
	mmap_assert_locked(&test_mm);
	CHECK(warnings == w0 + 1);
	switch_to_task(&task_a);

	downgrade_write(&test_mm.mmap_lock);
	mmap_assert_locked(&test_mm);
	lockdep_assert_held_read(&test_mm.mmap_lock);
	CHECK(warnings == w0 + 1);
	mmap_assert_write_locked(&test_mm);
	CHECK(warnings == w0 + 2);
	up_read(&test_mm.mmap_lock);

	lockdep_assert_held(&test_mm.mmap_lock);
	CHECK(warnings == w0 + 3);
	lockdep_assert_not_held(&test_mm.mmap_lock);
	CHECK(warnings == w0 + 3);

	mutex_lock(&mtx);
	lockdep_assert_held(&mtx);
	spin_lock(&spin);
	lockdep_assert_held(&spin);
	spin_unlock(&spin);
	mutex_unlock(&mtx);
	CHECK(warnings == w0 + 3);
	CHECK(lockdep_depth(&task_a) == 0);
	EXPECT_QUIET();
}

static void test_abba(void)
{
	down_write(&sem_a);
	down_read(&sem_b);
	up_read(&sem_b);
	up_write(&sem_a);
	EXPECT_QUIET();

	/* The inverse order, even from another task and without any real contention. */
	switch_to_task(&task_b);
	down_write(&sem_b);
	down_write(&sem_a);
	EXPECT_REPORT(LOCK_FAIL_CIRCULAR, "&sem_a", "&sem_b");
	/* Lockdep reports, the acquisition itself went through. */
	CHECK(atomic_long_read(&sem_a.owner) == (long)&task_b);
	up_write(&sem_a);
	up_write(&sem_b);
	switch_to_task(&task_a);

	/* A longer cycle: b -> c recorded now, c -> a closes a -> b -> c -> a. */
	down_read(&sem_b);
	mutex_lock(&mtx);
	mutex_unlock(&mtx);
	down_read(&sem_c);
	up_read(&sem_c);
	up_read(&sem_b);
	down_write(&sem_c);
	down_read(&sem_a);
	EXPECT_REPORT(LOCK_FAIL_CIRCULAR, "&sem_c", "&sem_a");
	up_read(&sem_a);
	up_write(&sem_c);

	/* Recursive readers cannot deadlock against each other: no strong cycle. */
	harness_lockdep_reset_order();
	lock_map_acquire_read(&sem_a.dep_map);
	down_write(&sem_b);
	up_write(&sem_b);
	lock_map_release(&sem_a.dep_map);
	down_write(&sem_b);
	lock_map_acquire_read(&sem_a.dep_map);
	lock_map_release(&sem_a.dep_map);
	up_write(&sem_b);
	EXPECT_QUIET();

	/* Trylocks take no part in the order. */
	down_write(&sem_b);
	CHECK(down_read_trylock(&sem_c));
	up_read(&sem_c);
	up_write(&sem_b);
	down_write(&sem_c);
	CHECK(down_write_trylock(&sem_b));
	up_write(&sem_b);
	up_write(&sem_c);
	EXPECT_QUIET();
	harness_lockdep_reset_order();
}

static void test_deadlocks(void)
{
	struct lockdep_map *vm = &sem_c.dep_map;
	struct rcuwait w;

	/* Self deadlock. */
	down_write(&sem_a);
	CHECK(down_write_killable(&sem_a) == -EINTR);
	EXPECT_REPORT(LOCK_FAIL_SELF_DEADLOCK, "&sem_a", "self");

	/* Another task holds it: a single thread would hang. */
	switch_to_task(&task_b);
	CHECK(down_read_killable(&sem_a) == -EINTR);
	EXPECT_REPORT(LOCK_FAIL_DEADLOCK, "&sem_a", "another task");
	down_read(&sem_a);		/* abandoned: task-b holds nothing */
	EXPECT_REPORT(LOCK_FAIL_DEADLOCK, "&sem_a", "another task");
	CHECK(harness_locks_held(&task_b) == 0);
	CHECK(atomic_long_read(&sem_a.count) == RWSEM_WRITER_LOCKED);

	/* A fatal signal ends a killable wait without a report, as in the kernel. */
	set_tsk_thread_flag(&task_b, TIF_SIGPENDING);
	sigaddset(&task_b.pending.signal, SIGKILL);
	CHECK(down_write_killable(&sem_a) == -EINTR);
	EXPECT_QUIET();
	clear_tsk_thread_flag(&task_b, TIF_SIGPENDING);
	sigdelset(&task_b.pending.signal, SIGKILL);
	switch_to_task(&task_a);

	/* The op layer's check after an operation. */
	harness_assert_no_locks_held(&task_a);
	EXPECT_REPORT(LOCK_FAIL_HELD_AT_RETURN, "&sem_a", "held at return");
	harness_assert_no_locks_held(&task_b);
	EXPECT_QUIET();
	up_write(&sem_a);
	harness_assert_no_locks_held(&task_a);
	EXPECT_QUIET();

	/* Spinlock held by another task; the abandoned lock leaves the preempt count alone. */
	spin_lock(&spin);
	switch_to_task(&task_b);
	spin_lock(&spin);
	EXPECT_REPORT(LOCK_FAIL_DEADLOCK, "&spin", "another task");
	CHECK(preempt_count() == 1);
	CHECK(spin_trylock(&spin) == 0);
	spin_unlock(&spin);		/* not its lock */
	EXPECT_REPORT(LOCK_FAIL_NOT_HELD, "spin_unlock", "&spin");
	switch_to_task(&task_a);
	spin_unlock(&spin);
	CHECK(preempt_count() == 0);

	/* Mutex re-acquired by its owner. */
	mutex_lock(&mtx);
	CHECK(mutex_lock_killable(&mtx) == -EINTR);
	EXPECT_REPORT(LOCK_FAIL_SELF_DEADLOCK, "&mtx", "self");
	mutex_unlock(&mtx);

	/* Release of a lock not held. */
	up_write(&sem_b);
	EXPECT_REPORT(LOCK_FAIL_NOT_HELD, "up_write", "&sem_b");
	down_read(&sem_b);
	up_write(&sem_b);
	EXPECT_REPORT(LOCK_FAIL_NOT_HELD, "up_write", "&sem_b");
	up_read(&sem_b);

	/* Per-VMA lock style annotation: readers hold the map, a writer would wait for them. */
	switch_to_task(&task_b);
	lock_acquire_shared(vm, 0, 1, NULL, _THIS_IP_);
	switch_to_task(&task_a);
	lock_acquire_exclusive(vm, 0, 0, NULL, _THIS_IP_);
	EXPECT_REPORT(LOCK_FAIL_DEADLOCK, "&sem_c", "another task");
	lock_release(vm, _THIS_IP_);
	switch_to_task(&task_b);
	lock_release(vm, _THIS_IP_);
	switch_to_task(&task_a);

	/* rwsem read recursion: lockdep treats rwsem readers as non-recursive. */
	down_read(&sem_b);
	down_read(&sem_b);
	EXPECT_REPORT(LOCK_FAIL_RECURSIVE, "recursive", "&sem_b");
	CHECK(atomic_long_read(&sem_b.count) == 2 << 8);
	up_read(&sem_b);
	up_read(&sem_b);
	CHECK(!rwsem_is_locked(&sem_b));

	/* Sleeping lock under a spinlock. */
	spin_lock(&spin);
	down_read(&sem_b);
	EXPECT_REPORT(LOCK_FAIL_ATOMIC_SLEEP, "atomic", "&sem_b");
	up_read(&sem_b);
	spin_unlock(&spin);

	/* rcuwait: waking a sleeper makes it runnable; finishing clears the waiter. */
	rcuwait_init(&w);
	CHECK(rcuwait_wake_up(&w) == 0);
	rcu_assign_pointer(w.task, &task_b);
	WRITE_ONCE(task_b.__state, TASK_UNINTERRUPTIBLE);
	CHECK(rcuwait_wake_up(&w) == 1);
	CHECK(READ_ONCE(task_b.__state) == TASK_RUNNING);
	CHECK(rcuwait_wake_up(&w) == 0);
	rcu_assign_pointer(w.task, &task_a);
	WRITE_ONCE(task_a.__state, TASK_KILLABLE);
	finish_rcuwait(&w);
	CHECK(!rcuwait_active(&w));
	CHECK(READ_ONCE(task_a.__state) == TASK_RUNNING);
	harness_report_blocked_wait("rcuwait_wait_event", _THIS_IP_);
	EXPECT_REPORT(LOCK_FAIL_BLOCKED_WAIT, "blocked wait", "rcuwait");

	CHECK(harness_locks_held(&task_a) == 0 && harness_locks_held(&task_b) == 0);
	EXPECT_QUIET();
}

static void test_nesting(void)
{
	/* Same class, annotated: no report. */
	down_write(&same[0]);
	down_write_nested(&same[1], SINGLE_DEPTH_NESTING);
	up_write(&same[1]);
	up_write(&same[0]);
	down_read(&same[0]);
	down_read_nested(&same[1], SINGLE_DEPTH_NESTING);
	up_read(&same[1]);
	up_read(&same[0]);
	EXPECT_QUIET();

	/* Many of one class under a nest lock, as mm_take_all_locks() does. */
	down_write(&sem_a);
	down_write_nest_lock(&same[0], &sem_a);
	down_write_nest_lock(&same[1], &sem_a);
	down_write_nest_lock(&same[2], &sem_a);
	up_write(&same[2]);
	up_write(&same[1]);
	up_write(&same[0]);
	up_write(&sem_a);
	EXPECT_QUIET();

	/* Same class, no annotation: lockdep's "possible recursive locking". */
	down_write(&same[0]);
	down_write(&same[1]);
	EXPECT_REPORT(LOCK_FAIL_RECURSIVE, "recursive", ": sem");
	up_write(&same[1]);
	up_write(&same[0]);

	/* The nest lock must be held. */
	down_write_nest_lock(&same[0], &sem_a);
	EXPECT_REPORT(LOCK_FAIL_NEST_NOT_HELD, "nest", "&sem_a");
	up_write(&same[0]);

	/* Spinlock subclasses. */
	{
		static spinlock_t s[2];
		int i;

		for (i = 0; i < 2; i++)
			spin_lock_init(&s[i]);
		spin_lock(&s[0]);
		spin_lock_nested(&s[1], SINGLE_DEPTH_NESTING);
		spin_unlock(&s[1]);
		spin_unlock(&s[0]);
		EXPECT_QUIET();
		spin_lock(&s[0]);
		spin_lock(&s[1]);
		EXPECT_REPORT(LOCK_FAIL_RECURSIVE, "recursive", "&s[i]");
		spin_unlock(&s[1]);
		spin_unlock(&s[0]);
	}
	EXPECT_QUIET();
	harness_lockdep_reset_order();
}

static DEFINE_SPINLOCK(static_spin);
static DECLARE_RWSEM(static_sem);
static DEFINE_MUTEX(static_mutex);

static void test_spinlocks(void)
{
	unsigned long flags, f1, f2;

	CHECK(!spin_is_locked(&spin));
	CHECK(preempt_count() == 0);
	spin_lock(&spin);
	CHECK(spin_is_locked(&spin));
	CHECK(!spin_is_contended(&spin));
	CHECK(spin.rlock.owner == &task_a && spin.rlock.owner_cpu == 0);
	CHECK(preempt_count() == 1);
	CHECK(!irqs_disabled());
	CHECK(spin_trylock(&spin) == 0);
	assert_spin_locked(&spin);
	spin_unlock(&spin);
	CHECK(!spin_is_locked(&spin));
	CHECK(spin.rlock.owner == SPINLOCK_OWNER_INIT && spin.rlock.owner_cpu == -1);
	CHECK(preempt_count() == 0);

	spin_lock_irq(&spin);
	CHECK(irqs_disabled() && spin_is_locked(&spin));
	spin_unlock_irq(&spin);
	CHECK(!irqs_disabled());

	/* irqsave nests: the inner restore keeps interrupts off. */
	spin_lock_irqsave(&spin, flags);
	CHECK(irqs_disabled());
	local_irq_save(f1);
	CHECK(irqs_disabled_flags(f1));
	local_irq_restore(f1);
	CHECK(irqs_disabled());
	spin_unlock_irqrestore(&spin, flags);
	CHECK(!irqs_disabled() && !irqs_disabled_flags(flags));

	local_irq_save(f1);
	local_irq_save(f2);
	CHECK(!irqs_disabled_flags(f1) && irqs_disabled_flags(f2));
	local_irq_restore(f2);
	CHECK(irqs_disabled());
	local_irq_restore(f1);
	CHECK(!irqs_disabled());
	local_irq_disable();
	CHECK(raw_irqs_disabled());
	local_irq_enable();
	CHECK(!arch_irqs_disabled());

	spin_lock_bh(&spin);
	CHECK(in_softirq() && spin_is_locked(&spin));
	spin_unlock_bh(&spin);
	CHECK(!in_softirq() && preempt_count() == 0);
	CHECK(spin_trylock_irqsave(&spin, flags));
	CHECK(irqs_disabled());
	spin_unlock_irqrestore(&spin, flags);
	CHECK(!irqs_disabled());

	/* Statically initialised locks: the map is its own key. */
	down_write(&static_sem);
	mutex_lock(&static_mutex);
	spin_lock(&static_spin);
	CHECK(mutex_is_locked(&static_mutex));
	CHECK(mutex_trylock(&static_mutex) == 0);
	spin_unlock(&static_spin);
	mutex_unlock(&static_mutex);
	CHECK(!mutex_is_locked(&static_mutex));
	up_write(&static_sem);
	CHECK(lock_class_acquisitions("static_sem", 0) == 1);
	CHECK(lock_class_acquisitions("static_spin", -1) == 1);
	CHECK(preempt_count() == 0 && !irqs_disabled());
	EXPECT_QUIET();
}

static void test_misc(void)
{
	struct rw_semaphore *heap = host_alloc(sizeof(*heap));
	u32 seq;

	/* lock_sequence() changes when a lock is dropped and retaken (maple tree check). */
	down_read(&sem_a);
	seq = lock_sequence(&sem_a.dep_map);
	CHECK(seq != ~0U);
	CHECK(lock_sequence(&sem_b.dep_map) == ~0U);
	up_read(&sem_a);
	down_read(&sem_a);
	CHECK(lock_sequence(&sem_a.dep_map) != seq);
	up_read(&sem_a);

	/* A zeroed, never initialised rwsem. */
	down_write(heap);
	EXPECT_REPORT(LOCK_FAIL_BAD_KEY, "not initialised", "NULL");
	up_write(heap);
	EXPECT_QUIET();

	/* Freeing memory with a held lock (what a kfree() model calls). */
	init_rwsem(heap);
	down_read(heap);
	debug_check_no_locks_freed(heap, sizeof(*heap));
	EXPECT_REPORT(LOCK_FAIL_FREED_HELD, "freeing a held lock", "heap");
	up_read(heap);
	debug_check_no_locks_freed(heap, sizeof(*heap));
	host_free(heap);

	/* Out of order release is fine. */
	down_write(&sem_a);
	down_write(&sem_b);
	up_write(&sem_a);
	up_write(&sem_b);
	CHECK(harness_locks_held(&task_a) == 0);
	EXPECT_QUIET();
	lock_class_stats_print();
}

struct test_case {
	const char *name;
	void (*fn)(void);
};

static const struct test_case cases[] = {
	{ "rwsem_counts", test_rwsem_counts },
	{ "lockdep_asserts", test_lockdep_asserts },
	{ "abba_inversion", test_abba },
	{ "deadlocks", test_deadlocks },
	{ "nesting", test_nesting },
	{ "spinlocks_irqflags", test_spinlocks },
	{ "misc", test_misc },
};

/* host.c's main() calls this. */
int harness_main(int argc, char **argv)
{
	int i, passed = 0, failed = 0;

	switch_to_task(&task_a);
	harness_set_lock_failure_hook(test_hook);
	init_locks();

	host_print("KTAP version 1\n1..%d\n", (int)ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		case_failed = false;
		hook_calls = 0;
		cases[i].fn();
		if (case_failed)
			failed++;
		else
			passed++;
		host_print("%sok %d %s\n", case_failed ? "not " : "", i + 1, cases[i].name);
	}
	host_print("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
