// SPDX-License-Identifier: GPL-2.0
/* Stands in for kernel/locking/{rwsem,spinlock,mutex,lockdep}.c (and rcuwait of kernel/exit.c). */
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

/*
 * Two layers, as in the kernel: the lock implementations keep the lock words (sem->count,
 * qspinlock value, mutex owner) that inline helpers read, plus a holder record per held lock;
 * lockdep keeps a held-lock stack per task and the lock-class dependency graph. A single thread
 * can never wait, so whatever would block is reported as a deadlock instead.
 */

/* One modelled CPU, in process context with interrupts enabled. */
unsigned long harness_eflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;

int debug_locks = 1;
int debug_locks_silent;
struct lock_class_key __lockdep_no_validate__;
/* The class lockdep_set_novalidate_class() gives: tracked, never checked for order. */
static struct lock_class_key *const novalidate = &__lockdep_no_validate__;
struct lock_class_key __lockdep_no_track__;

/* kernel/softirq.c owns this; weak so that a softirq model may define it instead. */
DEFINE_PER_CPU(unsigned long, local_interrupt_disable_state) __weak;

/* Provided by the linker: the image's static data, where lockdep accepts keys without registration. */
extern char __executable_start[];

/* From kernel/locking/rwsem.c: the lock word layout that rwsem_is_locked() reads. */
#define RWSEM_READER_OWNED	(1UL << 0)
#define RWSEM_NONSPINNABLE	(1UL << 1)
#define RWSEM_READER_BIAS	(1UL << 8)

/* ---------------------------------------------------------------------------------------- */
/* Reports */

static lock_failure_hook_t failure_hook;
static unsigned long failures[LOCK_FAIL_NR];

static const char *const failure_names[LOCK_FAIL_NR] = {
	[LOCK_FAIL_CIRCULAR]		= "circular",
	[LOCK_FAIL_RECURSIVE]		= "recursive",
	[LOCK_FAIL_SELF_DEADLOCK]	= "self-deadlock",
	[LOCK_FAIL_DEADLOCK]		= "deadlock",
	[LOCK_FAIL_NOT_HELD]		= "not-held",
	[LOCK_FAIL_HELD_AT_RETURN]	= "held-at-return",
	[LOCK_FAIL_NEST_NOT_HELD]	= "nest-not-held",
	[LOCK_FAIL_BAD_KEY]		= "bad-key",
	[LOCK_FAIL_CORRUPT]		= "corrupt",
	[LOCK_FAIL_ATOMIC_SLEEP]	= "atomic-sleep",
	[LOCK_FAIL_BLOCKED_WAIT]	= "blocked-wait",
	[LOCK_FAIL_FREED_HELD]		= "freed-held",
};

/* One-line summary handed to the hook; built by hand since only host.h reaches libc. */
static char sum_buf[512];
static unsigned int sum_len;

static void sum_reset(void)
{
	sum_len = 0;
	sum_buf[0] = '\0';
}

static void sum_add(const char *s)
{
	while (s && *s && sum_len < sizeof(sum_buf) - 1)
		sum_buf[sum_len++] = *s++;
	sum_buf[sum_len] = '\0';
}

static void sum_add_uint(unsigned long v)
{
	char tmp[24];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	sum_add(tmp + i);
}

lock_failure_hook_t harness_set_lock_failure_hook(lock_failure_hook_t hook)
{
	lock_failure_hook_t old = failure_hook;

	failure_hook = hook;
	return old;
}

unsigned long lock_failure_count(enum lock_failure kind)
{
	unsigned long n = 0;
	int i;

	if (kind < LOCK_FAIL_NR)
		return failures[kind];
	for (i = 0; i < LOCK_FAIL_NR; i++)
		n += failures[i];
	return n;
}

const char *lock_failure_name(enum lock_failure kind)
{
	return kind < LOCK_FAIL_NR ? failure_names[kind] : "?";
}

/* The report is on stderr already; hand the summary to the hook, or stop the program. */
static void lock_fail(enum lock_failure kind)
{
	failures[kind]++;
	if (!failure_hook)
		host_die("lock model: %s: %s", failure_names[kind], sum_buf);
	host_backtrace();
	failure_hook(kind, sum_buf);
}

static void print_task(const struct task_struct *t)
{
	if (t)
		host_eprint("%.16s/%d", t->comm, t->pid);
	else
		host_eprint("<no task>");
}

static const char *mode_name(int read)
{
	return read == 0 ? "write" : read == 1 ? "read" : "recursive read";
}

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

static unsigned int lk_hash(const void *p, unsigned int extra, unsigned int bits)
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
		sum_add("<untracked>");
		return;
	}
	sum_add(c->name);
	if (c->subclass) {
		sum_add("/");
		sum_add_uint(c->subclass);
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
		sum_reset();
		sum_add("subclass out of range for ");
		sum_add(map->name);
		host_eprint("lockdep: BUG: looking up invalid subclass %u of %s\n", subclass,
			    map->name ? map->name : "NULL");
		lock_fail(LOCK_FAIL_BAD_KEY);
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
			sum_reset();
			sum_add("lock not initialised (non-static key): ");
			sum_add(map->name ? map->name : "NULL");
			host_eprint("lockdep: INFO: trying to register non-static key: lock %s at %p was not initialised with a lock class key\n",
				    map->name ? map->name : "NULL", map);
			lock_fail(LOCK_FAIL_BAD_KEY);
			/* Report once: the map becomes a class of its own. */
			key_register(map);
			map->key = (void *)map;
			if (!map->name)
				map->name = "NULL";
		}
	} else if (!static_obj(map->key) && !key_registered(map->key)) {
		sum_reset();
		sum_add("lock class key not registered: ");
		sum_add(map->name);
		host_eprint("lockdep: BUG: key %p of %s has not been registered\n", map->key,
			    map->name ? map->name : "NULL");
		lock_fail(LOCK_FAIL_BAD_KEY);
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
		host_eprint(" (%s%s) at %p, taken at [<%#lx>]\n", mode_name(h->read),
			    h->trylock ? ", trylock" : "", h->map, h->ip);
	}
}

