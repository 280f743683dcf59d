// SPDX-License-Identifier: GPL-2.0
/*
 * Seeded random operation sequences over a fork tree of processes, each working in the same
 * small address window so that VMAs split, merge, move and share folios often. After every
 * operation the checker verifies every invariant (tests/lib/check.c); besides, a shadow of
 * what each page must hold is kept here, and after every step every process's window must
 * be mapped exactly where the shadow says, and every read must return what it says.
 *
 * The same sequence runs in every configuration (stock, lazy on, lazy off) and L2 compares
 * them (tests/harness). `make fuzz SEED=... OPS=... PROCS=...` runs one sequence;
 * harness_random() is its entry point. Every failure prints the replay command.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

#define P PAGE_SIZE
/* The window every process works in: small, so that operations keep meeting each other. */
#define WINDOW_PAGES 48
#define WINDOW 0x20000000UL
#define MAX_PROCS 8

/* What a page of the window holds: not mapped, or mapped with this first byte. */
#define UNMAPPED -1

struct proc {
	struct task_struct *task;
	short page[WINDOW_PAGES];
};

struct run {
	u64 state;
	unsigned long seed;
	int nr_ops, max_procs, nr_procs;
	struct proc procs[MAX_PROCS];
};

/* xorshift64*: small, fast, and the same sequence everywhere for a seed. */
static u64 next(struct run *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545f4914f6cdd1dULL;
}

static unsigned long pick(struct run *r, unsigned long n)
{
	return next(r) % n;
}

static unsigned long page_addr(unsigned long i)
{
	return WINDOW + i * P;
}

static struct vm_area_struct *vma_at(struct proc *p, unsigned long i)
{
	return vma_lookup(p->task->mm, page_addr(i));
}

/* A random range [*start, *start + *n) of the window, at most max pages long. */
static void pick_range(struct run *r, unsigned long *start, unsigned long *n, unsigned long max)
{
	*start = pick(r, WINDOW_PAGES);
	*n = 1 + pick(r, min(max, WINDOW_PAGES - *start));
}

static void op_random_mmap(struct run *r, struct proc *p)
{
	unsigned long start, n, i, ret;

	pick_range(r, &start, &n, 8);
	ret = op_mmap(p->task, page_addr(start), n * P, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	EXPECT(ret == page_addr(start), "mmap(MAP_FIXED) in the window failed: %ld", (long)ret);
	for (i = start; i < start + n; i++)
		p->page[i] = 0;
}

static void op_random_munmap(struct run *r, struct proc *p)
{
	unsigned long start, n, i;

	pick_range(r, &start, &n, 6);
	EXPECT(op_munmap(p->task, page_addr(start), n * P) == 0, "munmap in the window failed");
	for (i = start; i < start + n; i++)
		p->page[i] = UNMAPPED;
}

/* Splits and merges: read-only, read-write, or back. Unmapped parts fail with -ENOMEM. */
static void op_random_mprotect(struct run *r, struct proc *p)
{
	static const unsigned long prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE };
	unsigned long start, n;

	pick_range(r, &start, &n, 12);
	op_mprotect(p->task, page_addr(start), n * P, prots[pick(r, ARRAY_SIZE(prots))]);
}

/*
 * A move to a random place in the window (over whatever is there), or a resize in place.
 * The kernel decides whether the range is movable (one VMA, -EFAULT otherwise); the shadow
 * follows what it did.
 */
static void op_random_mremap(struct run *r, struct proc *p)
{
	unsigned long start, n, dst, new_n, i, ret;
	short moved[WINDOW_PAGES];
	bool fixed = pick(r, 2);

	pick_range(r, &start, &n, 8);
	new_n = 1 + pick(r, 8);
	dst = fixed ? pick(r, WINDOW_PAGES - new_n + 1) : start;
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
	if (!fixed) {
		for (i = start + n; i < start + new_n; i++)
			p->page[i] = 0;
		for (i = start + new_n; i < start + n; i++)
			p->page[i] = UNMAPPED;
		return;
	}
	/*
	 * A move may span several VMAs and the gaps between them: each VMA moves to the same
	 * offset of the destination, and what the destination has opposite a gap stays.
	 */
	for (i = 0; i < new_n; i++)
		moved[i] = i < n ? p->page[start + i] : 0;
	for (i = start; i < start + n; i++)
		p->page[i] = UNMAPPED;
	for (i = 0; i < new_n; i++)
		if (moved[i] != UNMAPPED)
			p->page[dst + i] = moved[i];
}

