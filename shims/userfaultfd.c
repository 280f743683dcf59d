// SPDX-License-Identifier: GPL-2.0
/* Stands in for the wait queues of kernel/sched/wait.c and drivers/char/misc.c, as mm/userfaultfd.c uses them. */
/*
 * One thread runs everything, so no task ever waits on a userfaultfd's queues: a queue is
 * just its lock and an empty list, and waking it finds nobody. The misc device is never
 * opened (the harness makes contexts directly, shims/userfaultfd.h).
 */
#include <linux/wait.h>
#include <linux/miscdevice.h>

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

int misc_register(struct miscdevice *misc)
{
	return 0;
}
