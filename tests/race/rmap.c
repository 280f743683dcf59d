// SPDX-License-Identifier: GPL-2.0
/*
 * race: an rmap walker, or a second thread, running concurrently with an operation on the
 * same memory, under the scheduler model (shims/sched.c). The tasks switch at every lock
 * acquire and release, by PCT schedules and by the bounded search (schedules()); each
 * schedule starts from a fresh process. Once the tasks are done, every invariant must hold
 * and each process must read what was written; a walk checks on its own that it was
 * complete (walk_completely()). A failure names its seed: `harness --schedule=SEED
 * race/NAME` replays it.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rmap.h>
#include "mm/internal.h"
#include "process.h"
#include "sched.h"
#include "swap.h"
#include "harness.h"

#define SCHEDULES	24
#define PCT_DEPTH	3
/*
 * Scheduling points over which PCT spreads its priority drops: about as many as a schedule
 * meets, as PCT wants (11 to 26 for a walk against an operation, 50 for two threads'
 * faults; a drop past the end is wasted).
 */
#define PCT_STEPS	24
#define PAGES		4
/* How far mremap moves a range. */
#define MOVED		(64 * PAGE_SIZE)

static void sched_run(unsigned long seed)
{
	harness_schedule_run(seed, PCT_DEPTH, PCT_STEPS);
}


/*
 * The totals of the test's schedules, which show that the tasks did interleave (in the
 * test's own schedules, not those --schedule or --schedules chose), and what they cost in
 * lock contention.
 */
static void report(void)
{
	struct harness_schedule_totals *t = harness_schedule_totals();

	host_print("# %lu schedules, %lu scheduling points, %lu schedules interleaved, %lu contended lock acquisitions, %lu failed trylocks\n",
		   t->runs, t->points, t->interleaved, t->contended, t->failed_trylocks);
	EXPECT(t->interleaved || harness_schedule_count, "no schedule interleaved the tasks");
}

/* The task that walks the folio's rmap while the operation runs. */
struct walker {
	const char *name;
	void (*walk)(void *race);
	/*
	 * The folio the walker gets: none (it finds its own), or taken off the LRU by
	 * reclaim's scan, and then put back after the run unless the walker (reclaim) frees
	 * or puts it back itself.
	 */
	enum { NO_FOLIO, ISOLATED, ISOLATED_AND_PUT_BACK } folio;
	/* It runs as a thread of the process (move_pages()), not as a kernel thread. */
	bool in_process;
};

struct race {
	struct task_struct *p, *thread, *child;
	unsigned long addr;
	struct folio *folio;
	unsigned long page;	/* where the folio was mapped at the start */
	unsigned long moved_to;	/* where the operation may move it, or 0 */
	struct userfaultfd_ctx *ctx;
};

/* A process with PAGES pages written, and with @shared a forked child mapping them too. */
static void setup(struct race *r, bool shared)
{
	memset(r, 0, sizeof(*r));
	r->p = op_spawn();
	r->addr = op_mmap_anon(r->p, 0, PAGES);
	harness_fill_pages(r->p, r->addr, PAGES, 0x40);
	if (shared) {
		r->child = op_fork(r->p);
		EXPECT(r->child, "fork failed");
	}
}

/*
 * The folio mapped at @page taken off the LRU by reclaim's scan when the walker wants it,
 * and the thread that will run the operation; @moved_to is where it may move the page, or 0.
 */
static void setup_walk(struct race *r, const struct walker *w, const char *op,
		       unsigned long page, unsigned long moved_to)
{
	r->page = page;
	r->moved_to = moved_to;
	if (w->folio != NO_FOLIO) {
		r->folio = harness_reclaim_isolate(r->p, r->page);
		EXPECT(r->folio, "no folio to reclaim at %#lx", r->page);
	}
	r->thread = harness_thread_create(r->p, op);
}

/* Reclaim's unmap of the isolated folio, as shrink_folio_list() does it. */
static void reclaim(void *arg)
{
	struct race *r = arg;

	harness_reclaim_isolated(r->folio);
}

