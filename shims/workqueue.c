// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/workqueue.c. */
#include <linux/workqueue.h>
#include "swap.h"

/*
 * One queue, run in order when the kworker gets its turn
 * (harness_swap_run_work()).
 */
static LIST_HEAD(pending_work);
struct workqueue_struct *system_percpu_wq;

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	if (test_and_set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work)))
		return false;
	list_add_tail(&work->entry, &pending_work);
	return true;
}

static void run_work(struct work_struct *work)
{
	list_del_init(&work->entry);
	clear_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work));
	work->func(work);
}

bool flush_work(struct work_struct *work)
{
	if (!work_pending(work))
		return false;
	run_work(work);
	return true;
}

unsigned long harness_swap_run_work(void)
{
	unsigned long n = 0;

	while (!list_empty(&pending_work)) {
		run_work(list_first_entry(&pending_work, struct work_struct, entry));
		n++;
	}
	return n;
}
