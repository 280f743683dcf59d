// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/locking/lockdep.c. */
#include <linux/debug_locks.h>
#include <linux/interrupt_rc.h>
#include <linux/irqflags.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/rcuwait.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <asm/sections.h>

#include "host.h"
#include "locks.h"
#include "lock_model.h"
#include "rcu.h"

/*
 * A held-lock stack per task and the lock-class dependency graph, as lockdep keeps them;
 * the lock words themselves are shims/locks.c's.
 */

int debug_locks = 1;
int debug_locks_silent;
struct lock_class_key __lockdep_no_validate__;
/* The class lockdep_set_novalidate_class() gives: tracked, never checked for order. */
static struct lock_class_key *const novalidate = &__lockdep_no_validate__;
struct lock_class_key __lockdep_no_track__;


/* Provided by the linker: the image's static data, where lockdep accepts keys without registration. */
extern char __executable_start[];

/* ---------------------------------------------------------------------------------------- */
/* Lock classes and the dependency graph */

#define LK_CLASS_MAGIC	0x6c6b636c61737321UL

/* Dependency types, as in lockdep: bit 1 = earlier lock held shared, bit 0 = new lock recursive read. */
#define DEP_SHARED_PREV	2
#define DEP_RECURSIVE	1

struct lk_edge {
	struct lk_class *to;
	struct lk_edge *next;
	u8 types;			/* one bit per dependency type seen */
	unsigned long from_ip, to_ip;	/* sites of the first acquisitions that made the edge */
	char comm[TASK_COMM_LEN];
	pid_t pid;
};

struct lk_class {
	unsigned long magic;
	struct lock_class_key *key;
	unsigned int subclass;
	const char *name;
	bool zapped;			/* key unregistered or freed: out of the graph */
	struct lk_class *hash_next, *all_next;
	struct lk_edge *deps;		/* this -> later lock */
	unsigned long acquired[2];	/* [0] exclusive, [1] shared */
	/* breadth-first search state, per "entered by a recursive-read edge" flag */
	unsigned int mark[2];
	struct lk_class *parent[2];
	u8 parent_r[2];
	struct lk_edge *parent_edge[2];
};

#define CLASS_HASH_BITS	10
static struct lk_class *class_hash[1 << CLASS_HASH_BITS];
static struct lk_class *all_classes;
static unsigned int nr_classes;

/* Keys registered with lockdep_register_key() (or adopted after a report). */
struct lk_key {
	const void *key;
	struct lk_key *next;
};
static struct lk_key *dynamic_keys;

unsigned int lk_hash(const void *p, unsigned int extra, unsigned int bits)
{
	unsigned long v = ((unsigned long)p >> 3) + extra;

	return (v * 0x9E3779B97F4A7C15UL) >> (64 - bits);
}

static bool lk_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool static_obj(const void *p)
{
	unsigned long a = (unsigned long)p;

	return a >= (unsigned long)__executable_start && a < (unsigned long)_end;
}

static bool key_registered(const void *key)
{
	struct lk_key *k;

	for (k = dynamic_keys; k; k = k->next)
		if (k->key == key)
			return true;
	return false;
}

static void key_register(const void *key)
{
	struct lk_key *k;

	if (key_registered(key))
		return;
	k = host_alloc(sizeof(*k));
	k->key = key;
	k->next = dynamic_keys;
	dynamic_keys = k;
}

static void print_class(const struct lk_class *c)
{
	if (!c) {
		host_eprint("<untracked>");
		return;
	}
	host_eprint("%s", c->name);
	if (c->subclass)
		host_eprint("/%u", c->subclass);
}

static void sum_add_class(const struct lk_class *c)
{
	if (!c) {
		lk_sum_add("<untracked>");
		return;
	}
	lk_sum_add(c->name);
	if (c->subclass) {
		lk_sum_add("/");
		lk_sum_add_uint(c->subclass);
	}
}

static struct lk_class *class_find(struct lock_class_key *key, unsigned int subclass,
				   const char *name)
{
	unsigned int h = lk_hash(key, subclass, CLASS_HASH_BITS);
	struct lk_class *c;

	for (c = class_hash[h]; c; c = c->hash_next)
		if (c->key == key && c->subclass == subclass && !c->zapped)
			return c;

	c = host_alloc(sizeof(*c));
	c->magic = LK_CLASS_MAGIC;
	c->key = key;
	c->subclass = subclass;
	c->name = name ? name : "NULL";
	c->hash_next = class_hash[h];
	class_hash[h] = c;
	c->all_next = all_classes;
	all_classes = c;
	nr_classes++;
	return c;
}

/*
 * The class of an acquisition, as register_lock_class() finds it: a map without a key uses its
 * own address when it is static (DEFINE_SPINLOCK() and friends), else it was never initialised.
 */