static void print_held_of(struct task_struct *task)
{
	host_eprint("locks held by ");
	print_task(task);
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
	print_task(tl->task);
	host_eprint(" is trying to acquire ");
	print_class(next);
	host_eprint(" (%s) at %p, at [<%#lx>]\n", mode_name(read), map, ip);
	host_eprint("but it already holds ");
	print_class(prev->class);
	host_eprint(" (%s), taken at [<%#lx>]\n", mode_name(prev->read), prev->ip);
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
	print_held_of(tl->task);
	host_eprint("(addresses: addr2line -f -e <test program>)\n");

	sum_reset();
	sum_add("possible circular locking dependency: ");
	sum_add_class(prev->class);
	sum_add(" -> ");
	sum_add_class(next);
	sum_add(" but already ");
	sum_add_class(next);
	for (i = n; i-- > 0;) {
		sum_add(" -> ");
		sum_add_class(path[i]->to);
	}
	host_free(path);
	lock_fail(LOCK_FAIL_CIRCULAR);
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
				print_task(tl->task);
				host_eprint(" would wait forever for ");
				print_class(class);
				host_eprint(" (%s) at %p, at [<%#lx>]:\n", mode_name(read), map, ip);
				host_eprint("it is held (%s) by ", mode_name(h->read));
				print_task(o->task);
				host_eprint(" since [<%#lx>], and a single thread cannot wait\n", h->ip);
				print_held_of(tl->task);
				print_held_of(o->task);
				sum_reset();
				sum_add("deadlock: ");
				sum_add_class(class);
				sum_add(" held by another task");
				lock_fail(LOCK_FAIL_DEADLOCK);
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
		print_task(tl->task);
		host_eprint(" is trying to acquire ");
		print_class(class);
		host_eprint(" (%s) at %p, at [<%#lx>]\n", mode_name(read), map, ip);
		host_eprint("but it already holds ");
		print_class(h->class);
		host_eprint(" (%s) at %p, taken at [<%#lx>]\n", mode_name(h->read), h->map, h->ip);
		host_eprint(h->map == map ? "(the same lock: this deadlocks)\n" :
			    "(another lock of the same class: missing *_nested() annotation?)\n");
		print_held_of(tl->task);
		sum_reset();
		sum_add("possible recursive locking: ");
		sum_add_class(class);
		lock_fail(LOCK_FAIL_RECURSIVE);
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
		print_task(tl->task);
		host_eprint(" is trying to acquire ");
		print_class(class);
		host_eprint(" at [<%#lx>] nested in %s, which it does not hold\n", ip,
			    nest_lock->name ? nest_lock->name : "NULL");
		print_held_of(tl->task);
		sum_reset();
		sum_add("nest lock not held: ");
		sum_add(nest_lock->name);
		sum_add(" for ");
		sum_add_class(class);
		lock_fail(LOCK_FAIL_NEST_NOT_HELD);
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
}
EXPORT_SYMBOL_GPL(lock_acquire);

static void report_not_held(struct task_struct *task, const char *what, const char *name,
			    const void *lock, unsigned long ip)
{
	host_eprint("\nlockdep: WARNING: bad unlock balance detected!\n");
	print_task(task);
	host_eprint(" is trying to %s %s at %p, at [<%#lx>], but it does not hold it\n", what,
		    name ? name : "NULL", lock, ip);
	print_held_of(task);
	sum_reset();
	sum_add(what);
	sum_add(" of a lock not held: ");
	sum_add(name);
	lock_fail(LOCK_FAIL_NOT_HELD);
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
		report_not_held(current, "release", lock->name, lock, ip);
		return;
	}
	if (h->pin_count) {
		host_eprint("lockdep: WARNING: releasing a pinned lock %s at [<%#lx>]\n",
			    lock->name, ip);
		sum_reset();
		sum_add("releasing a pinned lock: ");
		sum_add(lock->name);
		lock_fail(LOCK_FAIL_CORRUPT);
	}
	tl->depth--;
	for (; h < &tl->held[tl->depth]; h++)
		h[0] = h[1];
	sync_depth(tl);
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
		report_not_held(current, "downgrade", lock->name, lock, ip);
		return;
	}
	if (h->read) {
		host_eprint("lockdep: WARNING: downgrading %s, which is held for read, at [<%#lx>]\n",
			    lock->name, ip);
		sum_reset();
		sum_add("downgrade of a read-held lock: ");
		sum_add(lock->name);
		lock_fail(LOCK_FAIL_CORRUPT);
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
		report_not_held(current, "set the class of", lock->name, lock, ip);
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
		report_not_held(current, "pin", lock->name, lock, _RET_IP_);
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
		report_not_held(current, "repin", lock->name, lock, _RET_IP_);
}
EXPORT_SYMBOL_GPL(lock_repin_lock);

