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
#include <linux/bug.h>
#include <linux/vmalloc.h>
#include <linux/ratelimit.h>
#include <linux/static_call_types.h>
#include <linux/context_tracking_state.h>
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
s32 vm_committed_as_batch = 32;
s32 percpu_counter_batch = 32;
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

DEFINE_PER_CPU(struct context_tracking, context_tracking);

__visible void preempt_schedule_thunk(void);
__visible void preempt_schedule_thunk(void)
{
	/* Only reached if need_resched was set, which the harness never does. */
	host_die("preempt_schedule(): unexpected reschedule request");
}

__visible void preempt_schedule_notrace_thunk(void);
__visible void preempt_schedule_notrace_thunk(void)
{
	host_die("preempt_schedule_notrace(): unexpected reschedule request");
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

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	host_die("refcount_t %p: saturation or use-after-free (type %d)", r, t);
}

const struct kernel_param_ops param_ops_bool;
/* No kernel image: no string is ever in .rodata, so kstrdup_const() always copies. */
char __start_rodata[1], __end_rodata[1];

void percpu_counter_destroy_many(struct percpu_counter *fbc, u32 nr_counters)
{
}

s64 __percpu_counter_sum(struct percpu_counter *fbc)
{
	return fbc->count;
}

/*
 * kernel/printk: messages go to stderr without their KERN_* level markers (also those passed
 * in as %s arguments). The C library formats them: kernel-only %p extensions print raw.
 */
int vprintk(const char *fmt, va_list args)
{
	char buf[1024];
	int n, i, j;

	n = vsnprintf(buf, sizeof(buf), fmt, args);
	for (i = j = 0; buf[i]; i++) {
		if (buf[i] == KERN_SOH_ASCII && buf[i + 1]) {
			i++;
			continue;
		}
		buf[j++] = buf[i];
	}
	buf[j] = '\0';
	host_eprint("%s", buf);
	return n;
}

int _printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vprintk(fmt, args);
	va_end(args);
	return n;
}

/* Every message is worth seeing in a test log. */
int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	return 1;
}

void dump_stack(void)
{
	host_backtrace();
}

bool is_vmalloc_addr(const void *x)
{
	return false;
}

bool kmem_dump_obj(void *object)
{
	return false;
}

bool vmalloc_dump_obj(void *object)
{
	return false;
}

/*
 * kernel/panic.c: a WARN() in the code under test fails the test, after the kernel's own
 * report (lib/bug.c prints the message, this the location and the stack).
 */
void __warn(const char *file, int line, void *caller, unsigned int taint,
	    struct pt_regs *regs, struct warn_args *args)
{
	pr_warn("WARNING: %s:%d at %pS, %s/%d\n", file, line, caller,
		current ? current->comm : "-", current ? current->pid : 0);
	dump_stack();
	harness_fail("kernel WARNING at %s:%d", file, line);
}

/* arch/x86/kernel/traps.c: a trap is a BUG()/WARN() if it hit a ud2. */
int is_valid_bugaddr(unsigned long addr)
{
	const u8 *insn = (const u8 *)addr;

	return insn[0] == 0x0f && insn[1] == 0x0b;
}

/* Called by the host's SIGILL handler with the address of the trapping instruction. */
void harness_trap(unsigned long ip)
{
	if (report_bug(ip, NULL) == BUG_TRAP_TYPE_BUG)
		harness_fail("kernel BUG at %pS", (void *)ip);
	harness_fail("unexpected trap at %pS", (void *)ip);
}

/* WARN() with a format: the x86 kernel reaches its trap through a static call. */
struct static_call_key __SCK__WARN_trap;
void __SCT__WARN_trap(struct bug_entry *bug, ...);
void __SCT__WARN_trap(struct bug_entry *bug, ...)
{
	const char *fmt = NULL;
	va_list args;

	if (bug->format_disp)
		fmt = (const char *)&bug->format_disp + bug->format_disp;
	if (fmt && *fmt) {
		va_start(args, bug);
		vprintk(fmt, args);
		va_end(args);
	}
	report_bug_entry(bug, NULL);
}

void *__warn_args(struct arch_va_list *args, struct pt_regs *regs)
{
	return NULL;
}
