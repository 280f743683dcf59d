// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/locking/{rwsem,spinlock,mutex}.c and the rcuwait of kernel/exit.c. */
#include <linux/debug_locks.h>
#include <linux/interrupt_rc.h>
#include <linux/irqflags.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/rcuwait.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <asm/sections.h>

#include "host.h"
#include "locks.h"
#include "lock_model.h"
#include "sched.h"

/*
 * The lock implementations keep the lock words (sem->count, qspinlock value, mutex owner)
 * that inline helpers read, plus a holder record per held lock; they tell lockdep
 * (shims/lockdep.c) of each acquisition and release, as the kernel's do. A single thread can
 * never wait, so whatever would block is reported as a deadlock instead.
 */

/* One modelled CPU, in process context with interrupts enabled. */
unsigned long harness_eflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;

/* kernel/softirq.c owns this; weak so that a softirq model may define it instead. */
DEFINE_PER_CPU(unsigned long, local_interrupt_disable_state) __weak;

/* From kernel/locking/rwsem.c: the lock word layout that rwsem_is_locked() reads. */
#define RWSEM_READER_OWNED	(1UL << 0)
#define RWSEM_NONSPINNABLE	(1UL << 1)
#define RWSEM_READER_BIAS	(1UL << 8)

/* ---------------------------------------------------------------------------------------- */
/* Reports */

static lock_failure_hook_t failure_hook;
static unsigned long failures[LOCK_FAIL_NR];

static const char *const failure_names[LOCK_FAIL_NR] = {
	[LOCK_FAIL_CIRCULAR]		= "circular",
	[LOCK_FAIL_RECURSIVE]		= "recursive",
	[LOCK_FAIL_SELF_DEADLOCK]	= "self-deadlock",
	[LOCK_FAIL_DEADLOCK]		= "deadlock",
	[LOCK_FAIL_NOT_HELD]		= "not-held",
	[LOCK_FAIL_HELD_AT_RETURN]	= "held-at-return",
	[LOCK_FAIL_NEST_NOT_HELD]	= "nest-not-held",
	[LOCK_FAIL_BAD_KEY]		= "bad-key",
	[LOCK_FAIL_CORRUPT]		= "corrupt",
	[LOCK_FAIL_ATOMIC_SLEEP]	= "atomic-sleep",
	[LOCK_FAIL_BLOCKED_WAIT]	= "blocked-wait",
	[LOCK_FAIL_FREED_HELD]		= "freed-held",
};

/* One-line summary handed to the hook; built by hand since only host.h reaches libc. */
static char sum_buf[512];
static unsigned int sum_len;

void lk_sum_reset(void)
{
	sum_len = 0;
	sum_buf[0] = '\0';
}

void lk_sum_add(const char *s)
{
	while (s && *s && sum_len < sizeof(sum_buf) - 1)
		sum_buf[sum_len++] = *s++;
	sum_buf[sum_len] = '\0';
}

void lk_sum_add_uint(unsigned long v)
{
	char tmp[24];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	lk_sum_add(tmp + i);
}

lock_failure_hook_t harness_set_lock_failure_hook(lock_failure_hook_t hook)
{
	lock_failure_hook_t old = failure_hook;

	failure_hook = hook;
	return old;
}

unsigned long lock_failure_count(enum lock_failure kind)
{
	unsigned long n = 0;
	int i;

	if (kind < LOCK_FAIL_NR)
		return failures[kind];
	for (i = 0; i < LOCK_FAIL_NR; i++)
		n += failures[i];
	return n;
}

const char *lock_failure_name(enum lock_failure kind)
{
	return kind < LOCK_FAIL_NR ? failure_names[kind] : "?";
}

/* The report is on stderr already; hand the summary to the hook, or stop the program. */
void lk_fail(enum lock_failure kind)
{
	failures[kind]++;
	if (!failure_hook)
		host_die("lock model: %s: %s", failure_names[kind], sum_buf);
	host_backtrace();
	failure_hook(kind, sum_buf);
}

void lk_print_task(const struct task_struct *t)
{
	if (t)
		host_eprint("%.16s/%d", t->comm, t->pid);
	else
		host_eprint("<no task>");
}

const char *lk_mode_name(int read)
{
	return read == 0 ? "write" : read == 1 ? "read" : "recursive read";
}

/* ---------------------------------------------------------------------------------------- */
/* Holder records of the lock implementations: who holds which lock word, how, since where. */