/* A read or write of a readable page; a few tries to find one. */
static void op_random_access(struct run *r, struct proc *p)
{
	struct vm_area_struct *vma = NULL;
	unsigned long i = 0;
	int tries;
	u8 v;

	for (tries = 0; tries < 4 && !(vma && (vma->vm_flags & VM_READ)); tries++) {
		i = pick(r, WINDOW_PAGES);
		vma = vma_at(p, i);
	}
	if (!vma || !(vma->vm_flags & VM_READ))
		return;
	if ((vma->vm_flags & VM_WRITE) && pick(r, 3)) {
		v = 1 + pick(r, 255);
		op_write(p->task, page_addr(i), v);
		p->page[i] = v;
		return;
	}
	v = op_read(p->task, page_addr(i));
	EXPECT(v == p->page[i], "p%d reads %u at page %lu of the window, expected %d",
	       p->task->pid, v, i, p->page[i]);
}

static void op_random_fork(struct run *r, struct proc *p)
{
	struct proc *c;

	if (r->nr_procs == r->max_procs)
		return;
	c = &r->procs[r->nr_procs];
	c->task = op_fork(p->task);
	if (!c->task)
		return;
	memcpy(c->page, p->page, sizeof(c->page));
	r->nr_procs++;
}

static void op_random_exit(struct run *r, struct proc *p)
{
	if (r->nr_procs == 1)
		return;
	op_exit(p->task);
	*p = r->procs[--r->nr_procs];
}

static void op_random_reclaim(struct run *r, struct proc *p)
{
	op_reclaim(p->task, page_addr(pick(r, WINDOW_PAGES)));
}

static void op_random_migrate(struct run *r, struct proc *p)
{
	op_migrate(p->task, page_addr(pick(r, WINDOW_PAGES)));
}

static void op_random_switch(struct run *r, struct proc *p)
{
	op_set_lazy(pick(r, 2));
}

static const struct {
	void (*fn)(struct run *r, struct proc *p);
	int weight;
} random_ops[] = {
	{ op_random_access, 40 },
	{ op_random_mmap, 8 },
	{ op_random_munmap, 4 },
	{ op_random_mprotect, 8 },
	{ op_random_mremap, 8 },
	{ op_random_fork, 4 },
	{ op_random_exit, 2 },
	{ op_random_reclaim, 8 },
	{ op_random_migrate, 6 },
	{ op_random_switch, 1 },
};

/* The shadow's map of each window against the VMAs the kernel has. */
static void check_shadow(struct run *r)
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

void harness_random(unsigned long seed, int nr_ops, int max_procs)
{
	struct run *r = host_alloc(sizeof(*r));
	int i, w, total = 0;

	harness_log("random: seed %lu, %d operations, up to %d processes; replay with: make fuzz SEED=%lu OPS=%d PROCS=%d",
		    seed, nr_ops, max_procs, seed, nr_ops, max_procs);
	r->seed = seed;
	r->state = seed * 0x9e3779b97f4a7c15ULL + 1;
	r->nr_ops = nr_ops;
	r->max_procs = clamp(max_procs, 1, MAX_PROCS);
	r->procs[0].task = op_spawn();
	r->nr_procs = 1;
	/* The window starts mapped, so that the first operations have pages to work on. */
	EXPECT(op_mmap_anon(r->procs[0].task, WINDOW, WINDOW_PAGES) == WINDOW, "mmap the window");
	for (i = 0; i < WINDOW_PAGES; i++)
		r->procs[0].page[i] = 0;
	for (i = 0; i < ARRAY_SIZE(random_ops); i++)
		total += random_ops[i].weight;
	for (i = 0; i < nr_ops; i++) {
		struct proc *p = &r->procs[pick(r, r->nr_procs)];
		int roll = pick(r, total);

		for (w = 0; roll >= random_ops[w].weight; w++)
			roll -= random_ops[w].weight;
		random_ops[w].fn(r, p);
		check_shadow(r);
	}
	host_free(r);
}

/*
 * Fixed seeds: part of every run, in every configuration, compared by L2. The allocation-
 * failure sweep runs the first SWEEP_OPS operations of each: all 300 would take it too long.
 */
#define SWEEP_OPS 40
#define RANDOM_TEST(_seed)						\
	HARNESS_TEST(random, seed_##_seed)				\
	{								\
		harness_random(_seed, harness_sweeping() ? SWEEP_OPS : 300, 4);	\
	}

RANDOM_TEST(1)
RANDOM_TEST(2)
RANDOM_TEST(3)
RANDOM_TEST(4)
RANDOM_TEST(5)
RANDOM_TEST(6)
RANDOM_TEST(7)
RANDOM_TEST(8)
