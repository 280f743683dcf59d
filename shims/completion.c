// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/sched/completion.c and kernel/sched/swait.c. */
/*
 * One thread runs everything, so nobody is ever woken and nobody may wait for what has not
 * been completed yet: a completion only counts.
 */
#include <linux/completion.h>
#include <linux/swait.h>
#include "host.h"

/* The lock class name is not kept. */
void __init_swait_queue_head(struct swait_queue_head *q, const char *name,
			     struct lock_class_key *key)
{
	raw_spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->task_list);
}

void complete(struct completion *x)
{
	if (x->done != UINT_MAX)
		x->done++;
}

void wait_for_completion(struct completion *x)
{
	if (!x->done)
		host_die("wait_for_completion(): nothing else runs to complete it");
	if (x->done != UINT_MAX)
		x->done--;
}