struct holder *lk_holder_hash[1 << HOLDER_HASH_BITS];
/*
 * Released records, for the next acquisition: a lock is taken for every swap slot of every
 * check, and an allocation each (with ASan's stack trace) was a fifth of a test's time.
 */
static struct holder *free_holders;

static void holder_add(const void *lock, struct task_struct *task, const char *name,
		       bool write, unsigned long ip)
{
	unsigned int b = lk_hash(lock, 0, HOLDER_HASH_BITS);
	struct holder *h = free_holders;

	if (h)
		free_holders = h->next;
	else
		h = host_alloc(sizeof(*h));

	h->lock = lock;
	h->task = task;
	h->name = name;
	h->write = write;
	h->ip = ip;
	h->next = lk_holder_hash[b];
	lk_holder_hash[b] = h;
}

/* A holder of @lock: @task's (any mode when @mode < 0) or, with @other, any other task's. */
static struct holder *holder_find(const void *lock, struct task_struct *task, int mode,
				  bool other)
{
	struct holder *h;

	for (h = lk_holder_hash[lk_hash(lock, 0, HOLDER_HASH_BITS)]; h; h = h->next) {
		if (h->lock != lock)
			continue;
		if (other ? h->task == task : h->task != task)
			continue;
		if (mode >= 0 && h->write != mode)
			continue;
		return h;
	}
	return NULL;
}

static void holder_del(struct holder *victim)
{
	struct holder **p = &lk_holder_hash[lk_hash(victim->lock, 0, HOLDER_HASH_BITS)];

	for (; *p; p = &(*p)->next) {
		if (*p == victim) {
			*p = victim->next;
			victim->next = free_holders;
			free_holders = victim;
			return;
		}
	}
}

/*
 * The lock word says @lock is taken in a way that makes this acquisition wait: report who holds
 * it. The caller then abandons the acquisition.
 */
static void report_blocked(const void *lock, const char *name, bool write, unsigned long ip)
{
	struct task_struct *curr = current;
	struct holder *self = holder_find(lock, curr, -1, false);
	struct holder *other = holder_find(lock, curr, -1, true);

	lk_sum_reset();
	if (self) {
		host_eprint("\nlockdep: DEADLOCK: ");
		lk_print_task(curr);
		host_eprint(" takes %s at %p (%s) at [<%#lx>], which it already holds (%s) since [<%#lx>]\n",
			    name, lock, write ? "write" : "read", ip,
			    self->write ? "write" : "read", self->ip);
		lk_print_held_of(curr);
		lk_sum_add("self deadlock: ");
		lk_sum_add(name);
		lk_fail(LOCK_FAIL_SELF_DEADLOCK);
	} else if (other) {
		host_eprint("\nlockdep: DEADLOCK: ");
		lk_print_task(curr);
		host_eprint(" would wait forever for %s at %p (%s) at [<%#lx>]: held (%s) by ",
			    name, lock, write ? "write" : "read", ip,
			    other->write ? "write" : "read");
		lk_print_task(other->task);
		host_eprint(" since [<%#lx>], and no task that can run will release it\n", other->ip);
		harness_sched_print_waiters();
		lk_print_held_of(curr);
		if (other->task)
			lk_print_held_of(other->task);
		lk_sum_add("deadlock: ");
		lk_sum_add(name);
		lk_sum_add(" held by another task");
		lk_fail(LOCK_FAIL_DEADLOCK);
	} else {
		host_eprint("\nlockdep: BUG: %s at %p is marked locked but nobody holds it (uninitialised or corrupted), taken at [<%#lx>]\n",
			    name, lock, ip);
		lk_sum_add("lock word locked without holder: ");
		lk_sum_add(name);
		lk_fail(LOCK_FAIL_CORRUPT);
	}
}

/* What might_sleep() checks with CONFIG_DEBUG_ATOMIC_SLEEP, before a sleeping lock. */
static void check_may_sleep(const char *name, unsigned long ip)
{
	if (!preempt_count() && !irqs_disabled())
		return;
	host_eprint("\nlockdep: BUG: sleeping lock %s taken in atomic context at [<%#lx>]: preempt_count %#x, irqs %s\n",
		    name, ip, preempt_count(), irqs_disabled() ? "disabled" : "enabled");
	lk_print_held_of(current);
	lk_sum_reset();
	lk_sum_add("sleeping lock in atomic context: ");
	lk_sum_add(name);
	lk_fail(LOCK_FAIL_ATOMIC_SLEEP);
}