static struct lk_class *class_of(struct lockdep_map *map, unsigned int subclass)
{
	struct lk_class *cached = (struct lk_class *)map->class_cache[0];

	if (subclass >= MAX_LOCKDEP_SUBCLASSES) {
		lk_sum_reset();
		lk_sum_add("subclass out of range for ");
		lk_sum_add(map->name);
		host_eprint("lockdep: BUG: looking up invalid subclass %u of %s\n", subclass,
			    map->name ? map->name : "NULL");
		lk_fail(LOCK_FAIL_BAD_KEY);
		subclass = 0;
	}

	/* lockdep_set_class_and_subclass() leaves the subclass' class in class_cache[0]. */
	if (!subclass && cached && cached->magic == LK_CLASS_MAGIC && cached->key == map->key &&
	    !cached->zapped)
		return cached;

	if (!map->key) {
		if (static_obj(map)) {
			map->key = (void *)map;
		} else {
			lk_sum_reset();
			lk_sum_add("lock not initialised (non-static key): ");
			lk_sum_add(map->name ? map->name : "NULL");
			host_eprint("lockdep: INFO: trying to register non-static key: lock %s at %p was not initialised with a lock class key\n",
				    map->name ? map->name : "NULL", map);
			lk_fail(LOCK_FAIL_BAD_KEY);
			/* Report once: the map becomes a class of its own. */
			key_register(map);
			map->key = (void *)map;
			if (!map->name)
				map->name = "NULL";
		}
	} else if (!static_obj(map->key) && !key_registered(map->key)) {
		lk_sum_reset();
		lk_sum_add("lock class key not registered: ");
		lk_sum_add(map->name);
		host_eprint("lockdep: BUG: key %p of %s has not been registered\n", map->key,
			    map->name ? map->name : "NULL");
		lk_fail(LOCK_FAIL_BAD_KEY);
		key_register(map->key);
	}
	return class_find(map->key, subclass, map->name);
}

static struct lk_edge *edge_find(struct lk_class *from, struct lk_class *to)
{
	struct lk_edge *e;

	for (e = from->deps; e; e = e->next)
		if (e->to == to)
			return e;
	return NULL;
}

/* Breadth-first search over (class, entered-by-recursive-read) states. */
static unsigned int bfs_gen;
static struct lk_class **bfs_class;
static u8 *bfs_r;
static unsigned int bfs_cap;

/*
 * Find a strong dependency path (no -(*R)-> followed by -(S*)->, see lockdep-design.rst) from
 * @from, entered with recursive flag @r0, to @to, such that the closing edge @to -> @from (shared
 * at @to when @close_s) keeps the cycle strong. Returns the final state's flag, or -1.
 */
static int find_strong_path(struct lk_class *from, int r0, struct lk_class *to, bool close_s)
{
	unsigned int head = 0, tail = 0;

	if (bfs_cap < 2 * nr_classes + 2) {
		host_free(bfs_class);
		host_free(bfs_r);
		bfs_cap = 4 * nr_classes + 64;
		bfs_class = host_alloc(bfs_cap * sizeof(*bfs_class));
		bfs_r = host_alloc(bfs_cap);
	}
	bfs_gen++;
	from->mark[r0] = bfs_gen;
	from->parent[r0] = NULL;
	bfs_class[tail] = from;
	bfs_r[tail++] = r0;

	while (head < tail) {
		struct lk_class *c = bfs_class[head];
		int r = bfs_r[head++];
		struct lk_edge *e;

		if (c == to && !(r && close_s))
			return r;
		for (e = c->deps; e; e = e->next) {
			int t;

			if (e->to->zapped)
				continue;
			for (t = 0; t < 4; t++) {
				int nr = t & DEP_RECURSIVE;

				if (!(e->types & (1 << t)))
					continue;
				if (r && (t & DEP_SHARED_PREV))
					continue;
				if (e->to->mark[nr] == bfs_gen)
					continue;
				e->to->mark[nr] = bfs_gen;
				e->to->parent[nr] = c;
				e->to->parent_r[nr] = r;
				e->to->parent_edge[nr] = e;
				bfs_class[tail] = e->to;
				bfs_r[tail++] = nr;
			}
		}
	}
	return -1;
}

/* ---------------------------------------------------------------------------------------- */
/* Held-lock stacks, one per task, kept beside the task (task_struct is not touched but for
 * lockdep_depth, which lockdep_depth() and lockdep_assert_none_held_once() read). */

struct held {
	struct lockdep_map *map;
	struct lk_class *class;
	struct lockdep_map *nest_lock;
	unsigned long ip;
	u8 read, trylock, check, seq;
	unsigned int pin_count;
};

