// SPDX-License-Identifier: GPL-2.0
/* Stands in for mm/slub.c and mm/slab_common.c: each object is its own host allocation. */
#include <linux/align.h>
#include <linux/cache.h>
#include <linux/debug_locks.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/poison.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "host.h"
#include "rcu.h"
#include "slab.h"
#include "memmap.h"

#ifdef CONFIG_KVFREE_RCU_BATCHED
#error "kvfree_call_rcu() below assumes struct kvfree_rcu_head wraps a struct rcu_head"
#endif

struct kmem_cache {
	const char *name;
	unsigned int object_size;
	unsigned int align;
	slab_flags_t flags;
	void (*ctor)(void *);
	unsigned int sheaf_capacity;
	/* Where a freed object keeps SLUB's free pointer, or -1: outside the object. */
	int freeptr_offset;
	struct list_head list;		/* on slab_caches; kmalloc caches are not */
	struct list_head rcu_freed;	/* typesafe objects waiting for a GP, newest first */
	unsigned long live, peak, allocs, frees, in_sheaves, rcu_pending, reused;
	unsigned long failable, failed;
};

/* Prefilled sheaf: the kernel's is a per-cpu array; here a private array of objects. */
struct slab_sheaf {
	struct kmem_cache *cache;
	unsigned int capacity;
	unsigned int size;
	void *objects[];
};

enum slab_obj_state {
	SLAB_OBJ_LIVE,		/* handed out */
	SLAB_OBJ_SHEAF,		/* in a prefilled sheaf, not handed out */
	SLAB_OBJ_RCU_FREED,	/* typesafe, freed, memory kept until a grace period */
};

/* What the model knows of one object; kept outside it so ASan sees its exact bounds. */
struct slab_obj {
	struct slab_obj *hnext;
	void *addr;
	struct kmem_cache *s;
	size_t size;
	enum slab_obj_state state;
	bool kfree_rcu_pending;
	unsigned long gen;		/* bumped at each free, to match grace-period releases */
	unsigned long seq;		/* allocation number, for leak reports */
	unsigned long caller;
	struct list_head rcu_node;	/* on s->rcu_freed */
};

/* A typesafe object waiting for the grace period after its free number @gen. */
struct slab_rcu_release {
	struct rcu_head rcu;
	struct slab_obj *obj;
	unsigned long gen;
};

static LIST_HEAD(slab_caches);

static_assert(KMALLOC_SHIFT_LOW == 3 && KMALLOC_SHIFT_HIGH == 13,
	      "the kmalloc bucket table below lists kmalloc-8 to kmalloc-8k");

#define KMALLOC_BUCKET(i, sz, nm)						\
	[i] = {									\
		.name = nm,							\
		.object_size = sz,						\
		.align = ARCH_KMALLOC_MINALIGN,					\
		.flags = SLAB_KMALLOC,						\
		.freeptr_offset = -1,						\
		.list = LIST_HEAD_INIT(kmalloc_objs[i].list),			\
		.rcu_freed = LIST_HEAD_INIT(kmalloc_objs[i].rcu_freed),		\
	}

/* Indexed like kmalloc_caches[][]: __kmalloc_index() maps 65..96 to 1, 129..192 to 2. */
static struct kmem_cache kmalloc_objs[KMALLOC_SHIFT_HIGH + 1] = {
	KMALLOC_BUCKET(1, 96, "kmalloc-96"),
	KMALLOC_BUCKET(2, 192, "kmalloc-192"),
	KMALLOC_BUCKET(3, 8, "kmalloc-8"),
	KMALLOC_BUCKET(4, 16, "kmalloc-16"),
	KMALLOC_BUCKET(5, 32, "kmalloc-32"),
	KMALLOC_BUCKET(6, 64, "kmalloc-64"),
	KMALLOC_BUCKET(7, 128, "kmalloc-128"),
	KMALLOC_BUCKET(8, 256, "kmalloc-256"),
	KMALLOC_BUCKET(9, 512, "kmalloc-512"),
	KMALLOC_BUCKET(10, 1024, "kmalloc-1k"),
	KMALLOC_BUCKET(11, 2048, "kmalloc-2k"),
	KMALLOC_BUCKET(12, 4096, "kmalloc-4k"),
	KMALLOC_BUCKET(13, 8192, "kmalloc-8k"),
};

/* The kernel passes larger kmalloc()s to the page allocator; here they get a cache too. */
static struct kmem_cache kmalloc_large = {
	.name = "kmalloc-large",
	.object_size = KMALLOC_MAX_SIZE,
	.align = PAGE_SIZE,
	.flags = SLAB_KMALLOC,
	.freeptr_offset = -1,
	.list = LIST_HEAD_INIT(kmalloc_large.list),
	.rcu_freed = LIST_HEAD_INIT(kmalloc_large.rcu_freed),
};

