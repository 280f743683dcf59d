// SPDX-License-Identifier: GPL-2.0
/*
 * Random operation sequences over a fork tree of processes, each working in the same small
 * address window so that VMAs split, merge, move and share folios often. A sequence is an
 * array of steps (random.h): generated from a seed here, enumerated, shrunk or decoded from
 * fuzzer input elsewhere. After every step the checker verifies every invariant
 * (tests/lib/check.c); besides, a shadow of what each page must hold is kept here, and after
 * every step every process's window must be mapped exactly where the shadow says, and every
 * read must return what it says.
 *
 * The same sequence runs in every configuration (stock, lazy on, lazy off) and L2 compares
 * them (tests/harness). `make fuzz SEED=... OPS=... PROCS=...` runs one sequence and, if it
 * fails, shrinks it to a minimal one printed as a test case (tests/lib/main.c).
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"
#include "random.h"

#define P PAGE_SIZE
#define WINDOW_PAGES RANDOM_WINDOW_PAGES
#define WINDOW 0x20000000UL

/* What a page of the window holds: not mapped, or mapped with this first byte. */
#define UNMAPPED -1
/* The madvise() flags of a page (of the VMA that maps it), as the shadow follows them. */
#define PAGE_WIPEONFORK 1
#define PAGE_DONTFORK 2

struct proc {
	struct task_struct *task;
	short page[WINDOW_PAGES];
	u8 flags[WINDOW_PAGES];
};

struct random_run {
	int max_procs, nr_procs;
	struct proc procs[RANDOM_MAX_PROCS];
};

static unsigned long page_addr(unsigned long i)
{
	return WINDOW + i * P;
}

static struct vm_area_struct *vma_at(struct proc *p, unsigned long i)
{
	return vma_lookup(p->task->mm, page_addr(i));
}

/* The step's page range: [*start, *start + *n), at most max pages, inside the window. */
static void step_range(const struct random_step *s, unsigned long *start, unsigned long *n,
		       unsigned long max)
{
	*start = s->start % WINDOW_PAGES;
	*n = 1 + s->n % min(max, WINDOW_PAGES - *start);
}

static void set_pages(struct proc *p, unsigned long start, unsigned long n, short v)
{
	unsigned long i;

	for (i = start; i < start + n; i++) {
		p->page[i] = v;
		p->flags[i] = 0;
	}
}

static void step_mmap(struct random_run *r, struct proc *p, const struct random_step *s)
{
	unsigned long start, n, ret;

	step_range(s, &start, &n, 8);
	ret = op_mmap(p->task, page_addr(start), n * P, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	EXPECT(ret == page_addr(start), "mmap(MAP_FIXED) in the window failed: %ld", (long)ret);
	set_pages(p, start, n, 0);
}

static void step_munmap(struct random_run *r, struct proc *p, const struct random_step *s)
{
	unsigned long start, n;

	step_range(s, &start, &n, 6);
	EXPECT(op_munmap(p->task, page_addr(start), n * P) == 0, "munmap in the window failed");
	set_pages(p, start, n, UNMAPPED);
}

/* Splits and merges: read-only, read-write, or back. Unmapped parts fail with -ENOMEM. */
static void step_mprotect(struct random_run *r, struct proc *p, const struct random_step *s)
{
	static const unsigned long prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE };
	unsigned long start, n;

	step_range(s, &start, &n, 12);
	op_mprotect(p->task, page_addr(start), n * P, prots[s->arg % ARRAY_SIZE(prots)]);
}

/*
 * A move to a place in the window (over whatever is there), or a resize in place. The
 * kernel decides whether the range is movable (one VMA, -EFAULT otherwise); the shadow
 * follows what it did.
 */
