/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test layer: tests, the operations they perform on modelled processes (each one calls
 * the kernel's own entry point), and the invariant checker run after every operation.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <linux/types.h>
#include <linux/compiler.h>

struct task_struct;
struct folio;
struct anon_vma;
struct file;

/* --- tests */
struct harness_test {
	const char *area;
	const char *name;
	void (*fn)(void);
};

/* Define a test of an area ("merge", "fork", ...); it runs in a process of its own. */
#define HARNESS_TEST(_area, _name)						\
	static void test_##_area##_##_name(void);				\
	static const struct harness_test __harness_test_##_area##_##_name	\
	__used __section("harness_tests") __aligned(sizeof(void *)) = {	\
		.area = #_area, .name = #_name, .fn = test_##_area##_##_name,	\
	};									\
	static void test_##_area##_##_name(void)

/*
 * The schedules of a concurrent test (tests/race/, tests/lib/schedules.c), each named by a
 * seed. for_each_schedule() runs the PCT schedules of the seeds 1..n;
 * for_each_bounded_schedule() every schedule of @tasks tasks with at most @k preemptions
 * (k = 0, 1 or 2), whose seeds name the first task and the preemption points. `harness
 * --schedules=FIRST:COUNT` runs PCT seeds FIRST.. instead, --schedule=SEED only SEED, and
 * --few-schedules (make check: a bisect step) at most 8 PCT seeds and no preemption.
 * The body runs once per seed, in a process of its own that ends with it (so the body
 * must not break): a schedule replays from the state it ran in. A failed schedule fails
 * the test and names its seed.
 */
extern unsigned long harness_schedule_first, harness_schedule_count;
extern bool harness_few_schedules;
unsigned long harness_pct_next(unsigned long seed, unsigned long n);
unsigned long harness_bounded_next(unsigned long seed, unsigned int tasks, unsigned int k);
bool harness_schedule_begin(unsigned long seed);
__noreturn void harness_schedule_end(void);
#define harness_each_schedule(seed)						\
		for (bool __child = harness_schedule_begin(seed); __child;	\
		     harness_schedule_end())
#define for_each_schedule(seed, n)						\
	for ((seed) = harness_pct_next(0, (n)); (seed);			\
	     (seed) = harness_pct_next((seed), (n)))				\
		harness_each_schedule(seed)
#define for_each_bounded_schedule(seed, tasks, k)				\
	for ((seed) = harness_bounded_next(0, (tasks), (k)); (seed);		\
	     (seed) = harness_bounded_next((seed), (tasks), (k)))		\
		harness_each_schedule(seed)

/*
 * In a schedule: run the spawned tasks by the schedule of @seed (a PCT one with @depth and
 * @max_steps, or a bounded one) and add the run to the test's totals, which the test reads
 * after its schedules.
 */
struct harness_schedule_totals {
	unsigned long runs, points, interleaved;
	unsigned long contended;	/* waits for a lock another task held */
	unsigned long failed_trylocks;
	unsigned long last_points;	/* of the last schedule */
};
void harness_schedule_run(unsigned long seed, unsigned int depth, unsigned long max_steps);
struct harness_schedule_totals *harness_schedule_totals(void);
/* "PCT seed 3", "task 1 first, preempted at steps 4 and 9": for logs. */
const char *harness_schedule_name(unsigned long seed);

/*
 * Define a sample workload for the memory report (harness --workloads): it runs like a test,
 * and the report shows the peak of live rmap objects it caused.
 */
#define HARNESS_WORKLOAD(_name)							\
	static void workload_##_name(void);					\
	static const struct harness_test __harness_workload_##_name		\
	__used __section("harness_workloads") __aligned(sizeof(void *)) = {	\
		.area = "workload", .name = #_name, .fn = workload_##_name,	\
	};									\
	static void workload_##_name(void)

/*
 * Define a cost benchmark for tools/report: it sets up what it needs, calls
 * host_cost_begin(), then performs @_ops operations that each enter the kernel through
 * the function @_entry, then calls host_cost_end(). tools/report runs it under callgrind,
 * counting instructions only inside @_entry, and divides by @_ops. The invariant checker is
 * off: benchmarks measure, tests check.
 */
struct harness_bench {
	const char *name;
	const char *entry;
	int ops;
	void (*fn)(void);
};

#define HARNESS_BENCH(_name, _entry, _ops)					\
	static void bench_##_name(void);					\
	static const struct harness_bench __harness_bench_##_name		\
	__used __section("harness_benches") __aligned(sizeof(void *)) = {	\
		.name = #_name, .entry = _entry, .ops = _ops, .fn = bench_##_name, \
	};									\
	static void bench_##_name(void)

/* The exit status of a test that called harness_skip(). */
#define HARNESS_SKIPPED 77
/* End the running test as skipped: it does not apply to this configuration. */
__noreturn void harness_skip(const char *why);
/* Whether VMAs join their mm's anchor now (CONFIG_ANON_VMA_LAZY and vm.anon_vma_lazy). */
bool harness_lazy(void);
/* --lazy=off: random sequences leave the switch off (tests/random/random.c). */
bool harness_lazy_pinned_off(void);
/*
 * A seeded random sequence of @nr_ops operations over up to @max_procs processes
 * (tests/random/random.c); a failure prints the seed and the command that replays it.
 */
void harness_random(unsigned long seed, int nr_ops, int max_procs);
/*
 * Bounded exhaustive search (tests/random/exhaustive.c): spec is a depth, or a sequence of
 * letters to replay; replay is the command line that runs it again. KTAP, like the tests.
 */
int harness_exhaustive(const char *spec, const char *replay);
/* Run a test as the runner does (a child process, a fresh model, teardown); exit status. */
int harness_run_test(const struct harness_test *t);
/* Record the state after an operation for L2, if the run asked for it (--trace). */
void harness_trace_step(void);
/* Where the trace stands; going back there drops what was recorded since. */
struct harness_trace_mark {
	size_t len;
	int steps;
};
struct harness_trace_mark harness_trace_mark(void);
void harness_trace_rewind(struct harness_trace_mark mark);
/* Record nothing more: in a process whose trace is never written (a schedule's). */
void harness_trace_stop(void);

/* Record what a test did, for the report if something fails. */
__printf(1, 2) void harness_log(const char *fmt, ...);
/* Forget what was recorded: a new run starts on a model that is already booted. */
void harness_log_reset(void);
/*
 * Set up and boot the model in this process as each test's process does, once, for a runner
 * that runs many sequences on it (tests/fuzz); each must leave nothing behind
 * (harness_exit_all(), harness_check_teardown()).
 */
void harness_boot_in_process(void);
/* harness_fail() (host.h) fails the running test with the operations so far. */
#include "host.h"

#define EXPECT(cond, fmt, ...)							\
	do {									\
		if (!(cond))							\
			harness_fail("%s:%d: expected %s: " fmt, __FILE__,	\
				     __LINE__, #cond, ##__VA_ARGS__);		\
	} while (0)

/* --- operations; each runs on behalf of task, then checks every invariant */
/*
 * What an operation that fails must leave as it was (I10); the allocation-failure sweep
 * checks it whenever one of the operation's allocations failed and it reported failure.
 */
enum harness_undo {
	UNDO_NONE,	/* nothing: best effort (reclaim, migration), or it cannot fail */
	UNDO_EXACT,	/* everything harness_snapshot() describes */
	UNDO_VISIBLE,	/* what harness_snapshot_visible() describes: a done step may stay */
};
/* Start an operation on behalf of task (current = task). */
void harness_op_enter(struct task_struct *task, enum harness_undo undo);
/* End it: no lock may be left held, and every invariant must hold. */
void harness_op_leave(bool failed);
/* Whether harness_op_leave() runs the invariant checker (benchmarks turn it off). */
extern bool harness_checks;
/* One access as the CPU does it, at PTE or PMD level, faulting first if it must. */
void harness_touch(struct task_struct *task, unsigned long addr, bool write, u8 *value);
struct task_struct *op_spawn(void);
struct task_struct *op_fork(struct task_struct *parent);
void op_exit(struct task_struct *task);
unsigned long op_mmap(struct task_struct *task, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags);
/* The usual anonymous private read-write mapping; addr 0 lets the kernel choose. */
unsigned long op_mmap_anon(struct task_struct *task, unsigned long addr, unsigned long npages);
/*
 * A private, writable mapping of @npages of @file from page @pgoff at @addr (tests/lib/file.c:
 * write to it before reading it). The file keeps the test's reference until
 * harness_file_put(); each VMA holds one of its own.
 */
unsigned long op_mmap_file(struct task_struct *task, struct file *file, unsigned long addr,
			   unsigned long npages, unsigned long pgoff);
struct file *harness_file_create(u8 tag);
void harness_file_put(struct file *file);
/* What each byte of page @pgoff of @file reads before anything is written to it. */
u8 harness_file_byte(struct file *file, unsigned long pgoff);
/* A special mapping without pages at @addr, as arch code installs the vDSO; 0 or -errno. */
long op_install_special_mapping(struct task_struct *task, unsigned long addr,
				unsigned long npages);
long op_munmap(struct task_struct *task, unsigned long addr, unsigned long len);
long op_mprotect(struct task_struct *task, unsigned long addr, unsigned long len,
		 unsigned long prot);
unsigned long op_mremap(struct task_struct *task, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr);
/* Touch one byte as the CPU would (PTE- or PMD-mapped): a page fault if needed, then the access. */
void op_write(struct task_struct *task, unsigned long addr, u8 value);
u8 op_read(struct task_struct *task, unsigned long addr);

/* folio_get_anon_vma() of the folio mapped at addr, as KSM and migration hold it; or NULL. */
struct anon_vma *op_pin_anon_vma(struct task_struct *task, unsigned long addr);
/* Lock and unlock the pinned anon_vma as an rmap walk would, then put_anon_vma(). */
void op_unpin_anon_vma(struct anon_vma *anon_vma);
/* exec's relocate_vma_down() of the VMA at addr by shift bytes. */
long op_relocate_stack(struct task_struct *task, unsigned long addr, unsigned long shift);

/* --- the allocation-failure sweep (sweep.c) */
struct harness_sweep_result {
	unsigned long allocs;		/* failable allocations the test made */
	unsigned long swept;		/* how many of them were failed, one per run */
	unsigned long failed;		/* how many of them made the test fail, failing */
	unsigned long first[8];		/* the first of those */
};
/*
 * From now on (after boot), fail each failable allocation in a child process of its own and
 * count into *res (shared memory); n > 0 instead fails only the n-th, in this process.
 */
void harness_sweep_arm(struct harness_sweep_result *res, unsigned long n);
/* Whether this run is a sweep's (a test may do less), and whether it failed an allocation. */
bool harness_sweeping(void);
bool harness_sweep_injected(void);
/* For the op layer: around an operation, and around a page fault (NULL: not sweeping). */
void harness_sweep_op_enter(enum harness_undo undo);
void harness_sweep_op_leave(bool failed);
char *harness_sweep_fault_begin(void);
/* After the fault: true if it returned VM_FAULT_OOM as the sweep failed it (retry it). */
bool harness_sweep_fault_end(char *before, bool oom, bool swapin);
void harness_sweep_test_done(void);
/* Boot of a model's subsystem (THP, userfaultfd): no allocation of it is failed. */
void harness_sweep_pause(bool pause);
/*
 * Something a test holds across operations (a folio reference, an anon_vma pin, a migration
 * under way) and gives back later: when the sweep stops a test early, undo(a, b) gives it
 * back before every process exits. harness_repaid(a): the test gave it back itself.
 */
void harness_owe(void (*undo)(void *a, void *b), void *a, void *b);
void harness_repaid(void *a);
/* folio_get() and folio_put() of a reference a test holds across operations. */
void harness_folio_hold(struct folio *folio);
void harness_folio_release(struct folio *folio);

/* --- page contents (pages.c) */
/* Page i of [a, a + n pages) gets seed + i in its first byte and its complement in its last. */
void harness_fill_pages(struct task_struct *t, unsigned long a, unsigned long n, u8 seed);
void harness_expect_pages(struct task_struct *t, unsigned long a, unsigned long n, u8 seed);
/* A page holding v in its first and last byte, zero elsewhere. */
void harness_set_page(struct task_struct *t, unsigned long addr, u8 v);
void harness_expect_page(struct task_struct *t, unsigned long addr, u8 v);

/* --- inspection */
/* The folio mapped at addr in task's page tables, or NULL. */
struct folio *harness_folio_at(struct task_struct *task, unsigned long addr);
unsigned long harness_vma_count(struct task_struct *task);
/* The anon_vma of the VMA containing addr (NULL if none or not yet prepared). */
struct anon_vma *harness_anon_vma_at(struct task_struct *task, unsigned long addr);
/* The number of anon_vma_chain entries of the VMA at addr (none for an implicit member). */
unsigned long harness_chain_length(struct task_struct *task, unsigned long addr);
/* echo on > /proc/sys/vm/anon_vma_lazy; 0, or -ENOENT on a tree without the switch. */
int op_set_lazy(int on);
/* The same log line as op_set_lazy(on), and the switch left as it is. */
void op_keep_lazy(int on);

/* --- invariants (check.c) */
void harness_check_all(void);
/* After every process exited: nothing of the rmap graph or of memory is left (I7). */
void harness_check_teardown(void);
/* Exit every process still registered, in registration order. */
void harness_exit_all(void);
/*
 * I10: harness_snapshot() describes the VMAs, chains, anon_vma counters, live objects and
 * page tables of every process (kfree() it); harness_expect_unchanged() fails the test
 * unless the state still matches, and frees the snapshot. The _visible variants ignore
 * what only a VMA split changes, for operations made of several steps.
 */
char *harness_snapshot(void);
void harness_expect_unchanged(char *before, const char *what);
char *harness_snapshot_visible(void);
void harness_expect_unchanged_visible(char *before, const char *what);
/*
 * L2: what the lazy mode must not change - address ranges, flags, offsets, page contents,
 * and which folio maps what where. The runner records it after every operation (--trace).
 */
char *harness_snapshot_observable(void);
/* The same with every huge PMD described as the PTEs it splits into. */
char *harness_snapshot_fault(void);
/* Processes the checker walks: op_spawn() and op_fork() register, op_exit() removes. */
void harness_register_task(struct task_struct *task);
void harness_unregister_task(struct task_struct *task);

/* --- thp (thp.c): transparent huge pages through the real mm/huge_memory.c */
enum harness_thp_mode { HARNESS_THP_NEVER, HARNESS_THP_ALWAYS, HARNESS_THP_MADVISE };
/*
 * The policy of /sys/kernel/mm/transparent_hugepage/enabled, with orders (a mask of folio
 * orders, BIT(HPAGE_PMD_ORDER) for PMD THPs) set to "inherit" it; the first call boots THP.
 */
void harness_thp_set_mode(enum harness_thp_mode mode, unsigned long orders);
/* Write (seed + i) % 255 + 1 to page i of [addr, addr + npages), as one operation. */
void op_thp_fill(struct task_struct *task, unsigned long addr, unsigned long npages, u8 seed);
/* Read back what op_thp_fill() wrote; fails the test on the first page that differs. */
void harness_thp_expect_fill(struct task_struct *task, unsigned long addr,
			     unsigned long npages, u8 seed);
/* split_huge_pmd_address(): the PMD mapping addr becomes a table of PTEs. */
void op_split_huge_pmd(struct task_struct *task, unsigned long addr);
/* split_folio_to_order() of the folio mapped at addr, under its lock; 0 or -errno. */
int op_split_folio(struct task_struct *task, unsigned long addr, unsigned int new_order);
/* Reclaim's shrink_slab(): the deferred split queue and the huge zero folio. */
unsigned long op_thp_shrink(struct task_struct *task);
/* Is addr mapped by a PMD leaf in task's page tables? */
bool harness_pmd_mapped(struct task_struct *task, unsigned long addr);
/* Order of the folio mapped at addr, or -1 if none (the zero pages count as none). */
int harness_folio_order_at(struct task_struct *task, unsigned long addr);
/* Folios on the deferred split queue. */
unsigned long harness_thp_deferred_queued(void);

/* --- reclaim (reclaim.c); the first reclaim activates the default swap area (swap.h) */
/* swapon/swapoff of the harness' one swap area; 0 or -errno. */
int op_swapon(unsigned long nr_slots, unsigned long dev_flags);
int op_swapoff(struct task_struct *task);
/* Reclaim the folio mapped at addr as vmscan would, to swap; true if it was freed. */
bool op_reclaim(struct task_struct *task, unsigned long addr);
/*
 * op_reclaim() in two halves, for a walker that runs concurrently with another operation
 * (tests/race/): take the folio at addr off the LRU, as kswapd's scan would (NULL if there
 * is none); later, reclaim it; true if it was freed.
 */
struct folio *harness_reclaim_isolate(struct task_struct *task, unsigned long addr);
bool harness_reclaim_isolated(struct folio *folio);
/* op_reclaim() of every page of task's anonymous VMAs; the number of folios freed. */
unsigned long op_reclaim_all(struct task_struct *task);
/* Free the swap cache no one maps or counts, as a later reclaim would (I7 does first). */
void harness_reclaim_unmapped_swap_cache(void);
/* Whether task's PTE at addr is a swap entry. */
bool harness_swapped_at(struct task_struct *task, unsigned long addr);
/* The swap-cache folio of addr in task (mapped there or named by its swap PTE), or NULL. */
struct folio *harness_swap_cache_folio(struct task_struct *task, unsigned long addr);

/* --- madvise and KSM (ksm.c): the real mm/madvise.c and mm/ksm.c */
struct harness_ksm_stats;
/* madvise(2) through __x64_sys_madvise(); 0 or -errno. */
long op_madvise(struct task_struct *task, unsigned long addr, unsigned long len, int advice);
/* An anonymous mapping of npages that KSM may merge (MADV_MERGEABLE). */
unsigned long op_mmap_mergeable(struct task_struct *t, unsigned long npages);
/* One turn of ksmd's loop: ksm_do_scan() of pages_to_scan pages; the pages it scanned. */
unsigned long op_ksm_scan(void);
/* ksmd turns until n more full scans are done (two merge identical pages: checksum, merge). */
void op_ksm_full_scans(unsigned int n);
/* /sys/kernel/mm/ksm/ counters (ksm_harness.h), read now. */
const struct harness_ksm_stats *harness_ksm(void);
/* /sys/kernel/mm/ksm/pages_to_scan. */
void harness_ksm_set_pages_to_scan(unsigned int pages);
/* Is the folio mapped at addr a KSM folio? */
bool harness_folio_ksm_at(struct task_struct *task, unsigned long addr);
/* How many mappings the real rmap_walk() finds for the folio mapped at addr. */
int harness_rmap_count(struct task_struct *task, unsigned long addr);
struct mm_struct;
/* The mms of those mappings, in the order the walk finds them (at most max); their number. */
int harness_rmap_mms(struct task_struct *task, unsigned long addr, struct mm_struct **mms,
		     int max);
/* Teardown: run ksmd until it holds no mm (check.c calls it before I7). */
void harness_ksm_settle(void);

/* --- migration (migrate.c): anonymous folios through the real mm/migrate.c */
struct harness_migration;
/* move_pages() of the folio mapped at addr (shared ones too): 0, folios left, or -errno. */
int op_migrate(struct task_struct *task, unsigned long addr);
/*
 * The same in two halves: isolate and unmap to migration entries (NULL if that failed and
 * the folio is back), then move and remap (the number of folios that could not move and were
 * restored), or undo and restore the old folio. Other operations may run in between.
 */
struct harness_migration *op_migrate_start(struct task_struct *task, unsigned long addr);
int op_migrate_finish(struct harness_migration *m);
void op_migrate_abort(struct harness_migration *m);

/* --- userfaultfd (uffd.c): the real mm/userfaultfd.c, contexts without a file */
struct userfaultfd_ctx;
/* userfaultfd(2) and UFFDIO_API in task; the ctx pins task's mm until op_uffd_release(). */
struct userfaultfd_ctx *op_userfaultfd(struct task_struct *task);
/* UFFDIO_REGISTER (MISSING) of a range one VMA covers; 0 or -errno. */
int op_uffd_register(struct task_struct *task, struct userfaultfd_ctx *ctx,
		     unsigned long start, unsigned long len);
/* UFFDIO_MOVE of len bytes from src to dst (registered); bytes moved or -errno. */
long op_uffd_move(struct task_struct *task, struct userfaultfd_ctx *ctx, unsigned long dst,
		  unsigned long src, unsigned long len, bool allow_src_holes);
void op_uffd_release(struct task_struct *task, struct userfaultfd_ctx *ctx);

/* --- memory failure (hwpoison.c): the real collect_procs() and kill_procs() */
/*
 * The error hits the page of folio that task maps at addr (folio may be a swap-cache folio
 * mapped elsewhere); returns how many (process, address) pairs were collected and signalled.
 */
int op_memory_failure(struct task_struct *task, struct folio *folio, unsigned long addr);
/* Was task sent SIGBUS (BUS_MCEERR_AO) for the page at addr by the last memory failure? */
bool harness_signalled(struct task_struct *task, unsigned long addr);
/* The processes the checker walks (check.c), in registration order. */
int harness_nr_tasks(void);
struct task_struct *harness_task(int i);

#endif /* HARNESS_H */