struct task_locks {
	struct task_struct *task;
	struct task_locks *next;
	unsigned int depth, cap;
	unsigned int seq;
	struct held *held;
};

#define TASK_HASH_BITS	6
static struct task_locks *task_hash[1 << TASK_HASH_BITS];

static struct task_locks *task_locks(struct task_struct *task, bool create)
{
	unsigned int h = lk_hash(task, 0, TASK_HASH_BITS);
	struct task_locks *tl;

	for (tl = task_hash[h]; tl; tl = tl->next)
		if (tl->task == task)
			return tl;
	if (!create)
		return NULL;
	tl = host_alloc(sizeof(*tl));
	tl->task = task;
	tl->next = task_hash[h];
	task_hash[h] = tl;
	return tl;
}

static void task_locks_drop(struct task_struct *task)
{
	struct task_locks **p = &task_hash[lk_hash(task, 0, TASK_HASH_BITS)];

	for (; *p; p = &(*p)->next) {
		if ((*p)->task == task) {
			struct task_locks *tl = *p;

			*p = tl->next;
			host_free(tl->held);
			host_free(tl);
			return;
		}
	}
}

static void sync_depth(struct task_locks *tl)
{
	if (tl->task)
		tl->task->lockdep_depth = tl->depth;
}

static void print_held_stack(const struct task_locks *tl)
{
	unsigned int i;

	if (!tl || !tl->depth) {
		host_eprint("  (no locks held)\n");
		return;
	}
	for (i = 0; i < tl->depth; i++) {
		const struct held *h = &tl->held[i];

		host_eprint("  #%u: ", i);
		print_class(h->class);
		host_eprint(" (%s%s) at %p, taken at [<%#lx>]\n", lk_mode_name(h->read),
			    h->trylock ? ", trylock" : "", h->map, h->ip);
	}
}

void lk_print_held_of(struct task_struct *task)
{
	host_eprint("locks held by ");
	lk_print_task(task);
	host_eprint(":\n");
	print_held_stack(task_locks(task, false));
}

static struct held *held_find(struct task_locks *tl, const struct lockdep_map *map)
{
	int i;

	if (!tl)
		return NULL;
	for (i = tl->depth - 1; i >= 0; i--)
		if (tl->held[i].map == map)
			return &tl->held[i];
	return NULL;
}

static bool lockdep_enabled(void)
{
	struct task_struct *curr = current;

	return debug_locks && !(curr && curr->lockdep_recursion);
}

/* ---------------------------------------------------------------------------------------- */
/* Lockdep validation */

static void report_circular(struct task_locks *tl, struct held *prev, struct lockdep_map *map,
			    struct lk_class *next, int read, unsigned long ip, int rf)
{
	struct lk_class *c = prev->class;
	struct lk_edge **path;
	unsigned int n = 0, i;
	int r = rf;

	/* Walk the search tree back from @prev's class to the new lock's class. */
	path = host_alloc((2 * nr_classes + 2) * sizeof(*path));
	while (c && c->parent[r]) {
		struct lk_class *p = c->parent[r];

		path[n++] = c->parent_edge[r];
		r = c->parent_r[r];
		c = p;
	}

	host_eprint("\n======================================================\n");
	host_eprint("lockdep: WARNING: possible circular locking dependency detected\n");
	lk_print_task(tl->task);
	host_eprint(" is trying to acquire ");
	print_class(next);
	host_eprint(" (%s) at %p, at [<%#lx>]\n", lk_mode_name(read), map, ip);
	host_eprint("but it already holds ");
	print_class(prev->class);
	host_eprint(" (%s), taken at [<%#lx>]\n", lk_mode_name(prev->read), prev->ip);
	host_eprint("and an earlier acquisition order says the new lock comes first:\n");
	for (i = n; i-- > 0;) {
		struct lk_edge *e = path[i];
		struct lk_class *from = i + 1 < n ? path[i + 1]->to : next;

		host_eprint("  ");
		print_class(from);
		host_eprint(" [<%#lx>] -> ", e->from_ip);
		print_class(e->to);
		host_eprint(" [<%#lx>]  (task %.16s/%d)\n", e->to_ip, e->comm, e->pid);
	}
	host_eprint(" Possible unsafe locking scenario:\n");
	host_eprint("   CPU0: lock(");
	print_class(prev->class);
	host_eprint("), then lock(");
	print_class(next);
	host_eprint(")\n   CPU1: lock(");
	print_class(next);
	host_eprint("), then lock(");
	print_class(prev->class);
	host_eprint(")\n");
	lk_print_held_of(tl->task);
	host_eprint("(addresses: addr2line -f -e <test program>)\n");