static void step_mremap(struct random_run *r, struct proc *p, const struct random_step *s)
{
	unsigned long start, n, dst, new_n, i, ret;
	short moved[WINDOW_PAGES];
	u8 moved_flags[WINDOW_PAGES];
	bool fixed = s->arg & 1;

	step_range(s, &start, &n, 8);
	new_n = 1 + s->arg2 % 8;
	dst = fixed ? (s->arg >> 1) % (WINDOW_PAGES - new_n + 1) : start;
	if (!fixed && start + new_n > WINDOW_PAGES)
		new_n = WINDOW_PAGES - start;
	/* Source and destination of a move may not overlap. */
	if (fixed && dst < start + n && start < dst + new_n)
		return;
	ret = op_mremap(p->task, page_addr(start), n * P, new_n * P,
			fixed ? MREMAP_MAYMOVE | MREMAP_FIXED : 0, fixed ? page_addr(dst) : 0);
	if (IS_ERR_VALUE(ret))
		return;
	EXPECT(ret == page_addr(dst), "mremap to %#lx returned %#lx", page_addr(dst), ret);
	/* Pages a resize adds belong to the VMA of the first page, and have its flags. */
	if (!fixed) {
		for (i = start + n; i < start + new_n; i++) {
			p->page[i] = 0;
			p->flags[i] = p->flags[start];
		}
		set_pages(p, start + new_n, n > new_n ? n - new_n : 0, UNMAPPED);
		return;
	}
	/*
	 * A move may span several VMAs and the gaps between them: each VMA moves to the same
	 * offset of the destination, and what the destination has opposite a gap stays.
	 */
	for (i = 0; i < new_n; i++) {
		moved[i] = i < n ? p->page[start + i] : 0;
		moved_flags[i] = i < n ? p->flags[start + i] : p->flags[start];
	}
	set_pages(p, start, n, UNMAPPED);
	for (i = 0; i < new_n; i++)
		if (moved[i] != UNMAPPED) {
			p->page[dst + i] = moved[i];
			p->flags[dst + i] = moved_flags[i];
		}
}

/* A read, or a write where the page is writable; nothing where it is not readable. */
static void step_access(struct random_run *r, struct proc *p, const struct random_step *s)
{
	unsigned long i = s->start % WINDOW_PAGES;
	struct vm_area_struct *vma = vma_at(p, i);
	u8 v;

	if (!vma || !(vma->vm_flags & VM_READ))
		return;
	if ((vma->vm_flags & VM_WRITE) && s->arg % 3) {
		v = 1 + s->arg2 % 255;
		op_write(p->task, page_addr(i), v);
		p->page[i] = v;
		return;
	}
	v = op_read(p->task, page_addr(i));
	EXPECT(v == p->page[i], "p%d reads %u at page %lu of the window, expected %d",
	       p->task->pid, v, i, p->page[i]);
}

/* The child sees the parent's pages, but for wiped ones (zero) and undumped ones (none). */
static void step_fork(struct random_run *r, struct proc *p, const struct random_step *s)
{
	struct proc *c;
	unsigned long i;

	if (r->nr_procs == r->max_procs)
		return;
	c = &r->procs[r->nr_procs];
	c->task = op_fork(p->task);
	if (!c->task)
		return;
	for (i = 0; i < WINDOW_PAGES; i++) {
		c->flags[i] = p->flags[i];
		c->page[i] = p->page[i];
		if (p->page[i] == UNMAPPED)
			continue;
		if (p->flags[i] & PAGE_DONTFORK) {
			c->page[i] = UNMAPPED;
			c->flags[i] = 0;
		} else if (p->flags[i] & PAGE_WIPEONFORK) {
			c->page[i] = 0;
		}
	}
	r->nr_procs++;
}

static void step_exit(struct random_run *r, struct proc *p, const struct random_step *s)
{
	if (r->nr_procs == 1)
		return;
	op_exit(p->task);
	*p = r->procs[--r->nr_procs];
}

static void step_reclaim(struct random_run *r, struct proc *p, const struct random_step *s)
{
	op_reclaim(p->task, page_addr(s->start % WINDOW_PAGES));
}

static void step_migrate(struct random_run *r, struct proc *p, const struct random_step *s)
{
	op_migrate(p->task, page_addr(s->start % WINDOW_PAGES));
}

/*
 * Under --lazy=off the switch stays off for the whole sequence, so that L2 compares that
 * run with stock's over every step (with the switch off the series must be stock); the
 * lazy-on run flips it. The step is logged either way, as the logs are compared.
 */
static void step_switch(struct random_run *r, struct proc *p, const struct random_step *s)
{
	if (harness_lazy_pinned_off())
		op_keep_lazy(s->arg & 1);
	else
		op_set_lazy(s->arg & 1);
}

