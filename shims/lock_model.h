/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the two halves of the lock model: the lock implementations (shims/locks.c, for
 * kernel/locking/{rwsem,spinlock,mutex}.c) and lockdep (shims/lockdep.c). Nothing else
 * includes this; the harness side of the model is shims/locks.h.
 */
#ifndef HARNESS_LOCK_MODEL_H
#define HARNESS_LOCK_MODEL_H

#include <linux/sched.h>
#include "locks.h"

/* shims/locks.c: reports, with the one-line summary handed to the failure hook. */
void lk_sum_reset(void);
void lk_sum_add(const char *s);
void lk_sum_add_uint(unsigned long v);
void lk_fail(enum lock_failure kind);
void lk_print_task(const struct task_struct *t);
const char *lk_mode_name(int read);

/* shims/locks.c: who holds which lock word, how, since where. */
struct holder {
	const void *lock;
	struct task_struct *task;	/* NULL: a non-owner reader (down_read_non_owner()) */
	const char *name;
	unsigned long ip;
	bool write;
	struct holder *next;
};

#define HOLDER_HASH_BITS	10
extern struct holder *lk_holder_hash[1 << HOLDER_HASH_BITS];

/* shims/lockdep.c */
unsigned int lk_hash(const void *p, unsigned int extra, unsigned int bits);
void lk_print_held_of(struct task_struct *task);
void lk_report_not_held(struct task_struct *task, const char *what, const char *name,
			const void *lock, unsigned long ip);

#endif /* HARNESS_LOCK_MODEL_H */