#define KMALLOC_BUCKETS {							\
	[1] = &kmalloc_objs[1], [2] = &kmalloc_objs[2], [3] = &kmalloc_objs[3],	\
	[4] = &kmalloc_objs[4], [5] = &kmalloc_objs[5], [6] = &kmalloc_objs[6],	\
	[7] = &kmalloc_objs[7], [8] = &kmalloc_objs[8], [9] = &kmalloc_objs[9],	\
	[10] = &kmalloc_objs[10], [11] = &kmalloc_objs[11],			\
	[12] = &kmalloc_objs[12], [13] = &kmalloc_objs[13],			\
}

/* Model: every kmalloc type (normal, reclaimable, cgroup, ...) shares one set of buckets. */
kmem_buckets kmalloc_caches[NR_KMALLOC_TYPES] = {
	[0 ... NR_KMALLOC_TYPES - 1] = KMALLOC_BUCKETS,
};

static bool typesafe_reuse;

/* Failure injection, see slab.h. */
static unsigned long fail_seq;
static unsigned long fail_countdown;
static char fail_name[64];
static unsigned long fail_injected;
static bool (*fail_hook)(void);

static unsigned long slab_nr_allocs;

/* ---- object table: address -> struct slab_obj ---- */

static struct slab_obj **obj_hash;
static unsigned int obj_hash_bits;
static unsigned long obj_count;

static struct slab_obj **obj_bucket(const void *addr)
{
	return &obj_hash[hash_ptr((void *)addr, obj_hash_bits)];
}

static void obj_hash_resize(unsigned int bits)
{
	struct slab_obj **old = obj_hash;
	unsigned long i, n = old ? 1UL << obj_hash_bits : 0;

	obj_hash = host_alloc(sizeof(*obj_hash) << bits);
	obj_hash_bits = bits;
	for (i = 0; i < n; i++) {
		struct slab_obj *o, *next;

		for (o = old[i]; o; o = next) {
			struct slab_obj **b = obj_bucket(o->addr);

			next = o->hnext;
			o->hnext = *b;
			*b = o;
		}
	}
	host_free(old);
}

static struct slab_obj *obj_lookup(const void *addr)
{
	struct slab_obj *o;

	if (!obj_hash)
		return NULL;
	for (o = *obj_bucket(addr); o; o = o->hnext)
		if (o->addr == addr)
			return o;
	return NULL;
}

static void obj_insert(struct slab_obj *o)
{
	struct slab_obj **b;

	if (!obj_hash)
		obj_hash_resize(12);
	else if (obj_count >= 2UL << obj_hash_bits)
		obj_hash_resize(obj_hash_bits + 2);
	if (obj_lookup(o->addr))
		host_die("slab: host allocator returned %p twice", o->addr);
	b = obj_bucket(o->addr);
	o->hnext = *b;
	*b = o;
	obj_count++;
}

static void obj_remove(struct slab_obj *o)
{
	struct slab_obj **p;

	for (p = obj_bucket(o->addr); *p; p = &(*p)->hnext) {
		if (*p == o) {
			*p = o->hnext;
			obj_count--;
			return;
		}
	}
	host_die("slab: object %p missing from the object table", o->addr);
}

/* ---- caches ---- */

static bool slab_name_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static char *slab_name_dup(const char *name)
{
	size_t len = 0;
	char *copy;

	while (name[len])
		len++;
	copy = host_alloc(len + 1);
	memcpy(copy, name, len + 1);
	return copy;
}

static bool is_kmalloc_cache(struct kmem_cache *s)
{
	return s == &kmalloc_large ||
	       (s >= &kmalloc_objs[1] && s <= &kmalloc_objs[KMALLOC_SHIFT_HIGH]);
}

/* Alignment as calculate_alignment() in mm/slab_common.c computes it. */
static unsigned int slab_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max_t(unsigned int, align, ARCH_SLAB_MINALIGN);
	return ALIGN(align, sizeof(void *));
}

struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int object_size,
					    struct kmem_cache_args *args, slab_flags_t flags)
{
	struct kmem_cache_args none = {};
	struct kmem_cache *s;

