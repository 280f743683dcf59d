// SPDX-License-Identifier: GPL-2.0
/*
 * race: an rmap walker, or a second thread, running concurrently with an operation on the
 * same memory, under the scheduler model (shims/sched.c). The tasks switch at every lock
 * acquire and release, by the PCT schedule of each seed; each schedule starts from a fresh
 * process. Once the tasks are done, every invariant must hold and each process must read
 * what was written. A failure names its seed: `harness --schedule=SEED race/NAME` replays it.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "process.h"
#include "sched.h"
#include "swap.h"
#include "harness.h"

#define SCHEDULES	40
#define PCT_DEPTH	3
/*
 * Scheduling points over which PCT spreads its priority drops: about as many as a schedule
 * meets (20 for munmap against reclaim, 50 for two threads' faults), as PCT wants.
 */
#define PCT_STEPS	40
#define PAGES		4

/* Over a test's schedules: how many, scheduling points met, and how many interleaved. */
static unsigned long runs, points, interleaved;

static void sched_run(unsigned long seed)
{
	harness_sched_run(seed, PCT_DEPTH, PCT_STEPS);
	runs++;
	points += harness_sched_steps();
	/* One task after the other takes three switches: in, from the first, back out. */
	interleaved += harness_sched_switches() > 3;
}

/* The totals, which show that the tasks did interleave. */
static void report(void)
{
	host_print("# %lu schedules, %lu scheduling points, %lu schedules interleaved\n", runs,
		   points, interleaved);
	EXPECT(interleaved, "no schedule interleaved the tasks");
}

struct race {
	struct task_struct *p, *thread, *child;
	unsigned long addr;
	struct folio *folio;
};

/*
 * A process with PAGES pages written, and with @shared a forked child mapping them too; one
 * page's folio taken off the LRU by reclaim's scan.
 */
static void setup(struct race *r, unsigned long seed, const char *op, bool shared)
{
	memset(r, 0, sizeof(*r));
	r->p = op_spawn();
	r->addr = op_mmap_anon(r->p, 0, PAGES);
	harness_fill_pages(r->p, r->addr, PAGES, 0x40);
	if (shared) {
		r->child = op_fork(r->p);
		EXPECT(r->child, "fork failed");
	}
	r->folio = harness_reclaim_isolate(r->p, r->addr + PAGE_SIZE);
	EXPECT(r->folio, "no folio to reclaim at %#lx", r->addr + PAGE_SIZE);
	r->thread = harness_thread_create(r->p, op);
	harness_log("-- race: schedule %lu: %s against reclaim (replay: --schedule=%lu)",
		    seed, op, seed);
}

static void reclaim(void *arg)
{
	struct race *r = arg;

	harness_reclaim_isolated(r->folio);
}

/* Both tasks spawned, run by the schedule of @seed; then the quiescent checks. */
static void run(struct race *r, void (*op)(void *), unsigned long seed)
{
	struct task_struct *kswapd = harness_thread_create(NULL, "kswapd0");

	harness_sched_spawn(r->thread, op, r);
	harness_sched_spawn(kswapd, reclaim, r);
	sched_run(seed);
	harness_thread_exit(kswapd);
	harness_thread_exit(r->thread);
	harness_swap_run_work();
	harness_check_all();
}

static void race_munmap(void *arg)
{
	struct race *r = arg;

	op_munmap(r->thread, r->addr, PAGES * PAGE_SIZE);
}

HARNESS_TEST(race, reclaim_against_munmap)
{
	unsigned long seed;
	struct race r;

	for_each_schedule(seed, SCHEDULES) {
		setup(&r, seed, "munmap", false);
		run(&r, race_munmap, seed);
		EXPECT(!harness_folio_at(r.p, r.addr), "a page is mapped after munmap");
		op_exit(r.p);
	}
	report();
}

/*
 * The folio is mapped by the parent and a child, so the walk visits two VMAs, the parent's
 * first; the parent's thread unmaps its VMA meanwhile, freeing the chain entry the walk
 * stands on, and the walk must still reach the child's.
 */
