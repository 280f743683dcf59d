// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/rcu/tree.c and kernel/rcu/update.c: Tree RCU on one CPU, see rcu.h. */
#include <linux/irqflags.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "host.h"
#include "rcu.h"
#include "sched.h"

/*
 * The read-side lockdep maps rcu_read_lock() and friends acquire. The wait types are those
 * of kernel/rcu/update.c, for a lock model that checks them.
 */
static struct lock_class_key rcu_lock_key;
struct lockdep_map rcu_lock_map = {
	.name = "rcu_read_lock",
	.key = &rcu_lock_key,
	.wait_type_outer = LD_WAIT_FREE,
	.wait_type_inner = LD_WAIT_CONFIG,
};

static struct lock_class_key rcu_bh_lock_key;
struct lockdep_map rcu_bh_lock_map = {
	.name = "rcu_read_lock_bh",
	.key = &rcu_bh_lock_key,
	.wait_type_outer = LD_WAIT_FREE,
	.wait_type_inner = LD_WAIT_CONFIG,
};

static struct lock_class_key rcu_sched_lock_key;
struct lockdep_map rcu_sched_lock_map = {
	.name = "rcu_read_lock_sched",
	.key = &rcu_sched_lock_key,
	.wait_type_outer = LD_WAIT_FREE,
	.wait_type_inner = LD_WAIT_SPIN,
};

/* Held while a callback runs, as rcu_do_batch() does. */
static struct lock_class_key rcu_callback_key;
struct lockdep_map rcu_callback_map = {
	.name = "rcu_callback",
	.key = &rcu_callback_key,
};

/* Callbacks waiting for the end of the current grace period, in queueing order. */
static struct rcu_head *rcu_cbs;
static struct rcu_head **rcu_cbs_tail = &rcu_cbs;
static unsigned long rcu_nr_queued;

static unsigned long rcu_gp_seq;
static unsigned long rcu_nr_invoked;
static bool rcu_in_callback;

/*
 * kvfree_call_rcu() heads carry the offset of the head in its object instead of a function,
 * as older kernels did: offset + 1, so that a NULL callback stays detectable.
 */
#define KVFREE_RCU_ENCODED_MAX	4096UL

static bool rcu_held(const struct lockdep_map *map)
{
	/* LOCK_STATE_UNKNOWN (lockdep turned off) is not a reason to stop the program. */
	return lock_is_held(map) == LOCK_STATE_HELD;
}

bool harness_rcu_read_held(void)
{
	return rcu_held(&rcu_lock_map) || rcu_held(&rcu_bh_lock_map) ||
	       rcu_held(&rcu_sched_lock_map);
}

const char *harness_rcu_sleep_forbidden(void)
{
	if (rcu_in_callback)
		return "from an RCU callback, which runs in softirq context and must not sleep";
	if (rcu_held(&rcu_lock_map))
		return "inside an rcu_read_lock() section (RCU readers must not sleep)";
	if (rcu_held(&rcu_bh_lock_map))
		return "inside an rcu_read_lock_bh() section";
	if (rcu_held(&rcu_sched_lock_map))
		return "inside an rcu_read_lock_sched() section";
	if (preempt_count())
		return "in atomic context (preempt_count() is not 0)";
	if (irqs_disabled())
		return "with interrupts disabled";
	return NULL;
}

void harness_rcu_might_sleep(const char *what)
{
	const char *why = harness_rcu_sleep_forbidden();

	if (why)
		host_die("%s %s", what, why);
}

static void rcu_queue(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	head->next = NULL;
	*rcu_cbs_tail = head;
	rcu_cbs_tail = &head->next;
	rcu_nr_queued++;
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	if (!head)
		host_die("call_rcu(NULL, %p)", (void *)func);
	if ((unsigned long)func <= KVFREE_RCU_ENCODED_MAX)
		host_die("call_rcu(%p, %p): not a callback function", head, (void *)func);
	rcu_queue(head, func);
}

void harness_call_rcu_kvfree(struct rcu_head *head, unsigned long offset)
{
	if (offset >= KVFREE_RCU_ENCODED_MAX)
		host_die("kvfree_call_rcu(): rcu_head at offset %lu, the limit is 4095", offset);
	rcu_queue(head, (rcu_callback_t)(offset + 1));
}

static void rcu_invoke(struct rcu_head *head)
{
	unsigned long f = (unsigned long)head->func;

	rcu_in_callback = true;
	/* Callbacks run from softirq: in_softirq() is true and they may not sleep. */
	__preempt_count_add(SOFTIRQ_OFFSET);
	rcu_lock_acquire(&rcu_callback_map);

	if (!f)
		host_die("RCU callback of rcu_head %p is NULL: the head was overwritten while queued",
			 head);
	if (f <= KVFREE_RCU_ENCODED_MAX)
		harness_kvfree_rcu_invoke((void *)head - (f - 1));
	else
		head->func(head);

	rcu_lock_release(&rcu_callback_map);
	__preempt_count_sub(SOFTIRQ_OFFSET);
	rcu_in_callback = false;

	if (harness_rcu_read_held())
		host_die("RCU callback %p returned inside an RCU read-side section", (void *)f);
}