	if (!args)
		args = &none;
	if (!name || !object_size || object_size > INT_MAX)
		host_die("kmem_cache_create(%s, %u): bad name or size", name ?: "(null)",
			 object_size);
	if (args->align & (args->align - 1))
		host_die("kmem_cache_create(%s): alignment %u is not a power of two", name,
			 args->align);
	if (args->use_freeptr_offset &&
	    (!(flags & SLAB_TYPESAFE_BY_RCU) && !args->ctor))
		host_die("kmem_cache_create(%s): freeptr_offset needs SLAB_TYPESAFE_BY_RCU or a ctor",
			 name);
	if (args->use_freeptr_offset &&
	    (args->freeptr_offset > object_size - sizeof(freeptr_t) ||
	     !IS_ALIGNED(args->freeptr_offset, __alignof__(freeptr_t))))
		host_die("kmem_cache_create(%s): bad freeptr_offset %u", name,
			 args->freeptr_offset);

	s = host_alloc(sizeof(*s));
	s->name = slab_name_dup(name);
	s->object_size = object_size;
	s->align = slab_alignment(flags, args->align, object_size);
	s->flags = flags;
	s->ctor = args->ctor;
	s->sheaf_capacity = args->sheaf_capacity;
	s->freeptr_offset = args->use_freeptr_offset ? (int)args->freeptr_offset : -1;
	INIT_LIST_HEAD(&s->rcu_freed);
	list_add_tail(&s->list, &slab_caches);
	return s;
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	return 0;
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

bool slab_is_available(void)
{
	return true;
}

/* ---- allocation ---- */

/* One failable allocation from the cache called @name: whether it is to fail. */
static bool should_fail(const char *name)
{
	fail_seq++;
	if (fail_countdown && (!fail_name[0] || slab_name_eq(name, fail_name)) &&
	    !--fail_countdown)
		goto fail;
	if (!fail_hook || !fail_hook())
		return false;
fail:
	fail_injected++;
	return true;
}

static bool slab_should_fail(struct kmem_cache *s, gfp_t flags)
{
	if (flags & __GFP_NOFAIL)
		return false;
	s->failable++;
	if (!should_fail(s->name))
		return false;
	s->failed++;
	return true;
}

/*
 * The page allocator (memmap.c) shares the failure injection: its allocations count as
 * failable allocations of a pseudo-cache named "pages", so harness_fail_nth_in("pages", n)
 * fails the n-th page allocation (a folio, a page table) only.
 */
bool harness_alloc_should_fail(gfp_t flags)
{
	if (flags & __GFP_NOFAIL)
		return false;
	return should_fail("pages");
}

/* As might_alloc(): an allocation that may sleep must come from a context that may. */
static void slab_might_alloc(struct kmem_cache *s, gfp_t flags)
{
	const char *why;

	if (!gfpflags_allow_blocking(flags))
		return;
	why = harness_rcu_sleep_forbidden();
	if (why)
		host_die("sleeping allocation from %s (gfp %#x) %s", s->name,
			 (unsigned int)(__force unsigned int)flags, why);
}

/* A new object in state @state, or a freed typesafe one when the reuse knob is on. */
static struct slab_obj *slab_get_object(struct kmem_cache *s, size_t size, size_t align,
					enum slab_obj_state state)
{
	struct slab_obj *o;
	void *p;

	if (typesafe_reuse && (s->flags & SLAB_TYPESAFE_BY_RCU) && !list_empty(&s->rcu_freed)) {
		/* As SLUB: the most recently freed object, contents as left, no ctor. */
		o = list_first_entry(&s->rcu_freed, struct slab_obj, rcu_node);
		list_del_init(&o->rcu_node);
		s->rcu_pending--;
		s->reused++;
		o->state = state;
		return o;
	}

	p = align > 16 ? host_alloc_aligned(align, size) : host_alloc(size);
	/* Slab memory is not zeroed: what neither the ctor nor the caller sets is garbage. */
	memset(p, POISON_INUSE, size);
	if (s->ctor)
		s->ctor(p);