	lk_sum_reset();
	lk_sum_add("possible circular locking dependency: ");
	sum_add_class(prev->class);
	lk_sum_add(" -> ");
	sum_add_class(next);
	lk_sum_add(" but already ");
	sum_add_class(next);
	for (i = n; i-- > 0;) {
		lk_sum_add(" -> ");
		sum_add_class(path[i]->to);
	}
	host_free(path);
	lk_fail(LOCK_FAIL_CIRCULAR);
}

/* Record @prev -> new lock; report instead when the graph already orders them the other way. */
static void add_dependency(struct task_locks *tl, struct held *prev, struct lockdep_map *map,
			   struct lk_class *next, int read, unsigned long ip)
{
	int type = (prev->read ? DEP_SHARED_PREV : 0) | (read == 2 ? DEP_RECURSIVE : 0);
	struct lk_edge *e;
	int rf;
	unsigned int i;

	if (prev->class == next || !prev->class)
		return;
	e = edge_find(prev->class, next);
	if (e && (e->types & (1 << type)))
		return;

	rf = find_strong_path(next, type & DEP_RECURSIVE, prev->class, type & DEP_SHARED_PREV);
	if (rf >= 0) {
		report_circular(tl, prev, map, next, read, ip, rf);
		return;
	}

	if (!e) {
		e = host_alloc(sizeof(*e));
		e->to = next;
		e->from_ip = prev->ip;
		e->to_ip = ip;
		if (tl->task) {
			for (i = 0; i < TASK_COMM_LEN - 1 && tl->task->comm[i]; i++)
				e->comm[i] = tl->task->comm[i];
			e->pid = tl->task->pid;
		}
		e->next = prev->class->deps;
		prev->class->deps = e;
	}
	e->types |= 1 << type;
}

/* Another task holding @map in a conflicting mode would make this task wait forever. */
static bool check_other_tasks(struct task_locks *tl, struct lockdep_map *map,
			      struct lk_class *class, int read, unsigned long ip)
{
	unsigned int b, i;
	struct task_locks *o;

	for (b = 0; b < ARRAY_SIZE(task_hash); b++) {
		for (o = task_hash[b]; o; o = o->next) {
			if (o == tl)
				continue;
			for (i = 0; i < o->depth; i++) {
				struct held *h = &o->held[i];

				if (h->map != map || (read && h->read))
					continue;
				host_eprint("\nlockdep: DEADLOCK: ");
				lk_print_task(tl->task);
				host_eprint(" would wait forever for ");
				print_class(class);
				host_eprint(" (%s) at %p, at [<%#lx>]:\n", lk_mode_name(read), map, ip);
				host_eprint("it is held (%s) by ", lk_mode_name(h->read));
				lk_print_task(o->task);
				host_eprint(" since [<%#lx>], and a single thread cannot wait\n", h->ip);
				lk_print_held_of(tl->task);
				lk_print_held_of(o->task);
				lk_sum_reset();
				lk_sum_add("deadlock: ");
				sum_add_class(class);
				lk_sum_add(" held by another task");
				lk_fail(LOCK_FAIL_DEADLOCK);
				return false;
			}
		}
	}
	return true;
}

/* check_deadlock(): the class is already held and nothing says why that is safe. */
static void check_recursion(struct task_locks *tl, struct lockdep_map *map,
			    struct lk_class *class, int read, struct lockdep_map *nest_lock,
			    unsigned long ip)
{
	unsigned int i;

	for (i = 0; i < tl->depth; i++) {
		struct held *h = &tl->held[i];

		if (h->class != class)
			continue;
		if (read == 2 && h->read)
			continue;
		if (nest_lock && held_find(tl, nest_lock))
			return;
		host_eprint("\nlockdep: WARNING: possible recursive locking detected\n");
		lk_print_task(tl->task);
		host_eprint(" is trying to acquire ");
		print_class(class);
		host_eprint(" (%s) at %p, at [<%#lx>]\n", lk_mode_name(read), map, ip);
		host_eprint("but it already holds ");
		print_class(h->class);
		host_eprint(" (%s) at %p, taken at [<%#lx>]\n", lk_mode_name(h->read), h->map, h->ip);
		host_eprint(h->map == map ? "(the same lock: this deadlocks)\n" :
			    "(another lock of the same class: missing *_nested() annotation?)\n");
		lk_print_held_of(tl->task);
		lk_sum_reset();
		lk_sum_add("possible recursive locking: ");
		sum_add_class(class);
		lk_fail(LOCK_FAIL_RECURSIVE);
		return;
	}
}