/* Reports releases the lock word does not back; true when the release may proceed. */
static struct holder *release_holder(const void *lock, const char *name, bool write,
				     bool non_owner, const char *what, unsigned long ip)
{
	struct task_struct *task = non_owner ? NULL : current;
	struct holder *h = holder_find(lock, task, write, false);

	if (!h) {
		struct holder *any = holder_find(lock, task, -1, false);

		if (any)
			host_eprint("lockdep: %s: %s is held for %s, not %s\n", what, name,
				    any->write ? "write" : "read", write ? "write" : "read");
		lk_report_not_held(current, what, name, lock, ip);
	}
	return h;
}

/* ---------------------------------------------------------------------------------------- */
/* rw_semaphore (kernel/locking/rwsem.c) */

void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key)
{
	debug_check_no_locks_freed((void *)sem, sizeof(*sem));
	lockdep_init_map_wait(&sem->dep_map, name, key, 0, LD_WAIT_SLEEP);
	atomic_long_set(&sem->count, RWSEM_UNLOCKED_VALUE);
	atomic_long_set(&sem->owner, 0L);
	raw_spin_lock_init(&sem->wait_lock);
	sem->first_waiter = NULL;
	osq_lock_init(&sem->osq);
}
EXPORT_SYMBOL(__init_rwsem);

static void rwsem_set_reader_owned(struct rw_semaphore *sem, struct task_struct *owner)
{
	unsigned long keep = atomic_long_read(&sem->owner) & RWSEM_NONSPINNABLE;

	atomic_long_set(&sem->owner, (long)owner | RWSEM_READER_OWNED | keep);
}

/* Blocked is what the fast paths see: a writer for readers, anything for writers. */
static bool rwsem_blocked(struct rw_semaphore *sem, bool write)
{
	long count = atomic_long_read(&sem->count);

	return write ? count != RWSEM_UNLOCKED_VALUE : (count & RWSEM_WRITER_LOCKED);
}

struct rwsem_want {
	struct rw_semaphore *sem;
	bool write;
};

static bool rwsem_free_for(const void *arg)
{
	const struct rwsem_want *want = arg;

	return !rwsem_blocked(want->sem, want->write);
}

/*
 * The lock word is checked before lockdep hears of the acquisition (the kernel tells lockdep
 * first), so an acquisition that can never succeed leaves no held-lock record behind. In a
 * concurrent run another task may go first, and this one waits while the lock is taken.
 */
static int rwsem_wait_or_fail(struct rw_semaphore *sem, bool write, int state, unsigned long ip)
{
	struct rwsem_want want = { .sem = sem, .write = write };

	harness_sched_point();
	if (!rwsem_blocked(sem, write))
		return 0;
	/* A killable/interruptible sleeper with such a signal pending gives up at once. */
	if (signal_pending_state(state, current))
		return -EINTR;
	if (harness_sched_wait(rwsem_free_for, &want, sem->dep_map.name))
		return 0;
	report_blocked(sem, sem->dep_map.name, write, ip);
	return -EINTR;
}

static int __down_read_common(struct rw_semaphore *sem, int subclass, int state, bool owner,
			      unsigned long ip)
{
	int ret;

	check_may_sleep(sem->dep_map.name, ip);
	ret = rwsem_wait_or_fail(sem, false, state, ip);
	if (ret)
		return ret;
	if (owner)
		rwsem_acquire_read(&sem->dep_map, subclass, 0, ip);
	atomic_long_add(RWSEM_READER_BIAS, &sem->count);
	rwsem_set_reader_owned(sem, owner ? current : NULL);
	holder_add(sem, owner ? current : NULL, sem->dep_map.name, false, ip);
	return 0;
}

static int __down_write_common(struct rw_semaphore *sem, int subclass,
			       struct lockdep_map *nest, int state, unsigned long ip)
{
	int ret;

	check_may_sleep(sem->dep_map.name, ip);
	ret = rwsem_wait_or_fail(sem, true, state, ip);
	if (ret)
		return ret;
	rwsem_acquire_nest(&sem->dep_map, subclass, 0, nest, ip);
	atomic_long_set(&sem->count, RWSEM_WRITER_LOCKED);
	atomic_long_set(&sem->owner, (long)current);
	holder_add(sem, current, sem->dep_map.name, true, ip);
	return 0;
}