	o = host_alloc(sizeof(*o));
	o->addr = p;
	o->s = s;
	o->size = size;
	o->state = state;
	INIT_LIST_HEAD(&o->rcu_node);
	obj_insert(o);
	return o;
}

static void *slab_hand_out(struct slab_obj *o, gfp_t flags, unsigned long caller)
{
	struct kmem_cache *s = o->s;

	o->state = SLAB_OBJ_LIVE;
	o->seq = ++slab_nr_allocs;
	o->caller = caller;
	s->allocs++;
	s->live++;
	s->peak = max(s->peak, s->live);
	/* As the kernel, zeroing comes after (and undoes) the ctor. */
	if (flags & __GFP_ZERO)
		memset(o->addr, 0, o->size);
	return o->addr;
}

static void *slab_alloc(struct kmem_cache *s, gfp_t flags, size_t size, size_t align,
			unsigned long caller)
{
	if (!s)
		host_die("slab: allocation from a NULL cache (called from %#lx)", caller);
	slab_might_alloc(s, flags);
	if (slab_should_fail(s, flags))
		return NULL;
	return slab_hand_out(slab_get_object(s, size, align, SLAB_OBJ_LIVE), flags, caller);
}

static void *cache_alloc(struct kmem_cache *s, gfp_t flags, unsigned long caller)
{
	if (!s)
		host_die("kmem_cache_alloc(NULL) (called from %#lx)", caller);
	return slab_alloc(s, flags, s->object_size, s->align, caller);
}

void *kmem_cache_alloc_noprof(struct kmem_cache *s, gfp_t flags)
{
	return cache_alloc(s, flags, _RET_IP_);
}

void *kmem_cache_alloc_lru_noprof(struct kmem_cache *s, struct list_lru *lru, gfp_t flags)
{
	return cache_alloc(s, flags, _RET_IP_);
}

void *kmem_cache_alloc_node_noprof(struct kmem_cache *s, gfp_t flags, int node)
{
	return cache_alloc(s, flags, _RET_IP_);
}

bool kmem_cache_charge(void *objp, gfp_t gfpflags)
{
	return true;
}

/* kmalloc() guarantees alignment to the largest power of two dividing the size. */
static size_t kmalloc_align(size_t size, unsigned long align)
{
	size_t natural = size & -size;

	natural = clamp_t(size_t, natural, ARCH_KMALLOC_MINALIGN, PAGE_SIZE);
	return max_t(size_t, natural, align ?: 1);
}

static struct kmem_cache *kmalloc_bucket(size_t size)
{
	if (size <= KMALLOC_MIN_SIZE)
		return &kmalloc_objs[KMALLOC_SHIFT_LOW];
	if (size > 64 && size <= 96)
		return &kmalloc_objs[1];
	if (size > 128 && size <= 192)
		return &kmalloc_objs[2];
	return &kmalloc_objs[order_base_2(size)];
}

static void *do_kmalloc(struct kmem_cache *s, size_t size, unsigned long align, gfp_t flags,
			unsigned long caller)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (!s) {
		if (size > KMALLOC_MAX_CACHE_SIZE)
			s = &kmalloc_large;
		else
			s = kmalloc_bucket(size);
	}
	if (size > KMALLOC_MAX_SIZE) {
		s->failable++;
		s->failed++;
		return NULL;
	}
	if (s == &kmalloc_large)
		align = max_t(unsigned long, align, PAGE_SIZE);
	return slab_alloc(s, flags, size, kmalloc_align(size, align), caller);
}

void *__kmalloc_noprof(DECL_TOKEN_PARAMS(size, token), gfp_t flags)
{
	return do_kmalloc(NULL, size, 0, flags, _RET_IP_);
}

void *__kmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token), gfp_t flags, int node)
{
	return do_kmalloc(NULL, size, 0, flags, _RET_IP_);
}

void *__kmalloc_node_track_caller_noprof(DECL_KMALLOC_PARAMS(size, b, token), gfp_t flags,
					 int node, unsigned long caller)
{
	return do_kmalloc(NULL, size, 0, flags, caller);
}

void *__kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags, size_t size)
{
	if (!is_kmalloc_cache(s))
		host_die("__kmalloc_cache(%s): not a kmalloc cache", s ? s->name : "NULL");
	return do_kmalloc(s, size, 0, flags, _RET_IP_);
}

void *__kmalloc_cache_node_noprof(struct kmem_cache *s, gfp_t flags, int node, size_t size)
{
	if (!is_kmalloc_cache(s))
		host_die("__kmalloc_cache_node(%s): not a kmalloc cache", s ? s->name : "NULL");
	return do_kmalloc(s, size, 0, flags, _RET_IP_);
}

void *__kmalloc_large_noprof(size_t size, gfp_t flags)
{
	return do_kmalloc(&kmalloc_large, size, PAGE_SIZE, flags, _RET_IP_);
}

void *__kmalloc_large_node_noprof(size_t size, gfp_t flags, int node)
{
	return do_kmalloc(&kmalloc_large, size, PAGE_SIZE, flags, _RET_IP_);
}

void *_kmalloc_nolock_noprof(DECL_TOKEN_PARAMS(size, token), gfp_t gfp_flags, int node)
{
	return do_kmalloc(NULL, size, 0, gfp_flags, _RET_IP_);
}

