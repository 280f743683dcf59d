// SPDX-License-Identifier: GPL-2.0
/* Stands in for lib/percpu-refcount.c, mm/mempool.c, kernel/workqueue.c, mm/workingset.c and what else swap needs; the real lib/plist.c is built in below. */
/*
 * One thread runs everything: queued work runs when the harness gives the kworker a turn
 * (harness_swap_run_work()), and a mempool allocation, which would sleep until an element
 * is free, never fails. Completions are shims/thp.c's.
 */
#include <linux/mm.h>
#include <linux/percpu-refcount.h>
#include <linux/mempool.h>
#include <linux/workqueue.h>
#include <linux/wait.h>
#include <linux/cpumask.h>
#include <linux/shmem_fs.h>
#include <linux/swap.h>
#include <linux/rmap.h>
#include <linux/ksm.h>
#include <linux/highmem.h>
#include "mm/internal.h"
#include <linux/slab.h>
#include "host.h"
#include "swap.h"

/*
 * lib/percpu-refcount.c. The ref stays in atomic mode (as with PERCPU_REF_INIT_ATOMIC),
 * so every get and put is counted in data->count; the kernel would switch to per-cpu
 * counters once resurrected, which changes no count a caller can observe.
 */
int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release, unsigned int flags,
		    gfp_t gfp)
{
	struct percpu_ref_data *data = kzalloc_obj(*data, gfp);

	if (!data)
		return -ENOMEM;
	data->force_atomic = true;
	data->allow_reinit = true;
	data->release = release;
	data->ref = ref;
	ref->percpu_count_ptr = __PERCPU_REF_ATOMIC;
	if (flags & PERCPU_REF_INIT_DEAD)
		ref->percpu_count_ptr |= __PERCPU_REF_DEAD;
	else
		atomic_long_set(&data->count, 1);
	ref->data = data;
	return 0;
}

void percpu_ref_exit(struct percpu_ref *ref)
{
	struct percpu_ref_data *data = ref->data;

	if (!data)
		return;
	/* As the kernel does, the count is kept in the pointer for percpu_ref_is_zero(). */
	ref->percpu_count_ptr |= atomic_long_read(&data->count) << __PERCPU_REF_FLAG_BITS;
	ref->data = NULL;
	kfree(data);
}

bool percpu_ref_is_zero(struct percpu_ref *ref)
{
	if (ref->data)
		return !atomic_long_read(&ref->data->count);
	return !(ref->percpu_count_ptr >> __PERCPU_REF_FLAG_BITS);
}

void percpu_ref_kill_and_confirm(struct percpu_ref *ref, percpu_ref_func_t *confirm_kill)
{
	WARN_ONCE(percpu_ref_is_dying(ref), "%s called more than once", __func__);
	ref->percpu_count_ptr |= __PERCPU_REF_DEAD;
	if (confirm_kill)
		confirm_kill(ref);
	percpu_ref_put(ref);
}

void percpu_ref_resurrect(struct percpu_ref *ref)
{
	WARN_ON_ONCE(!percpu_ref_is_dying(ref));
	ref->percpu_count_ptr &= ~__PERCPU_REF_DEAD;
	percpu_ref_get(ref);
}

/* mm/mempool.c: elements come from the allocator; the reserve is never needed. */
struct mempool *mempool_create_node_noprof(int min_nr, mempool_alloc_t *alloc_fn,
					   mempool_free_t *free_fn, void *pool_data,
					   gfp_t gfp_mask, int nid)
{
	struct mempool *pool = kzalloc_obj(*pool, gfp_mask);

	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	return pool;
}

void mempool_destroy(struct mempool *pool)
{
	kfree(pool);
}

void *mempool_alloc_noprof(struct mempool *pool, gfp_t gfp_mask)
{
	/* With a reserve to wait for, a sleeping allocation cannot fail. */
	if (gfpflags_allow_blocking(gfp_mask))
		gfp_mask |= __GFP_NOFAIL;
	return pool->alloc(gfp_mask, pool->pool_data);
}

void mempool_free(void *element, struct mempool *pool)
{
	if (element)
		pool->free(element, pool->pool_data);
}

void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)pool_data, gfp_mask);
}

void mempool_kfree(void *element, void *pool_data)
{
	kfree(element);
}

/* kernel/workqueue.c: one queue, run in order when the kworker gets its turn. */
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

/* kernel/sched/wait.c: no task ever sleeps on a wait queue here. */
int __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive, void *key)
{
	return 0;
}

/* kernel/printk/printk.c */
int oops_in_progress;

/* kernel/cpu.c: one CPU runs everything (see shims/kernel.c). */
struct cpumask __cpu_possible_mask = { .bits = { 1 } };

/* mm/shmem.c: the harness has no shmem, so no shmem page holds a swap entry. */
int shmem_unuse(unsigned int type)
{
	return 0;
}

/*
 * mm/workingset.c: reclaim leaves empty shadows (no eviction clock is kept), so no refault
 * is ever judged recent and the folio stays inactive, as the kernel decides for a distant one.
 */
void workingset_refault(struct folio *folio, void *shadow)
{
}

/* The real priority lists that order swap areas. */
#include "lib/plist.c"