/* The model cannot return from an uninterruptible wait: the caller runs on without the lock. */
void down_read(struct rw_semaphore *sem)
{
	__down_read_common(sem, 0, TASK_UNINTERRUPTIBLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read);

void down_read_nested(struct rw_semaphore *sem, int subclass)
{
	__down_read_common(sem, subclass, TASK_UNINTERRUPTIBLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read_nested);

int down_read_interruptible(struct rw_semaphore *sem)
{
	return __down_read_common(sem, 0, TASK_INTERRUPTIBLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read_interruptible);

int down_read_killable(struct rw_semaphore *sem)
{
	return __down_read_common(sem, 0, TASK_KILLABLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read_killable);

int down_read_killable_nested(struct rw_semaphore *sem, int subclass)
{
	return __down_read_common(sem, subclass, TASK_KILLABLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read_killable_nested);

void down_read_non_owner(struct rw_semaphore *sem)
{
	__down_read_common(sem, 0, TASK_UNINTERRUPTIBLE, false, _RET_IP_);
}
EXPORT_SYMBOL(down_read_non_owner);

int down_read_trylock(struct rw_semaphore *sem)
{
	harness_sched_point();
	if (rwsem_blocked(sem, false)) {
		harness_sched_trylock_failed();
		return 0;
	}
	rwsem_acquire_read(&sem->dep_map, 0, 1, _RET_IP_);
	atomic_long_add(RWSEM_READER_BIAS, &sem->count);
	rwsem_set_reader_owned(sem, current);
	holder_add(sem, current, sem->dep_map.name, false, _RET_IP_);
	return 1;
}
EXPORT_SYMBOL(down_read_trylock);

void down_write(struct rw_semaphore *sem)
{
	__down_write_common(sem, 0, NULL, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL(down_write);

void down_write_nested(struct rw_semaphore *sem, int subclass)
{
	__down_write_common(sem, subclass, NULL, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL(down_write_nested);

void _down_write_nest_lock(struct rw_semaphore *sem, struct lockdep_map *nest_lock)
{
	__down_write_common(sem, 0, nest_lock, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL(_down_write_nest_lock);

int down_write_killable(struct rw_semaphore *sem)
{
	return __down_write_common(sem, 0, NULL, TASK_KILLABLE, _RET_IP_);
}
EXPORT_SYMBOL(down_write_killable);

int down_write_killable_nested(struct rw_semaphore *sem, int subclass)
{
	return __down_write_common(sem, subclass, NULL, TASK_KILLABLE, _RET_IP_);
}
EXPORT_SYMBOL(down_write_killable_nested);

int down_write_trylock(struct rw_semaphore *sem)
{
	harness_sched_point();
	if (rwsem_blocked(sem, true)) {
		harness_sched_trylock_failed();
		return 0;
	}
	rwsem_acquire(&sem->dep_map, 0, 1, _RET_IP_);
	atomic_long_set(&sem->count, RWSEM_WRITER_LOCKED);
	atomic_long_set(&sem->owner, (long)current);
	holder_add(sem, current, sem->dep_map.name, true, _RET_IP_);
	return 1;
}
EXPORT_SYMBOL(down_write_trylock);

static void __up_read_common(struct rw_semaphore *sem, bool non_owner, unsigned long ip)
{
	struct holder *h;

	harness_sched_point();
	h = release_holder(sem, sem->dep_map.name, false, non_owner, "up_read", ip);
	if (!h)
		return;
	if (!non_owner)
		rwsem_release(&sem->dep_map, ip);
	holder_del(h);
	/* As without CONFIG_DEBUG_RWSEMS, the last reader stays in sem->owner. */
	atomic_long_sub(RWSEM_READER_BIAS, &sem->count);
}

void up_read(struct rw_semaphore *sem)
{
	__up_read_common(sem, false, _RET_IP_);
}
EXPORT_SYMBOL(up_read);

void up_read_non_owner(struct rw_semaphore *sem)
{
	__up_read_common(sem, true, _RET_IP_);
}
EXPORT_SYMBOL(up_read_non_owner);

void up_write(struct rw_semaphore *sem)
{
	struct holder *h;

	harness_sched_point();
	h = release_holder(sem, sem->dep_map.name, true, false, "up_write", _RET_IP_);
	if (!h)
		return;
	rwsem_release(&sem->dep_map, _RET_IP_);
	holder_del(h);
	atomic_long_set(&sem->owner, 0);
	atomic_long_sub(RWSEM_WRITER_LOCKED, &sem->count);
}
EXPORT_SYMBOL(up_write);

void downgrade_write(struct rw_semaphore *sem)
{
	struct holder *h = release_holder(sem, sem->dep_map.name, true, false,
					  "downgrade_write", _RET_IP_);

	if (!h)
		return;
	lock_downgrade(&sem->dep_map, _RET_IP_);
	h->write = false;
	rwsem_set_reader_owned(sem, current);
	atomic_long_add(RWSEM_READER_BIAS - RWSEM_WRITER_LOCKED, &sem->count);
}
EXPORT_SYMBOL(downgrade_write);

/* ---------------------------------------------------------------------------------------- */
/* raw_spinlock_t (kernel/locking/spinlock.c, spinlock_debug.c) */

void __raw_spin_lock_init(raw_spinlock_t *lock, const char *name, struct lock_class_key *key,
			  short inner)
{
	debug_check_no_locks_freed((void *)lock, sizeof(*lock));
	lockdep_init_map_wait(&lock->dep_map, name, key, 0, inner);
	lock->raw_lock = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;
	lock->magic = SPINLOCK_MAGIC;
	lock->owner = SPINLOCK_OWNER_INIT;
	lock->owner_cpu = -1;
}
EXPORT_SYMBOL(__raw_spin_lock_init);

static void spin_bug(raw_spinlock_t *lock, const char *msg, unsigned long ip)
{
	host_eprint("\nlockdep: BUG: spinlock %s on CPU#%d, ", msg, raw_smp_processor_id());
	lk_print_task(current);
	host_eprint(": lock %s at %p, .magic %08x, .owner_cpu %d, at [<%#lx>]\n",
		    lock->dep_map.name ? lock->dep_map.name : "NULL", lock, lock->magic,
		    (int)lock->owner_cpu, ip);
	lk_sum_reset();
	lk_sum_add("spinlock ");
	lk_sum_add(msg);
	lk_sum_add(": ");
	lk_sum_add(lock->dep_map.name);
	lk_fail(LOCK_FAIL_CORRUPT);
}

static bool spin_free(const void *lock)
{
	return !arch_spin_is_locked(&((raw_spinlock_t *)lock)->raw_lock);
}

/*
 * Before a spin lock is taken: in a concurrent run, another task may run first, and this one
 * waits while the lock word is taken. False, reported, when it would spin forever.
 */
static bool spin_wait(raw_spinlock_t *lock, unsigned long ip)
{
	harness_sched_point();
	if (!arch_spin_is_locked(&lock->raw_lock) ||
	    harness_sched_wait(spin_free, lock, lock->dep_map.name))
		return true;
	report_blocked(lock, lock->dep_map.name, true, ip);
	return false;
}

/* The lock word half of a spin lock; false when it is taken (reported). */
static bool spin_take(raw_spinlock_t *lock, unsigned long ip)
{
	if (lock->magic != SPINLOCK_MAGIC)
		spin_bug(lock, "bad magic", ip);
	if (!arch_spin_trylock(&lock->raw_lock)) {
		report_blocked(lock, lock->dep_map.name, true, ip);
		return false;
	}
	lock->owner_cpu = raw_smp_processor_id();
	lock->owner = current;
	holder_add(lock, current, lock->dep_map.name, true, ip);
	return true;
}

static bool spin_put(raw_spinlock_t *lock, unsigned long ip)
{
	struct holder *h;

	if (lock->magic != SPINLOCK_MAGIC)
		spin_bug(lock, "bad magic", ip);
	harness_sched_point();
	h = release_holder(lock, lock->dep_map.name, true, false, "spin_unlock", ip);
	if (!h)
		return false;
	holder_del(h);
	lock->owner = SPINLOCK_OWNER_INIT;
	lock->owner_cpu = -1;
	arch_spin_unlock(&lock->raw_lock);
	return true;
}

void do_raw_spin_lock(raw_spinlock_t *lock)
{
	if (spin_wait(lock, _RET_IP_))
		spin_take(lock, _RET_IP_);
}

int do_raw_spin_trylock(raw_spinlock_t *lock)
{
	harness_sched_point();
	if (arch_spin_is_locked(&lock->raw_lock))
		return 0;
	return spin_take(lock, _RET_IP_);
}

void do_raw_spin_unlock(raw_spinlock_t *lock)
{
	spin_put(lock, _RET_IP_);
}

/* Lock word first, then lockdep; false when the acquisition was abandoned. */
static bool spin_lock_common(raw_spinlock_t *lock, int subclass, struct lockdep_map *nest,
			     unsigned long ip)
{
	if (!spin_wait(lock, ip))
		return false;
	spin_acquire_nest(&lock->dep_map, subclass, 0, nest, ip);
	return spin_take(lock, ip);
}

static bool spin_unlock_common(raw_spinlock_t *lock, unsigned long ip)
{
	if (!holder_find(lock, current, true, false)) {
		spin_put(lock, ip);	/* reports */
		return false;
	}
	spin_release(&lock->dep_map, ip);
	return spin_put(lock, ip);
}

void __lockfunc _raw_spin_lock(raw_spinlock_t *lock)
{
	preempt_disable();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_))
		preempt_enable();
}
EXPORT_SYMBOL(_raw_spin_lock);

void __lockfunc _raw_spin_lock_nested(raw_spinlock_t *lock, int subclass)
{
	preempt_disable();
	if (!spin_lock_common(lock, subclass, NULL, _RET_IP_))
		preempt_enable();
}
EXPORT_SYMBOL(_raw_spin_lock_nested);

void __lockfunc _raw_spin_lock_nest_lock(raw_spinlock_t *lock, struct lockdep_map *map)
{
	preempt_disable();
	if (!spin_lock_common(lock, 0, map, _RET_IP_))
		preempt_enable();
}
EXPORT_SYMBOL(_raw_spin_lock_nest_lock);

/* No softirqs run in the harness: disabling/enabling BH only moves the preempt count. */
void __lockfunc _raw_spin_lock_bh(raw_spinlock_t *lock)
{
	__preempt_count_add(SOFTIRQ_LOCK_OFFSET);
	barrier();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_))
		__preempt_count_sub(SOFTIRQ_LOCK_OFFSET);
}
EXPORT_SYMBOL(_raw_spin_lock_bh);

void __lockfunc _raw_spin_lock_irq(raw_spinlock_t *lock)
{
	local_irq_disable();
	preempt_disable();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_)) {
		preempt_enable();
		local_irq_enable();
	}
}
EXPORT_SYMBOL(_raw_spin_lock_irq);

void __lockfunc _raw_spin_lock_irq_disable(raw_spinlock_t *lock)
{
	local_interrupt_disable();
	preempt_disable();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_)) {
		preempt_enable();
		local_interrupt_enable();
	}
}
EXPORT_SYMBOL_GPL(_raw_spin_lock_irq_disable);

unsigned long __lockfunc _raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags;

	local_irq_save(flags);
	preempt_disable();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_)) {
		preempt_enable();
		local_irq_restore(flags);
	}
	return flags;
}
EXPORT_SYMBOL(_raw_spin_lock_irqsave);