void lock_unpin_lock(struct lockdep_map *lock, struct pin_cookie cookie)
{
	struct held *h;

	if (!lockdep_enabled())
		return;
	h = held_find(task_locks(current, false), lock);
	if (!h) {
		report_not_held(current, "unpin", lock->name, lock, _RET_IP_);
		return;
	}
	if (h->pin_count < cookie.val) {
		host_eprint("lockdep: WARNING: pin count corrupted for %s\n", lock->name);
		sum_reset();
		sum_add("pin count corrupted: ");
		sum_add(lock->name);
		lock_fail(LOCK_FAIL_CORRUPT);
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
		sum_reset();
		sum_add("lock initialised without a key: ");
		sum_add(lock->name);
		lock_fail(LOCK_FAIL_BAD_KEY);
		return;
	}
	if (!static_obj(key) && !key_registered(key)) {
		host_eprint("lockdep: BUG: key %p of lock %s has not been registered\n", key,
			    lock->name);
		sum_reset();
		sum_add("lock class key not registered: ");
		sum_add(lock->name);
		lock_fail(LOCK_FAIL_BAD_KEY);
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
		sum_reset();
		sum_add("registering a static lock class key");
		lock_fail(LOCK_FAIL_BAD_KEY);
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
	sum_reset();
	sum_add("unregistering a key that was not registered");
	lock_fail(LOCK_FAIL_BAD_KEY);
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
	print_held_of(current);
	sum_reset();
	sum_add("suspicious RCU usage: ");
	sum_add(s);
	lock_fail(LOCK_FAIL_NOT_HELD);
}
EXPORT_SYMBOL_GPL(lockdep_rcu_suspicious);

/* ---------------------------------------------------------------------------------------- */
/* Holder records of the lock implementations: who holds which lock word, how, since where. */

struct holder {
	const void *lock;
	struct task_struct *task;	/* NULL: a non-owner reader (down_read_non_owner()) */
	const char *name;
	unsigned long ip;
	bool write;
	struct holder *next;
};

#define HOLDER_HASH_BITS	10
static struct holder *holder_hash[1 << HOLDER_HASH_BITS];

static void holder_add(const void *lock, struct task_struct *task, const char *name,
		       bool write, unsigned long ip)
{
	unsigned int b = lk_hash(lock, 0, HOLDER_HASH_BITS);
	struct holder *h = host_alloc(sizeof(*h));

	h->lock = lock;
	h->task = task;
	h->name = name;
	h->write = write;
	h->ip = ip;
	h->next = holder_hash[b];
	holder_hash[b] = h;
}

/* A holder of @lock: @task's (any mode when @mode < 0) or, with @other, any other task's. */
static struct holder *holder_find(const void *lock, struct task_struct *task, int mode,
				  bool other)
{
	struct holder *h;

	for (h = holder_hash[lk_hash(lock, 0, HOLDER_HASH_BITS)]; h; h = h->next) {
		if (h->lock != lock)
			continue;
		if (other ? h->task == task : h->task != task)
			continue;
		if (mode >= 0 && h->write != mode)
			continue;
		return h;
	}
	return NULL;
}

static void holder_del(struct holder *victim)
{
	struct holder **p = &holder_hash[lk_hash(victim->lock, 0, HOLDER_HASH_BITS)];

	for (; *p; p = &(*p)->next) {
		if (*p == victim) {
			*p = victim->next;
			host_free(victim);
			return;
		}
	}
}

/*
 * The lock word says @lock is taken in a way that makes this acquisition wait: report who holds
 * it. The caller then abandons the acquisition.
 */
static void report_blocked(const void *lock, const char *name, bool write, unsigned long ip)
{
	struct task_struct *curr = current;
	struct holder *self = holder_find(lock, curr, -1, false);
	struct holder *other = holder_find(lock, curr, -1, true);

	sum_reset();
	if (self) {
		host_eprint("\nlockdep: DEADLOCK: ");
		print_task(curr);
		host_eprint(" takes %s at %p (%s) at [<%#lx>], which it already holds (%s) since [<%#lx>]\n",
			    name, lock, write ? "write" : "read", ip,
			    self->write ? "write" : "read", self->ip);
		print_held_of(curr);
		sum_add("self deadlock: ");
		sum_add(name);
		lock_fail(LOCK_FAIL_SELF_DEADLOCK);
	} else if (other) {
		host_eprint("\nlockdep: DEADLOCK: ");
		print_task(curr);
		host_eprint(" would wait forever for %s at %p (%s) at [<%#lx>]: held (%s) by ",
			    name, lock, write ? "write" : "read", ip,
			    other->write ? "write" : "read");
		print_task(other->task);
		host_eprint(" since [<%#lx>], and a single thread cannot wait\n", other->ip);
		print_held_of(curr);
		if (other->task)
			print_held_of(other->task);
		sum_add("deadlock: ");
		sum_add(name);
		sum_add(" held by another task");
		lock_fail(LOCK_FAIL_DEADLOCK);
	} else {
		host_eprint("\nlockdep: BUG: %s at %p is marked locked but nobody holds it (uninitialised or corrupted), taken at [<%#lx>]\n",
			    name, lock, ip);
		sum_add("lock word locked without holder: ");
		sum_add(name);
		lock_fail(LOCK_FAIL_CORRUPT);
	}
}

/* What might_sleep() checks with CONFIG_DEBUG_ATOMIC_SLEEP, before a sleeping lock. */
static void check_may_sleep(const char *name, unsigned long ip)
{
	if (!preempt_count() && !irqs_disabled())
		return;
	host_eprint("\nlockdep: BUG: sleeping lock %s taken in atomic context at [<%#lx>]: preempt_count %#x, irqs %s\n",
		    name, ip, preempt_count(), irqs_disabled() ? "disabled" : "enabled");
	print_held_of(current);
	sum_reset();
	sum_add("sleeping lock in atomic context: ");
	sum_add(name);
	lock_fail(LOCK_FAIL_ATOMIC_SLEEP);
}

/* Reports releases the lock word does not back; true when the release may proceed. */
static struct holder *release_holder(const void *lock, const char *name, bool write,
				     bool non_owner, const char *what, unsigned long ip)
{
	struct task_struct *task = non_owner ? NULL : current;
	struct holder *h = holder_find(lock, task, write, false);

	if (!h) {
		struct holder *any = holder_find(lock, task, -1, false);

		if (any)
			host_eprint("lockdep: %s: %s is held for %s, not %s\n", what, name,
				    any->write ? "write" : "read", write ? "write" : "read");
		report_not_held(current, what, name, lock, ip);
	}
	return h;
}

/* ---------------------------------------------------------------------------------------- */
/* rw_semaphore (kernel/locking/rwsem.c) */

void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key)
{
	debug_check_no_locks_freed((void *)sem, sizeof(*sem));
	lockdep_init_map_wait(&sem->dep_map, name, key, 0, LD_WAIT_SLEEP);
	atomic_long_set(&sem->count, RWSEM_UNLOCKED_VALUE);
	atomic_long_set(&sem->owner, 0L);
	raw_spin_lock_init(&sem->wait_lock);
	sem->first_waiter = NULL;
	osq_lock_init(&sem->osq);
}
EXPORT_SYMBOL(__init_rwsem);