/* Model: kvmalloc() never falls back to vmalloc(), so kvfree() is kfree(). */
void *__kvmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token), unsigned long align,
			     gfp_t flags, int node)
{
	return do_kmalloc(NULL, size, align, flags, _RET_IP_);
}

size_t kmalloc_size_roundup(size_t size)
{
	if (!size)
		return 0;
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_bucket(size)->object_size;
	if (size > KMALLOC_MAX_SIZE)
		return size;
	return PAGE_SIZE << get_order(size);
}

/* ---- free ---- */

static void slab_destroy_obj(struct slab_obj *o)
{
	obj_remove(o);
	host_free(o->addr);
	host_free(o);
}

static void slab_rcu_release(struct rcu_head *rcu)
{
	struct slab_rcu_release *r = container_of(rcu, struct slab_rcu_release, rcu);
	struct slab_obj *o = r->obj;

	/* Not if the object was reused (and maybe freed again) since this free. */
	if (o->state == SLAB_OBJ_RCU_FREED && o->gen == r->gen) {
		list_del(&o->rcu_node);
		o->s->rcu_pending--;
		slab_destroy_obj(o);
	}
	host_free(r);
}

static struct slab_obj *slab_find_live(struct kmem_cache *s, const void *x, const char *fn,
				       unsigned long caller)
{
	struct slab_obj *o = obj_lookup(x);

	if (!o)
		host_die("%s(%s, %p) from %#lx: not an object of any cache (double free or bad pointer)",
			 fn, s ? s->name : "-", x, caller);
	if (s && o->s != s)
		host_die("%s(%s, %p) from %#lx: object belongs to cache %s", fn, s->name, x,
			 caller, o->s->name);
	if (o->state == SLAB_OBJ_RCU_FREED)
		host_die("%s(%s, %p) from %#lx: double free (freed, waiting for a grace period)",
			 fn, o->s->name, x, caller);
	if (o->state == SLAB_OBJ_SHEAF)
		host_die("%s(%s, %p) from %#lx: object is in a prefilled sheaf, never allocated",
			 fn, o->s->name, x, caller);
	return o;
}

static void slab_free(struct kmem_cache *s, const void *x, const char *fn,
		      unsigned long caller)
{
	struct slab_obj *o = slab_find_live(s, x, fn, caller);
	struct slab_rcu_release *r;

	s = o->s;
	/* As slab_free_hook(): a held lock must not live in memory being freed. */
	debug_check_no_locks_freed(x, o->size);
	if (o->kfree_rcu_pending)
		host_die("%s(%s, %p) from %#lx: freed while a kfree_rcu() of it is pending",
			 fn, s->name, x, caller);
	if (!s->live)
		host_die("slab: %s: live count would go negative", s->name);
	s->live--;
	s->frees++;

	if (!(s->flags & SLAB_TYPESAFE_BY_RCU)) {
		slab_destroy_obj(o);
		return;
	}

	/* The memory stays an object of this cache until a grace period has passed. */
	if (s->freeptr_offset >= 0) {
		struct slab_obj *prev = list_first_entry_or_null(&s->rcu_freed, struct slab_obj,
								 rcu_node);

		/* SLUB links free objects through this word. */
		*(void **)(o->addr + s->freeptr_offset) = prev ? prev->addr : NULL;
	}
	o->state = SLAB_OBJ_RCU_FREED;
	o->gen++;
	list_add(&o->rcu_node, &s->rcu_freed);
	s->rcu_pending++;

	r = host_alloc(sizeof(*r));
	r->obj = o;
	r->gen = o->gen;
	call_rcu(&r->rcu, slab_rcu_release);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	if (!s)
		host_die("kmem_cache_free(NULL, %p)", x);
	if (!x)
		host_die("kmem_cache_free(%s, NULL)", s->name);
	slab_free(s, x, "kmem_cache_free", _RET_IP_);
}

void kfree(const void *x)
{
	if (ZERO_OR_NULL_PTR(x))
		return;
	slab_free(NULL, x, "kfree", _RET_IP_);
}

void kfree_nolock(const void *x)
{
	if (ZERO_OR_NULL_PTR(x))
		return;
	slab_free(NULL, x, "kfree_nolock", _RET_IP_);
}

void kfree_sensitive(const void *x)
{
	struct slab_obj *o;

	if (ZERO_OR_NULL_PTR(x))
		return;
	o = slab_find_live(NULL, x, "kfree_sensitive", _RET_IP_);
	memset(o->addr, 0, o->size);
	slab_free(NULL, x, "kfree_sensitive", _RET_IP_);
}

void kvfree(const void *x)
{
	if (ZERO_OR_NULL_PTR(x))
		return;
	slab_free(NULL, x, "kvfree", _RET_IP_);
}