unsigned long __lockfunc _raw_spin_lock_irqsave_nested(raw_spinlock_t *lock, int subclass)
{
	unsigned long flags;

	local_irq_save(flags);
	preempt_disable();
	if (!spin_lock_common(lock, subclass, NULL, _RET_IP_)) {
		preempt_enable();
		local_irq_restore(flags);
	}
	return flags;
}
EXPORT_SYMBOL(_raw_spin_lock_irqsave_nested);

static int spin_trylock_common(raw_spinlock_t *lock, unsigned long ip)
{
	harness_sched_point();
	if (arch_spin_is_locked(&lock->raw_lock)) {
		harness_sched_trylock_failed();
		return 0;
	}
	spin_acquire(&lock->dep_map, 0, 1, ip);
	return spin_take(lock, ip);
}

int __lockfunc _raw_spin_trylock(raw_spinlock_t *lock)
{
	preempt_disable();
	if (spin_trylock_common(lock, _RET_IP_))
		return 1;
	preempt_enable();
	return 0;
}
EXPORT_SYMBOL(_raw_spin_trylock);

int __lockfunc _raw_spin_trylock_bh(raw_spinlock_t *lock)
{
	__preempt_count_add(SOFTIRQ_LOCK_OFFSET);
	barrier();
	if (spin_trylock_common(lock, _RET_IP_))
		return 1;
	__preempt_count_sub(SOFTIRQ_LOCK_OFFSET);
	return 0;
}
EXPORT_SYMBOL(_raw_spin_trylock_bh);