static void rwsem_set_reader_owned(struct rw_semaphore *sem, struct task_struct *owner)
{
	unsigned long keep = atomic_long_read(&sem->owner) & RWSEM_NONSPINNABLE;

	atomic_long_set(&sem->owner, (long)owner | RWSEM_READER_OWNED | keep);
}

/* Blocked is what the fast paths see: a writer for readers, anything for writers. */
static bool rwsem_blocked(struct rw_semaphore *sem, bool write)
{
	long count = atomic_long_read(&sem->count);

	return write ? count != RWSEM_UNLOCKED_VALUE : (count & RWSEM_WRITER_LOCKED);
}

/*
 * The lock word is checked before lockdep hears of the acquisition (the kernel tells lockdep
 * first), so an acquisition that can never succeed leaves no held-lock record behind.
 */
static int rwsem_wait_or_fail(struct rw_semaphore *sem, bool write, int state, unsigned long ip)
{
	if (!rwsem_blocked(sem, write))
		return 0;
	/* A killable/interruptible sleeper with such a signal pending gives up at once. */
	if (signal_pending_state(state, current))
		return -EINTR;
	report_blocked(sem, sem->dep_map.name, write, ip);
	return -EINTR;
}

static int __down_read_common(struct rw_semaphore *sem, int subclass, int state, bool owner,
			      unsigned long ip)
{
	int ret;

	check_may_sleep(sem->dep_map.name, ip);
	ret = rwsem_wait_or_fail(sem, false, state, ip);
	if (ret)
		return ret;
	if (owner)
		rwsem_acquire_read(&sem->dep_map, subclass, 0, ip);
	atomic_long_add(RWSEM_READER_BIAS, &sem->count);
	rwsem_set_reader_owned(sem, owner ? current : NULL);
	holder_add(sem, owner ? current : NULL, sem->dep_map.name, false, ip);
	return 0;
}

static int __down_write_common(struct rw_semaphore *sem, int subclass,
			       struct lockdep_map *nest, int state, unsigned long ip)
{
	int ret;

	check_may_sleep(sem->dep_map.name, ip);
	ret = rwsem_wait_or_fail(sem, true, state, ip);
	if (ret)
		return ret;
	rwsem_acquire_nest(&sem->dep_map, subclass, 0, nest, ip);
	atomic_long_set(&sem->count, RWSEM_WRITER_LOCKED);
	atomic_long_set(&sem->owner, (long)current);
	holder_add(sem, current, sem->dep_map.name, true, ip);
	return 0;
}

