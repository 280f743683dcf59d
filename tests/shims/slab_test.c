// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the slab and RCU models (shims/slab.c, shims/rcu.c). Prints KTAP and a last
 * line "N passed, N failed". With an argument it runs one scenario the models must stop
 * (or that the sanitizers must report) and is expected to die; see death_cases[].
 */
#include <linux/compiler.h>
#include <linux/debug_locks.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "host.h"
#include "rcu.h"
#include "slab.h"

/*
 * ---- Minimal stand-ins for what shims/locks.c and shims/kernel.c provide in the harness:
 * lockdep only counts how often each map is held, which is all the RCU model asks.
 */
DEFINE_PER_CPU_CACHE_HOT(unsigned long, __preempt_count) = PREEMPT_ENABLED;
/* For the RCU model's readers, which it tracks per task in a concurrent run (none here). */
DEFINE_PER_CPU_CACHE_HOT(struct task_struct *, current_task);
unsigned long harness_eflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;

__visible void preempt_schedule_thunk(void)
{
	host_die("preempt_schedule(): unexpected");
}

static struct {
	const struct lockdep_map *map;
	int depth;
} held_maps[8];

static int *held_depth(const struct lockdep_map *map)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(held_maps); i++) {
		if (held_maps[i].map == map)
			return &held_maps[i].depth;
		if (!held_maps[i].map) {
			held_maps[i].map = map;
			return &held_maps[i].depth;
		}
	}
	host_die("test lockdep stub: too many maps");
}

void lock_acquire(struct lockdep_map *lock, unsigned int subclass, int trylock, int read,
		  int check, struct lockdep_map *nest_lock, unsigned long ip)
{
	(*held_depth(lock))++;
}

void lock_release(struct lockdep_map *lock, unsigned long ip)
{
	if (--(*held_depth(lock)) < 0)
		host_die("test lockdep stub: %s released more than acquired", lock->name);
}

int lock_is_held_type(const struct lockdep_map *lock, int read)
{
	return *held_depth(lock) > 0;
}

void debug_check_no_locks_freed(const void *from, unsigned long len)
{
}

/* ---- test scaffolding ---- */

static int check_failures;