void __lockfunc _raw_spin_unlock(raw_spinlock_t *lock)
{
	if (spin_unlock_common(lock, _RET_IP_))
		preempt_enable();
}
EXPORT_SYMBOL(_raw_spin_unlock);

void __lockfunc _raw_spin_unlock_bh(raw_spinlock_t *lock)
{
	if (spin_unlock_common(lock, _RET_IP_))
		__preempt_count_sub(SOFTIRQ_LOCK_OFFSET);
}
EXPORT_SYMBOL(_raw_spin_unlock_bh);

void __lockfunc _raw_spin_unlock_irq(raw_spinlock_t *lock)
{
	if (spin_unlock_common(lock, _RET_IP_)) {
		local_irq_enable();
		preempt_enable();
	}
}
EXPORT_SYMBOL(_raw_spin_unlock_irq);

void __lockfunc _raw_spin_unlock_irq_enable(raw_spinlock_t *lock)
{
	if (spin_unlock_common(lock, _RET_IP_)) {
		local_interrupt_enable();
		preempt_enable();
	}
}
EXPORT_SYMBOL_GPL(_raw_spin_unlock_irq_enable);

void __lockfunc _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags)
{
	if (spin_unlock_common(lock, _RET_IP_)) {
		local_irq_restore(flags);
		preempt_enable();
	}
}
EXPORT_SYMBOL(_raw_spin_unlock_irqrestore);