/* The model cannot return from an uninterruptible wait: the caller runs on without the lock. */
void down_read(struct rw_semaphore *sem)
{
	__down_read_common(sem, 0, TASK_UNINTERRUPTIBLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read);

void down_read_nested(struct rw_semaphore *sem, int subclass)
{
	__down_read_common(sem, subclass, TASK_UNINTERRUPTIBLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read_nested);

int down_read_interruptible(struct rw_semaphore *sem)
{
	return __down_read_common(sem, 0, TASK_INTERRUPTIBLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read_interruptible);

int down_read_killable(struct rw_semaphore *sem)
{
	return __down_read_common(sem, 0, TASK_KILLABLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read_killable);

int down_read_killable_nested(struct rw_semaphore *sem, int subclass)
{
	return __down_read_common(sem, subclass, TASK_KILLABLE, true, _RET_IP_);
}
EXPORT_SYMBOL(down_read_killable_nested);

void down_read_non_owner(struct rw_semaphore *sem)
{
	__down_read_common(sem, 0, TASK_UNINTERRUPTIBLE, false, _RET_IP_);
}
EXPORT_SYMBOL(down_read_non_owner);

int down_read_trylock(struct rw_semaphore *sem)
{
	if (rwsem_blocked(sem, false))
		return 0;
	rwsem_acquire_read(&sem->dep_map, 0, 1, _RET_IP_);
	atomic_long_add(RWSEM_READER_BIAS, &sem->count);
	rwsem_set_reader_owned(sem, current);
	holder_add(sem, current, sem->dep_map.name, false, _RET_IP_);
	return 1;
}
EXPORT_SYMBOL(down_read_trylock);

void down_write(struct rw_semaphore *sem)
{
	__down_write_common(sem, 0, NULL, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL(down_write);

void down_write_nested(struct rw_semaphore *sem, int subclass)
{
	__down_write_common(sem, subclass, NULL, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL(down_write_nested);

void _down_write_nest_lock(struct rw_semaphore *sem, struct lockdep_map *nest_lock)
{
	__down_write_common(sem, 0, nest_lock, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL(_down_write_nest_lock);

int down_write_killable(struct rw_semaphore *sem)
{
	return __down_write_common(sem, 0, NULL, TASK_KILLABLE, _RET_IP_);
}
EXPORT_SYMBOL(down_write_killable);

int down_write_killable_nested(struct rw_semaphore *sem, int subclass)
{
	return __down_write_common(sem, subclass, NULL, TASK_KILLABLE, _RET_IP_);
}
EXPORT_SYMBOL(down_write_killable_nested);

int down_write_trylock(struct rw_semaphore *sem)
{
	if (rwsem_blocked(sem, true))
		return 0;
	rwsem_acquire(&sem->dep_map, 0, 1, _RET_IP_);
	atomic_long_set(&sem->count, RWSEM_WRITER_LOCKED);
	atomic_long_set(&sem->owner, (long)current);
	holder_add(sem, current, sem->dep_map.name, true, _RET_IP_);
	return 1;
}
EXPORT_SYMBOL(down_write_trylock);

static void __up_read_common(struct rw_semaphore *sem, bool non_owner, unsigned long ip)
{
	struct holder *h = release_holder(sem, sem->dep_map.name, false, non_owner, "up_read", ip);

	if (!h)
		return;
	if (!non_owner)
		rwsem_release(&sem->dep_map, ip);
	holder_del(h);
	/* As without CONFIG_DEBUG_RWSEMS, the last reader stays in sem->owner. */
	atomic_long_sub(RWSEM_READER_BIAS, &sem->count);
}

void up_read(struct rw_semaphore *sem)
{
	__up_read_common(sem, false, _RET_IP_);
}
EXPORT_SYMBOL(up_read);

void up_read_non_owner(struct rw_semaphore *sem)
{
	__up_read_common(sem, true, _RET_IP_);
}
EXPORT_SYMBOL(up_read_non_owner);

void up_write(struct rw_semaphore *sem)
{
	struct holder *h = release_holder(sem, sem->dep_map.name, true, false, "up_write",
					  _RET_IP_);

	if (!h)
		return;
	rwsem_release(&sem->dep_map, _RET_IP_);
	holder_del(h);
	atomic_long_set(&sem->owner, 0);
	atomic_long_sub(RWSEM_WRITER_LOCKED, &sem->count);
}
EXPORT_SYMBOL(up_write);

void downgrade_write(struct rw_semaphore *sem)
{
	struct holder *h = release_holder(sem, sem->dep_map.name, true, false,
					  "downgrade_write", _RET_IP_);

	if (!h)
		return;
	lock_downgrade(&sem->dep_map, _RET_IP_);
	h->write = false;
	rwsem_set_reader_owned(sem, current);
	atomic_long_add(RWSEM_READER_BIAS - RWSEM_WRITER_LOCKED, &sem->count);
}
EXPORT_SYMBOL(downgrade_write);

/* ---------------------------------------------------------------------------------------- */
/* raw_spinlock_t (kernel/locking/spinlock.c, spinlock_debug.c) */

void __raw_spin_lock_init(raw_spinlock_t *lock, const char *name, struct lock_class_key *key,
			  short inner)
{
	debug_check_no_locks_freed((void *)lock, sizeof(*lock));
	lockdep_init_map_wait(&lock->dep_map, name, key, 0, inner);
	lock->raw_lock = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;
	lock->magic = SPINLOCK_MAGIC;
	lock->owner = SPINLOCK_OWNER_INIT;
	lock->owner_cpu = -1;
}
EXPORT_SYMBOL(__raw_spin_lock_init);

static void spin_bug(raw_spinlock_t *lock, const char *msg, unsigned long ip)
{
	host_eprint("\nlockdep: BUG: spinlock %s on CPU#%d, ", msg, raw_smp_processor_id());
	print_task(current);
	host_eprint(": lock %s at %p, .magic %08x, .owner_cpu %d, at [<%#lx>]\n",
		    lock->dep_map.name ? lock->dep_map.name : "NULL", lock, lock->magic,
		    (int)lock->owner_cpu, ip);
	sum_reset();
	sum_add("spinlock ");
	sum_add(msg);
	sum_add(": ");
	sum_add(lock->dep_map.name);
	lock_fail(LOCK_FAIL_CORRUPT);
}

/* The lock word half of a spin lock; false when it would spin forever (reported). */
static bool spin_take(raw_spinlock_t *lock, unsigned long ip)
{
	if (lock->magic != SPINLOCK_MAGIC)
		spin_bug(lock, "bad magic", ip);
	if (!arch_spin_trylock(&lock->raw_lock)) {
		report_blocked(lock, lock->dep_map.name, true, ip);
		return false;
	}
	lock->owner_cpu = raw_smp_processor_id();
	lock->owner = current;
	holder_add(lock, current, lock->dep_map.name, true, ip);
	return true;
}

static bool spin_put(raw_spinlock_t *lock, unsigned long ip)
{
	struct holder *h;

	if (lock->magic != SPINLOCK_MAGIC)
		spin_bug(lock, "bad magic", ip);
	h = release_holder(lock, lock->dep_map.name, true, false, "spin_unlock", ip);
	if (!h)
		return false;
	holder_del(h);
	lock->owner = SPINLOCK_OWNER_INIT;
	lock->owner_cpu = -1;
	arch_spin_unlock(&lock->raw_lock);
	return true;
}

void do_raw_spin_lock(raw_spinlock_t *lock)
{
	spin_take(lock, _RET_IP_);
}

int do_raw_spin_trylock(raw_spinlock_t *lock)
{
	if (arch_spin_is_locked(&lock->raw_lock))
		return 0;
	return spin_take(lock, _RET_IP_);
}

void do_raw_spin_unlock(raw_spinlock_t *lock)
{
	spin_put(lock, _RET_IP_);
}

/* Lock word first, then lockdep; false when the acquisition was abandoned. */
static bool spin_lock_common(raw_spinlock_t *lock, int subclass, struct lockdep_map *nest,
			     unsigned long ip)
{
	if (arch_spin_is_locked(&lock->raw_lock)) {
		report_blocked(lock, lock->dep_map.name, true, ip);
		return false;
	}
	spin_acquire_nest(&lock->dep_map, subclass, 0, nest, ip);
	return spin_take(lock, ip);
}

static bool spin_unlock_common(raw_spinlock_t *lock, unsigned long ip)
{
	if (!holder_find(lock, current, true, false)) {
		spin_put(lock, ip);	/* reports */
		return false;
	}
	spin_release(&lock->dep_map, ip);
	return spin_put(lock, ip);
}

void __lockfunc _raw_spin_lock(raw_spinlock_t *lock)
{
	preempt_disable();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_))
		preempt_enable();
}
EXPORT_SYMBOL(_raw_spin_lock);

void __lockfunc _raw_spin_lock_nested(raw_spinlock_t *lock, int subclass)
{
	preempt_disable();
	if (!spin_lock_common(lock, subclass, NULL, _RET_IP_))
		preempt_enable();
}
EXPORT_SYMBOL(_raw_spin_lock_nested);

void __lockfunc _raw_spin_lock_nest_lock(raw_spinlock_t *lock, struct lockdep_map *map)
{
	preempt_disable();
	if (!spin_lock_common(lock, 0, map, _RET_IP_))
		preempt_enable();
}
EXPORT_SYMBOL(_raw_spin_lock_nest_lock);

/* No softirqs run in the harness: disabling/enabling BH only moves the preempt count. */
void __lockfunc _raw_spin_lock_bh(raw_spinlock_t *lock)
{
	__preempt_count_add(SOFTIRQ_LOCK_OFFSET);
	barrier();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_))
		__preempt_count_sub(SOFTIRQ_LOCK_OFFSET);
}
EXPORT_SYMBOL(_raw_spin_lock_bh);

void __lockfunc _raw_spin_lock_irq(raw_spinlock_t *lock)
{
	local_irq_disable();
	preempt_disable();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_)) {
		preempt_enable();
		local_irq_enable();
	}
}
EXPORT_SYMBOL(_raw_spin_lock_irq);

void __lockfunc _raw_spin_lock_irq_disable(raw_spinlock_t *lock)
{
	local_interrupt_disable();
	preempt_disable();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_)) {
		preempt_enable();
		local_interrupt_enable();
	}
}
EXPORT_SYMBOL_GPL(_raw_spin_lock_irq_disable);

unsigned long __lockfunc _raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags;

	local_irq_save(flags);
	preempt_disable();
	if (!spin_lock_common(lock, 0, NULL, _RET_IP_)) {
		preempt_enable();
		local_irq_restore(flags);
	}
	return flags;
}
EXPORT_SYMBOL(_raw_spin_lock_irqsave);

unsigned long __lockfunc _raw_spin_lock_irqsave_nested(raw_spinlock_t *lock, int subclass)
{
	unsigned long flags;

	local_irq_save(flags);
	preempt_disable();
	if (!spin_lock_common(lock, subclass, NULL, _RET_IP_)) {
		preempt_enable();
		local_irq_restore(flags);
	}
	return flags;
}
EXPORT_SYMBOL(_raw_spin_lock_irqsave_nested);

static int spin_trylock_common(raw_spinlock_t *lock, unsigned long ip)
{
	if (arch_spin_is_locked(&lock->raw_lock))
		return 0;
	spin_acquire(&lock->dep_map, 0, 1, ip);
	return spin_take(lock, ip);
}

int __lockfunc _raw_spin_trylock(raw_spinlock_t *lock)
{
	preempt_disable();
	if (spin_trylock_common(lock, _RET_IP_))
		return 1;
	preempt_enable();
	return 0;
}
EXPORT_SYMBOL(_raw_spin_trylock);

int __lockfunc _raw_spin_trylock_bh(raw_spinlock_t *lock)
{
	__preempt_count_add(SOFTIRQ_LOCK_OFFSET);
	barrier();
	if (spin_trylock_common(lock, _RET_IP_))
		return 1;
	__preempt_count_sub(SOFTIRQ_LOCK_OFFSET);
	return 0;
}
EXPORT_SYMBOL(_raw_spin_trylock_bh);

void __lockfunc _raw_spin_unlock(raw_spinlock_t *lock)
{
	if (spin_unlock_common(lock, _RET_IP_))
		preempt_enable();
}
EXPORT_SYMBOL(_raw_spin_unlock);

void __lockfunc _raw_spin_unlock_bh(raw_spinlock_t *lock)
{
	if (spin_unlock_common(lock, _RET_IP_))
		__preempt_count_sub(SOFTIRQ_LOCK_OFFSET);
}
EXPORT_SYMBOL(_raw_spin_unlock_bh);

void __lockfunc _raw_spin_unlock_irq(raw_spinlock_t *lock)
{
	if (spin_unlock_common(lock, _RET_IP_)) {
		local_irq_enable();
		preempt_enable();
	}
}
EXPORT_SYMBOL(_raw_spin_unlock_irq);

void __lockfunc _raw_spin_unlock_irq_enable(raw_spinlock_t *lock)
{
	if (spin_unlock_common(lock, _RET_IP_)) {
		local_interrupt_enable();
		preempt_enable();
	}
}
EXPORT_SYMBOL_GPL(_raw_spin_unlock_irq_enable);

void __lockfunc _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags)
{
	if (spin_unlock_common(lock, _RET_IP_)) {
		local_irq_restore(flags);
		preempt_enable();
	}
}
EXPORT_SYMBOL(_raw_spin_unlock_irqrestore);