/* madvise() applies to the mapped parts of the range (and fails with -ENOMEM for the gaps). */
static void step_madvise(struct random_run *r, struct proc *p, const struct random_step *s)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_DONTFORK, MADV_DOFORK
	};
	int a = advice[s->arg % ARRAY_SIZE(advice)];
	unsigned long start, n, i;
	long ret;

	step_range(s, &start, &n, 8);
	ret = op_madvise(p->task, page_addr(start), n * P, a);
	EXPECT(ret == 0 || ret == -ENOMEM, "madvise(%d) in the window returned %ld", a, ret);
	for (i = start; i < start + n; i++) {
		if (p->page[i] == UNMAPPED)
			continue;
		if (a == MADV_DONTNEED)
			p->page[i] = 0;
		else if (a == MADV_WIPEONFORK)
			p->flags[i] |= PAGE_WIPEONFORK;
		else if (a == MADV_KEEPONFORK)
			p->flags[i] &= ~PAGE_WIPEONFORK;
		else if (a == MADV_DONTFORK)
			p->flags[i] |= PAGE_DONTFORK;
		else
			p->flags[i] &= ~PAGE_DONTFORK;
	}
}

/* KSM merges and unmerges pages of equal contents: the contents stay what they were. */
static void step_ksm(struct random_run *r, struct proc *p, const struct random_step *s)
{
	unsigned long start, n;

	step_range(s, &start, &n, 16);
	if (s->arg % 3 == 2)
		op_ksm_scan();
	else
		op_madvise(p->task, page_addr(start), n * P,
			   s->arg % 3 ? MADV_UNMERGEABLE : MADV_MERGEABLE);
}

static const struct {
	void (*fn)(struct random_run *r, struct proc *p, const struct random_step *s);
	const char *name;
	int weight;	/* how often the generator picks it */
} random_ops[NR_RANDOM_OPS] = {
	[RANDOM_ACCESS] = { step_access, "RANDOM_ACCESS", 40 },
	[RANDOM_MMAP] = { step_mmap, "RANDOM_MMAP", 8 },
	[RANDOM_MUNMAP] = { step_munmap, "RANDOM_MUNMAP", 4 },
	[RANDOM_MPROTECT] = { step_mprotect, "RANDOM_MPROTECT", 8 },
	[RANDOM_MREMAP] = { step_mremap, "RANDOM_MREMAP", 8 },
	[RANDOM_FORK] = { step_fork, "RANDOM_FORK", 4 },
	[RANDOM_EXIT] = { step_exit, "RANDOM_EXIT", 2 },
	[RANDOM_RECLAIM] = { step_reclaim, "RANDOM_RECLAIM", 8 },
	[RANDOM_MIGRATE] = { step_migrate, "RANDOM_MIGRATE", 6 },
	[RANDOM_SWITCH] = { step_switch, "RANDOM_SWITCH", 1 },
	[RANDOM_MADVISE] = { step_madvise, "RANDOM_MADVISE", 4 },
	[RANDOM_KSM] = { step_ksm, "RANDOM_KSM", 4 },
};

/* The shadow's map of each window against the VMAs the kernel has. */
static void check_shadow(struct random_run *r)
{
	int k;
	unsigned long i;

	for (k = 0; k < r->nr_procs; k++) {
		struct proc *p = &r->procs[k];

		for (i = 0; i < WINDOW_PAGES; i++)
			if (!vma_at(p, i) != (p->page[i] == UNMAPPED))
				harness_fail("p%d: page %lu of the window is %smapped, the shadow says %s",
					     p->task->pid, i, vma_at(p, i) ? "" : "not ",
					     p->page[i] == UNMAPPED ? "unmapped" : "mapped");
	}
}

struct random_run *random_start(int max_procs)
{
	struct random_run *r = host_alloc(sizeof(*r));

	r->max_procs = clamp(max_procs, 1, RANDOM_MAX_PROCS);
	r->procs[0].task = op_spawn();
	r->nr_procs = 1;
	/* The window starts mapped, so that the first operations have pages to work on. */
	EXPECT(op_mmap_anon(r->procs[0].task, WINDOW, WINDOW_PAGES) == WINDOW, "mmap the window");
	set_pages(&r->procs[0], 0, WINDOW_PAGES, 0);
	return r;
}

