// SPDX-License-Identifier: GPL-2.0
/* Stands in for lib/percpu-refcount.c. */
#include <linux/percpu-refcount.h>
#include <linux/slab.h>
#include "host.h"

/*
 * The ref stays in atomic mode (as with PERCPU_REF_INIT_ATOMIC),
 * so every get and put is counted in data->count; the kernel would switch to per-cpu
 * counters once resurrected, which changes no count a caller can observe.
 */
int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release, unsigned int flags,
		    gfp_t gfp)
{
	struct percpu_ref_data *data = kzalloc_obj(*data, gfp);

	if (!data)
		return -ENOMEM;
	data->force_atomic = true;
	data->allow_reinit = true;
	data->release = release;
	data->ref = ref;
	ref->percpu_count_ptr = __PERCPU_REF_ATOMIC;
	if (flags & PERCPU_REF_INIT_DEAD)
		ref->percpu_count_ptr |= __PERCPU_REF_DEAD;
	else
		atomic_long_set(&data->count, 1);
	ref->data = data;
	return 0;
}

void percpu_ref_exit(struct percpu_ref *ref)
{
	struct percpu_ref_data *data = ref->data;

	if (!data)
		return;
	/* As the kernel does, the count is kept in the pointer for percpu_ref_is_zero(). */
	ref->percpu_count_ptr |= atomic_long_read(&data->count) << __PERCPU_REF_FLAG_BITS;
	ref->data = NULL;
	kfree(data);
}

bool percpu_ref_is_zero(struct percpu_ref *ref)
{
	if (ref->data)
		return !atomic_long_read(&ref->data->count);
	return !(ref->percpu_count_ptr >> __PERCPU_REF_FLAG_BITS);
}

void percpu_ref_kill_and_confirm(struct percpu_ref *ref, percpu_ref_func_t *confirm_kill)
{
	WARN_ONCE(percpu_ref_is_dying(ref), "%s called more than once", __func__);
	ref->percpu_count_ptr |= __PERCPU_REF_DEAD;
	if (confirm_kill)
		confirm_kill(ref);
	percpu_ref_put(ref);
}

void percpu_ref_resurrect(struct percpu_ref *ref)
{
	WARN_ON_ONCE(!percpu_ref_is_dying(ref));
	ref->percpu_count_ptr &= ~__PERCPU_REF_DEAD;
	percpu_ref_get(ref);
}