/* ---------------------------------------------------------------------------------------- */
/* struct mutex (kernel/locking/mutex.c, mutex-debug.c) */

void mutex_init_lockdep(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	atomic_long_set(&lock->owner, 0);
	raw_spin_lock_init(&lock->wait_lock);
	lock->first_waiter = NULL;
	osq_lock_init(&lock->osq);
	lock->magic = lock;
	debug_check_no_locks_freed((void *)lock, sizeof(*lock));
	lockdep_init_map_wait(&lock->dep_map, name, key, 0, LD_WAIT_SLEEP);
}
EXPORT_SYMBOL(mutex_init_lockdep);

static void mutex_check_magic(struct mutex *lock, unsigned long ip)
{
	if (lock->magic == lock)
		return;
	host_eprint("\nlockdep: BUG: mutex %s at %p has bad magic (not initialised?), at [<%#lx>]\n",
		    lock->dep_map.name ? lock->dep_map.name : "NULL", lock, ip);
	sum_reset();
	sum_add("mutex bad magic: ");
	sum_add(lock->dep_map.name);
	lock_fail(LOCK_FAIL_CORRUPT);
}

void mutex_destroy(struct mutex *lock)
{
	if (mutex_is_locked(lock)) {
		host_eprint("\nlockdep: BUG: destroying locked mutex %s at %p\n",
			    lock->dep_map.name, lock);
		sum_reset();
		sum_add("destroying a locked mutex: ");
		sum_add(lock->dep_map.name);
		lock_fail(LOCK_FAIL_FREED_HELD);
	}
	lock->magic = NULL;
}
EXPORT_SYMBOL_GPL(mutex_destroy);