#define CHECK(cond)								\
do {										\
	if (!(cond)) {								\
		host_print("# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);	\
		check_failures++;						\
	}									\
} while (0)

static struct harness_cache_stats stats(struct kmem_cache *s)
{
	struct harness_cache_stats st;

	harness_cache_stats(s, &st);
	return st;
}

static struct harness_cache_stats stats_of(const char *name)
{
	struct kmem_cache *s = harness_cache_find(name);

	if (!s)
		host_die("no cache %s", name);
	return stats(s);
}

static bool all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return false;
	return true;
}

/* Keeps the compiler from treating a size as constant (kmalloc() then calls out of line). */
static size_t runtime(size_t n)
{
	OPTIMIZER_HIDE_VAR(n);
	return n;
}

struct thing {
	unsigned long magic;
	unsigned long payload[4];
};

#define THING_MAGIC 0x7468696e67UL

static unsigned long ctor_calls;

static void thing_ctor(void *p)
{
	struct thing *t = p;

	ctor_calls++;
	t->magic = THING_MAGIC;
	t->payload[0] = 0;
}

/* ---- tests ---- */

static void test_counts(void)
{
	struct kmem_cache *s = kmem_cache_create("t_counts", 40, 0, 0, NULL);
	void *a, *b, *c, *d;

	CHECK(harness_cache_find("t_counts") == s);
	CHECK(stats(s).object_size == 40);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(a && b && c && a != b && b != c && a != c);
	CHECK(stats(s).live == 3 && stats(s).peak == 3 && stats(s).allocs == 3);
	kmem_cache_free(s, b);
	CHECK(stats(s).live == 2 && stats(s).peak == 3 && stats(s).frees == 1);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	d = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(stats(s).live == 4 && stats(s).peak == 4 && stats(s).allocs == 5);
	CHECK(harness_cache_live("t_counts") == 4);
	/* kfree() takes objects of any cache, as in the kernel. */
	kfree(a);
	kmem_cache_free(s, b);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(stats(s).live == 3 && stats(s).peak == 4);
	kmem_cache_free(s, a);
	kmem_cache_free(s, c);
	kmem_cache_free(s, d);
	CHECK(stats(s).live == 0 && stats(s).frees == 6 && stats(s).peak == 4);
	kmem_cache_destroy(s);
	CHECK(harness_cache_find("t_counts") == NULL);
	CHECK(harness_cache_live("t_counts") == 0);
}

static void test_iterate(void)
{
	struct kmem_cache *s = kmem_cache_create("t_iter", 8, 0, 0, NULL), *it;
	bool seen_mine = false, seen_k64 = false;
	int n = 0;

	harness_for_each_cache(it) {
		const char *name = stats(it).name;

		n++;
		if (it == s)
			seen_mine = true;
		if (name[0] == 'k' && it == harness_cache_find("kmalloc-64"))
			seen_k64 = true;
	}
	CHECK(seen_mine && seen_k64);
	/* 13 kmalloc buckets, kmalloc-large and ours at least. */
	CHECK(n >= 15);
	kmem_cache_destroy(s);
}

static void test_alignment(void)
{
	struct kmem_cache_args args = { .align = 256 };
	struct kmem_cache *hw = kmem_cache_create("t_hwalign", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	struct kmem_cache *big = kmem_cache_create("t_align256", 256, &args, 0);
	void *p[8], *q[8];
	int i;

	CHECK(stats(hw).align == 64);
	CHECK(stats(big).align == 256);
	for (i = 0; i < 8; i++) {
		p[i] = kmem_cache_alloc(hw, GFP_KERNEL);
		q[i] = kmem_cache_alloc(big, GFP_KERNEL);
		CHECK(IS_ALIGNED((unsigned long)p[i], 64));
		CHECK(IS_ALIGNED((unsigned long)q[i], 256));
	}
	for (i = 0; i < 8; i++) {
		kmem_cache_free(hw, p[i]);
		kmem_cache_free(big, q[i]);
	}
	kmem_cache_destroy(hw);
	kmem_cache_destroy(big);
}

static void test_ctor_and_zero(void)
{
	struct kmem_cache *s = kmem_cache_create("t_ctor", sizeof(struct thing), 0, 0, thing_ctor);
	struct kmem_cache *plain = kmem_cache_create("t_plain", 64, 0, 0, NULL);
	struct thing *t, *u;
	void *p;

	ctor_calls = 0;
	t = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(ctor_calls == 1 && t->magic == THING_MAGIC);
	/* Fields the ctor leaves alone are not initialised: the model poisons them. */
	CHECK(all_bytes(&t->payload[1], POISON_INUSE, sizeof(t->payload) - sizeof(long)));
	u = kmem_cache_zalloc(s, GFP_KERNEL);
	CHECK(ctor_calls == 2);
	CHECK(all_bytes(u, 0, sizeof(*u)));		/* zeroing comes after the ctor */
	kmem_cache_free(s, t);
	kmem_cache_free(s, u);
	/* Without typesafe reuse every allocation is a new object: the ctor runs again. */
	t = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(ctor_calls == 3);
	kmem_cache_free(s, t);

	p = kmem_cache_alloc(plain, GFP_KERNEL);
	CHECK(all_bytes(p, POISON_INUSE, 64));
	kmem_cache_free(plain, p);
	p = kmem_cache_alloc(plain, GFP_KERNEL | __GFP_ZERO);
	CHECK(all_bytes(p, 0, 64));
	kmem_cache_free(plain, p);
	kmem_cache_destroy(s);
	kmem_cache_destroy(plain);
}

static void test_kmalloc(void)
{
	unsigned long k128 = stats_of("kmalloc-128").live;
	char *a, *b, *c, *d, *e, *big;

	a = kmalloc(100, GFP_KERNEL);			/* constant size: kmalloc_caches[][] */
	b = kmalloc(runtime(100), GFP_KERNEL);		/* runtime size: __kmalloc() */
	CHECK(stats_of("kmalloc-128").live == k128 + 2);
	CHECK(all_bytes(a, POISON_INUSE, 100) && all_bytes(b, POISON_INUSE, 100));
	CHECK(ksize(a) == 100 && kmalloc_size_roundup(100) == 128);
	c = kmalloc(runtime(70), GFP_KERNEL);
	CHECK(stats_of("kmalloc-96").live == 1);
	d = kzalloc(64, GFP_KERNEL);
	CHECK(all_bytes(d, 0, 64) && IS_ALIGNED((unsigned long)d, 64));
	e = kmalloc(runtime(0), GFP_KERNEL);
	CHECK(e == ZERO_SIZE_PTR);
	kfree(e);
	big = kmalloc(runtime(20000), GFP_KERNEL);
	CHECK(big && IS_ALIGNED((unsigned long)big, PAGE_SIZE));
	CHECK(stats_of("kmalloc-large").live == 1);
	kfree(big);
	CHECK(stats_of("kmalloc-large").live == 0);

	/* krealloc() keeps the contents and zeroes the new tail with __GFP_ZERO. */
	memset(b, 'x', 100);
	b = krealloc(b, 300, GFP_KERNEL | __GFP_ZERO);
	CHECK(b && all_bytes(b, 'x', 100) && all_bytes(b + 100, 0, 200));
	CHECK(stats_of("kmalloc-128").live == k128 + 1 && stats_of("kmalloc-512").live == 1);

	kfree(a);
	kfree(b);
	kfree(c);
	kfree(d);
	kfree(NULL);
	a = kvmalloc(runtime(5000), GFP_KERNEL);
	CHECK(a && stats_of("kmalloc-8k").live == 1);
	kvfree(a);
	CHECK(stats_of("kmalloc-128").live == k128 && stats_of("kmalloc-8k").live == 0);
	harness_slab_report();
}

static void test_bulk(void)
{
	struct kmem_cache *s = kmem_cache_create("t_bulk", 24, 0, 0, NULL);
	void *p[5] = {};
	void *q[4];
	int i, j;

	CHECK(!kmem_cache_alloc_bulk(s, GFP_KERNEL, 0, p));
	CHECK(kmem_cache_alloc_bulk(s, GFP_KERNEL | __GFP_ZERO, 5, p));
	CHECK(stats(s).live == 5 && stats(s).allocs == 5);
	for (i = 0; i < 5; i++) {
		CHECK(p[i] && all_bytes(p[i], 0, 24));
		for (j = 0; j < i; j++)
			CHECK(p[i] != p[j]);
	}
	kmem_cache_free_bulk(s, 5, p);
	CHECK(stats(s).live == 0 && stats(s).frees == 5);

	/* kfree_bulk(): any cache, NULL entries skipped. */
	q[0] = kmalloc(16, GFP_KERNEL);
	q[1] = NULL;
	q[2] = kmem_cache_alloc(s, GFP_KERNEL);
	q[3] = kmalloc(runtime(40), GFP_KERNEL);
	kfree_bulk(4, q);
	CHECK(stats(s).live == 0);
	kmem_cache_destroy(s);
}

static void test_sheaf(void)
{
	struct kmem_cache_args args = { .sheaf_capacity = 4 };
	struct kmem_cache *s = kmem_cache_create("t_sheaf", 48, &args, 0);
	struct slab_sheaf *sheaf, *before;
	void *a, *b, *c, *d;

	CHECK(kmem_cache_prefill_sheaf(s, GFP_KERNEL, 0) == NULL);
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 3);
	CHECK(sheaf && kmem_cache_sheaf_size(sheaf) == 3);
	CHECK(stats(s).in_sheaves == 3 && stats(s).live == 0 && stats(s).allocs == 0);

	a = kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf);
	CHECK(a && kmem_cache_sheaf_size(sheaf) == 2);
	CHECK(stats(s).in_sheaves == 2 && stats(s).live == 1 && stats(s).allocs == 1);
	CHECK(all_bytes(a, POISON_INUSE, 48));

	/* Within capacity the sheaf is refilled in place. */
	before = sheaf;
	CHECK(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 2) == 0);
	CHECK(kmem_cache_sheaf_size(sheaf) == 2);
	CHECK(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 4) == 0);
	CHECK(sheaf == before && kmem_cache_sheaf_size(sheaf) == 4);
	/* Beyond it the sheaf is replaced by a bigger one. */
	CHECK(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 10) == 0);
	CHECK(kmem_cache_sheaf_size(sheaf) == 10 && stats(s).in_sheaves == 10);

	b = kmem_cache_alloc_from_sheaf(s, GFP_KERNEL | __GFP_ZERO, sheaf);
	c = kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf);
	CHECK(b && c && b != c && all_bytes(b, 0, 48));
	CHECK(stats(s).live == 3 && stats(s).in_sheaves == 8);
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	CHECK(stats(s).in_sheaves == 0 && stats(s).live == 3);

	/* A sheaf that ran empty fails, never falls back to the cache. */
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 1);
	d = kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf);
	CHECK(d && kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf) == NULL);
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);

	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);
	kfree(d);
	CHECK(stats(s).live == 0);
	kmem_cache_destroy(s);
}