/* ---------------------------------------------------------------------------------------- */
/* struct mutex (kernel/locking/mutex.c, mutex-debug.c) */

void mutex_init_lockdep(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	atomic_long_set(&lock->owner, 0);
	raw_spin_lock_init(&lock->wait_lock);
	lock->first_waiter = NULL;
	osq_lock_init(&lock->osq);
	lock->magic = lock;
	debug_check_no_locks_freed((void *)lock, sizeof(*lock));
	lockdep_init_map_wait(&lock->dep_map, name, key, 0, LD_WAIT_SLEEP);
}
EXPORT_SYMBOL(mutex_init_lockdep);

static void mutex_check_magic(struct mutex *lock, unsigned long ip)
{
	if (lock->magic == lock)
		return;
	host_eprint("\nlockdep: BUG: mutex %s at %p has bad magic (not initialised?), at [<%#lx>]\n",
		    lock->dep_map.name ? lock->dep_map.name : "NULL", lock, ip);
	lk_sum_reset();
	lk_sum_add("mutex bad magic: ");
	lk_sum_add(lock->dep_map.name);
	lk_fail(LOCK_FAIL_CORRUPT);
}

void mutex_destroy(struct mutex *lock)
{
	if (mutex_is_locked(lock)) {
		host_eprint("\nlockdep: BUG: destroying locked mutex %s at %p\n",
			    lock->dep_map.name, lock);
		lk_sum_reset();
		lk_sum_add("destroying a locked mutex: ");
		lk_sum_add(lock->dep_map.name);
		lk_fail(LOCK_FAIL_FREED_HELD);
	}
	lock->magic = NULL;
}
EXPORT_SYMBOL_GPL(mutex_destroy);

bool mutex_is_locked(struct mutex *lock)
{
	return atomic_long_read(&lock->owner) != 0;
}
EXPORT_SYMBOL(mutex_is_locked);

static bool mutex_free(const void *lock)
{
	return !mutex_is_locked((struct mutex *)lock);
}

static int __mutex_lock_common(struct mutex *lock, unsigned int subclass,
			       struct lockdep_map *nest, int state, unsigned long ip)
{
	mutex_check_magic(lock, ip);
	check_may_sleep(lock->dep_map.name, ip);
	harness_sched_point();
	if (mutex_is_locked(lock)) {
		if (signal_pending_state(state, current))
			return -EINTR;
		if (!harness_sched_wait(mutex_free, lock, lock->dep_map.name)) {
			report_blocked(lock, lock->dep_map.name, true, ip);
			return -EINTR;
		}
	}
	mutex_acquire_nest(&lock->dep_map, subclass, 0, nest, ip);
	atomic_long_set(&lock->owner, (long)current);
	holder_add(lock, current, lock->dep_map.name, true, ip);
	return 0;
}

void mutex_lock_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock_common(lock, subclass, NULL, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mutex_lock_nested);