bool mutex_is_locked(struct mutex *lock)
{
	return atomic_long_read(&lock->owner) != 0;
}
EXPORT_SYMBOL(mutex_is_locked);

static int __mutex_lock_common(struct mutex *lock, unsigned int subclass,
			       struct lockdep_map *nest, int state, unsigned long ip)
{
	mutex_check_magic(lock, ip);
	check_may_sleep(lock->dep_map.name, ip);
	if (mutex_is_locked(lock)) {
		if (signal_pending_state(state, current))
			return -EINTR;
		report_blocked(lock, lock->dep_map.name, true, ip);
		return -EINTR;
	}
	mutex_acquire_nest(&lock->dep_map, subclass, 0, nest, ip);
	atomic_long_set(&lock->owner, (long)current);
	holder_add(lock, current, lock->dep_map.name, true, ip);
	return 0;
}

void mutex_lock_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock_common(lock, subclass, NULL, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mutex_lock_nested);

void _mutex_lock_nest_lock(struct mutex *lock, struct lockdep_map *nest_lock)
{
	__mutex_lock_common(lock, 0, nest_lock, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(_mutex_lock_nest_lock);

int mutex_lock_interruptible_nested(struct mutex *lock, unsigned int subclass)
{
	return __mutex_lock_common(lock, subclass, NULL, TASK_INTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mutex_lock_interruptible_nested);

int _mutex_lock_killable(struct mutex *lock, unsigned int subclass,
			 struct lockdep_map *nest_lock)
{
	return __mutex_lock_common(lock, subclass, nest_lock, TASK_KILLABLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(_mutex_lock_killable);

void mutex_lock_io_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock_common(lock, subclass, NULL, TASK_UNINTERRUPTIBLE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mutex_lock_io_nested);

int _mutex_trylock_nest_lock(struct mutex *lock, struct lockdep_map *nest_lock)
{
	mutex_check_magic(lock, _RET_IP_);
	if (mutex_is_locked(lock))
		return 0;
	mutex_acquire_nest(&lock->dep_map, 0, 1, nest_lock, _RET_IP_);
	atomic_long_set(&lock->owner, (long)current);
	holder_add(lock, current, lock->dep_map.name, true, _RET_IP_);
	return 1;
}
EXPORT_SYMBOL(_mutex_trylock_nest_lock);

void mutex_unlock(struct mutex *lock)
{
	struct holder *h;

	mutex_check_magic(lock, _RET_IP_);
	h = release_holder(lock, lock->dep_map.name, true, false, "mutex_unlock", _RET_IP_);
	if (!h)
		return;
	mutex_release(&lock->dep_map, _RET_IP_);
	holder_del(h);
	atomic_long_set(&lock->owner, 0);
}
EXPORT_SYMBOL(mutex_unlock);

int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock)
{
	/* dec if we can't possibly hit 0 */
	if (atomic_add_unless(cnt, -1, 1))
		return 0;
	mutex_lock(lock);
	if (!atomic_dec_and_test(cnt)) {
		mutex_unlock(lock);
		return 0;
	}
	return 1;
}
EXPORT_SYMBOL(atomic_dec_and_mutex_lock);

/* ---------------------------------------------------------------------------------------- */
/* rcuwait (kernel/exit.c, kernel/rcu/update.c) */

/*
 * No runqueue: waking is making the sleeper TASK_RUNNING, as try_to_wake_up() does for
 * TASK_NORMAL sleepers; no RCU read section, since nothing can free the waiter meanwhile.
 */
int rcuwait_wake_up(struct rcuwait *w)
{
	struct task_struct *task;

	smp_mb(); /* (B) pairs with set_current_state() in the waiter, (A) */
	task = rcu_dereference_raw(w->task);
	if (!task || !(READ_ONCE(task->__state) & TASK_NORMAL))
		return 0;
	WRITE_ONCE(task->__state, TASK_RUNNING);
	return 1;
}
EXPORT_SYMBOL_GPL(rcuwait_wake_up);

void finish_rcuwait(struct rcuwait *w)
{
	rcu_assign_pointer(w->task, NULL);
	__set_current_state(TASK_RUNNING);
}
EXPORT_SYMBOL_GPL(finish_rcuwait);

void harness_report_blocked_wait(const char *what, unsigned long ip)
{
	struct task_struct *curr = current;

	host_eprint("\nlockdep: DEADLOCK: ");
	print_task(curr);
	host_eprint(" sleeps (state %#x) in %s at [<%#lx>] and no other thread can wake it\n",
		    curr ? READ_ONCE(curr->__state) : 0, what ? what : "?", ip);
	print_held_of(curr);
	sum_reset();
	sum_add("blocked wait: ");
	sum_add(what);
	lock_fail(LOCK_FAIL_BLOCKED_WAIT);
}

void harness_cpu_halt(int irqs_enabled)
{
	host_eprint("\nlockdep: the CPU halted (hlt, interrupts %s): nothing can interrupt a single-threaded harness\n",
		    irqs_enabled ? "enabled" : "disabled");
	sum_reset();
	sum_add("CPU halted");
	lock_fail(LOCK_FAIL_BLOCKED_WAIT);
	host_die("CPU halted");
}

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
				print_task(tl->task);
				host_eprint(" since [<%#lx>]\n", tl->held[i].ip);
				sum_reset();
				sum_add(what);
				sum_add(" a held lock: ");
				sum_add_class(tl->held[i].class);
				lock_fail(LOCK_FAIL_FREED_HELD);
				return;
			}
		}
	}
	for (b = 0; b < ARRAY_SIZE(holder_hash); b++) {
		for (h = holder_hash[b]; h; h = h->next) {
			if (!addr_in(h->lock, from, len))
				continue;
			host_eprint("\nlockdep: BUG: %s memory [%p, +%#lx) with a held lock: %s held by ",
				    what, from, len, h->name ? h->name : "NULL");
			print_task(h->task);
			host_eprint(" since [<%#lx>]\n", h->ip);
			sum_reset();
			sum_add(what);
			sum_add(" a held lock: ");
			sum_add(h->name);
			lock_fail(LOCK_FAIL_FREED_HELD);
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

	for (b = 0; b < ARRAY_SIZE(holder_hash); b++) {
		for (h = holder_hash[b]; h; h = h->next) {
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
	print_held_of(task);
	holders_of(task, true);
}

void harness_assert_no_locks_held(struct task_struct *task)
{
	struct task_locks *tl = task_locks(task, false);
	unsigned int i;

	if ((!tl || !tl->depth) && !holders_of(task, false))
		return;
	host_eprint("\nlockdep: WARNING: ");
	print_task(task);
	host_eprint(" returns to the harness with locks held:\n");
	harness_print_held_locks(task);
	sum_reset();
	sum_add("locks held at return:");
	for (i = 0; tl && i < tl->depth; i++) {
		sum_add(" ");
		sum_add_class(tl->held[i].class);
	}
	lock_fail(LOCK_FAIL_HELD_AT_RETURN);
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
				print_held_of(tl->task);
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