/* Three failable allocations of different kinds; returns which failed as a bit mask. */
static unsigned int three_allocs(struct kmem_cache *s)
{
	unsigned int failed = 0;
	void *a, *b, *bulk[3];
	struct slab_sheaf *sheaf;

	a = kmalloc(runtime(32), GFP_KERNEL);
	failed |= !a << 0;
	b = kmem_cache_alloc(s, GFP_KERNEL);
	failed |= !b << 1;
	if (kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, bulk))
		kmem_cache_free_bulk(s, 3, bulk);
	else
		failed |= 1 << 2;
	/* Not failable: __GFP_NOFAIL, and allocation from a prefilled sheaf. */
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL | __GFP_NOFAIL, 2);
	kmem_cache_free(s, kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf));
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	kfree(a);
	if (b)
		kmem_cache_free(s, b);
	return failed;
}

static void test_fail_nth(void)
{
	struct kmem_cache *s = kmem_cache_create("t_fail", 32, 0, 0, NULL);
	struct kmem_cache *other = kmem_cache_create("t_fail_other", 32, 0, 0, NULL);
	unsigned long seq, injected = harness_failures_injected();
	unsigned long n, total;
	void *p, *q;

	seq = harness_alloc_seq();
	CHECK(three_allocs(s) == 0);
	total = harness_alloc_seq() - seq;
	CHECK(total == 3);
	for (n = 1; n <= total; n++) {
		harness_fail_nth(n);
		CHECK(harness_fail_armed());
		CHECK(three_allocs(s) == 1U << (n - 1));
		CHECK(!harness_fail_armed());
		CHECK(harness_failures_injected() == injected + n);
	}
	/* Once: the next run succeeds again. */
	CHECK(three_allocs(s) == 0);
	CHECK(stats(s).failed == 2);

	/* Restricted to one cache: allocations from others do not count. */
	harness_fail_nth_in("t_fail_other", 2);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(other, GFP_KERNEL);
	CHECK(p && q);
	kmem_cache_free(s, p);
	kmem_cache_free(other, q);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(p && harness_fail_armed());
	q = kmem_cache_alloc(other, GFP_KERNEL);
	CHECK(!q && !harness_fail_armed());
	kmem_cache_free(s, p);
	CHECK(stats(other).failed == 1 && stats(other).live == 0);

	/* Disarming. */
	harness_fail_nth(1);
	harness_fail_nth(0);
	p = kmalloc(runtime(8), GFP_KERNEL);
	CHECK(p);
	kfree(p);
	kmem_cache_destroy(s);
	kmem_cache_destroy(other);
}