void _mutex_lock_nest_lock(struct mutex *lock, struct lockdep_map *nest_lock)
{
	__mutex_lock_common(lock, 0, nest_lock, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(_mutex_lock_nest_lock);

int mutex_lock_interruptible_nested(struct mutex *lock, unsigned int subclass)
{
	return __mutex_lock_common(lock, subclass, NULL, TASK_INTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mutex_lock_interruptible_nested);

int _mutex_lock_killable(struct mutex *lock, unsigned int subclass,
			 struct lockdep_map *nest_lock)
{
	return __mutex_lock_common(lock, subclass, nest_lock, TASK_KILLABLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(_mutex_lock_killable);

void mutex_lock_io_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock_common(lock, subclass, NULL, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mutex_lock_io_nested);

int _mutex_trylock_nest_lock(struct mutex *lock, struct lockdep_map *nest_lock)
{
	mutex_check_magic(lock, _RET_IP_);
	harness_sched_point();
	if (mutex_is_locked(lock)) {
		harness_sched_trylock_failed();
		return 0;
	}
	mutex_acquire_nest(&lock->dep_map, 0, 1, nest_lock, _RET_IP_);
	atomic_long_set(&lock->owner, (long)current);
	holder_add(lock, current, lock->dep_map.name, true, _RET_IP_);
	return 1;
}
EXPORT_SYMBOL(_mutex_trylock_nest_lock);

void mutex_unlock(struct mutex *lock)
{
	struct holder *h;

	mutex_check_magic(lock, _RET_IP_);
	harness_sched_point();
	h = release_holder(lock, lock->dep_map.name, true, false, "mutex_unlock", _RET_IP_);
	if (!h)
		return;
	mutex_release(&lock->dep_map, _RET_IP_);
	holder_del(h);
	atomic_long_set(&lock->owner, 0);
}
EXPORT_SYMBOL(mutex_unlock);

int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock)
{
	/* dec if we can't possibly hit 0 */
	if (atomic_add_unless(cnt, -1, 1))
		return 0;
	mutex_lock(lock);
	if (!atomic_dec_and_test(cnt)) {
		mutex_unlock(lock);
		return 0;
	}
	return 1;
}
EXPORT_SYMBOL(atomic_dec_and_mutex_lock);

/* ---------------------------------------------------------------------------------------- */
/* rcuwait (kernel/exit.c, kernel/rcu/update.c) */

/*
 * No runqueue: waking is making the sleeper TASK_RUNNING, as try_to_wake_up() does for
 * TASK_NORMAL sleepers; no RCU read section, since nothing can free the waiter meanwhile.
 */
int rcuwait_wake_up(struct rcuwait *w)
{
	struct task_struct *task;

	smp_mb(); /* (B) pairs with set_current_state() in the waiter, (A) */
	task = rcu_dereference_raw(w->task);
	if (!task || !(READ_ONCE(task->__state) & TASK_NORMAL))
		return 0;
	WRITE_ONCE(task->__state, TASK_RUNNING);
	return 1;
}
EXPORT_SYMBOL_GPL(rcuwait_wake_up);

void finish_rcuwait(struct rcuwait *w)
{
	rcu_assign_pointer(w->task, NULL);
	__set_current_state(TASK_RUNNING);
}
EXPORT_SYMBOL_GPL(finish_rcuwait);

void harness_report_blocked_wait(const char *what, unsigned long ip)
{
	struct task_struct *curr = current;

	host_eprint("\nlockdep: DEADLOCK: ");
	lk_print_task(curr);
	host_eprint(" sleeps (state %#x) in %s at [<%#lx>] and no other thread can wake it\n",
		    curr ? READ_ONCE(curr->__state) : 0, what ? what : "?", ip);
	lk_print_held_of(curr);
	lk_sum_reset();
	lk_sum_add("blocked wait: ");
	lk_sum_add(what);
	lk_fail(LOCK_FAIL_BLOCKED_WAIT);
}

void harness_cpu_halt(int irqs_enabled)
{
	host_eprint("\nlockdep: the CPU halted (hlt, interrupts %s): nothing can interrupt a single-threaded harness\n",
		    irqs_enabled ? "enabled" : "disabled");
	lk_sum_reset();
	lk_sum_add("CPU halted");
	lk_fail(LOCK_FAIL_BLOCKED_WAIT);
	host_die("CPU halted");
}
