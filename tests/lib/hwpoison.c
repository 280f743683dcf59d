// SPDX-License-Identifier: GPL-2.0
/*
 * Memory failure on an anonymous page: the real collect_procs() of mm/memory-failure.c
 * finds the processes that map it through the folio's anon_vma, and the real kill_procs()
 * signals each (recorded by shims/signal.c). Every process is an early-kill one, as after
 * prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY), so all of them are collected.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/pagemap.h>
#include "host.h"
#include "locks.h"
#include "process.h"
#include "signal.h"
#include "harness.h"

int harness_collect_and_kill(struct folio *folio, struct page *page, int flags);

/*
 * The harness keeps no task list: for the collection, the registered processes are the
 * list for_each_process() walks, each its own only thread, holding the reference the list
 * holds in the kernel.
 */
static void link_tasks(void)
{
	int i;

	INIT_LIST_HEAD(&init_task.tasks);
	for (i = 0; i < harness_nr_tasks(); i++) {
		struct task_struct *t = harness_task(i);

		list_add_tail(&t->tasks, &init_task.tasks);
		INIT_LIST_HEAD(&t->signal->thread_head);
		list_add_tail(&t->thread_node, &t->signal->thread_head);
		t->flags |= PF_MCE_PROCESS | PF_MCE_EARLY;
		refcount_set(&t->usage, 1);
	}
}

static void unlink_tasks(void)
{
	int i;

	for (i = 0; i < harness_nr_tasks(); i++) {
		struct task_struct *t = harness_task(i);

		EXPECT(refcount_read(&t->usage) == 1, "p%d: a task reference was not put", t->pid);
		list_del(&t->tasks);
		list_del(&t->thread_node);
	}
}

int op_memory_failure(struct task_struct *task, struct folio *folio, unsigned long addr)
{
	struct page *page;
	int n;

	EXPECT(folio, "no folio");
	page = folio_page(folio, (addr - (addr & ~(folio_size(folio) - 1))) >> PAGE_SHIFT);
	/* Best effort: without memory for its list it signals fewer processes. */
	harness_op_enter(task, UNDO_NONE);
	harness_signals_clear();
	link_tasks();
	folio_get(folio);
	EXPECT(folio_trylock(folio), "folio %p is locked", folio);
	n = harness_collect_and_kill(folio, page, 0);
	folio_unlock(folio);
	folio_put(folio);
	unlink_tasks();
	harness_log("p%d: memory failure at %#lx (pfn %#lx): %d processes collected", task->pid,
		    addr, page_to_pfn(page), n);
	harness_op_leave(false);
	return n;
}

bool harness_signalled(struct task_struct *task, unsigned long addr)
{
	const struct harness_signal *s;
	int i, n;

	s = harness_signals(&n);
	for (i = 0; i < n; i++)
		if (s[i].task == task && s[i].sig == SIGBUS && s[i].code == BUS_MCEERR_AO &&
		    s[i].addr == addr && s[i].addr_lsb == PAGE_SHIFT)
			return true;
	return false;
}