static void held_push(struct task_locks *tl, struct lockdep_map *map, struct lk_class *class,
		      int trylock, int read, int check, struct lockdep_map *nest_lock,
		      unsigned long ip)
{
	struct held *h;
	unsigned int i;

	if (tl->depth == tl->cap) {
		struct held *n;

		tl->cap = tl->cap ? 2 * tl->cap : 16;
		n = host_alloc(tl->cap * sizeof(*n));
		for (i = 0; i < tl->depth; i++)
			n[i] = tl->held[i];
		host_free(tl->held);
		tl->held = n;
	}
	h = &tl->held[tl->depth++];
	h->map = map;
	h->class = class;
	h->nest_lock = nest_lock;
	h->ip = ip;
	h->read = read;
	h->trylock = !!trylock;
	h->check = !!check;
	h->seq = ++tl->seq;
	h->pin_count = 0;
	sync_depth(tl);
}

void lock_acquire(struct lockdep_map *lock, unsigned int subclass, int trylock, int read,
		  int check, struct lockdep_map *nest_lock, unsigned long ip)
{
	struct task_locks *tl;
	struct lk_class *class;
	unsigned int i;

	if (!lockdep_enabled() || lock->key == &__lockdep_no_track__)
		return;
	if (lock->key == novalidate)
		check = 0;

	tl = task_locks(current, true);
	class = class_of(lock, subclass);
	class->acquired[read ? 1 : 0]++;

	if (!trylock)
		check_other_tasks(tl, lock, class, read, ip);

	if (nest_lock && !held_find(tl, nest_lock)) {
		host_eprint("\nlockdep: WARNING: Nested lock was not taken\n");
		lk_print_task(tl->task);
		host_eprint(" is trying to acquire ");
		print_class(class);
		host_eprint(" at [<%#lx>] nested in %s, which it does not hold\n", ip,
			    nest_lock->name ? nest_lock->name : "NULL");
		lk_print_held_of(tl->task);
		lk_sum_reset();
		lk_sum_add("nest lock not held: ");
		lk_sum_add(nest_lock->name);
		lk_sum_add(" for ");
		sum_add_class(class);
		lk_fail(LOCK_FAIL_NEST_NOT_HELD);
		nest_lock = NULL;
	}

	/* Trylocks cannot deadlock and can be taken in any order: no checks, no edges to them. */
	if (check && !trylock) {
		check_recursion(tl, lock, class, read, nest_lock, ip);
		for (i = 0; i < tl->depth; i++) {
			if (tl->held[i].check)
				add_dependency(tl, &tl->held[i], lock, class, read, ip);
		}
	}
	held_push(tl, lock, class, trylock, read, check, nest_lock, ip);
	harness_rcu_lock_acquired(lock);
}
EXPORT_SYMBOL_GPL(lock_acquire);

void lk_report_not_held(struct task_struct *task, const char *what, const char *name,
			const void *lock, unsigned long ip)
{
	host_eprint("\nlockdep: WARNING: bad unlock balance detected!\n");
	lk_print_task(task);
	host_eprint(" is trying to %s %s at %p, at [<%#lx>], but it does not hold it\n", what,
		    name ? name : "NULL", lock, ip);
	lk_print_held_of(task);
	lk_sum_reset();
	lk_sum_add(what);
	lk_sum_add(" of a lock not held: ");
	lk_sum_add(name);
	lk_fail(LOCK_FAIL_NOT_HELD);
}

void lock_release(struct lockdep_map *lock, unsigned long ip)
{
	struct task_locks *tl;
	struct held *h;

	if (!lockdep_enabled() || lock->key == &__lockdep_no_track__)
		return;
	tl = task_locks(current, false);
	h = held_find(tl, lock);
	if (!h) {
		lk_report_not_held(current, "release", lock->name, lock, ip);
		return;
	}
	if (h->pin_count) {
		host_eprint("lockdep: WARNING: releasing a pinned lock %s at [<%#lx>]\n",
			    lock->name, ip);
		lk_sum_reset();
		lk_sum_add("releasing a pinned lock: ");
		lk_sum_add(lock->name);
		lk_fail(LOCK_FAIL_CORRUPT);
	}
	tl->depth--;
	for (; h < &tl->held[tl->depth]; h++)
		h[0] = h[1];
	sync_depth(tl);
	harness_rcu_lock_released(lock);
}
EXPORT_SYMBOL_GPL(lock_release);

void lock_sync(struct lockdep_map *lock, unsigned int subclass, int read, int check,
	       struct lockdep_map *nest_lock, unsigned long ip)
{
	lock_acquire(lock, subclass, 0, read, check, nest_lock, ip);
	lock_release(lock, ip);
}
EXPORT_SYMBOL_GPL(lock_sync);

int lock_is_held_type(const struct lockdep_map *lock, int read)
{
	struct held *h;

	if (!lockdep_enabled())
		return LOCK_STATE_UNKNOWN;
	h = held_find(task_locks(current, false), lock);
	if (!h)
		return LOCK_STATE_NOT_HELD;
	return (read == -1 || !!h->read == read) ? LOCK_STATE_HELD : LOCK_STATE_NOT_HELD;
}
EXPORT_SYMBOL_GPL(lock_is_held_type);

