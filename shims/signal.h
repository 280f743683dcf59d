/* SPDX-License-Identifier: GPL-2.0 */
/* Signals sent by the code under test, recorded instead of delivered (signal.c). */
#ifndef HARNESS_SIGNAL_H
#define HARNESS_SIGNAL_H

#include <linux/types.h>

struct task_struct;

#define HARNESS_MAX_SIGNALS 64

struct harness_signal {
	struct task_struct *task;
	int sig;
	int code;		/* BUS_MCEERR_AO, BUS_MCEERR_AR, or 0 */
	unsigned long addr;
	short addr_lsb;
};

const struct harness_signal *harness_signals(int *nr);
void harness_signals_clear(void);

#endif /* HARNESS_SIGNAL_H */
