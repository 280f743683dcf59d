/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel threads of the harness (kthread.c): created at boot, never scheduled. */
#ifndef HARNESS_KTHREAD_H
#define HARNESS_KTHREAD_H

struct task_struct;

/* The kernel thread called name ("ksmd"), or NULL if none was created. */
struct task_struct *harness_kthread(const char *name);

#endif /* HARNESS_KTHREAD_H */
