// SPDX-License-Identifier: GPL-2.0
/* Stands in for the mm parts of kernel/fork.c and kernel/exit.c, and for boot (init/main.c). */
/*
 * A modelled process is a task_struct with its own mm_struct. mm_struct lifetime follows
 * kernel/fork.c: mm_users counts users of the address space (exit_mmap() when it drops to
 * zero), mm_count the references to the struct itself (freed when that drops to zero).
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/rmap.h>
#include <linux/mmu_notifier.h>
#include <linux/mmap_lock.h>
#include <linux/huge_mm.h>
#include <linux/ksm.h>
#include <linux/slab.h>
#include <asm/pgalloc.h>
#include "mm/internal.h"
#include "host.h"
#include "sched.h"
#include "memmap.h"
#include "process.h"
#include "locks.h"
#include "ksm_harness.h"

struct mm_struct init_mm;
static struct task_struct init_task_model;
static struct kmem_cache *mm_cachep;
static int next_pid = 1;

void harness_set_current(struct task_struct *task)
{
	/* In a concurrent run the scheduler owns current: each task runs as itself. */
	if (harness_sched_active() && task != current)
		harness_fail("%s/%d switched current to %s/%d in a concurrent run",
			     current ? current->comm : "-", current ? current->pid : 0,
			     task ? task->comm : "-", task ? task->pid : 0);
	this_cpu_write(current_task, task);
}

static void mmap_init_lock(struct mm_struct *mm)
{
	init_rwsem(&mm->mmap_lock);
	mm_lock_seqcount_init(mm);
	rcuwait_init(&mm->vma_writer_wait);
}

/*
 * Adapted copy of mm_init() in kernel/fork.c, known versions: af94d2e69143534f 2e0bc4152fd3254c
 * (the base; with the series' anon_vma_anchor_init()). What the harness models of it: no aio,
 * uprobes, futex, owner or hugetlb counts; pgd and counters may fail to allocate
 * (tools/copies checks that the original is still a version this was compared with).
 */
static struct mm_struct *mm_setup(struct mm_struct *mm)
{
	mt_init_flags(&mm->mm_mt, MM_MT_FLAGS);
	mt_set_external_lock(&mm->mm_mt, &mm->mmap_lock);
	atomic_set(&mm->mm_users, 1);
	atomic_set(&mm->mm_count, 1);
	seqcount_init(&mm->write_protect_seq);
	mmap_init_lock(mm);
	INIT_LIST_HEAD(&mm->mmlist);
	mm_pgtables_bytes_init(mm);
	mm->map_count = 0;
	mm->locked_vm = 0;
	atomic64_set(&mm->pinned_vm, 0);
	memset(&mm->rss_stat, 0, sizeof(mm->rss_stat));
	spin_lock_init(&mm->page_table_lock);
	spin_lock_init(&mm->arg_lock);
	RCU_INIT_POINTER(mm->exe_file, NULL);
	mmu_notifier_subscriptions_init(mm);
	init_tlb_flush_pending(mm);
	mm_flags_clear_all(mm);
#ifdef CONFIG_ANON_VMA_LAZY
	/* A forked mm does not inherit its parent's anchor. */
	anon_vma_anchor_init(mm);
#endif
#ifdef CONFIG_MM_ID
	/* mm_alloc_id(): large folios record their mappers by id; ids are never reused here. */
	{
		static mm_id_t next_mm_id = MM_ID_MIN;

		if (next_mm_id > MM_ID_MAX)
			host_die("out of mm ids");
		mm->mm_id = next_mm_id++;
	}
#endif
	if (current && current->mm) {
		__mm_flags_overwrite_word(mm, mmf_init_legacy_flags(__mm_flags_get_word(current->mm)));
		mm->def_flags = current->mm->def_flags & VM_INIT_DEF_MASK;
	} else {
		mm->def_flags = 0;
	}
	mm->pgd = pgd_alloc(mm);
	if (!mm->pgd)
		goto fail;
	if (percpu_counter_init_many(mm->rss_stat, 0, GFP_KERNEL_ACCOUNT, NR_MM_COUNTERS))
		goto fail_pgd;
	return mm;

fail_pgd:
	pgd_free(mm, mm->pgd);
fail:
	kmem_cache_free(mm_cachep, mm);
	return NULL;
}

/*
 * Adapted copy of check_mm() in kernel/fork.c, known versions: c00b01f8c049c6d5
 * An mm must leave no pages and no page tables behind.
 */
static void check_mm(struct mm_struct *mm)
{
	int i;

	for (i = 0; i < NR_MM_COUNTERS; i++) {
		long x = percpu_counter_sum(&mm->rss_stat[i]);

		if (x)
			host_die("bad rss-counter state mm %p type %d val %ld", mm, i, x);
	}
	if (mm_pgtables_bytes(mm))
		host_die("mm %p: non-zero pgtables_bytes on freeing mm: %ld", mm,
			 mm_pgtables_bytes(mm));
}

