/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness side of the RCU model (shims/rcu.c). The kernel API (call_rcu(),
 * synchronize_rcu(), rcu_barrier(), rcu_read_lock(), ...) is declared by <linux/rcupdate.h>.
 *
 * Model: one CPU (in a concurrent run, one per task), and grace periods end only when the
 * harness or the code under test asks for one. Read-side sections are those lockdep sees:
 * rcu_read_lock{,_bh,_sched}() acquire rcu_{,bh_,sched_}lock_map, and the lock model
 * answers lock_is_held().
 * - call_rcu() queues; callbacks run, in queueing order, only in harness_rcu_gp(),
 *   harness_rcu_quiesce() and rcu_barrier(); callbacks queued by callbacks wait for the
 *   next grace period.
 * - synchronize_rcu() checks that it may sleep and ends a grace period, but leaves the
 *   callbacks to the next harness_rcu_quiesce(): the kernel runs them in another context,
 *   and running them inside the caller would pretend its locks are held by them. In a
 *   concurrent run (shims/sched.c) it first waits for every other task inside a read-side
 *   section to leave it; callbacks still wait until the run's tasks are done.
 * - Anything that waits for a grace period inside a read-side section, with preemption
 *   disabled or from a callback stops the program with a diagnostic.
 */
#ifndef HARNESS_RCU_H
#define HARNESS_RCU_H

#include <linux/types.h>

/* End one grace period and run the callbacks queued before it; returns how many ran. */
unsigned long harness_rcu_gp(void);
/*
 * End grace periods until no callback is queued: what the harness calls between
 * operations, so that every pending free (kfree_rcu(), typesafe-by-RCU objects) happens.
 */
void harness_rcu_quiesce(void);

unsigned long harness_rcu_pending(void);	/* callbacks queued and not yet run */
unsigned long harness_rcu_gp_seq(void);		/* grace periods ended so far */
unsigned long harness_rcu_invoked(void);	/* callbacks run so far */

/* In an RCU (any flavour) read-side section, as lockdep sees it. */
bool harness_rcu_read_held(void);
/* Why the caller must not sleep here (a phrase for a diagnostic), or NULL if it may. */
const char *harness_rcu_sleep_forbidden(void);
/* Stop the program if the caller, doing @what, must not sleep here. */
void harness_rcu_might_sleep(const char *what);

/*
 * Between the two models: kvfree_call_rcu() (slab.c) queues @head, at @offset in its object,
 * and after the grace period rcu.c hands the object back to harness_kvfree_rcu_invoke().
 */
void harness_call_rcu_kvfree(struct rcu_head *head, unsigned long offset);
void harness_kvfree_rcu_invoke(void *ptr);

/*
 * From the lock model (shims/lockdep.c), for every lockdep map: RCU's are read-side
 * sections, which a grace period waits for in a concurrent run (shims/sched.c), and whose
 * end is a scheduling point. harness_rcu_forget_readers() when a run ends.
 */
void harness_rcu_lock_acquired(const struct lockdep_map *map);
void harness_rcu_lock_released(const struct lockdep_map *map);
void harness_rcu_forget_readers(void);

#endif /* HARNESS_RCU_H */
