// SPDX-License-Identifier: GPL-2.0
/* Stands in for mm/mempool.c. */
#include <linux/mempool.h>
#include <linux/slab.h>
#include "host.h"

/* Elements come from the allocator; the reserve is never needed. */
struct mempool *mempool_create_node_noprof(int min_nr, mempool_alloc_t *alloc_fn,
					   mempool_free_t *free_fn, void *pool_data,
					   gfp_t gfp_mask, int nid)
{
	struct mempool *pool = kzalloc_obj(*pool, gfp_mask);

	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	return pool;
}

void mempool_destroy(struct mempool *pool)
{
	kfree(pool);
}

void *mempool_alloc_noprof(struct mempool *pool, gfp_t gfp_mask)
{
	/* With a reserve to wait for, a sleeping allocation cannot fail. */
	if (gfpflags_allow_blocking(gfp_mask))
		gfp_mask |= __GFP_NOFAIL;
	return pool->alloc(gfp_mask, pool->pool_data);
}

void mempool_free(void *element, struct mempool *pool)
{
	if (element)
		pool->free(element, pool->pool_data);
}

void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)pool_data, gfp_mask);
}

void mempool_kfree(void *element, void *pool_data)
{
	kfree(element);
}