void kvfree_atomic(const void *x)
{
	if (ZERO_OR_NULL_PTR(x))
		return;
	slab_free(NULL, x, "kvfree_atomic", _RET_IP_);
}

void kvfree_sensitive(const void *x, size_t len)
{
	if (ZERO_OR_NULL_PTR(x))
		return;
	slab_find_live(NULL, x, "kvfree_sensitive", _RET_IP_);
	memset((void *)x, 0, len);
	slab_free(NULL, x, "kvfree_sensitive", _RET_IP_);
}

/* Model: returns the size asked for, not the bucket's, so ASan still guards the rest. */
size_t ksize(const void *x)
{
	if (ZERO_OR_NULL_PTR(x))
		return 0;
	return slab_find_live(NULL, x, "ksize", _RET_IP_)->size;
}

/* Model: always moves the object, so a stale pointer to the old copy is caught. */
static void *do_krealloc(const void *p, size_t new_size, unsigned long align, gfp_t flags,
			 unsigned long caller)
{
	struct slab_obj *o;
	void *n;

	if (ZERO_OR_NULL_PTR(p))
		return do_kmalloc(NULL, new_size, align, flags, caller);
	o = slab_find_live(NULL, p, "krealloc", caller);
	if (!new_size) {
		slab_free(NULL, p, "krealloc", caller);
		return ZERO_SIZE_PTR;
	}
	n = do_kmalloc(NULL, new_size, align, flags & ~__GFP_ZERO, caller);
	if (!n)
		return NULL;
	memcpy(n, p, min(o->size, new_size));
	if ((flags & __GFP_ZERO) && new_size > o->size)
		memset(n + o->size, 0, new_size - o->size);
	slab_free(NULL, p, "krealloc", caller);
	return n;
}

void *krealloc_node_align_noprof(const void *p, DECL_TOKEN_PARAMS(new_size, token),
				 unsigned long align, gfp_t flags, int nid)
{
	return do_krealloc(p, new_size, align, flags, _RET_IP_);
}

void *kvrealloc_node_align_noprof(const void *p, DECL_TOKEN_PARAMS(size, token),
				  unsigned long align, gfp_t flags, int nid)
{
	return do_krealloc(p, size, align, flags, _RET_IP_);
}

/* ---- bulk and sheaves ---- */

bool kmem_cache_alloc_bulk_noprof(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	size_t i;

	if (!size)
		return false;
	if (!s)
		host_die("kmem_cache_alloc_bulk(NULL)");
	slab_might_alloc(s, flags);
	if (slab_should_fail(s, flags))
		return false;
	for (i = 0; i < size; i++)
		p[i] = slab_hand_out(slab_get_object(s, s->object_size, s->align, SLAB_OBJ_LIVE),
				     flags, _RET_IP_);
	return true;
}

/* @s NULL is kfree_bulk(). NULL entries are skipped, as build_detached_freelist() does. */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i])
			slab_free(s, p[i], s ? "kmem_cache_free_bulk" : "kfree_bulk", _RET_IP_);
}

static void sheaf_fill(struct kmem_cache *s, struct slab_sheaf *sheaf, unsigned int size)
{
	while (sheaf->size < size) {
		struct slab_obj *o = slab_get_object(s, s->object_size, s->align,
						     SLAB_OBJ_SHEAF);

		sheaf->objects[sheaf->size++] = o->addr;
		s->in_sheaves++;
	}
}

static struct slab_sheaf *sheaf_new(struct kmem_cache *s, unsigned int capacity)
{
	struct slab_sheaf *sheaf;

	sheaf = host_alloc(struct_size(sheaf, objects, capacity));
	sheaf->cache = s;
	sheaf->capacity = capacity;
	return sheaf;
}

static void sheaf_check(struct kmem_cache *s, struct slab_sheaf *sheaf, const char *fn)
{
	if (!s || !sheaf)
		host_die("%s(%p, %p)", fn, s, sheaf);
	if (sheaf->cache != s)
		host_die("%s(%s): sheaf belongs to cache %s", fn, s->name, sheaf->cache->name);
}

/* Model: holds exactly @size objects (the kernel fills up to the cache's capacity). */
struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *s, gfp_t gfp, unsigned int size)
{
	struct slab_sheaf *sheaf;

	if (!size)
		return NULL;
	if (!s)
		host_die("kmem_cache_prefill_sheaf(NULL)");
	slab_might_alloc(s, gfp);
	if (slab_should_fail(s, gfp))
		return NULL;
	sheaf = sheaf_new(s, max(size, s->sheaf_capacity));
	sheaf_fill(s, sheaf, size);
	return sheaf;
}