static const struct walker by_reclaim = { "reclaim", reclaim, ISOLATED };

/*
 * Reclaim's aging: folio_referenced() of the unlocked folio, as shrink_folio_list() calls
 * it. It only try-locks the anon_vma (folio_lock_anon_vma_read()) and gives up when another
 * task holds it: the failed trylocks a test counts.
 */
static void referenced(void *arg)
{
	struct race *r = arg;
	vma_flags_t vma_flags;

	folio_referenced(r->folio, 0, NULL, &vma_flags);
}

static const struct walker by_referenced = {
	"folio_referenced()", referenced, ISOLATED_AND_PUT_BACK
};

/*
 * Migration of the folio at the page by move_pages() in another thread of the process: the
 * real migrate_pages(), whose try_to_migrate() turns every mapping into a migration entry
 * and remove_migration_ptes() finds each again; one it misses is left behind, which the
 * checker reports (a migration entry of a folio no migration holds).
 */
static void migrate(void *arg)
{
	struct race *r = arg;

	op_migrate(current, r->page);
}

static const struct walker by_migration = { "migration", migrate, NO_FOLIO, true };

/* ---- a walk that completes found every mm that mapped the folio for its whole duration ---- */

#define MAX_MMS 2

struct mms {
	struct mm_struct *mm[MAX_MMS];
	int nr;
};

static bool mms_has(const struct mms *s, struct mm_struct *mm)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (s->mm[i] == mm)
			return true;
	return false;
}

static void mms_add(struct mms *s, struct mm_struct *mm)
{
	if (!mms_has(s, mm) && !WARN_ON(s->nr == MAX_MMS))
		s->mm[s->nr++] = mm;
}

/*
 * The folio mapped at @addr in @mm, read from the page tables without their locks: a read
 * takes no lock, so no other task runs meanwhile, and no lock of the code under test is
 * touched. Page tables live in the model's physical memory, which stays mapped.
 */
