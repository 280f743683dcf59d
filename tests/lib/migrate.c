// SPDX-License-Identifier: GPL-2.0
/*
 * Migration of anonymous folios through the real mm/migrate.c. The folio is found and
 * isolated as move_pages()' add_folio_for_migration() does (under the page table lock of
 * the walk, with MPOL_MF_MOVE_ALL's licence to move shared folios, as compaction also has),
 * and moved to a folio from the page allocator model by the real alloc_migration_target().
 * op_migrate() is one migrate_pages() call; op_migrate_start() and op_migrate_finish() are
 * the two halves of migrate_pages_batch() (shims/migrate.h), so that other operations and
 * the checker run while the folio's mappings are migration entries.
 */
#include <linux/mm.h>
#include <linux/migrate.h>
#include <linux/pagewalk.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>
#include "mm/internal.h"
#include "host.h"
#include "locks.h"
#include "process.h"
#include "migrate.h"
#include "sched.h"
#include "harness.h"

/*
 * The migrating context: a kernel thread such as kcompactd, with no mm. The process whose
 * folio moves may exit while the migration is in flight, so it cannot be current for it.
 */
static struct task_struct kmigrated = { .comm = "kmigrated" };

static void enter_kthread(void)
{
	/* In a concurrent run (tests/race/) the calling task migrates, as move_pages() does. */
	if (harness_sched_active())
		return;
	kmigrated.active_mm = &init_mm;
	harness_set_current(&kmigrated);
}

/* add_folio_for_migration() and __add_folio_for_migration(): 1 if isolated, or -errno. */
static int isolate_at(struct task_struct *task, unsigned long addr, struct list_head *list)
{
	struct mm_struct *mm = task->mm;
	struct vm_area_struct *vma;
	struct folio_walk fw;
	struct folio *folio;
	int err = -EFAULT;

	harness_set_current(task);
	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	/* vma_migratable() is NUMA's; the harness' anonymous VMAs all pass it. */
	if (vma) {
		folio = folio_walk_start(&fw, vma, addr, FW_ZEROPAGE);
		if (!folio)
			err = -ENOENT;
		else if (is_zero_folio(folio) || is_huge_zero_folio(folio))
			err = -EFAULT;
		else
			err = isolate_folio_to_list(folio, list) ? 1 : -EBUSY;
		if (folio)
			folio_walk_end(&fw, vma);
	}
	mmap_read_unlock(mm);
	return err;
}

static void init_migration(struct harness_migration *m)
{
	INIT_LIST_HEAD(&m->from);
	INIT_LIST_HEAD(&m->unmapped);
	INIT_LIST_HEAD(&m->dst);
	INIT_LIST_HEAD(&m->ret);
	/* do_move_pages_to_node()'s target; one node, so it is where the folio is. */
	m->mtc = (struct migration_target_control){
		.nid = NUMA_NO_NODE,
		.gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE,
		.reason = MR_SYSCALL,
	};
	m->succeeded = 0;
}

int op_migrate(struct task_struct *task, unsigned long addr)
{
	struct harness_migration m;
	int err;

	harness_op_enter(task, UNDO_NONE);
	init_migration(&m);
	err = isolate_at(task, addr, &m.from);
	if (err > 0) {
		enter_kthread();
		err = migrate_pages(&m.from, alloc_migration_target, NULL,
				    (unsigned long)&m.mtc, MIGRATE_SYNC, MR_SYSCALL, NULL);
		if (err)
			putback_movable_pages(&m.from);
	}
	harness_log("migrate(p%d, %#lx) = %d", task->pid, addr, err);
	harness_op_leave(false);
	return err;
}

static void abort_owed(void *m, void *unused)
{
	op_migrate_abort(m);
}

struct harness_migration *op_migrate_start(struct task_struct *task, unsigned long addr)
{
	struct harness_migration *m = host_alloc(sizeof(*m));
	int err;

	harness_op_enter(task, UNDO_NONE);
	init_migration(m);
	err = isolate_at(task, addr, &m->from);
	if (err > 0) {
		enter_kthread();
		err = harness_migrate_unmap(m);
	}
	harness_log("migrate_start(p%d, %#lx) = %d", task->pid, addr, err);
	if (err) {
		/* -EAGAIN leaves the folio on from, anything else on ret: back to the LRU. */
		enter_kthread();
		putback_movable_pages(&m->from);
		putback_movable_pages(&m->ret);
		host_free(m);
		m = NULL;
	} else {
		harness_owe(abort_owed, m, NULL);
	}
	harness_op_leave(false);
	return m;
}

/* What migrate_pages_sync() allows a folio that cannot move yet. */
#define FINISH_PASSES 7

int op_migrate_finish(struct harness_migration *m)
{
	int failed;

	harness_op_enter(NULL, UNDO_NONE);
	harness_repaid(m);
	enter_kthread();
	failed = harness_migrate_move(m, FINISH_PASSES);
	putback_movable_pages(&m->ret);
	harness_log("migrate_finish() = %d (%lu pages moved)", failed, m->succeeded);
	host_free(m);
	harness_op_leave(false);
	return failed;
}

void op_migrate_abort(struct harness_migration *m)
{
	harness_op_enter(NULL, UNDO_NONE);
	harness_repaid(m);
	enter_kthread();
	harness_migrate_undo(m);
	putback_movable_pages(&m->ret);
	harness_log("migrate_abort()");
	host_free(m);
	harness_op_leave(false);
}