/* End a grace period: every callback queued before now may run. */
static unsigned long rcu_end_gp(const char *who)
{
	struct rcu_head *list = rcu_cbs, *head, *next;
	unsigned long expect = rcu_nr_queued, n = 0;

	harness_rcu_might_sleep(who);

	rcu_cbs = NULL;
	rcu_cbs_tail = &rcu_cbs;
	rcu_nr_queued = 0;
	rcu_gp_seq++;

	for (head = list; head; head = next) {
		/* A head queued twice makes a cycle or drops entries; both show in the count. */
		if (++n > expect)
			host_die("RCU callback list corrupted: rcu_head %p was queued twice",
				 head);
		next = head->next;
		rcu_invoke(head);
		rcu_nr_invoked++;
	}
	if (n != expect)
		host_die("RCU callback list lost %lu of %lu callbacks: an rcu_head was queued twice or overwritten",
			 expect - n, expect);
	return n;
}

unsigned long harness_rcu_gp(void)
{
	return rcu_end_gp("harness_rcu_gp()");
}

void harness_rcu_quiesce(void)
{
	int rounds = 0;

	do {
		if (++rounds > 1000)
			host_die("harness_rcu_quiesce(): RCU callbacks keep queueing callbacks");
		rcu_end_gp("harness_rcu_quiesce()");
	} while (rcu_cbs);
}

unsigned long harness_rcu_pending(void)
{
	return rcu_nr_queued;
}

unsigned long harness_rcu_gp_seq(void)
{
	return rcu_gp_seq;
}

unsigned long harness_rcu_invoked(void)
{
	return rcu_nr_invoked;
}

/*
 * The read-side sections of the tasks of a concurrent run (shims/sched.c), each task on a
 * CPU of its own: how deep each task is, and how many outermost sections it has left. The
 * sections nest across flavours, as lockdep sees them.
 */
#define MAX_READERS 8

static struct rcu_reader {
	const struct task_struct *task;
	unsigned int depth;
	unsigned long left;
} readers[MAX_READERS];

static bool rcu_map(const struct lockdep_map *map)
{
	return map == &rcu_lock_map || map == &rcu_bh_lock_map || map == &rcu_sched_lock_map;
}

static struct rcu_reader *reader_of(const struct task_struct *task)
{
	struct rcu_reader *free = NULL;
	int i;

	for (i = 0; i < MAX_READERS; i++) {
		if (readers[i].task == task)
			return &readers[i];
		if (!readers[i].task && !free)
			free = &readers[i];
	}
	if (!free)
		host_die("more than %d tasks in RCU read-side sections", MAX_READERS);
	free->task = task;
	return free;
}

void harness_rcu_lock_acquired(const struct lockdep_map *map)
{
	if (rcu_map(map) && harness_sched_active())
		reader_of(current)->depth++;
}

/*
 * The end of an outermost section is a preemption point (rcu_read_unlock()'s
 * preempt_enable()); a grace period that began while the task was inside may end now.
 */
void harness_rcu_lock_released(const struct lockdep_map *map)
{
	struct rcu_reader *r;

	if (!rcu_map(map) || !harness_sched_active())
		return;
	r = reader_of(current);
	if (WARN_ON(!r->depth) || --r->depth)
		return;
	r->left++;
	harness_sched_point();
}

/* The sections a grace period waits for: each other task inside one when it began. */
struct rcu_gp_wait {
	unsigned long left[MAX_READERS];
	bool inside[MAX_READERS];
};

static bool rcu_gp_over(const void *arg)
{
	const struct rcu_gp_wait *w = arg;
	int i;

	for (i = 0; i < MAX_READERS; i++)
		if (w->inside[i] && readers[i].left == w->left[i])
			return false;
	return true;
}

/*
 * A grace period: in a concurrent run, wait until every other task that is inside a
 * read-side section now has left it. The callbacks whose grace period ended still run at
 * the next quiesce, once the tasks are done.
 */
static void rcu_wait_gp(const char *who)
{
	struct rcu_gp_wait w = { };
	int i;

	harness_rcu_might_sleep(who);
	if (harness_sched_active()) {
		for (i = 0; i < MAX_READERS; i++) {
			w.inside[i] = readers[i].depth && readers[i].task != current;
			w.left[i] = readers[i].left;
		}
		if (!harness_sched_wait(rcu_gp_over, &w, who)) {
			harness_sched_print_waiters();
			host_die("%s: a task stays in its RCU read-side section, and no task can run",
				 who);
		}
	}
	rcu_gp_seq++;
}

void synchronize_rcu(void)
{
	rcu_wait_gp("synchronize_rcu()");
}

void synchronize_rcu_expedited(void)
{
	rcu_wait_gp("synchronize_rcu_expedited()");
}

/* A run's tasks are gone when it ends: a new run starts with no reader. */
void harness_rcu_forget_readers(void)
{
	int i;

	for (i = 0; i < MAX_READERS; i++) {
		if (readers[i].depth)
			host_die("%.16s/%d ended inside an RCU read-side section",
				 readers[i].task->comm, readers[i].task->pid);
		readers[i].task = NULL;
		readers[i].left = 0;
	}
}

/* Waits for the callbacks already queued; those they queue wait for a later barrier. */
void rcu_barrier(void)
{
	rcu_end_gp("rcu_barrier()");
}

int debug_lockdep_rcu_enabled(void)
{
	return 1;
}

int rcu_read_lock_held(void)
{
	return rcu_held(&rcu_lock_map);
}

int rcu_read_lock_bh_held(void)
{
	return rcu_held(&rcu_bh_lock_map);
}

int rcu_read_lock_sched_held(void)
{
	return rcu_held(&rcu_sched_lock_map) || !preemptible();
}

int rcu_read_lock_any_held(void)
{
	return harness_rcu_read_held() || !preemptible();
}

/* The model has no idle or offline CPU, so RCU always watches. */
bool rcu_is_watching(void)
{
	return true;
}