struct tsobj {
	unsigned long key;
	unsigned long freeptr;		/* where SLUB may link free objects */
	unsigned long value;
};

static void test_typesafe_lifetime(void)
{
	struct kmem_cache_args args = {
		.use_freeptr_offset = true,
		.freeptr_offset = offsetof(struct tsobj, freeptr),
	};
	struct kmem_cache *s = kmem_cache_create("t_typesafe", sizeof(struct tsobj), &args,
						 SLAB_TYPESAFE_BY_RCU);
	struct tsobj *a, *b;
	unsigned long gp;

	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	a->key = 1;
	a->freeptr = 0x1111;
	a->value = 42;
	b->key = 2;
	b->value = 43;

	rcu_read_lock();
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	CHECK(stats(s).live == 0 && stats(s).rcu_pending == 2);
	/* A reader may still look at freed objects: memory and contents are kept... */
	CHECK(READ_ONCE(a->key) == 1 && READ_ONCE(a->value) == 42);
	CHECK(READ_ONCE(b->key) == 2 && READ_ONCE(b->value) == 43);
	/* ...except the free pointer word, which now links the free objects. */
	CHECK(a->freeptr == 0 && b->freeptr == (unsigned long)a);
	rcu_read_unlock();

	/* synchronize_rcu() ends a grace period but leaves the release to the quiesce. */
	gp = harness_rcu_gp_seq();
	synchronize_rcu();
	CHECK(harness_rcu_gp_seq() == gp + 1);
	CHECK(stats(s).rcu_pending == 2 && READ_ONCE(a->value) == 42);

	harness_rcu_quiesce();
	CHECK(stats(s).rcu_pending == 0 && harness_slab_outstanding() == 0);

	/* kmem_cache_destroy() waits for pending typesafe frees itself. */
	a = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	CHECK(stats(s).rcu_pending == 1);
	kmem_cache_destroy(s);
	CHECK(harness_slab_outstanding() == 0);
}