u32 lock_sequence(struct lockdep_map *lock)
{
	struct held *h;

	if (!lockdep_enabled())
		return ~0U;
	h = held_find(task_locks(current, false), lock);
	return h ? h->seq : ~0U;
}
EXPORT_SYMBOL_GPL(lock_sequence);

void lock_downgrade(struct lockdep_map *lock, unsigned long ip)
{
	struct held *h;

	if (!lockdep_enabled())
		return;
	h = held_find(task_locks(current, false), lock);
	if (!h) {
		lk_report_not_held(current, "downgrade", lock->name, lock, ip);
		return;
	}
	if (h->read) {
		host_eprint("lockdep: WARNING: downgrading %s, which is held for read, at [<%#lx>]\n",
			    lock->name, ip);
		lk_sum_reset();
		lk_sum_add("downgrade of a read-held lock: ");
		lk_sum_add(lock->name);
		lk_fail(LOCK_FAIL_CORRUPT);
	}
	h->read = 1;
	h->ip = ip;
}
EXPORT_SYMBOL_GPL(lock_downgrade);

void lock_set_class(struct lockdep_map *lock, const char *name, struct lock_class_key *key,
		    unsigned int subclass, unsigned long ip)
{
	struct held *h;

	if (!lockdep_enabled())
		return;
	h = held_find(task_locks(current, false), lock);
	if (!h) {
		lk_report_not_held(current, "set the class of", lock->name, lock, ip);
		return;
	}
	lockdep_init_map_type(lock, name, key, 0, lock->wait_type_inner, lock->wait_type_outer,
			      lock->lock_type);
	h->class = class_of(lock, subclass);
}
EXPORT_SYMBOL_GPL(lock_set_class);

struct pin_cookie lock_pin_lock(struct lockdep_map *lock)
{
	struct pin_cookie cookie = NIL_COOKIE;
	struct held *h;

	if (!lockdep_enabled())
		return cookie;
	h = held_find(task_locks(current, false), lock);
	if (!h) {
		lk_report_not_held(current, "pin", lock->name, lock, _RET_IP_);
		return cookie;
	}
	cookie.val = 1 + (h->seq << 1);
	h->pin_count += cookie.val;
	return cookie;
}
EXPORT_SYMBOL_GPL(lock_pin_lock);

void lock_repin_lock(struct lockdep_map *lock, struct pin_cookie cookie)
{
	struct held *h;

	if (!lockdep_enabled())
		return;
	h = held_find(task_locks(current, false), lock);
	if (h)
		h->pin_count += cookie.val;
	else
		lk_report_not_held(current, "repin", lock->name, lock, _RET_IP_);
}
EXPORT_SYMBOL_GPL(lock_repin_lock);

void lock_unpin_lock(struct lockdep_map *lock, struct pin_cookie cookie)
{
	struct held *h;

	if (!lockdep_enabled())
		return;
	h = held_find(task_locks(current, false), lock);
	if (!h) {
		lk_report_not_held(current, "unpin", lock->name, lock, _RET_IP_);
		return;
	}
	if (h->pin_count < cookie.val) {
		host_eprint("lockdep: WARNING: pin count corrupted for %s\n", lock->name);
		lk_sum_reset();
		lk_sum_add("pin count corrupted: ");
		lk_sum_add(lock->name);
		lk_fail(LOCK_FAIL_CORRUPT);
		h->pin_count = 0;
		return;
	}
	h->pin_count -= cookie.val;
}
EXPORT_SYMBOL_GPL(lock_unpin_lock);

void lockdep_init_map_type(struct lockdep_map *lock, const char *name,
			   struct lock_class_key *key, int subclass, u8 inner, u8 outer,
			   u8 lock_type)
{
	int i;

	for (i = 0; i < NR_LOCKDEP_CACHING_CLASSES; i++)
		lock->class_cache[i] = NULL;
	lock->wait_type_outer = outer;
	lock->wait_type_inner = inner;
	lock->lock_type = lock_type;
	lock->name = name ? name : "NULL";
	lock->key = NULL;

	if (!key) {
		host_eprint("lockdep: WARNING: lock %s at %p initialised without a class key\n",
			    lock->name, lock);
		lk_sum_reset();
		lk_sum_add("lock initialised without a key: ");
		lk_sum_add(lock->name);
		lk_fail(LOCK_FAIL_BAD_KEY);
		return;
	}
	if (!static_obj(key) && !key_registered(key)) {
		host_eprint("lockdep: BUG: key %p of lock %s has not been registered\n", key,
			    lock->name);
		lk_sum_reset();
		lk_sum_add("lock class key not registered: ");
		lk_sum_add(lock->name);
		lk_fail(LOCK_FAIL_BAD_KEY);
		key_register(key);
	}
	lock->key = key;
	if (key == &__lockdep_no_track__)
		return;
	/* lockdep_set_class_and_subclass(): plain acquisitions then use that subclass. */
	if (subclass)
		lock->class_cache[0] = (struct lock_class *)class_of(lock, subclass);
}
EXPORT_SYMBOL_GPL(lockdep_init_map_type);