int kmem_cache_refill_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf **sheafp,
			    unsigned int size)
{
	struct slab_sheaf *sheaf, *bigger;

	if (!sheafp || !*sheafp)
		return -EINVAL;
	sheaf = *sheafp;
	sheaf_check(s, sheaf, "kmem_cache_refill_sheaf");
	if (sheaf->size >= size)
		return 0;
	slab_might_alloc(s, gfp);
	if (slab_should_fail(s, gfp))
		return -ENOMEM;
	if (size <= sheaf->capacity) {
		sheaf_fill(s, sheaf, size);
		return 0;
	}
	/* Too small: the objects move to a new, oversize sheaf. */
	bigger = sheaf_new(s, size);
	memcpy(bigger->objects, sheaf->objects, sheaf->size * sizeof(void *));
	bigger->size = sheaf->size;
	host_free(sheaf);
	sheaf_fill(s, bigger, size);
	*sheafp = bigger;
	return 0;
}

/* Model: the objects left are freed at once; the kernel keeps them cached in the sheaf. */
void kmem_cache_return_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf)
{
	sheaf_check(s, sheaf, "kmem_cache_return_sheaf");
	while (sheaf->size) {
		struct slab_obj *o = obj_lookup(sheaf->objects[--sheaf->size]);

		if (!o || o->state != SLAB_OBJ_SHEAF || o->s != s)
			host_die("kmem_cache_return_sheaf(%s): sheaf slot %u corrupted", s->name,
				 sheaf->size);
		s->in_sheaves--;
		slab_destroy_obj(o);
	}
	host_free(sheaf);
}

void *kmem_cache_alloc_from_sheaf_noprof(struct kmem_cache *s, gfp_t gfp,
					 struct slab_sheaf *sheaf)
{
	struct slab_obj *o;

	sheaf_check(s, sheaf, "kmem_cache_alloc_from_sheaf");
	if (!sheaf->size)
		return NULL;
	o = obj_lookup(sheaf->objects[--sheaf->size]);
	if (!o || o->state != SLAB_OBJ_SHEAF || o->s != s)
		host_die("kmem_cache_alloc_from_sheaf(%s): sheaf slot %u corrupted", s->name,
			 sheaf->size);
	s->in_sheaves--;
	return slab_hand_out(o, gfp, _RET_IP_);
}

unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf)
{
	return sheaf->size;
}

/* ---- RCU-deferred frees ---- */

/* As mm/slab_common.c without CONFIG_KVFREE_RCU_BATCHED. */
void kvfree_call_rcu(struct kvfree_rcu_head *head, void *ptr)
{
	struct slab_obj *o;
	unsigned long offset;

	if (!head) {
		/* kvfree_rcu_mightsleep(): wait for readers right here. */
		synchronize_rcu();
		kvfree(ptr);
		return;
	}
	o = slab_find_live(NULL, ptr, "kvfree_rcu", _RET_IP_);
	if (o->kfree_rcu_pending)
		host_die("kvfree_rcu(%s, %p) from %#lx: a kfree_rcu() of it is already pending",
			 o->s->name, ptr, _RET_IP_);
	offset = (void *)head - ptr;
	if ((void *)head < ptr || offset + sizeof(*head) > o->size)
		host_die("kvfree_rcu(%s, %p) from %#lx: rcu_head %p is not inside the object",
			 o->s->name, ptr, _RET_IP_, head);
	o->kfree_rcu_pending = true;
	harness_call_rcu_kvfree(&head->head, offset);
}

void kfree_call_rcu_nolock(struct kvfree_rcu_head *head, void *ptr)
{
	kvfree_call_rcu(head, ptr);
}

void harness_kvfree_rcu_invoke(void *ptr)
{
	struct slab_obj *o = obj_lookup(ptr);

	if (!o || o->state != SLAB_OBJ_LIVE || !o->kfree_rcu_pending)
		host_die("kfree_rcu() callback: object %p is no longer live", ptr);
	o->kfree_rcu_pending = false;
	slab_free(NULL, ptr, "kvfree_rcu callback", o->caller);
}

void kvfree_rcu_barrier(void)
{
	rcu_barrier();
}