HARNESS_TEST(race, reclaim_against_munmap_of_a_shared_folio)
{
	unsigned long seed;
	struct race r;

	for_each_schedule(seed, SCHEDULES) {
		setup(&r, seed, "munmap of a shared folio", true);
		run(&r, race_munmap, seed);
		harness_expect_pages(r.child, r.addr, PAGES, 0x40);
		EXPECT(!harness_folio_at(r.p, r.addr), "the parent's page is mapped after munmap");
		op_exit(r.child);
		op_exit(r.p);
	}
	report();
}

static void race_mprotect(void *arg)
{
	struct race *r = arg;

	/* Splits the VMA around the page reclaim unmaps, then merges it back. */
	op_mprotect(r->thread, r->addr + PAGE_SIZE, PAGE_SIZE, PROT_READ);
	op_mprotect(r->thread, r->addr + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
}

HARNESS_TEST(race, reclaim_against_mprotect_split_and_merge)
{
	unsigned long seed;
	struct race r;

	for_each_schedule(seed, SCHEDULES) {
		setup(&r, seed, "mprotect", false);
		run(&r, race_mprotect, seed);
		harness_expect_pages(r.p, r.addr, PAGES, 0x40);
		op_exit(r.p);
	}
	report();
}

static void race_mremap(void *arg)
{
	struct race *r = arg;

	r->addr = op_mremap(r->thread, r->addr, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE,
			    MREMAP_MAYMOVE | MREMAP_FIXED, r->addr + 64 * PAGE_SIZE);
}

HARNESS_TEST(race, reclaim_against_mremap_move)
{
	unsigned long seed;
	struct race r;

	for_each_schedule(seed, SCHEDULES) {
		setup(&r, seed, "mremap", false);
		run(&r, race_mremap, seed);
		harness_expect_pages(r.p, r.addr, PAGES, 0x40);
		op_exit(r.p);
	}
	report();
}

static void race_fork(void *arg)
{
	struct race *r = arg;

	r->child = op_fork(r->thread);
}

/* The fork copies the parent's mapping, and with the series links the child, mid-walk. */
HARNESS_TEST(race, reclaim_against_fork)
{
	unsigned long seed;
	struct race r;

	for_each_schedule(seed, SCHEDULES) {
		setup(&r, seed, "fork", false);
		run(&r, race_fork, seed);
		EXPECT(r.child, "fork failed");
		harness_expect_pages(r.p, r.addr, PAGES, 0x40);
		harness_expect_pages(r.child, r.addr, PAGES, 0x40);
		op_exit(r.child);
		op_exit(r.p);
	}
	report();
}

/* ---- two threads of one process take their first faults in one VMA ---- */

struct faults {
	struct task_struct *thread[2];
	unsigned long addr;
};

static void fault_pages(void *arg)
{
	struct faults *f = arg;
	int me = current == f->thread[1];
	unsigned long i;

	for (i = me; i < PAGES; i += 2)
		op_write(f->thread[me], f->addr + i * PAGE_SIZE, 0x60 + i);
}

HARNESS_TEST(race, two_threads_first_faults_in_one_vma)
{
	struct task_struct *p;
	struct faults f;
	unsigned long seed, i;

	for_each_schedule(seed, SCHEDULES) {
		p = op_spawn();
		f.addr = op_mmap_anon(p, 0, PAGES);
		f.thread[0] = harness_thread_create(p, "thread0");
		f.thread[1] = harness_thread_create(p, "thread1");
		harness_log("-- race: schedule %lu: two first faults (replay: --schedule=%lu)",
			    seed, seed);
		harness_sched_spawn(f.thread[0], fault_pages, &f);
		harness_sched_spawn(f.thread[1], fault_pages, &f);
		sched_run(seed);
		harness_thread_exit(f.thread[0]);
		harness_thread_exit(f.thread[1]);
		harness_check_all();
		for (i = 0; i < PAGES; i++)
			EXPECT(op_read(p, f.addr + i * PAGE_SIZE) == 0x60 + i,
			       "page %lu lost its write", i);
		op_exit(p);
	}
	report();
}