static struct folio *folio_mapped_at(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd, pmdval;
	pte_t pte;

	if (pgd_none(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	pmdval = pmdp_get(pmd);
	if (pmd_none(pmdval) || !pmd_present(pmdval) || pmd_trans_huge(pmdval))
		return NULL;
	pte = ptep_get(pte_offset_kernel(pmd, addr));
	return pte_present(pte) ? page_folio(pte_page(pte)) : NULL;
}

/* The mms of the scenario's processes that map the folio now, where it was or moved to. */
static void mms_mapping(const struct race *r, struct mms *s)
{
	struct task_struct *tasks[] = { r->p, r->child };
	int i;

	s->nr = 0;
	for (i = 0; i < ARRAY_SIZE(tasks); i++) {
		struct mm_struct *mm = tasks[i] ? tasks[i]->mm : NULL;

		if (mm && (folio_mapped_at(mm, r->page) == r->folio ||
			   (r->moved_to && folio_mapped_at(mm, r->moved_to) == r->folio)))
			mms_add(s, mm);
	}
}

/* rmap_one: an mm counts as found where the walk saw the folio's page table entry. */
static bool found_mapping(struct folio *folio, struct vm_area_struct *vma,
			  unsigned long address, void *arg)
{
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, address, 0);

	while (page_vma_mapped_walk(&pvmw))
		mms_add(arg, vma->vm_mm);
	return true;
}

/*
 * The walker: rmap_walk() of the folio, locked, as try_to_unmap() and remove_migration_ptes()
 * walk it. Every mm that mapped the folio both before and after the walk must be found: its
 * mapping existed for the whole walk (the scenarios move a mapping within its mm at most).
 * What the walk found it saw in the page tables, so it existed.
 */
static void walk_completely(void *arg)
{
	struct race *r = arg;
	struct mms before, after, found = { };
	struct rmap_walk_control rwc = { .rmap_one = found_mapping, .arg = &found };
	int i;

	mms_mapping(r, &before);
	folio_lock(r->folio);
	rmap_walk(r->folio, &rwc);
	folio_unlock(r->folio);
	mms_mapping(r, &after);
	for (i = 0; i < before.nr; i++)
		if (mms_has(&after, before.mm[i]) && !mms_has(&found, before.mm[i]))
			harness_fail("walk completeness violated: rmap_walk() of folio %p did not find mm %p, which mapped it for the whole walk",
				     r->folio, before.mm[i]);
}

static const struct walker by_complete_walk = {
	"a complete rmap walk", walk_completely, ISOLATED_AND_PUT_BACK
};

/*
 * Memory failure on the folio's page: the real collect_procs() finds the processes through
 * the folio's rmap, and kill_procs() signals each. Every process that mapped the page for
 * the whole collection must be signalled, at the address where it was or moved to.
 */
static void collect(void *arg)
{
	struct race *r = arg;
	struct task_struct *tasks[] = { r->p, r->child };
	struct mms before, after;
	int i;

	mms_mapping(r, &before);
	op_memory_failure(current, r->folio, r->page);
	mms_mapping(r, &after);
	for (i = 0; i < ARRAY_SIZE(tasks); i++) {
		struct task_struct *t = tasks[i];

		if (t && t->mm && mms_has(&before, t->mm) && mms_has(&after, t->mm) &&
		    !harness_signalled(t, r->page) &&
		    !(r->moved_to && harness_signalled(t, r->moved_to)))
			harness_fail("collect_procs() missed p%d, which mapped folio %p for the whole collection",
				     t->pid, r->folio);
	}
}

static const struct walker by_memory_failure = {
	"memory failure", collect, ISOLATED_AND_PUT_BACK
};

/*
 * A scenario: what the operation's thread does while the walker runs, with the state it
 * starts from and what must hold once both are done.
 */
struct scenario {
	const char *what;
	/* The processes, the walker's folio and the operation's thread (setup_walk()). */
	void (*setup)(struct race *r, const struct walker *w);
	void (*op)(void *race);
	void (*check)(struct race *r);
};

/*
 * One schedule, in its own process: both tasks spawned and run by the schedule of @seed;
 * then the quiescent checks. The folio goes back to the LRU if the walker kept it isolated.
 */
static void run(struct race *r, const struct scenario *s, const struct walker *w,
		unsigned long seed)
{
	struct task_struct *walker = w->in_process ? harness_thread_create(r->p, "mover") :
				     harness_thread_create(NULL, "kswapd0");

	harness_log("-- race: schedule %lu (%s): %s against %s (replay: --schedule=%lu)",
		    seed, harness_schedule_name(seed), s->what, w->name, seed);
	harness_sched_spawn(r->thread, s->op, r);
	harness_sched_spawn(walker, w->walk, r);
	sched_run(seed);
	/* The exit scenario's thread is a listed process until it is done (exit_setup()). */
	harness_unregister_task(r->thread);
	harness_thread_exit(walker);
	harness_thread_exit(r->thread);
	if (w->folio == ISOLATED_AND_PUT_BACK)
		folio_putback_lru(r->folio);
	harness_swap_run_work();
	harness_check_all();
	s->check(r);
}

/*
 * A scenario's schedules: one per seed of SCHEDULES PCT ones, then of the bounded search
 * with at most @k preemptions (k = 0: each task first, alone). The set-up is done once, in
 * the test's process, and each schedule forks from it: the same state for every schedule,
 * and for its replay.
 */
static void schedules(const struct scenario *s, const struct walker *w, unsigned int k)
{
	unsigned long seed;
	struct race r;

	memset(&r, 0, sizeof(r));
	s->setup(&r, w);
	for_each_schedule(seed, SCHEDULES)
		run(&r, s, w, seed);
	for_each_bounded_schedule(seed, 2, k)
		run(&r, s, w, seed);
	/* The set-up, undone without a run: the exit scenario's thread is a listed process. */
	if (w->folio != NO_FOLIO)
		folio_putback_lru(r.folio);
	if (r.p != r.thread)
		harness_thread_exit(r.thread);
	if (r.ctx)
		op_uffd_release(r.p, r.ctx);
	harness_exit_all();
	report();
}

static void race_munmap(void *arg)
{
	struct race *r = arg;

	op_munmap(r->thread, r->addr, PAGES * PAGE_SIZE);
}

static void munmap_setup(struct race *r, const struct walker *w)
{
	setup(r, false);
	setup_walk(r, w, "munmap", r->addr + PAGE_SIZE, 0);
}

static void munmap_check(struct race *r)
{
	EXPECT(!harness_folio_at(r->p, r->addr), "a page is mapped after munmap");
}

/*
 * Not for walk_completely(): rmap_walk() of a folio whose last mapping goes meanwhile may
 * meet its anon_vma freed, which its callers rule out (reclaim by finding the folio mapped
 * first, migration by a reference); folio_referenced() checks for itself.
 */
static const struct scenario munmap_scenario = {
	"munmap", munmap_setup, race_munmap, munmap_check
};

static void shared_folio_setup(struct race *r, const struct walker *w)
{
	setup(r, true);
	setup_walk(r, w, "munmap of a shared folio", r->addr + PAGE_SIZE, 0);
}

static void shared_folio_check(struct race *r)
{
	harness_expect_pages(r->child, r->addr, PAGES, 0x40);
	EXPECT(!harness_folio_at(r->p, r->addr), "the parent's page is mapped after munmap");
}

/*
 * The folio is mapped by the parent and a child, so the walk visits two VMAs, the parent's
 * first; the parent's thread unmaps its VMA meanwhile, freeing the chain entry the walk
 * stands on, and the walk must still reach the child's.
 */
static const struct scenario munmap_of_a_shared_folio = {
	"munmap of a shared folio", shared_folio_setup, race_munmap, shared_folio_check
};

static void race_mprotect(void *arg)
{
	struct race *r = arg;

	/* Splits the VMA around the page the walker looks for, then merges it back. */
	op_mprotect(r->thread, r->addr + PAGE_SIZE, PAGE_SIZE, PROT_READ);
	op_mprotect(r->thread, r->addr + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
}

static void mprotect_setup(struct race *r, const struct walker *w)
{
	setup(r, false);
	setup_walk(r, w, "mprotect", r->addr + PAGE_SIZE, 0);
}

static void pages_kept(struct race *r)
{
	harness_expect_pages(r->p, r->addr, PAGES, 0x40);
}

static const struct scenario mprotect_split_and_merge = {
	"mprotect", mprotect_setup, race_mprotect, pages_kept
};

/* A second VMA, MOVED away from the first, written, split and merged back meanwhile. */
static void race_mprotect_other(void *arg)
{
	struct race *r = arg;

	op_mprotect(r->thread, r->addr + MOVED + PAGE_SIZE, PAGE_SIZE, PROT_READ);
	op_mprotect(r->thread, r->addr + MOVED + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
}

static void other_vma_setup(struct race *r, const struct walker *w)
{
	setup(r, false);
	EXPECT(op_mmap_anon(r->p, r->addr + MOVED, PAGES) == r->addr + MOVED, "mmap failed");
	harness_fill_pages(r->p, r->addr + MOVED, PAGES, 0x50);
	setup_walk(r, w, "mprotect of another VMA", r->addr + PAGE_SIZE, 0);
}

static void other_vma_check(struct race *r)
{
	harness_expect_pages(r->p, r->addr, PAGES, 0x40);
	harness_expect_pages(r->p, r->addr + MOVED, PAGES, 0x50);
}

/*
 * The lock cost of the anchor: with the series, the two unshared VMAs of the process share
 * one anon_vma, so the other VMA's split and merge holds the lock the walker of the first
 * one's folio needs; in stock each has its own (the failed trylocks of the totals).
 */
static const struct scenario mprotect_of_another_vma = {
	"mprotect of another VMA", other_vma_setup, race_mprotect_other, other_vma_check
};

static void race_mremap(void *arg)
{
	struct race *r = arg;

	r->addr = op_mremap(r->thread, r->addr, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE,
			    MREMAP_MAYMOVE | MREMAP_FIXED, r->addr + MOVED);
}

static void mremap_setup(struct race *r, const struct walker *w)
{
	setup(r, false);
	setup_walk(r, w, "mremap", r->addr + PAGE_SIZE, r->addr + MOVED + PAGE_SIZE);
}

static const struct scenario mremap_move = {
	"mremap", mremap_setup, race_mremap, pages_kept
};

/* The upper half of the range, moved away before the schedule, moves back (race_move_back()). */
#define HALF	(PAGES / 2 * PAGE_SIZE)

static void race_move_back(void *arg)
{
	struct race *r = arg;

	op_mremap(r->thread, r->addr + MOVED, HALF, HALF, MREMAP_MAYMOVE | MREMAP_FIXED,
		  r->addr + HALF);
}

static void move_back_setup(struct race *r, const struct walker *w)
{
	setup(r, false);
	EXPECT(op_mremap(r->p, r->addr + HALF, HALF, HALF, MREMAP_MAYMOVE | MREMAP_FIXED,
			 r->addr + MOVED) == r->addr + MOVED, "mremap away failed");
	setup_walk(r, w, "mremap back", r->addr + MOVED, r->addr + HALF);
}

/*
 * Moved back, the range merges into the VMA of the lower half, which starts at a lower page
 * offset: a walk visits that VMA before the one the page table entries leave, so mremap must
 * hold the rmap locks while it moves them (need_rmap_locks), or a walk finds neither.
 */
static const struct scenario mremap_move_back = {
	"mremap back", move_back_setup, race_move_back, pages_kept
};

static void race_fork(void *arg)
{
	struct race *r = arg;

	r->child = op_fork(r->thread);
}

static void fork_setup(struct race *r, const struct walker *w)
{
	setup(r, false);
	setup_walk(r, w, "fork", r->addr + PAGE_SIZE, 0);
}

static void fork_check(struct race *r)
{
	EXPECT(r->child, "fork failed");
	harness_expect_pages(r->p, r->addr, PAGES, 0x40);
	harness_expect_pages(r->child, r->addr, PAGES, 0x40);
}

/* The fork copies the parent's mapping, and with the series links the child, mid-walk. */
static const struct scenario fork_scenario = {
	"fork", fork_setup, race_fork, fork_check
};

/* The last thread of the process exits: exit_mm(), whose mmput() runs exit_mmap(). */
static void race_exit(void *arg)
{
	struct race *r = arg;
	struct mm_struct *mm = current->mm;

	harness_op_enter(r->thread, UNDO_NONE);
	mmap_read_lock(mm);
	current->mm = NULL;
	current->active_mm = NULL;
	mmap_read_unlock(mm);
	mmput(mm);
	harness_op_leave(false);
}

static void exit_setup(struct race *r, const struct walker *w)
{
	setup(r, true);
	setup_walk(r, w, "exit", r->addr + PAGE_SIZE, 0);
	/*
	 * The leader exits first; the thread's reference keeps the mm, so the thread is the
	 * last user and runs exit_mmap(). Until then it stands for the process: the checker
	 * and collect_procs() find the mm through it.
	 */
	harness_register_task(r->thread);
	op_exit(r->p);
	r->p = r->thread;
}

static void exit_check(struct race *r)
{
	harness_expect_pages(r->child, r->addr, PAGES, 0x40);
}

/*
 * exit_mmap() frees the VMAs' chains, the anon_vmas of their own and the page tables while
 * the walk runs; a forked child keeps mapping the folio, and must be found.
 */
static const struct scenario exit_scenario = {
	"exit", exit_setup, race_exit, exit_check
};

/* UFFDIO_MOVE of the folio's page to another VMA of the process, registered for it. */
static void race_uffd_move(void *arg)
{
	struct race *r = arg;

	EXPECT(op_uffd_move(r->thread, r->ctx, r->moved_to, r->page, PAGE_SIZE, false) ==
	       PAGE_SIZE, "UFFDIO_MOVE failed");
}

static void uffd_move_setup(struct race *r, const struct walker *w)
{
	unsigned long dst;

	setup(r, false);
	r->ctx = op_userfaultfd(r->p);
	EXPECT(r->ctx, "userfaultfd() failed");
	dst = op_mmap_anon(r->p, r->addr + MOVED, PAGES);
	EXPECT(dst == r->addr + MOVED, "mmap of the destination failed");
	EXPECT(!op_uffd_register(r->p, r->ctx, dst, PAGES * PAGE_SIZE), "register failed");
	setup_walk(r, w, "UFFDIO_MOVE", r->addr + PAGE_SIZE, dst + 2 * PAGE_SIZE);
}

static void uffd_move_check(struct race *r)
{
	EXPECT(op_read(r->p, r->moved_to) == 0x41, "the moved page lost its data");
	op_uffd_release(r->p, r->ctx);
}

/*
 * The move gives the folio the destination VMA's anon_vma and index: a walk must find it
 * where it was or where it went.
 */
static const struct scenario uffd_move = {
	"UFFDIO_MOVE", uffd_move_setup, race_uffd_move, uffd_move_check
};

HARNESS_TEST(race, reclaim_against_munmap)
{
	schedules(&munmap_scenario, &by_reclaim, 0);
}

HARNESS_TEST(race, reclaim_against_munmap_of_a_shared_folio)
{
	schedules(&munmap_of_a_shared_folio, &by_reclaim, 0);
}

HARNESS_TEST(race, reclaim_against_mprotect_split_and_merge)
{
	schedules(&mprotect_split_and_merge, &by_reclaim, 0);
}

HARNESS_TEST(race, reclaim_against_mremap_move)
{
	schedules(&mremap_move, &by_reclaim, 0);
}

HARNESS_TEST(race, reclaim_against_fork)
{
	schedules(&fork_scenario, &by_reclaim, 0);
}

/*
 * The last unmap frees the anon_vma that folio_referenced() may have just try-locked:
 * anon_vma_free() must wait for it.
 */
HARNESS_TEST(race, referenced_against_munmap)
{
	schedules(&munmap_scenario, &by_referenced, 0);
}

HARNESS_TEST(race, referenced_against_mprotect_split_and_merge)
{
	schedules(&mprotect_split_and_merge, &by_referenced, 0);
}

HARNESS_TEST(race, referenced_against_mprotect_of_another_vma)
{
	schedules(&mprotect_of_another_vma, &by_referenced, 0);
}

HARNESS_TEST(race, migration_against_munmap_of_a_shared_folio)
{
	schedules(&munmap_of_a_shared_folio, &by_migration, 0);
}

HARNESS_TEST(race, migration_against_mprotect_split_and_merge)
{
	schedules(&mprotect_split_and_merge, &by_migration, 0);
}

HARNESS_TEST(race, migration_against_mremap_move)
{
	schedules(&mremap_move, &by_migration, 0);
}

HARNESS_TEST(race, migration_against_mremap_move_back)
{
	schedules(&mremap_move_back, &by_migration, 1);
}

HARNESS_TEST(race, migration_against_fork)
{
	schedules(&fork_scenario, &by_migration, 0);
}

HARNESS_TEST(race, walk_against_munmap_of_a_shared_folio)
{
	schedules(&munmap_of_a_shared_folio, &by_complete_walk, 1);
}

HARNESS_TEST(race, walk_against_mprotect_split_and_merge)
{
	schedules(&mprotect_split_and_merge, &by_complete_walk, 1);
}

HARNESS_TEST(race, walk_against_mremap_move)
{
	schedules(&mremap_move, &by_complete_walk, 1);
}

/* Every schedule of up to two preemptions: the miss needs two (test/mutants/list). */
HARNESS_TEST(race, walk_against_mremap_move_back)
{
	schedules(&mremap_move_back, &by_complete_walk, 2);
}

HARNESS_TEST(race, walk_against_fork)
{
	schedules(&fork_scenario, &by_complete_walk, 1);
}

HARNESS_TEST(race, reclaim_against_exit)
{
	schedules(&exit_scenario, &by_reclaim, 0);
}

HARNESS_TEST(race, walk_against_exit)
{
	schedules(&exit_scenario, &by_complete_walk, 1);
}

HARNESS_TEST(race, walk_against_uffd_move)
{
	schedules(&uffd_move, &by_complete_walk, 1);
}

HARNESS_TEST(race, migration_against_uffd_move)
{
	schedules(&uffd_move, &by_migration, 0);
}

/* collect_procs() takes no fork: the harness's task list is fixed while it runs. */
HARNESS_TEST(race, memory_failure_against_munmap_of_a_shared_folio)
{
	schedules(&munmap_of_a_shared_folio, &by_memory_failure, 0);
}

HARNESS_TEST(race, memory_failure_against_mprotect_split_and_merge)
{
	schedules(&mprotect_split_and_merge, &by_memory_failure, 0);
}

HARNESS_TEST(race, memory_failure_against_mremap_move_back)
{
	schedules(&mremap_move_back, &by_memory_failure, 1);
}

HARNESS_TEST(race, memory_failure_against_exit)
{
	schedules(&exit_scenario, &by_memory_failure, 0);
}

/* ---- two threads of one process take their first faults in one VMA, or on one page ---- */

struct faults {
	struct task_struct *p, *thread[2];
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

/*
 * A process with an unfaulted VMA of PAGES pages at f->addr and two threads, set up once in
 * the test's process; then each schedule (the loop's body, in a process of its own) runs @fn
 * in both threads by the schedule of @seed, and checks the invariants.
 */
#define for_each_two_threads_schedule(f, seed)					\
	for (two_threads_setup(f); (f)->p; two_threads_teardown(f))		\
		for_each_schedule(seed, SCHEDULES)

static void two_threads_setup(struct faults *f)
{
	f->p = op_spawn();
	f->addr = op_mmap_anon(f->p, 0, PAGES);
	f->thread[0] = harness_thread_create(f->p, "thread0");
	f->thread[1] = harness_thread_create(f->p, "thread1");
}

static void two_threads_teardown(struct faults *f)
{
	harness_thread_exit(f->thread[0]);
	harness_thread_exit(f->thread[1]);
	op_exit(f->p);
	f->p = NULL;
	report();
}

static void two_threads(struct faults *f, void (*fn)(void *), unsigned long seed,
			const char *what)
{
	harness_log("-- race: schedule %lu (%s): %s (replay: --schedule=%lu)",
		    seed, harness_schedule_name(seed), what, seed);
	harness_sched_spawn(f->thread[0], fn, f);
	harness_sched_spawn(f->thread[1], fn, f);
	sched_run(seed);
	harness_thread_exit(f->thread[0]);
	harness_thread_exit(f->thread[1]);
	harness_check_all();
}

HARNESS_TEST(race, two_threads_first_faults_in_one_vma)
{
	struct faults f;
	unsigned long seed, i;

	for_each_two_threads_schedule(&f, seed) {
		two_threads(&f, fault_pages, seed, "two first faults");
		for (i = 0; i < PAGES; i++)
			EXPECT(op_read(f.p, f.addr + i * PAGE_SIZE) == 0x60 + i,
			       "page %lu lost its write", i);
	}
}

static void fault_page_zero(void *arg)
{
	struct faults *f = arg;
	int me = current == f->thread[1];

	op_write(f->thread[me], f->addr, 0x60 + me);
}

/* Both fault the same page: one folio must win, the other be freed. */
HARNESS_TEST(race, two_threads_first_fault_on_one_page)
{
	struct faults f;
	unsigned long seed;
	int v;

	for_each_two_threads_schedule(&f, seed) {
		two_threads(&f, fault_page_zero, seed, "two faults on one page");
		v = op_read(f.p, f.addr);
		EXPECT(v == 0x60 || v == 0x61, "the page reads %#x, neither thread's write", v);
	}
}
