// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/kthread.c and the wake-up of kernel/sched/core.c. */
/*
 * A kernel thread is created as the kernel creates it, a task without an mm named after
 * its format, but it never runs: the harness has one thread. What its loop does, a test
 * does as an operation on behalf of that task (tests/lib/ksm.c runs ksmd's loop body).
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "host.h"
#include "kthread.h"

#define MAX_KTHREADS 4

static struct task_struct *kthreads[MAX_KTHREADS];
static int nr_kthreads;

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...)
{
	struct task_struct *task;
	va_list args;

	if (nr_kthreads == MAX_KTHREADS)
		host_die("more than %d kernel threads", MAX_KTHREADS);
	task = host_alloc(sizeof(*task));
	va_start(args, namefmt);
	vsnprintf(task->comm, sizeof(task->comm), namefmt, args);
	va_end(args);
	task->flags = PF_KTHREAD;
	kthreads[nr_kthreads++] = task;
	return task;
}

/* The thread would start running its function; here it stays where the harness can find it. */
int wake_up_process(struct task_struct *p)
{
	return 1;
}

struct task_struct *harness_kthread(const char *name)
{
	int i;

	for (i = 0; i < nr_kthreads; i++)
		if (!strcmp(kthreads[i]->comm, name))
			return kthreads[i];
	return NULL;
}
