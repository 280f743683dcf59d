// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios of anon_vma bugs that reached users, each named by its CVE or fixing commit. Each
 * runs on the fixed kernel and must stay green; the invariants after every step are what
 * would have caught the original bug (tests/README.md, "Invariants").
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rmap.h>
#include "mm/internal.h"
#include "slab.h"
#include "harness.h"

#define P PAGE_SIZE

/*
 * CVE-2022-42703 (2555283eb40d, "mm/rmap: Fix anon_vma->degree ambiguity leading to
 * double-reuse"): anon_vma reuse on fork once counted VMAs and children
 * together, and could hand an anon_vma still tied to one VMA to another. Build a chain with
 * an anon_vma that has no VMA left but one child, fork past it so maybe_reuse_anon_vma()
 * reuses it, then split, merge and exit around it; I2 checks the counts after every step.
 */
HARNESS_TEST(history, cve_2022_42703_reuse_after_unmap)
{
	struct task_struct *p = op_spawn(), *c, *g, *h;
	unsigned long a = op_mmap_anon(p, 0, 4);

	op_write(p, a, 1);
	c = op_fork(p);
	op_write(c, a, 2);
	g = op_fork(c);
	op_write(g, a, 3);
	/* c's anon_vma loses its VMA and keeps its one child: a candidate for reuse. */
	EXPECT(op_munmap(c, a, 4 * P) == 0, "munmap in c");
	h = op_fork(g);
	op_write(h, a + P, 4);
	EXPECT(op_mprotect(h, a + 2 * P, P, PROT_READ) == 0, "split in h");
	EXPECT(op_mprotect(h, a + 2 * P, P, PROT_READ | PROT_WRITE) == 0, "merge in h");
	op_exit(g);
	EXPECT(op_read(h, a) == 3 && op_read(h, a + P) == 4, "h's contents");
	op_exit(c);
	op_exit(p);
	op_write(h, a + 3 * P, 5);
	op_exit(h);
}

/*
 * 76545066c852 "mm: extend KSM refcounts to the anon_vma root" and 012f18004da3 "mm: always
 * lock the root (oldest) anon_vma": a pin on a child anon_vma (what KSM's rmap_item holds)
 * must keep the root alive, because the lock lives in the root; after every process exits,
 * locking and putting the pinned anon_vma is still safe, and frees everything.
 */
HARNESS_TEST(history, pinned_child_anon_vma_keeps_root)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 2);
	struct anon_vma *pinned;

	op_write(p, a, 1);
	c = op_fork(p);
	op_write(c, a, 2);
	pinned = op_pin_anon_vma(c, a);
	EXPECT(pinned && pinned->root != pinned, "the COWed folio's anon_vma is a child");
	op_exit(c);
	op_exit(p);
	EXPECT(harness_cache_live("anon_vma") == 2, "the pin keeps the child and its root: %lu live",
	       harness_cache_live("anon_vma"));
	op_unpin_anon_vma(pinned);
	EXPECT(harness_cache_live("anon_vma") == 0, "%lu anon_vmas left after the last put",
	       harness_cache_live("anon_vma"));
}

/*
 * d9d332e0874f "anon_vma_prepare: properly lock even newly allocated entries", and
 * page_lock_anon_vma's "check page_mapped() again" (Hugh Dickins, 2010): a speculative
 * folio_get_anon_vma() on a folio that is no longer mapped returns NULL and touches nothing
 * freed, even when the anon_vma's memory was reused for a new anon_vma meanwhile (the cache
 * is SLAB_TYPESAFE_BY_RCU).
 */
HARNESS_TEST(history, stale_folio_get_anon_vma_fails_cleanly)
{
	struct task_struct *p = op_spawn(), *q;
	unsigned long a = op_mmap_anon(p, 0, 1);
	struct folio *folio;

	harness_slab_set_typesafe_reuse(true);
	op_write(p, a, 1);
	folio = harness_folio_at(p, a);
	harness_folio_hold(folio);
	EXPECT(op_munmap(p, a, P) == 0, "munmap");
	q = op_spawn();
	op_write(q, op_mmap_anon(q, 0, 1), 2);
	EXPECT(folio_trylock(folio), "the unmapped folio is locked");
	EXPECT(!folio_get_anon_vma(folio), "anon_vma of an unmapped folio");
	folio_unlock(folio);
	harness_folio_release(folio);
	op_exit(p);
	op_exit(q);
}

/*
 * Found by tests/random (a seed shrunk to five steps): a VMA moved after its first fault
 * keeps the offsets of its old address; if it is MADV_WIPEONFORK, dup_mmap() gave the
 * child's copy no anon_vma but those offsets, and the first split of it warned in
 * assert_sane_pgoff() (CONFIG_DEBUG_VM, from userspace). Fixed by patch 1 of the series;
 * on the base it is a known failure (tests/known-base-bugs).
 */
HARNESS_TEST(history, wipeonfork_moved_child_split)
{
	struct task_struct *p = op_spawn(), *c;
	unsigned long a = op_mmap_anon(p, 0, 5), q = a + 64 * P;
	struct vm_area_struct *vma;

	op_write(p, a, 1);
	EXPECT(op_madvise(p, a, 5 * P, MADV_WIPEONFORK) == 0, "MADV_WIPEONFORK");
	EXPECT(op_mremap(p, a, 5 * P, 6 * P, MREMAP_MAYMOVE | MREMAP_FIXED, q) == q, "move");
	EXPECT(vma_lookup(p->mm, q)->vm_pgoff == a >> PAGE_SHIFT,
	       "the moved, faulted VMA keeps the offsets of its old address");
	c = op_fork(p);
	vma = vma_lookup(c->mm, q);
	EXPECT(vma && !vma->anon_vma, "the child's wiped VMA has no anon_vma");
	EXPECT(vma->vm_pgoff == q >> PAGE_SHIFT, "the child's wiped VMA has offset %#lx, not %#lx",
	       vma->vm_pgoff, q >> PAGE_SHIFT);
	EXPECT(op_munmap(c, q, P) == 0, "split the child's wiped VMA");
	EXPECT(op_read(c, q + P) == 0 && op_read(p, q) == 1, "wiped in the child only");
}