static void test_typesafe_reuse(void)
{
	struct kmem_cache *s = kmem_cache_create("t_reuse", sizeof(struct thing), 0,
						 SLAB_TYPESAFE_BY_RCU, thing_ctor);
	struct thing *a, *b, *c;

	ctor_calls = 0;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	a->payload[0] = 7;
	kmem_cache_free(s, a);

	/* Default: no reuse before the grace period. */
	b = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(b != a && ctor_calls == 2 && stats(s).reused == 0);
	kmem_cache_free(s, b);

	harness_slab_set_typesafe_reuse(true);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	/* The most recently freed object comes back as it was left, without the ctor. */
	CHECK(c == b && ctor_calls == 2 && stats(s).reused == 1);
	c->payload[0] = 9;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(a->magic == THING_MAGIC && a->payload[0] == 7 && ctor_calls == 2);
	CHECK(stats(s).rcu_pending == 0 && stats(s).live == 2);
	/* Freed again: released only by the grace period after this second free. */
	kmem_cache_free(s, c);
	harness_slab_set_typesafe_reuse(false);
	CHECK(stats(s).rcu_pending == 1);
	harness_rcu_quiesce();
	CHECK(stats(s).rcu_pending == 0 && stats(s).live == 1);
	kmem_cache_free(s, a);
	kmem_cache_destroy(s);
}

static int order[8];
static int norder;

struct ordered {
	struct rcu_head rcu;
	int id;
	bool requeue;
};

static struct ordered cbs[4];

static void ordered_cb(struct rcu_head *head)
{
	struct ordered *o = container_of(head, struct ordered, rcu);

	/* Callbacks run from softirq, with rcu_callback_map held. */
	CHECK(in_softirq() && harness_rcu_sleep_forbidden());
	CHECK(lock_is_held(&rcu_callback_map));
	order[norder++] = o->id;
	if (o->requeue) {
		o->requeue = false;
		o->id += 10;
		call_rcu(&o->rcu, ordered_cb);
	}
}

static void test_call_rcu_order(void)
{
	unsigned long invoked = harness_rcu_invoked();
	int i;

	norder = 0;
	for (i = 0; i < 4; i++) {
		cbs[i].id = i + 1;
		cbs[i].requeue = i == 1;
		call_rcu(&cbs[i].rcu, ordered_cb);
	}
	CHECK(harness_rcu_pending() == 4);
	synchronize_rcu();
	CHECK(norder == 0);
	CHECK(harness_rcu_gp() == 4);
	CHECK(norder == 4 && order[0] == 1 && order[1] == 2 && order[2] == 3 && order[3] == 4);
	/* The callback queued by a callback waits for the next grace period. */
	CHECK(harness_rcu_pending() == 1 && norder == 4);
	rcu_barrier();
	CHECK(norder == 5 && order[4] == 12 && harness_rcu_pending() == 0);
	CHECK(harness_rcu_invoked() == invoked + 5);
	CHECK(!in_softirq() && !lock_is_held(&rcu_callback_map));
}