void random_run_step(struct random_run *r, const struct random_step *s, int i)
{
	harness_log("-- step %d: { %s, %u, %u, %u, %u, %u }", i,
		    random_ops[s->op % NR_RANDOM_OPS].name, s->proc, s->start, s->n, s->arg,
		    s->arg2);
	random_ops[s->op % NR_RANDOM_OPS].fn(r, &r->procs[s->proc % r->nr_procs], s);
	check_shadow(r);
}

int random_nr_procs(const struct random_run *r)
{
	return r->nr_procs;
}

void random_finish(struct random_run *r)
{
	host_free(r);
}

void harness_random_steps(const struct random_step *steps, int nr_steps, int max_procs)
{
	struct random_run *r = random_start(max_procs);
	int i;

	for (i = 0; i < nr_steps; i++)
		random_run_step(r, &steps[i], i);
	random_finish(r);
}

/* xorshift64*: small, fast, and the same sequence everywhere for a seed. */
static u64 next(u64 *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

void harness_random_generate(unsigned long seed, struct random_step *steps, int nr_steps)
{
	u64 state = seed * 0x9e3779b97f4a7c15ULL + 1;
	int i, op, total = 0;

	for (op = 0; op < NR_RANDOM_OPS; op++)
		total += random_ops[op].weight;
	for (i = 0; i < nr_steps; i++) {
		u64 bits = next(&state);
		int roll = next(&state) % total;

		for (op = 0; roll >= random_ops[op].weight; op++)
			roll -= random_ops[op].weight;
		steps[i] = (struct random_step) {
			.op = op, .proc = bits, .start = bits >> 8, .n = bits >> 16,
			.arg = bits >> 24, .arg2 = bits >> 32,
		};
	}
}

void harness_random_print_test(const char *name, const char *origin,
			       const struct random_step *steps, int nr_steps, int max_procs)
{
	int i;

	host_print("/* %s */\nHARNESS_TEST(random, %s)\n{\n", origin, name);
	host_print("\tstatic const struct random_step steps[] = {\n");
	for (i = 0; i < nr_steps; i++)
		host_print("\t\t{ %s, %u, %u, %u, %u, %u },\n",
			   random_ops[steps[i].op % NR_RANDOM_OPS].name, steps[i].proc,
			   steps[i].start, steps[i].n, steps[i].arg, steps[i].arg2);
	host_print("\t};\n\n\tharness_random_steps(steps, ARRAY_SIZE(steps), %d);\n}\n",
		   max_procs);
}

void harness_random(unsigned long seed, int nr_ops, int max_procs)
{
	struct random_step *steps = host_alloc(nr_ops * sizeof(*steps));

	harness_log("random: seed %lu, %d operations, up to %d processes; replay and shrink with: make fuzz SEED=%lu OPS=%d PROCS=%d",
		    seed, nr_ops, max_procs, seed, nr_ops, max_procs);
	harness_random_generate(seed, steps, nr_ops);
	harness_random_steps(steps, nr_ops, max_procs);
	host_free(steps);
}

/*
 * Fixed seeds: part of every run, in every configuration, compared by L2. The allocation-
 * failure sweep runs the first SWEEP_OPS operations of each: all 300 would take it too long.
 */
#define SWEEP_OPS 40

static void random_fixed_seed(unsigned long seed)
{
	harness_random(seed, harness_sweeping() ? SWEEP_OPS : 300, 4);
}

HARNESS_TEST(random, seed_1)
{
	random_fixed_seed(1);
}

HARNESS_TEST(random, seed_2)
{
	random_fixed_seed(2);
}

HARNESS_TEST(random, seed_3)
{
	random_fixed_seed(3);
}

HARNESS_TEST(random, seed_4)
{
	random_fixed_seed(4);
}

HARNESS_TEST(random, seed_5)
{
	random_fixed_seed(5);
}

HARNESS_TEST(random, seed_6)
{
	random_fixed_seed(6);
}

HARNESS_TEST(random, seed_7)
{
	random_fixed_seed(7);
}

HARNESS_TEST(random, seed_8)
{
	random_fixed_seed(8);
}