void lockdep_register_key(struct lock_class_key *key)
{
	if (static_obj(key)) {
		host_eprint("lockdep: WARNING: registering static key %p\n", key);
		lk_sum_reset();
		lk_sum_add("registering a static lock class key");
		lk_fail(LOCK_FAIL_BAD_KEY);
		return;
	}
	key_register(key);
}
EXPORT_SYMBOL_GPL(lockdep_register_key);

/* Classes of a dead key leave the graph; a later key at the same address gets new classes. */
static void zap_classes(const void *start, unsigned long size)
{
	struct lk_class *c;

	for (c = all_classes; c; c = c->all_next)
		if ((unsigned long)c->key - (unsigned long)start < size)
			c->zapped = true;
}

static void check_range_not_held(const void *from, unsigned long len, const char *what);

void lockdep_unregister_key(struct lock_class_key *key)
{
	struct lk_key **p;

	for (p = &dynamic_keys; *p; p = &(*p)->next) {
		if ((*p)->key == key) {
			struct lk_key *k = *p;

			*p = k->next;
			host_free(k);
			zap_classes(key, 1);
			return;
		}
	}
	host_eprint("lockdep: WARNING: unregistering unknown key %p\n", key);
	lk_sum_reset();
	lk_sum_add("unregistering a key that was not registered");
	lk_fail(LOCK_FAIL_BAD_KEY);
}
EXPORT_SYMBOL_GPL(lockdep_unregister_key);

void lockdep_free_key_range(void *start, unsigned long size)
{
	check_range_not_held(start, size, "freeing lock keys of");
	zap_classes(start, size);
}

void lockdep_reset_lock(struct lockdep_map *lock)
{
	check_range_not_held(lock, sizeof(*lock), "resetting");
}

void lockdep_init_task(struct task_struct *task)
{
	task->lockdep_depth = 0;
	task->lockdep_recursion = 0;
	task_locks_drop(task);
}

void lockdep_set_selftest_task(struct task_struct *task)
{
}

void lockdep_init(void)
{
}

void lockdep_reset(void)
{
	debug_locks = 1;
}

int debug_locks_off(void)
{
	return __debug_locks_off();
}
EXPORT_SYMBOL_GPL(debug_locks_off);

/* kernel/locking/lockdep.c: queued rwlocks only recurse for readers in interrupts. */
bool read_lock_is_recursive(void)
{
	return force_read_lock_recursive || !IS_ENABLED(CONFIG_QUEUED_RWLOCKS) || in_interrupt();
}
EXPORT_SYMBOL_GPL(read_lock_is_recursive);

void lockdep_rcu_suspicious(const char *file, const int line, const char *s)
{
	host_eprint("\nlockdep: WARNING: suspicious RCU usage at %s:%d: %s\n", file, line, s);
	lk_print_held_of(current);
	lk_sum_reset();
	lk_sum_add("suspicious RCU usage: ");
	lk_sum_add(s);
	lk_fail(LOCK_FAIL_NOT_HELD);
}
EXPORT_SYMBOL_GPL(lockdep_rcu_suspicious);

/* ---------------------------------------------------------------------------------------- */
/* Checks for the harness and for lock-freeing paths */

static bool addr_in(const void *p, const void *from, unsigned long len)
{
	return (unsigned long)p - (unsigned long)from < len;
}

static void check_range_not_held(const void *from, unsigned long len, const char *what)
{
	struct task_locks *tl;
	struct holder *h;
	unsigned int b, i;

	for (b = 0; b < ARRAY_SIZE(task_hash); b++) {
		for (tl = task_hash[b]; tl; tl = tl->next) {
			for (i = 0; i < tl->depth; i++) {
				if (!addr_in(tl->held[i].map, from, len))
					continue;
				host_eprint("\nlockdep: BUG: %s memory [%p, +%#lx) with a held lock: ",
					    what, from, len);
				print_class(tl->held[i].class);
				host_eprint(" held by ");
				lk_print_task(tl->task);
				host_eprint(" since [<%#lx>]\n", tl->held[i].ip);
				lk_sum_reset();
				lk_sum_add(what);
				lk_sum_add(" a held lock: ");
				sum_add_class(tl->held[i].class);
				lk_fail(LOCK_FAIL_FREED_HELD);
				return;
			}
		}
	}
	for (b = 0; b < ARRAY_SIZE(lk_holder_hash); b++) {
		for (h = lk_holder_hash[b]; h; h = h->next) {
			if (!addr_in(h->lock, from, len))
				continue;
			host_eprint("\nlockdep: BUG: %s memory [%p, +%#lx) with a held lock: %s held by ",
				    what, from, len, h->name ? h->name : "NULL");
			lk_print_task(h->task);
			host_eprint(" since [<%#lx>]\n", h->ip);
			lk_sum_reset();
			lk_sum_add(what);
			lk_sum_add(" a held lock: ");
			lk_sum_add(h->name);
			lk_fail(LOCK_FAIL_FREED_HELD);
			return;
		}
	}
}