void __mmdrop(struct mm_struct *mm)
{
	BUG_ON(mm == &init_mm);
	pgd_free(mm, mm->pgd);
	check_mm(mm);
	percpu_counter_destroy_many(mm->rss_stat, NR_MM_COUNTERS);
	kmem_cache_free(mm_cachep, mm);
}

void mmput(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	ksm_exit(mm);
	exit_mmap(mm);
	mm_put_huge_zero_folio(mm);
	if (!list_empty(&mm->mmlist)) {
		spin_lock(&mmlist_lock);
		list_del(&mm->mmlist);
		spin_unlock(&mmlist_lock);
	}
	mmdrop(mm);
}

struct mm_struct *get_task_mm(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (mm)
		mmget(mm);
	return mm;
}

static struct task_struct *task_create(struct mm_struct *mm)
{
	struct task_struct *task = host_alloc(sizeof(*task));
	int i;

	/* No resource limits: what a root process usually runs with for memory. */
	task->signal = host_alloc(sizeof(*task->signal));
	for (i = 0; i < RLIM_NLIMITS; i++)
		task->signal->rlim[i].rlim_cur = task->signal->rlim[i].rlim_max = RLIM_INFINITY;

	task->mm = mm;
	task->active_mm = mm;
	task->pid = next_pid++;
	task->tgid = task->pid;
	snprintf(task->comm, sizeof(task->comm), "proc%d", task->pid);
	return task;
}

struct task_struct *harness_process_create(void)
{
	struct mm_struct *mm;
	struct task_struct *task;

	/* As a child of init: the layout below reads current's personality and flags. */
	harness_set_current(&init_task_model);
	mm = kmem_cache_zalloc(mm_cachep, GFP_KERNEL);
	if (!mm || !mm_setup(mm))
		return NULL;
	task = task_create(mm);
	mm->mmap_base = TASK_UNMAPPED_BASE;
	mm->task_size = TASK_SIZE_MAX;
	mm_flags_set(MMF_TOPDOWN, mm);
	return task;
}

/*
 * Adapted copy of dup_mm() in kernel/fork.c, known versions: ff79cb149f94f0ad
 * Copy the mm struct, then let the real dup_mmap() copy the VMAs.
 */
struct task_struct *harness_fork(struct task_struct *parent, int *err)
{
	struct mm_struct *oldmm = parent->mm, *mm;
	struct task_struct *child;

	*err = -ENOMEM;
	mm = kmem_cache_alloc(mm_cachep, GFP_KERNEL);
	if (!mm)
		return NULL;
	memcpy(mm, oldmm, sizeof(*mm));
	if (!mm_setup(mm))
		return NULL;
	*err = dup_mmap(mm, oldmm);
	if (*err) {
		/* The half-built mm is torn down like any other, as dup_mm() does. */
		mmput(mm);
		return NULL;
	}
	child = task_create(mm);
	return child;
}

void harness_exit(struct task_struct *task)
{
	harness_thread_exit(task);
	harness_set_current(NULL);
}

struct task_struct *harness_thread_create(struct task_struct *leader, const char *name)
{
	struct mm_struct *mm = leader ? leader->mm : NULL;
	struct task_struct *task = task_create(mm);

	if (mm) {
		mmget(mm);
		task->tgid = leader->tgid;
	}
	snprintf(task->comm, sizeof(task->comm), "%s", name);
	return task;
}

void harness_thread_exit(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	task->mm = NULL;
	task->active_mm = NULL;
	if (mm)
		mmput(mm);
	harness_lock_task_exit(task);
	host_free(task->signal);
	host_free(task);
}

void harness_boot(unsigned long nr_pages)
{
	harness_memmap_init(nr_pages);
	harness_set_current(&init_task_model);
	maple_tree_init();
	/* As mm_cache_init(): mm_cpumask() and the mm_cid data follow the structure. */
	mm_cachep = kmem_cache_create("mm_struct", sizeof(struct mm_struct) + cpumask_size() +
				      mm_cid_size(), 0, SLAB_PANIC, NULL);
	mmap_init();
	anon_vma_init();
	ptlock_cache_init();
	mt_init_flags(&init_mm.mm_mt, MM_MT_FLAGS);
	mmap_init_lock(&init_mm);
	spin_lock_init(&init_mm.page_table_lock);
	INIT_LIST_HEAD(&init_mm.mmlist);
	atomic_set(&init_mm.mm_users, 2);
	atomic_set(&init_mm.mm_count, 1);
	init_mm.pgd = init_top_pgt;
	init_task_model.mm = NULL;
	init_task_model.active_mm = &init_mm;
	/* mm_core_init() has the shared zero page; ksm_init() checksums it. */
	__zero_page = pfn_to_page(zero_pfn(0));
	if (harness_ksm_init())
		host_die("ksm_init() failed");
}
