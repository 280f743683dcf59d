// SPDX-License-Identifier: GPL-2.0
/*
 * userfaultfd operations through the real mm/userfaultfd.c: a context per process,
 * registration of a range and UFFDIO_MOVE, entered as the syscall and ioctls are once
 * their arguments are copied in (shims/userfaultfd.h). Each ends with every invariant
 * checked, as in ops.c.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/userfaultfd.h>
#include "host.h"
#include "locks.h"
#include "process.h"
#include "userfaultfd.h"
#include "harness.h"

static void release_owed(void *ctx, void *task)
{
	op_uffd_release(task, ctx);
}

struct userfaultfd_ctx *op_userfaultfd(struct task_struct *task)
{
	static bool booted;
	struct userfaultfd_ctx *ctx;

	harness_op_enter(task, UNDO_NONE);
	if (!booted) {
		harness_sweep_pause(true);
		EXPECT(!harness_userfaultfd_boot(), "userfaultfd_init() failed");
		harness_sweep_pause(false);
		booted = true;
	}
	ctx = harness_userfaultfd_new();
	if (ctx)
		harness_owe(release_owed, ctx, task);
	harness_log("p%d: userfaultfd() = %p", task->pid, ctx);
	harness_op_leave(false);
	return ctx;
}

int op_uffd_register(struct task_struct *task, struct userfaultfd_ctx *ctx,
		     unsigned long start, unsigned long len)
{
	int ret;

	/* Registering splits the VMA first; the split may stay. */
	harness_op_enter(task, UNDO_VISIBLE);
	ret = harness_userfaultfd_register(ctx, start, len);
	harness_log("p%d: UFFDIO_REGISTER(%#lx, %#lx, MISSING) = %d", task->pid, start, len, ret);
	harness_op_leave(ret < 0);
	return ret;
}

long op_uffd_move(struct task_struct *task, struct userfaultfd_ctx *ctx, unsigned long dst,
		  unsigned long src, unsigned long len, bool allow_src_holes)
{
	long ret;

	harness_op_enter(task, UNDO_NONE);
	ret = harness_userfaultfd_move(ctx, dst, src, len,
				       allow_src_holes ? UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES : 0);
	harness_log("p%d: UFFDIO_MOVE(dst %#lx, src %#lx, %#lx) = %ld", task->pid, dst, src,
		    len, ret);
	harness_op_leave(false);
	return ret;
}

/* The last close of the file, by task (exit closes files after the mm is gone). */
void op_uffd_release(struct task_struct *task, struct userfaultfd_ctx *ctx)
{
	harness_repaid(ctx);
	harness_op_enter(task, UNDO_NONE);
	harness_userfaultfd_release(ctx);
	harness_log("close(userfaultfd %p)", ctx);
	harness_op_leave(false);
}
