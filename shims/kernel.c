// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/sched, kernel/smp.c, lib/percpu_counter.c, mm/vmstat.c and mm/util.c globals. */
/*
 * One CPU runs everything. Per-cpu data is accessed through %gs, whose base is 0 in a user
 * process, so each per-cpu variable is simply the variable defined here; current is the
 * modelled task the harness switches to before running an operation on its behalf.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/percpu_counter.h>
#include <linux/vmstat.h>
#include <linux/security.h>
#include <linux/moduleparam.h>
#include <linux/huge_mm.h>
#include <linux/ksm.h>
#include <linux/swap.h>
#include <linux/perf_event.h>
#include <linux/capability.h>
#include "mm/internal.h"
#include "host.h"

DEFINE_PER_CPU_CACHE_HOT(struct task_struct *, current_task);
DEFINE_PER_CPU_CACHE_HOT(unsigned long, __preempt_count) = PREEMPT_ENABLED;
DEFINE_PER_CPU_CACHE_HOT(int, cpu_number);
DEFINE_PER_CPU_CACHE_HOT(unsigned long, this_cpu_off);
unsigned long __per_cpu_offset[NR_CPUS];
unsigned int nr_cpu_ids = 1;
unsigned long volatile jiffies = INITIAL_JIFFIES;
struct cpuinfo_x86 boot_cpu_data;

unsigned long mmap_min_addr = PAGE_SIZE;
int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
unsigned long sysctl_user_reserve_kbytes = 1UL << 17;
unsigned long sysctl_admin_reserve_kbytes = 1UL << 13;
struct percpu_counter vm_committed_as;
s32 vm_committed_as_batch = 32;
s32 percpu_counter_batch = 32;
atomic_long_t nr_swap_pages;
long total_swap_pages;
atomic_long_t ksm_zero_pages;
unsigned long transparent_hugepage_flags;
unsigned long huge_anon_orders_always;
unsigned long huge_anon_orders_inherit;
unsigned long huge_anon_orders_madvise;
DEFINE_SPINLOCK(mmlist_lock);
struct static_key perf_swevent_enabled[PERF_COUNT_SW_MAX];
DEFINE_STATIC_KEY_MAYBE(CONFIG_INIT_ON_ALLOC_DEFAULT_ON, init_on_alloc);
DEFINE_STATIC_KEY_MAYBE(CONFIG_INIT_ON_FREE_DEFAULT_ON, init_on_free);
const struct vm_operations_struct vma_dummy_vm_ops;

/* Single-threaded: anything that would sleep waits for something that cannot happen. */
void schedule(void)
{
	host_die("schedule(): the harness runs one thread, so this task would sleep forever");
}

__visible void preempt_schedule_thunk(void);
__visible void preempt_schedule_thunk(void)
{
	/* Only reached if need_resched was set, which the harness never does. */
	host_die("preempt_schedule(): unexpected reschedule request");
}

void add_taint(unsigned int flag, enum lockdep_ok lockdep_ok)
{
	host_eprint("kernel tainted (flag %u)\n", flag);
}

void percpu_counter_add_batch(struct percpu_counter *fbc, s64 amount, s32 batch)
{
	fbc->count += amount;
}

int __percpu_counter_init_many(struct percpu_counter *fbc, s64 amount, gfp_t gfp,
			       u32 nr_counters, struct lock_class_key *key)
{
	u32 i;

	for (i = 0; i < nr_counters; i++)
		fbc[i].count = amount;
	return 0;
}

void __mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	atomic_long_add(delta, &pgdat->vm_stat[item]);
	atomic_long_add(delta, &vm_node_stat[item]);
}

void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	__mod_node_page_state(pgdat, item, delta);
}

/* The modelled processes run as root with every capability. */
bool capable(int cap)
{
	return true;
}

bool can_do_mlock(void)
{
	return true;
}

int cap_mmap_addr(unsigned long addr)
{
	return addr < mmap_min_addr ? -EPERM : 0;
}

int cap_vm_enough_memory(struct mm_struct *mm, long pages)
{
	return 0;
}

/* Overcommit accounting is not what the harness tests: always enough memory. */
int __vm_enough_memory(const struct mm_struct *mm, long pages, int cap_sys_admin)
{
	vm_acct_memory(pages);
	return 0;
}

unsigned long __sw_hweight64(__u64 w)
{
	return __builtin_popcountll(w);
}

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	host_die("refcount_t %p: saturation or use-after-free (type %d)", r, t);
}

void dump_page(const struct page *page, const char *reason)
{
	const struct folio *folio = page_folio(page);

	host_eprint("page %p pfn %#lx refcount %d mapcount %d mapping %p index %#lx flags %#lx: %s\n",
		    page, page_to_pfn(page), page_ref_count(page),
		    atomic_read(&page->_mapcount), folio->mapping, folio->index,
		    folio->flags.f, reason);
}

void dump_vma(const struct vm_area_struct *vma)
{
	host_eprint("vma %p [%#lx, %#lx) mm %p pgoff %#lx anon_vma %p flags %#lx\n",
		    vma, vma->vm_start, vma->vm_end, vma->vm_mm, vma->vm_pgoff,
		    vma->anon_vma, vma->vm_flags);
}

void dump_mm(const struct mm_struct *mm)
{
	host_eprint("mm %p map_count %d\n", mm, mm->map_count);
}
