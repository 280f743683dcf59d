/* SPDX-License-Identifier: GPL-2.0 */
/* Modelled processes: creation, fork, exit and the current task (process.c). */
#ifndef HARNESS_PROCESS_H
#define HARNESS_PROCESS_H

struct task_struct;

/* Set up memory, caches and the init task; call once, first. */
void harness_boot(unsigned long nr_pages);
/* Make task the one the kernel code runs on behalf of (current). */
void harness_set_current(struct task_struct *task);
/* A new process with an empty address space, or NULL if an allocation failed. */
struct task_struct *harness_process_create(void);
/* Fork: copy parent's address space with the real dup_mmap(); NULL and *err on failure. */
struct task_struct *harness_fork(struct task_struct *parent, int *err);
/* Exit: drop the address space (the real exit_mmap() when the last user goes). */
void harness_exit(struct task_struct *task);
/*
 * For concurrent runs (shims/sched.c): another thread of @leader's process, sharing its mm
 * (CLONE_VM), or with @leader NULL a kernel thread without one (kswapd, say); and its end,
 * which drops its hold on the mm.
 */
struct task_struct *harness_thread_create(struct task_struct *leader, const char *name);
void harness_thread_exit(struct task_struct *task);

#endif /* HARNESS_PROCESS_H */