void debug_check_no_locks_freed(const void *from, unsigned long len)
{
	if (len)
		check_range_not_held(from, len, "freeing");
}
EXPORT_SYMBOL_GPL(debug_check_no_locks_freed);

static unsigned int holders_of(struct task_struct *task, bool print)
{
	struct holder *h;
	unsigned int b, n = 0;

	for (b = 0; b < ARRAY_SIZE(lk_holder_hash); b++) {
		for (h = lk_holder_hash[b]; h; h = h->next) {
			if (h->task != task)
				continue;
			n++;
			if (print)
				host_eprint("  lock word: %s at %p (%s) taken at [<%#lx>]\n",
					    h->name ? h->name : "NULL", h->lock,
					    h->write ? "write" : "read", h->ip);
		}
	}
	return n;
}

unsigned int harness_locks_held(struct task_struct *task)
{
	struct task_locks *tl = task_locks(task, false);

	return tl ? tl->depth : 0;
}

void harness_print_held_locks(struct task_struct *task)
{
	lk_print_held_of(task);
	holders_of(task, true);
}

void harness_assert_no_locks_held(struct task_struct *task)
{
	struct task_locks *tl = task_locks(task, false);
	unsigned int i;

	if ((!tl || !tl->depth) && !holders_of(task, false))
		return;
	host_eprint("\nlockdep: WARNING: ");
	lk_print_task(task);
	host_eprint(" returns to the harness with locks held:\n");
	harness_print_held_locks(task);
	lk_sum_reset();
	lk_sum_add("locks held at return:");
	for (i = 0; tl && i < tl->depth; i++) {
		lk_sum_add(" ");
		sum_add_class(tl->held[i].class);
	}
	lk_fail(LOCK_FAIL_HELD_AT_RETURN);
}

void harness_lock_task_exit(struct task_struct *task)
{
	harness_assert_no_locks_held(task);
	task_locks_drop(task);
}

void debug_check_no_locks_held(void)
{
	harness_assert_no_locks_held(current);
}
EXPORT_SYMBOL_GPL(debug_check_no_locks_held);

void debug_show_held_locks(struct task_struct *task)
{
	harness_print_held_locks(task);
}
EXPORT_SYMBOL_GPL(debug_show_held_locks);

void debug_show_all_locks(void)
{
	struct task_locks *tl;
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(task_hash); b++)
		for (tl = task_hash[b]; tl; tl = tl->next)
			if (tl->depth)
				lk_print_held_of(tl->task);
}
EXPORT_SYMBOL_GPL(debug_show_all_locks);

/* ---------------------------------------------------------------------------------------- */
/* Statistics */

unsigned long lock_class_acquisitions(const char *name, int read)
{
	struct lk_class *c;
	unsigned long n = 0;

	for (c = all_classes; c; c = c->all_next) {
		if (!lk_streq(c->name, name))
			continue;
		if (read <= 0)
			n += c->acquired[0];
		if (read != 0)
			n += c->acquired[1];
	}
	return n;
}

void lock_class_stats_reset(void)
{
	struct lk_class *c;

	for (c = all_classes; c; c = c->all_next)
		c->acquired[0] = c->acquired[1] = 0;
}

void lock_class_stats_print(void)
{
	struct lk_class *c;

	host_print("# lock class acquisitions: exclusive shared class\n");
	for (c = all_classes; c; c = c->all_next) {
		if (!c->acquired[0] && !c->acquired[1])
			continue;
		host_print("# %10lu %10lu %s", c->acquired[0], c->acquired[1], c->name);
		if (c->subclass)
			host_print("/%u", c->subclass);
		host_print("\n");
	}
}

void harness_lockdep_reset_order(void)
{
	struct lk_class *c;
	struct task_locks *tl;
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(task_hash); b++)
		for (tl = task_hash[b]; tl; tl = tl->next)
			if (tl->depth)
				host_die("harness_lockdep_reset_order() while a task holds locks");
	for (c = all_classes; c; c = c->all_next) {
		while (c->deps) {
			struct lk_edge *e = c->deps;

			c->deps = e->next;
			host_free(e);
		}
	}
}
