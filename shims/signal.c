// SPDX-License-Identifier: GPL-2.0
/* Stands in for the task list of kernel/fork.c and the signals of kernel/signal.c, as mm/memory-failure.c uses them. */
/*
 * init_task heads the list for_each_process() walks; tests/lib/hwpoison.c links the live
 * processes into it for a collection. A signal is not delivered (nothing runs in user mode)
 * but recorded, for the test to inspect.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include "host.h"
#include <linux/ksm.h>
#include "signal.h"

struct task_struct init_task;

static struct harness_signal records[HARNESS_MAX_SIGNALS];
static int nr_records;

static int record(struct task_struct *t, int sig, int code, unsigned long addr, short lsb)
{
	if (nr_records == HARNESS_MAX_SIGNALS)
		harness_fail("more than %d signals", HARNESS_MAX_SIGNALS);
	records[nr_records++] = (struct harness_signal){ t, sig, code, addr, lsb };
	return 0;
}

int send_sig_mceerr(int code, void __user *addr, short lsb, struct task_struct *t)
{
	return record(t, SIGBUS, code, (unsigned long)addr, lsb);
}

int force_sig_mceerr(int code, void __user *addr, short lsb)
{
	return record(current, SIGBUS, code, (unsigned long)addr, lsb);
}

int do_send_sig_info(int sig, struct kernel_siginfo *info, struct task_struct *p,
		     enum pid_type type)
{
	return record(p, sig, 0, 0, 0);
}

const struct harness_signal *harness_signals(int *nr)
{
	*nr = nr_records;
	return records;
}

void harness_signals_clear(void)
{
	nr_records = 0;
}
