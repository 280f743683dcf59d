/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness side of the slab model (shims/slab.c): per-cache counters, failure injection
 * and knobs for tests and reports. The kernel API itself (kmem_cache_*, kmalloc, kfree, ...)
 * is declared by <linux/slab.h>.
 *
 * Model, in short:
 * - Every object is its own host allocation of exactly the size asked for (the cache's
 *   object size, or the kmalloc() request), so ASan and Valgrind see every overflow and
 *   every use after free. Memory is never recycled behind the sanitizers' back.
 * - New objects are filled with POISON_INUSE unless __GFP_ZERO is given or the cache has
 *   a ctor; a ctor runs once, when the object is created (the kernel: when its slab is).
 * - Objects of SLAB_TYPESAFE_BY_RCU caches stay mapped, with their contents, after they
 *   are freed until an RCU grace period has passed (see rcu.h); only then are they freed
 *   for the host. By default they are never reused before that; with
 *   harness_slab_set_typesafe_reuse(true) an allocation from such a cache takes the most
 *   recently freed object still waiting for its grace period, without running the ctor
 *   again, which is what SLUB really does and what readers under rcu_read_lock() must
 *   cope with. If the cache has a freeptr_offset, the free makes that word point to the
 *   previously freed object (or NULL), as SLUB's freelist does.
 * - A free that does not match a live allocation (double free, unknown pointer, object
 *   of another cache, object still in a sheaf) stops the program with a diagnostic.
 * - An allocation that may sleep (gfpflags_allow_blocking()) stops the program inside an
 *   RCU read-side section, with preemption or interrupts disabled, or in an RCU callback,
 *   as might_alloc() would warn with CONFIG_DEBUG_ATOMIC_SLEEP.
 * - Caches are never merged; kvmalloc() never falls back to vmalloc; sheaves hold exactly
 *   the number of objects asked for and free them when returned.
 */
#ifndef HARNESS_SLAB_H
#define HARNESS_SLAB_H

#include <linux/types.h>

struct kmem_cache;

/* Counters of one cache; objects in sheaves are not "live" until handed out. */
struct harness_cache_stats {
	const char *name;
	unsigned int object_size;	/* kmalloc caches: the bucket size */
	unsigned int align;
	bool typesafe_by_rcu;
	unsigned long live;		/* handed out and not freed */
	unsigned long peak;		/* highest value of live */
	unsigned long allocs;		/* objects handed out so far */
	unsigned long frees;		/* objects freed so far */
	unsigned long in_sheaves;	/* allocated into sheaves, not yet handed out */
	unsigned long rcu_pending;	/* typesafe objects freed, waiting for a grace period */
	unsigned long reused;		/* typesafe objects handed out again before their GP */
	unsigned long failable;		/* failable allocation calls on this cache */
	unsigned long failed;		/* allocation calls that returned failure */
};

/* Cache lookup and iteration; names as given to kmem_cache_create() or "kmalloc-64". */
struct kmem_cache *harness_cache_find(const char *name);
/* First cache after @prev (NULL: the first); kmalloc caches come first. */
struct kmem_cache *harness_cache_next(struct kmem_cache *prev);
#define harness_for_each_cache(s) \
	for ((s) = harness_cache_next(NULL); (s); (s) = harness_cache_next(s))
void harness_cache_stats(struct kmem_cache *s, struct harness_cache_stats *st);
/* Live objects of the cache called @name; 0 if there is no such cache. */
unsigned long harness_cache_live(const char *name);

/* Sum of live, in_sheaves and rcu_pending over all caches: 0 when nothing is held. */
unsigned long harness_slab_outstanding(void);
/* One line per cache that was ever used, to stdout. */
void harness_slab_report(void);
/* Every live object of @s (NULL: of all caches) with its allocation number and caller. */
void harness_slab_dump_live(struct kmem_cache *s);

/*
 * Failure injection. A failable allocation is one call that may return failure: each
 * kmem_cache_alloc*() or kmalloc()-family call, each kmem_cache_alloc_bulk() call and each
 * kmem_cache_prefill_sheaf()/kmem_cache_refill_sheaf() call that has to allocate, without
 * __GFP_NOFAIL. Allocations from a prefilled sheaf cannot fail.
 *
 * harness_fail_nth(n) makes the n-th next failable allocation fail (n = 1: the very next),
 * once; n = 0 disarms. harness_fail_nth_in() counts only allocations from caches named
 * @name. harness_alloc_seq() counts every failable allocation since start, so a test runs
 * an operation once to learn how many it makes, then fails each in turn.
 */
void harness_fail_nth(unsigned long n);
void harness_fail_nth_in(const char *name, unsigned long n);
bool harness_fail_armed(void);			/* armed and not yet fired */
/*
 * The allocation-failure sweep's hook (tests/lib/sweep.c): asked at every failable
 * allocation the countdown above does not fail; true fails it.
 */
void harness_set_fail_hook(bool (*hook)(void));
unsigned long harness_alloc_seq(void);
unsigned long harness_failures_injected(void);

/* Reuse of freed typesafe-by-RCU objects before their grace period (default: off). */
void harness_slab_set_typesafe_reuse(bool on);

#endif /* HARNESS_SLAB_H */