void kvfree_rcu_barrier_on_cache(struct kmem_cache *s)
{
	rcu_barrier();
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	int rounds = 0;

	if (!s)
		return;
	if (is_kmalloc_cache(s))
		host_die("kmem_cache_destroy(%s): a kmalloc cache", s->name);

	/* In-flight kfree_rcu()s and typesafe frees may still hold objects of @s. */
	do {
		if (++rounds > 100)
			host_die("kmem_cache_destroy(%s): RCU frees keep coming", s->name);
		kvfree_rcu_barrier_on_cache(s);
	} while (s->rcu_pending);

	/* The kernel WARNs and leaks the cache; a test must not go on from here. */
	if (s->live || s->in_sheaves) {
		harness_slab_dump_live(s);
		host_die("kmem_cache_destroy(%s): %lu objects still allocated, %lu in sheaves",
			 s->name, s->live, s->in_sheaves);
	}
	list_del(&s->list);
	host_free((void *)s->name);
	host_free(s);
}

/* ---- harness API ---- */

struct kmem_cache *harness_cache_next(struct kmem_cache *prev)
{
	struct list_head *next;

	if (!prev)
		return &kmalloc_objs[1];
	if (prev >= &kmalloc_objs[1] && prev < &kmalloc_objs[KMALLOC_SHIFT_HIGH])
		return prev + 1;
	if (prev == &kmalloc_objs[KMALLOC_SHIFT_HIGH])
		return &kmalloc_large;
	next = prev == &kmalloc_large ? slab_caches.next : prev->list.next;
	return next == &slab_caches ? NULL : list_entry(next, struct kmem_cache, list);
}

struct kmem_cache *harness_cache_find(const char *name)
{
	struct kmem_cache *s, *found = NULL;

	/* The most recently created cache of that name. */
	harness_for_each_cache(s)
		if (slab_name_eq(s->name, name))
			found = s;
	return found;
}

void harness_cache_stats(struct kmem_cache *s, struct harness_cache_stats *st)
{
	st->name = s->name;
	st->object_size = s->object_size;
	st->align = s->align;
	st->typesafe_by_rcu = s->flags & SLAB_TYPESAFE_BY_RCU;
	st->live = s->live;
	st->peak = s->peak;
	st->allocs = s->allocs;
	st->frees = s->frees;
	st->in_sheaves = s->in_sheaves;
	st->rcu_pending = s->rcu_pending;
	st->reused = s->reused;
	st->failable = s->failable;
	st->failed = s->failed;
}

unsigned long harness_cache_live(const char *name)
{
	struct kmem_cache *s = harness_cache_find(name);

	return s ? s->live : 0;
}

unsigned long harness_slab_outstanding(void)
{
	struct kmem_cache *s;
	unsigned long n = 0;

	harness_for_each_cache(s)
		n += s->live + s->in_sheaves + s->rcu_pending;
	return n;
}

void harness_slab_report(void)
{
	struct kmem_cache *s;

	host_print("# %-20s %8s %8s %8s %8s %8s %8s %8s\n", "cache", "objsize", "live", "peak",
		   "allocs", "sheaves", "rcu", "failed");
	harness_for_each_cache(s) {
		if (!s->allocs && !s->in_sheaves && !s->failable)
			continue;
		host_print("# %-20s %8u %8lu %8lu %8lu %8lu %8lu %8lu\n", s->name,
			   s->object_size, s->live, s->peak, s->allocs, s->in_sheaves,
			   s->rcu_pending, s->failed);
	}
}

void harness_slab_dump_live(struct kmem_cache *s)
{
	unsigned long i;

	if (!obj_hash)
		return;
	for (i = 0; i < 1UL << obj_hash_bits; i++) {
		struct slab_obj *o;

		for (o = obj_hash[i]; o; o = o->hnext) {
			if (o->state != SLAB_OBJ_LIVE || (s && o->s != s))
				continue;
			host_eprint("harness: live %s object %p (%zu bytes), allocation #%lu from %#lx\n",
				    o->s->name, o->addr, o->size, o->seq, o->caller);
		}
	}
}

void harness_fail_nth(unsigned long n)
{
	fail_name[0] = '\0';
	fail_countdown = n;
}

void harness_fail_nth_in(const char *name, unsigned long n)
{
	size_t len = 0;

	while (name[len])
		len++;
	if (len >= sizeof(fail_name))
		host_die("harness_fail_nth_in(%s): cache name too long", name);
	memcpy(fail_name, name, len + 1);
	fail_countdown = n;
}

void harness_set_fail_hook(bool (*hook)(void))
{
	fail_hook = hook;
}

bool harness_fail_armed(void)
{
	return fail_countdown != 0;
}

unsigned long harness_alloc_seq(void)
{
	return fail_seq;
}

unsigned long harness_failures_injected(void)
{
	return fail_injected;
}

void harness_slab_set_typesafe_reuse(bool on)
{
	typesafe_reuse = on;
}
