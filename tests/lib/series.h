/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tree under test has of the series. One harness checks every prefix of it (make
 * series-check, git bisect), so code that names a later step's helpers finds them here for
 * a tree that does not define them, with the meaning they have there.
 */
#ifndef HARNESS_SERIES_H
#define HARNESS_SERIES_H

#include <linux/mm.h>
#include <linux/rmap.h>

/*
 * Step 2 (implicit members: VMAs linked into anon_vma->rb_vmas by their own node, with an
 * empty anon_vma_chain) defines the walker over both trees as a macro; the members, and
 * rb_vmas, exist only with CONFIG_ANON_VMA_LAZY.
 */
#ifdef anon_rmap_foreach_vma
#define HARNESS_IMPLICIT_MEMBERS IS_ENABLED(CONFIG_ANON_VMA_LAZY)
#else
#define HARNESS_IMPLICIT_MEMBERS 0

static inline bool vma_anon_implicit(const struct vm_area_struct *vma)
{
	return false;
}

static inline bool vma_anon_single(const struct vm_area_struct *vma)
{
	return list_is_singular(&vma->anon_vma_chain);
}
#endif

#endif