struct rcu_thing {
	long a, b;
	struct rcu_head rcu;
	long c;
};

static void test_kfree_rcu(void)
{
	struct kmem_cache *s = kmem_cache_create("t_kfree_rcu", sizeof(struct rcu_thing), 0, 0,
						 NULL);
	struct rcu_thing *k, *t, *h;
	unsigned long k64 = stats_of("kmalloc-64").live;

	k = kmalloc(sizeof(*k), GFP_KERNEL);
	t = kmem_cache_alloc(s, GFP_KERNEL);
	k->c = 5;
	kfree_rcu(k, rcu);
	kfree_rcu(t, rcu);
	/* Still allocated, and readable, until the grace period. */
	CHECK(stats_of("kmalloc-64").live == k64 + 1 && k->c == 5);
	CHECK(stats(s).live == 1);
	CHECK(harness_rcu_gp() == 2);
	CHECK(stats(s).live == 0 && stats_of("kmalloc-64").live == k64);

	/* Headless: waits for readers right away, so the object is gone on return. */
	h = kmalloc(sizeof(*h), GFP_KERNEL);
	kvfree_rcu_mightsleep(h);
	CHECK(harness_slab_outstanding() == 0);
	kmem_cache_destroy(s);
}

static void test_read_side(void)
{
	CHECK(!harness_rcu_read_held() && !harness_rcu_sleep_forbidden());
	rcu_read_lock();
	CHECK(harness_rcu_read_held() && harness_rcu_sleep_forbidden());
	CHECK(rcu_read_lock_held());
	rcu_read_unlock();
	CHECK(!harness_rcu_read_held() && !rcu_read_lock_held());
	preempt_disable();
	CHECK(!harness_rcu_read_held() && harness_rcu_sleep_forbidden());
	preempt_enable();
	rcu_read_lock_sched();
	CHECK(harness_rcu_read_held() && rcu_read_lock_sched_held());
	rcu_read_unlock_sched();
	CHECK(!harness_rcu_sleep_forbidden());
	/* GFP_NOWAIT may be used inside a read-side section. */
	rcu_read_lock();
	kfree(kmalloc(runtime(16), GFP_NOWAIT));
	rcu_read_unlock();
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "slab_counts", test_counts },
	{ "slab_iterate_caches", test_iterate },
	{ "slab_alignment", test_alignment },
	{ "slab_ctor_and_zero", test_ctor_and_zero },
	{ "slab_kmalloc", test_kmalloc },
	{ "slab_bulk", test_bulk },
	{ "slab_sheaf", test_sheaf },
	{ "slab_fail_nth", test_fail_nth },
	{ "slab_typesafe_lifetime", test_typesafe_lifetime },
	{ "slab_typesafe_reuse", test_typesafe_reuse },
	{ "rcu_call_rcu_order", test_call_rcu_order },
	{ "rcu_kfree_rcu", test_kfree_rcu },
	{ "rcu_read_side", test_read_side },
};

/* ---- scenarios that must stop the program ---- */

static volatile unsigned long sink;

static void die_sync_in_rcu(void)
{
	rcu_read_lock();
	synchronize_rcu();
}

static void die_gfp_kernel_in_rcu(void)
{
	rcu_read_lock();
	sink = (unsigned long)kmalloc(runtime(16), GFP_KERNEL);
}

