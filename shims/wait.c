// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/sched/wait.c. */
/*
 * One thread runs everything, so no task ever sleeps on a wait queue: a queue is its lock
 * and an empty list, and waking it finds nobody.
 */
#include <linux/wait.h>

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name,
			   struct lock_class_key *key)
{
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

void __wake_up_locked_key(struct wait_queue_head *wq_head, unsigned int mode, void *key)
{
	lockdep_assert_held(&wq_head->lock);
	WARN_ON_ONCE(!list_empty(&wq_head->head));
}

int __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive, void *key)
{
	return 0;
}