static void die_double_free(void)
{
	struct kmem_cache *s = kmem_cache_create("d_double", 16, 0, 0, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
}

static void die_typesafe_double_free(void)
{
	struct kmem_cache *s = kmem_cache_create("d_tdouble", 16, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
}

static void die_wrong_cache(void)
{
	struct kmem_cache *a = kmem_cache_create("d_a", 16, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("d_b", 16, 0, 0, NULL);

	kmem_cache_free(b, kmem_cache_alloc(a, GFP_KERNEL));
}

static void die_free_pending_kfree_rcu(void)
{
	struct rcu_thing *k = kmalloc(sizeof(*k), GFP_KERNEL);

	kfree_rcu(k, rcu);
	kfree(k);
}

static void die_destroy_with_live(void)
{
	struct kmem_cache *s = kmem_cache_create("d_leak", 16, 0, 0, NULL);

	sink = (unsigned long)kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_destroy(s);
}

static void die_uaf_typesafe_after_gp(void)
{
	struct kmem_cache *s = kmem_cache_create("d_uaf", 16, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	unsigned long *p = kmem_cache_alloc(s, GFP_KERNEL);

	*p = 1;
	kmem_cache_free(s, p);
	sink = READ_ONCE(*p);		/* fine: no grace period yet */
	harness_rcu_quiesce();
	sink = READ_ONCE(*p);		/* use after free */
}

static void die_uaf_kfree(void)
{
	unsigned long *p = kmalloc(runtime(16), GFP_KERNEL);

	kfree(p);
	sink = READ_ONCE(*p);
}

static void die_overflow(void)
{
	struct kmem_cache *s = kmem_cache_create("d_overflow", 40, 0, 0, NULL);
	char *p = kmem_cache_alloc(s, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(p);
	WRITE_ONCE(p[40], 1);
}

static const struct {
	const char *name;
	void (*fn)(void);
} death_cases[] = {
	{ "sync-in-rcu", die_sync_in_rcu },
	{ "gfp-kernel-in-rcu", die_gfp_kernel_in_rcu },
	{ "double-free", die_double_free },
	{ "typesafe-double-free", die_typesafe_double_free },
	{ "wrong-cache", die_wrong_cache },
	{ "free-pending-kfree-rcu", die_free_pending_kfree_rcu },
	{ "destroy-with-live", die_destroy_with_live },
	{ "uaf-typesafe-after-gp", die_uaf_typesafe_after_gp },
	{ "uaf-kfree", die_uaf_kfree },
	{ "overflow", die_overflow },
};

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void run_test(void *fn)
{
	check_failures = 0;
	((void (*)(void))fn)();
	harness_rcu_quiesce();
	if (harness_slab_outstanding()) {
		host_print("# objects left behind:\n");
		harness_slab_report();
		harness_slab_dump_live(NULL);
		check_failures++;
	}
	host_exit(check_failures ? 1 : 0);
}

static void run_death_case(void *fn)
{
	((void (*)(void))fn)();
}

static void report(int nr, const char *name, bool ok, int *passed, int *failed)
{
	host_print("%s %d %s\n", ok ? "ok" : "not ok", nr, name);
	if (ok)
		(*passed)++;
	else
		(*failed)++;
}

int harness_main(int argc, char **argv)
{
	int i, nr = 0, passed = 0, failed = 0;

	if (argc > 1) {
		/* One scenario in this process, to read its diagnostic. */
		for (i = 0; i < ARRAY_SIZE(death_cases); i++) {
			if (str_eq(argv[1], death_cases[i].name)) {
				death_cases[i].fn();
				host_print("%s: survived\n", argv[1]);
				return 0;
			}
		}
		host_eprint("unknown scenario %s; one of:", argv[1]);
		for (i = 0; i < ARRAY_SIZE(death_cases); i++)
			host_eprint(" %s", death_cases[i].name);
		host_eprint("\n");
		return 2;
	}

	host_print("KTAP version 1\n1..%d\n", (int)(ARRAY_SIZE(tests) + ARRAY_SIZE(death_cases)));
	/* Each test in its own process, so that one that dies does not take the others along. */
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		int status = host_run_isolated(run_test, (void *)tests[i].fn);

		if (status)
			host_print("# %s: exit status %d\n", tests[i].name, status);
		report(++nr, tests[i].name, !status, &passed, &failed);
	}
	/* Each must stop its process: a model diagnostic, ASan or (exit code 99) Valgrind. */
	for (i = 0; i < ARRAY_SIZE(death_cases); i++) {
		int status;

		host_print("# expecting %s to die; its diagnostic follows on stderr\n",
			   death_cases[i].name);
		status = host_run_isolated(run_death_case, (void *)death_cases[i].fn);
		if (!status)
			host_print("# %s survived\n", death_cases[i].name);
		report(++nr, death_cases[i].name, status != 0, &passed, &failed);
	}
	host_print("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
