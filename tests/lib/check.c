// SPDX-License-Identifier: GPL-2.0
/*
 * The invariant checker (tests/README.md, "Invariants"), run after every operation. It
 * reads the kernel's own structures: the VMAs in each mm's maple tree, their anon_vma_chain
 * lists, each anon_vma's interval tree, and the page tables; and it asks the real rmap_walk()
 * where each mapped anonymous folio is mapped, comparing the answer with the page tables.
 */
#include <linux/mm.h>
#include <linux/rmap.h>
#include <linux/pagewalk.h>
#include <linux/sched.h>
#include <linux/mmap_lock.h>
#include <linux/swap.h>
#include <linux/leafops.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/xxhash.h>
#include "host.h"
#include "slab.h"
#include "rcu.h"
#include "memmap.h"
#include "process.h"
#include "swap.h"
#include "ksm_harness.h"
#include "harness.h"
#include "series.h"

#define MAX_TASKS 64

static struct task_struct *tasks[MAX_TASKS];
static int nr_tasks;

void harness_register_task(struct task_struct *task)
{
	if (nr_tasks == MAX_TASKS)
		harness_fail("more than %d processes", MAX_TASKS);
	tasks[nr_tasks++] = task;
}

void harness_unregister_task(struct task_struct *task)
{
	int i;

	for (i = 0; i < nr_tasks; i++)
		if (tasks[i] == task) {
			memmove(&tasks[i], &tasks[i + 1], (--nr_tasks - i) * sizeof(*tasks));
			return;
		}
}

void harness_exit_all(void)
{
	while (nr_tasks)
		op_exit(tasks[0]);
}

/*
 * The next VMA of the registered processes after the one @vmi last returned, moving on to
 * the next task (*@i) at the end of one; NULL after the last. Start with *@i = -1.
 */
static struct vm_area_struct *next_task_vma(int *i, struct vma_iterator *vmi)
{
	struct vm_area_struct *vma;

	while (*i < 0 || !(vma = vma_next(vmi))) {
		if (++*i >= nr_tasks)
			return NULL;
		vma_iter_init(vmi, tasks[*i]->mm, 0);
	}
	return vma;
}

#define for_each_task_vma(i, vmi, vma)					\
	for (i = -1; (vma = next_task_vma(&i, &vmi));)

static void fail_vma(const char *invariant, struct vm_area_struct *vma, const char *what)
{
	dump_vma(vma);
	harness_fail("%s violated: %s (vma [%#lx, %#lx) of mm %p, anon_vma %p)", invariant,
		     what, vma->vm_start, vma->vm_end, vma->vm_mm, vma->anon_vma);
}

/*
 * I1 for an implicit member (vma_anon_implicit(), which already requires no vm_file): its
 * anon_vma is a root (it has no other), it has no vm_ops (hugetlb and special mappings keep
 * their chains), and it sits in the anon_vma's member tree at its range.
 */
static void check_implicit(struct vm_area_struct *vma)
{
#if HARNESS_IMPLICIT_MEMBERS
	pgoff_t start = vma_start_anon_pgoff(vma), last = vma_last_anon_pgoff(vma);
	struct vm_area_struct *found;
	struct anon_rmap_iter iter;

	if (vma->anon_vma->root != vma->anon_vma)
		fail_vma("I1 chain integrity", vma, "an implicit member's anon_vma is not a root");
	if (!vma_is_anonymous(vma))
		fail_vma("I1 chain integrity", vma, "a VMA with vm_ops is implicit");
	anon_rmap_foreach_vma(found, &iter, vma->anon_vma, start, last)
		if (!iter.avc && found == vma)
			return;
	fail_vma("I1 chain integrity", vma, "an implicit member is missing from rb_vmas");
#endif
}

/*
 * Whether the rbtree under @node is shaped like one: each child's parent link names its
 * parent, and no path is deeper than any real rbtree can be. A node linked twice (inserted
 * again without being removed) makes a cycle that would send the kernel's own iterators,
 * and the checker with them, round it for ever.
 */
static bool rb_shape_ok(struct rb_node *node, int depth)
{
	struct rb_node *child[2] = { node->rb_left, node->rb_right };
	int i;

	if (depth > 2 * BITS_PER_LONG)
		return false;
	for (i = 0; i < 2; i++)
		if (child[i] && (rb_parent(child[i]) != node || !rb_shape_ok(child[i], depth + 1)))
			return false;
	return true;
}

static void check_tree_shape(struct anon_vma *anon_vma, struct rb_root_cached *tree,
			     const char *which)
{
	struct rb_node *top = tree->rb_root.rb_node;

	if (top && (rb_parent(top) || !rb_shape_ok(top, 0)))
		harness_fail("I1 chain integrity violated: anon_vma %p's %s is corrupt (a node "
			     "linked into it twice, or a stale link)", anon_vma, which);
}

/*
 * I1, the other way: every VMA in an anon_vma's member tree is a live implicit member of
 * that anon_vma, of a process the harness knows.
 */
static void check_member_tree(struct anon_vma *anon_vma)
{
#if HARNESS_IMPLICIT_MEMBERS
	struct vm_area_struct *member;
	struct anon_rmap_iter iter;
	int i;

	check_tree_shape(anon_vma, &anon_vma->rb_vmas, "member tree");
	anon_rmap_foreach_vma(member, &iter, anon_vma, 0, ULONG_MAX) {
		if (iter.avc)
			continue;
		for (i = 0; i < nr_tasks; i++)
			if (tasks[i]->mm == member->vm_mm)
				break;
		if (i == nr_tasks || vma_lookup(member->vm_mm, member->vm_start) != member)
			harness_fail("I1 chain integrity violated: anon_vma %p's member tree holds "
				     "%p, which is not a VMA of a live mm", anon_vma, member);
		if (member->anon_vma != anon_vma || !vma_anon_implicit(member))
			fail_vma("I1 chain integrity", member,
				 "a VMA in another anon_vma's member tree, or one with a chain");
	}
#endif
}

/*
 * I1 for a VMA without a file that is not an implicit member: its shared.rb, which only a
 * member links (into rb_vmas), is never linked (all zero, as vma_init() leaves it) or
 * cleared, as leaving rb_vmas and being copied by vm_area_dup() must leave it. A stale link
 * would name another VMA's place in a tree it is not in.
 */
static void check_member_link(struct vm_area_struct *vma)
{
	struct rb_node *node = &vma->shared.rb;

	if (vma->vm_file || vma_anon_implicit(vma) || RB_EMPTY_NODE(node))
		return;
	if (node->__rb_parent_color || node->rb_left || node->rb_right)
		fail_vma("I1 chain integrity", vma,
			 "a VMA outside rb_vmas keeps a link in shared.rb");
}

/* I1: a VMA's anon_vma is on its chain; each chain entry sits in its anon_vma's tree. */
static void check_chain(struct vm_area_struct *vma)
{
	pgoff_t start = vma_start_anon_pgoff(vma), last = vma_last_anon_pgoff(vma);
	struct anon_vma_chain *avc, *found;
	struct anon_vma *root = NULL;
	bool own = false;

	check_member_link(vma);
	if (vma->anon_vma) {
		check_member_tree(vma->anon_vma);
		check_member_tree(vma->anon_vma->root);
	}
	if (vma_anon_implicit(vma)) {
		check_implicit(vma);
		return;
	}
	if (!vma->anon_vma) {
		if (!list_empty(&vma->anon_vma_chain))
			fail_vma("I1 chain integrity", vma, "chain entries but no anon_vma");
		return;
	}
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
		if (avc->vma != vma)
			fail_vma("I1 chain integrity", vma, "chain entry of another VMA");
		if (avc->anon_vma == vma->anon_vma)
			own = true;
		if (root && avc->anon_vma->root != root)
			fail_vma("I1 chain integrity", vma, "anon_vmas of two roots on one chain");
		root = avc->anon_vma->root;
		check_tree_shape(avc->anon_vma, &avc->anon_vma->rb_root, "interval tree");
		for (found = anon_rmap_tree_iter_first(avc->anon_vma, start, last); found;
		     found = anon_rmap_tree_iter_next(found, start, last))
			if (found == avc)
				break;
		if (!found)
			fail_vma("I1 chain integrity", vma,
				 "chain entry missing from its anon_vma's interval tree");
	}
	if (!own)
		fail_vma("I1 chain integrity", vma, "its anon_vma is not on its chain");
}

/* Whether @anon_vma is on @vma's chain; an implicit member's chain is [its anon_vma]. */
static bool chain_has(struct vm_area_struct *vma, struct anon_vma *anon_vma)
{
	struct anon_vma_chain *avc;

	if (vma_anon_implicit(vma))
		return vma->anon_vma == anon_vma;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (avc->anon_vma == anon_vma)
			return true;
	return false;
}

/* I4: VMAs that share an anon_vma have the same anon_vmas on their chains. */
static void check_same_chains(struct vm_area_struct *a, struct vm_area_struct *b)
{
	struct anon_vma_chain *avc;

	if (vma_anon_implicit(a) && !chain_has(b, a->anon_vma)) {
		dump_vma(b);
		fail_vma("I4 shared anon_vma means identical chains", a,
			 "an implicit member shares its anon_vma with a VMA that has other ones");
	}
	list_for_each_entry(avc, &a->anon_vma_chain, same_vma)
		if (!chain_has(b, avc->anon_vma)) {
			dump_vma(b);
			fail_vma("I4 shared anon_vma means identical chains", a,
				 "another VMA with this anon_vma lacks one of its chain's anon_vmas");
		}
}

/*
 * L1 (CONFIG_ANON_VMA_LAZY): an open anchor, the anon_vma an mm's VMAs join
 * (mm->anon_vma_anchor), is the anchor of that mm only; every VMA whose anon_vma it is belongs
 * to that mm, is anonymous memory proper (no vm_file, no vm_ops: nothing else may join) and
 * has the chain [anchor], or none as an implicit member (step 2).
 */
static void check_anchors(void)
{
#ifdef CONFIG_ANON_VMA_LAZY
	struct vm_area_struct *vma;
	struct vma_iterator vmi;
	int i, j;

	for (i = 0; i < nr_tasks; i++) {
		struct mm_struct *mm = tasks[i]->mm;
		struct anon_vma *anchor = mm->anon_vma_anchor;

		if (!anchor)
			continue;
		for (j = 0; j < nr_tasks; j++)
			if (tasks[j]->mm != mm && tasks[j]->mm->anon_vma_anchor == anchor)
				harness_fail("L1 violated: anon_vma %p is the anchor of mm %p and of mm %p",
					     anchor, mm, tasks[j]->mm);
		for_each_task_vma(j, vmi, vma) {
			if (vma->anon_vma != anchor)
				continue;
			if (vma->vm_mm != mm)
				fail_vma("L1 anchor members", vma,
					 "a VMA of another mm has an open anchor as its anon_vma");
			if (!vma_is_anonymous(vma) || vma->vm_file)
				fail_vma("L1 anchor members", vma,
					 "a file, hugetlb or special VMA joined the anchor");
			if (!vma_anon_single(vma))
				fail_vma("L1 anchor members", vma, "a member's chain is not [anchor]");
		}
	}
#endif
}

/* I2: num_active_vmas counts the VMAs whose anon_vma it is. */
static void check_counters(void)
{
	struct vm_area_struct *vma, *other;
	struct vma_iterator vmi, vmi2;
	int i, j;

	for_each_task_vma(i, vmi, vma) {
		unsigned long active = 0;

		if (!vma->anon_vma)
			continue;
		for_each_task_vma(j, vmi2, other) {
			if (other->anon_vma != vma->anon_vma)
				continue;
			active++;
			check_same_chains(vma, other);
		}
		if (vma->anon_vma->num_active_vmas != active) {
			host_eprint("num_active_vmas %lu, VMAs using it %lu\n",
				    vma->anon_vma->num_active_vmas, active);
			fail_vma("I2 counters", vma, "num_active_vmas is wrong");
		}
		/* A root is its own parent and counts itself among its children. */
		if (vma->anon_vma->root == vma->anon_vma &&
		    (vma->anon_vma->parent != vma->anon_vma || vma->anon_vma->num_children < 1))
			fail_vma("I2 counters", vma, "a root anon_vma that is not its own child");
	}
}

/* One (mm, address) at which a page of a folio is mapped. */
struct mapping {
	struct mm_struct *mm;
	unsigned long addr;
	struct page *page;
	bool pmd;		/* the whole folio, by one PMD */
};

struct folio_maps {
	struct folio *folio;
	struct mapping *by_ptes;	/* what the page tables say */
	int nr_ptes;
	struct mapping *by_rmap;	/* what rmap_walk() found */
	int nr_rmap;
	int cap;
	int nr_migration;	/* by_ptes entries that are migration entries */
	struct vm_area_struct *visited;	/* the first VMA rmap_walk() visited */
};

#define MAX_FOLIOS 4096
/*
 * Allocated at the first check and kept: the checker runs after every operation, and a
 * fresh 200 KB each time cost a test process more page faults than the test itself.
 */
static struct folio_maps *maps;
static int nr_maps;

static struct folio_maps *maps_of(struct folio *folio)
{
	int i;

	for (i = 0; i < nr_maps; i++)
		if (maps[i].folio == folio)
			return &maps[i];
	if (nr_maps == MAX_FOLIOS)
		harness_fail("more than %d mapped folios", MAX_FOLIOS);
	maps[nr_maps] = (struct folio_maps){ .folio = folio };
	return &maps[nr_maps++];
}

static void add_mapping(struct folio_maps *m, bool rmap, struct mm_struct *mm,
			unsigned long addr, struct page *page, bool pmd)
{
	struct mapping **v = rmap ? &m->by_rmap : &m->by_ptes;
	int *n = rmap ? &m->nr_rmap : &m->nr_ptes;

	if (*n == m->cap || !*v) {
		int cap = m->cap ? 2 * m->cap : 8;
		struct mapping *a = host_alloc(cap * sizeof(*a)), *b = host_alloc(cap * sizeof(*b));

		if (m->by_ptes)
			memcpy(a, m->by_ptes, m->nr_ptes * sizeof(*a));
		if (m->by_rmap)
			memcpy(b, m->by_rmap, m->nr_rmap * sizeof(*b));
		host_free(m->by_ptes);
		host_free(m->by_rmap);
		m->by_ptes = a;
		m->by_rmap = b;
		m->cap = cap;
	}
	(*v)[(*n)++] = (struct mapping){ mm, addr, page, pmd };
}

/*
 * A KSM folio's index is that of the first page merged into it: rmap_walk_ksm() looks each
 * mapping up at the index its rmap_item recorded, never at folio->index, so I9 does not
 * apply (I5 checks that it finds them all).
 */
static bool ksm_index_exempt(struct folio *folio)
{
	return folio_test_ksm(folio);
}

static int collect_migration_entry(struct mm_walk *walk, unsigned long addr,
				   softleaf_t entry, bool pmd);

/* I9: the index of the page mapped at addr is where rmap will look for this address. */
static void check_index(struct mm_walk *walk, unsigned long addr, struct folio *folio,
			struct page *page)
{
	if (ksm_index_exempt(folio) ||
	    linear_anon_page_index(walk->vma, addr) == folio->index + folio_page_idx(folio, page))
		return;
	dump_page(page, "index does not match its address");
	fail_vma("I9 page index continuity", walk->vma,
		 "a mapped page's index does not match its address");
}

static int collect_pte(pte_t *pte, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	pte_t ptent = ptep_get(pte);
	struct folio *folio;
	struct page *page;

	if (!pte_present(ptent))
		return collect_migration_entry(walk, addr, softleaf_from_pte(ptent), false);
	page = vm_normal_page(walk->vma, addr, ptent);
	if (!page)
		return 0;
	folio = page_folio(page);
	if (!folio_test_anon(folio))
		return 0;
	check_index(walk, addr, folio, page);
	add_mapping(maps_of(folio), false, walk->mm, addr, page, false);
	return 0;
}

/* A PMD-mapped THP is one mapping; without ACTION_CONTINUE the walk would split its PMD. */
static int collect_pmd(pmd_t *pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	pmd_t pmdval = pmdp_get(pmd);
	struct folio *folio;
	struct page *page;

	if (pmd_present(pmdval) && !pmd_leaf(pmdval))
		return 0;
	walk->action = ACTION_CONTINUE;
	if (!pmd_present(pmdval))
		return collect_migration_entry(walk, addr, softleaf_from_pmd(pmdval), true);
	page = vm_normal_page_pmd(walk->vma, addr, pmdval);
	if (!page)
		return 0;
	folio = page_folio(page);
	if (!folio_test_anon(folio))
		return 0;
	check_index(walk, addr, folio, page);
	add_mapping(maps_of(folio), false, walk->mm, addr, page, true);
	return 0;
}

static const struct mm_walk_ops collect_ops = {
	.pmd_entry = collect_pmd,
	.pte_entry = collect_pte,
	.walk_lock = PGWALK_RDLOCK,
};

/*
 * I11: the stock kernel shares an anon_vma only between VMAs that come from one mapping, and
 * rmap code relies on it: a walk of a hugetlb folio calls hstate_vma() on every VMA it
 * visits. So every VMA a walk visits is of the folio's kind (hugetlb or not) and has the
 * vm_file and vm_ops of the others. A KSM folio's walk covers the anon_vmas of every page
 * merged into it, which may come from different mappings, as in the stock kernel.
 */
static void check_visit(struct folio_maps *m, struct folio *folio, struct vm_area_struct *vma)
{
	struct vm_area_struct *first = m->visited;

	if (folio_test_ksm(folio))
		return;
	if (folio_test_hugetlb(folio) != is_vm_hugetlb_page(vma))
		harness_fail("I11 rmap walk of %shugetlb folio %p visits %shugetlb VMA [%#lx, %#lx) of mm %p",
			     folio_test_hugetlb(folio) ? "" : "non-", folio,
			     is_vm_hugetlb_page(vma) ? "" : "non-", vma->vm_start, vma->vm_end,
			     vma->vm_mm);
	if (!first) {
		m->visited = vma;
		return;
	}
	if (first->vm_file != vma->vm_file || first->vm_ops != vma->vm_ops)
		harness_fail("I11 rmap walk of folio %p visits VMAs of different mappings: [%#lx, %#lx) of mm %p (file %p, vm_ops %p) and [%#lx, %#lx) of mm %p (file %p, vm_ops %p)",
			     folio, first->vm_start, first->vm_end, first->vm_mm, first->vm_file,
			     first->vm_ops, vma->vm_start, vma->vm_end, vma->vm_mm, vma->vm_file,
			     vma->vm_ops);
}

static bool rmap_one(struct folio *folio, struct vm_area_struct *vma, unsigned long addr,
		     void *arg)
{
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, 0);
	struct folio_maps *m = arg;

	check_visit(m, folio, vma);
	while (page_vma_mapped_walk(&pvmw)) {
		/*
		 * No PTE: the walk stopped at a PMD that maps the whole folio. The page is
		 * read from the entry: addr is clamped to vm_start when the folio begins
		 * before this VMA (a large folio straddling a split point).
		 */
		if (pvmw.pte && pte_present(ptep_get(pvmw.pte)))
			add_mapping(m, true, vma->vm_mm, pvmw.address,
				    pte_page(ptep_get(pvmw.pte)), false);
		else if (!pvmw.pte && pmd_present(pmdp_get(pvmw.pmd)))
			add_mapping(m, true, vma->vm_mm, pvmw.address,
				    pmd_page(pmdp_get(pvmw.pmd)), true);
	}
	return true;
}

static bool has_mapping(struct mapping *v, int n, struct mapping *x)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].mm == x->mm && v[i].addr == x->addr && v[i].page == x->page &&
		    v[i].pmd == x->pmd)
			return true;
	return false;
}

/*
 * --- Migration entries (tests/lib/migrate.c stops a migration between its unmap and its
 * remap). try_to_migrate() turns each mapping of the folio into a migration entry and drops
 * its mapcount; remove_migration_ptes() later finds those entries again through rmap_walk()
 * of the same folio, so for I5 an entry maps the folio just as a present PTE did: rmap must
 * still reach every one (else it is left behind) and nothing else. Such a folio is locked
 * by the migration in flight, so the checker walks it under that lock, and it must be mapped
 * only by migration entries (the unmap is all or nothing).
 */
static int collect_migration_entry(struct mm_walk *walk, unsigned long addr,
				   softleaf_t entry, bool pmd)
{
	struct folio_maps *m;
	struct folio *folio;
	struct page *page;

	if (!softleaf_is_migration(entry))
		return 0;
	page = softleaf_to_page(entry);
	folio = page_folio(page);
	if (!folio_test_anon(folio))
		return 0;
	if (linear_anon_page_index(walk->vma, addr) != folio->index + folio_page_idx(folio, page)) {
		dump_page(page, "index does not match its address");
		fail_vma("I9 page index continuity", walk->vma,
			 "a migration entry's index does not match its address");
	}
	m = maps_of(folio);
	add_mapping(m, false, walk->mm, addr, page, pmd);
	m->nr_migration++;
	return 0;
}

/* rmap_one() for a folio under migration: what remove_migration_pte() will find. */
static bool rmap_one_migration(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, void *arg)
{
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, PVMW_MIGRATION);
	struct folio_maps *m = arg;

	check_visit(m, folio, vma);
	while (page_vma_mapped_walk(&pvmw)) {
		if (pvmw.pte)
			add_mapping(m, true, vma->vm_mm, pvmw.address,
				    softleaf_to_page(softleaf_from_pte(ptep_get(pvmw.pte))), false);
		else
			add_mapping(m, true, vma->vm_mm, pvmw.address,
				    softleaf_to_page(softleaf_from_pmd(pmdp_get(pvmw.pmd))), true);
	}
	return true;
}

static void check_migrating(struct folio_maps *m, struct rmap_walk_control *rwc)
{
	if (m->nr_migration != m->nr_ptes || folio_mapped(m->folio)) {
		dump_page(&m->folio->page, "mapped and under migration");
		harness_fail("I5 rmap completeness violated: folio %p has %d migration entries but %d mappings",
			     m->folio, m->nr_migration, m->nr_ptes);
	}
	if (!folio_test_locked(m->folio))
		harness_fail("folio %p has migration entries but no migration holds its lock",
			     m->folio);
	rwc->rmap_one = rmap_one_migration;
	rmap_walk(m->folio, rwc);
}

/* I5: rmap_walk() finds exactly the (mm, address) pairs whose page tables map the folio. */
/*
 * rmap_walk_ksm() looks for a mapping at the address of each rmap_item, in the VMAs of its
 * anon_vma: a forked child's mapping is found through its parent's item. Once the parent's
 * page there changed and ksmd dropped that item, nothing leads to the child's mapping until
 * ksmd scans the child and gives it an item of its own (tests/ksm/fork_gap.c). Likewise a
 * folio that was shared by fork when ksmd made it a KSM folio in place: only the mappings
 * ksmd scanned have items (tests/random/regressions.c). That is mm/ksm.c as it is; I5 holds
 * for every mapping ksmd recorded, an item of its mm at its address.
 */
static bool ksm_unscanned_fork(struct folio *folio, struct mapping *map)
{
	return folio_test_ksm(folio) && !harness_ksm_item_at(folio, map->mm, map->addr);
}

static void check_rmap(void)
{
	int i;

	if (!maps)
		maps = host_alloc(MAX_FOLIOS * sizeof(*maps));
	nr_maps = 0;
	for (i = 0; i < nr_tasks; i++) {
		struct mm_struct *mm = tasks[i]->mm;

		harness_set_current(tasks[i]);
		mmap_read_lock(mm);
		walk_page_range(mm, 0, TASK_SIZE_MAX, &collect_ops, NULL);
		mmap_read_unlock(mm);
	}
	for (i = 0; i < nr_maps; i++) {
		struct folio_maps *m = &maps[i];
		struct rmap_walk_control rwc = { .arg = m, .rmap_one = rmap_one };
		int j;

		if (m->nr_migration) {
			check_migrating(m, &rwc);
		} else {
			if (!folio_trylock(m->folio))
				harness_fail("folio %p is locked between operations", m->folio);
			rmap_walk(m->folio, &rwc);
			folio_unlock(m->folio);
		}
		for (j = 0; j < m->nr_ptes; j++)
			if (!has_mapping(m->by_rmap, m->nr_rmap, &m->by_ptes[j]) &&
			    !ksm_unscanned_fork(m->folio, &m->by_ptes[j])) {
				dump_page(m->by_ptes[j].page, "rmap misses a mapping");
				harness_fail("I5 rmap completeness violated: rmap_walk() of folio %p misses its mapping at %#lx in mm %p",
					     m->folio, m->by_ptes[j].addr, m->by_ptes[j].mm);
			}
		for (j = 0; j < m->nr_rmap; j++)
			if (!has_mapping(m->by_ptes, m->nr_ptes, &m->by_rmap[j]))
				harness_fail("I5 rmap soundness violated: rmap_walk() of folio %p reports %#lx in mm %p, which does not map it",
					     m->folio, m->by_rmap[j].addr, m->by_rmap[j].mm);
		host_free(m->by_ptes);
		host_free(m->by_rmap);
	}
}

/*
 * Per slot of the swap area: the swap PTEs check_swap() counts, and the slot's swap count
 * and swap-cache folio; kept as maps is.
 */
static int *swap_ptes, *swap_counts;
static struct folio **swap_cached;
static unsigned long swap_ptes_cap;

static int count_swap_pte(pte_t *pte, unsigned long addr, unsigned long next,
			  struct mm_walk *walk)
{
	struct swap_info_struct *si = harness_swap_area();
	softleaf_t entry = softleaf_from_pte(ptep_get(pte));

	if (!softleaf_is_swap(entry))
		return 0;
	if (!si || swp_type(entry) != si->type || swp_offset(entry) >= si->max)
		fail_vma("I5 swap accounting", walk->vma, "a swap PTE names no slot of the swap area");
	swap_ptes[swp_offset(entry)]++;
	return 0;
}

/* A PMD-mapped THP holds no swap PTE; without ACTION_CONTINUE the walk would split it. */
static int skip_huge_pmd(pmd_t *pmd, unsigned long addr, unsigned long next,
			 struct mm_walk *walk)
{
	pmd_t pmdval = pmdp_get(pmd);

	if (!pmd_present(pmdval) || pmd_leaf(pmdval))
		walk->action = ACTION_CONTINUE;
	return 0;
}

static const struct mm_walk_ops swap_pte_ops = {
	.pmd_entry = skip_huge_pmd,
	.pte_entry = count_swap_pte,
	.walk_lock = PGWALK_RDLOCK,
};

/*
 * I5 for swapped-out pages: each slot's swap count is the number of swap PTEs naming it
 * (the swap cache holds no count), a slot in use has a count or a swap-cache folio, and
 * that folio is in the swap cache at exactly that slot.
 */
static void check_swap(void)
{
	struct swap_info_struct *si = harness_swap_area();
	unsigned long off;
	int i;

	if (!si)
		return;
	if (si->max > swap_ptes_cap) {
		host_free(swap_ptes);
		host_free(swap_counts);
		host_free(swap_cached);
		swap_ptes = host_alloc(si->max * sizeof(*swap_ptes));
		swap_counts = host_alloc(si->max * sizeof(*swap_counts));
		swap_cached = host_alloc(si->max * sizeof(*swap_cached));
		swap_ptes_cap = si->max;
	}
	memset(swap_ptes, 0, si->max * sizeof(*swap_ptes));
	for (i = 0; i < nr_tasks; i++) {
		harness_set_current(tasks[i]);
		mmap_read_lock(tasks[i]->mm);
		walk_page_range(tasks[i]->mm, 0, TASK_SIZE_MAX, &swap_pte_ops, NULL);
		mmap_read_unlock(tasks[i]->mm);
	}
	harness_swap_slots(si, 1, si->max - 1, swap_counts + 1, swap_cached + 1);
	for (off = 1; off < si->max; off++) {
		struct folio *folio = swap_cached[off];
		int count = swap_counts[off];

		if (count < 0 ? swap_ptes[off] != 0 : count != swap_ptes[off])
			harness_fail("I5 swap accounting violated: slot %lu has swap count %d but %d swap PTEs",
				     off, count, swap_ptes[off]);
		if (count == 0 && !folio)
			harness_fail("I5 swap accounting violated: slot %lu is in use with no swap PTE and no swap-cache folio",
				     off);
		if (folio && (!folio_test_swapcache(folio) || !folio_ref_count(folio) ||
			      swp_offset(folio->swap) > off ||
			      swp_offset(folio->swap) + folio_nr_pages(folio) <= off)) {
			dump_page(&folio->page, "swap cache entry");
			harness_fail("I5 swap accounting violated: slot %lu caches a folio that is not in the swap cache there",
				     off);
		}
	}
}

void harness_check_all(void)
{
	struct vm_area_struct *vma;
	struct vma_iterator vmi;
	int i;

	harness_rcu_quiesce();
	/*
	 * Nothing runs concurrently between operations, so the VMAs of every mm can be read
	 * together; RCU is what the maple tree accepts instead of each mm's mmap_lock.
	 */
	rcu_read_lock();
	for_each_task_vma(i, vmi, vma)
		check_chain(vma);
	check_counters();
	check_anchors();
	rcu_read_unlock();
	check_rmap();
	check_swap();
	harness_set_current(NULL);
}

/*
 * I7 for swap: with every process gone no slot is in use, once reclaim has freed the swap
 * cache nobody maps (which the kernel leaves to it); then the area is switched off.
 */
static void check_swap_teardown(void)
{
	if (!harness_swap_area())
		return;
	harness_reclaim_unmapped_swap_cache();
	if (harness_swap_slots_in_use())
		harness_fail("I7 teardown violated: %lu swap slots still in use after every process exited",
			     harness_swap_slots_in_use());
	if (harness_swap_deactivate())
		harness_fail("I7 teardown violated: swapoff failed after every process exited");
}

/* I7: with every process gone, nothing of theirs is left. */
void harness_check_teardown(void)
{
	static const char *const caches[] = {
		"anon_vma", "anon_vma_chain", "vm_area_struct", "mm_struct",
		"ksm_rmap_item", "ksm_stable_node", "ksm_mm_slot",
	};
	unsigned long i;

	EXPECT(nr_tasks == 0, "%d processes still registered", nr_tasks);
	check_swap_teardown();
	/* ksmd frees an exited mm's rmap_items, and the anon_vmas they pin, when it gets there. */
	harness_ksm_settle();
	harness_rcu_quiesce();
	for (i = 0; i < ARRAY_SIZE(caches); i++)
		if (harness_cache_live(caches[i]))
			harness_fail("I7 teardown violated: %lu %s objects left after every process exited",
				     harness_cache_live(caches[i]), caches[i]);
	if (harness_folio_stats()->live)
		harness_fail("I7 teardown violated: %lu pages still allocated after every process exited",
			     harness_folio_stats()->live);
}

/* --- I10: a snapshot of everything an operation may change, to compare after it fails */

struct snap {
	char *buf;
	size_t len, cap;
	bool split_pmds;	/* a huge PMD as the PTEs it splits into */
	/* SNAP_OBSERVABLE: folios numbered in the order the walk meets them. */
	struct folio *seen[MAX_FOLIOS];
	int nr_seen;
};

enum snap_kind { SNAP_STRICT, SNAP_VISIBLE, SNAP_OBSERVABLE };

static __printf(2, 3) void snap_add(struct snap *sn, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(sn->buf + sn->len, sn->cap - sn->len, fmt, ap);
		va_end(ap);
		if (sn->len + n < sn->cap)
			break;
		char *bigger = host_alloc(2 * (sn->len + n + 1));

		memcpy(bigger, sn->buf, sn->len + 1);
		host_free(sn->buf);
		sn->buf = bigger;
		sn->cap = 2 * (sn->len + n + 1);
	}
	sn->len += n;
}

static int snap_pte(pte_t *pte, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	pte_t ptent = ptep_get(pte);

	if (!pte_none(ptent))
		snap_add(walk->private, "  pte %#lx %#llx\n", addr, (u64)pte_val(ptent));
	return 0;
}

/*
 * What a PTE maps, without its permission and accessed/dirty bits: a failed fork leaves
 * the parent's PTEs write-protected, which the next write fault undoes by reusing the page,
 * and its swap PTEs without their exclusive mark (copy_nonpresent_pte()), which only lets a
 * swap-in reuse the page without a copy.
 * In a mergeable VMA, by contents: mremap() and madvise() unmerge KSM pages first, and keep
 * them unmerged when a later step fails.
 */
static int snap_pte_visible(pte_t *pte, unsigned long addr, unsigned long next,
			    struct mm_walk *walk)
{
	pte_t ptent = ptep_get(pte);

	if (pte_present(ptent) && (walk->vma->vm_flags & VM_MERGEABLE))
		snap_add(walk->private, "  pte %#lx contents %016llx\n", addr,
			 xxh64(page_address(pte_page(ptent)), PAGE_SIZE, 0));
	else if (pte_present(ptent))
		snap_add(walk->private, "  pte %#lx pfn %#lx\n", addr, pte_pfn(ptent));
	else if (softleaf_is_migration(softleaf_from_pte(ptent)))
		snap_add(walk->private, "  pte %#lx migration pfn %#lx\n", addr,
			 page_to_pfn(softleaf_to_page(softleaf_from_pte(ptent))));
	else if (!pte_none(ptent))
		snap_add(walk->private, "  pte %#lx %#llx\n", addr,
			 (u64)pte_val(pte_swp_clear_exclusive(ptent)));
	return 0;
}

static int folio_number(struct snap *sn, struct folio *folio)
{
	int i;

	for (i = 0; i < sn->nr_seen; i++)
		if (sn->seen[i] == folio)
			return i;
	if (sn->nr_seen == MAX_FOLIOS)
		harness_fail("more than %d mapped folios", MAX_FOLIOS);
	sn->seen[sn->nr_seen] = folio;
	return sn->nr_seen++;
}

/*
 * What a program and rmap can observe, and nothing that depends on which anon_vma a VMA
 * got: each mapped page's contents and which folio (numbered by first appearance) maps it
 * where; swap and migration entries by kind, as their slots are allocation order.
 */
static void snap_observable(struct mm_walk *walk, unsigned long addr, struct page *page,
			    const char *kind)
{
	struct snap *sn = walk->private;
	struct folio *folio;

	if (!page) {
		snap_add(sn, "  %#lx %s\n", addr, kind);
		return;
	}
	folio = page_folio(page);
	snap_add(sn, "  %#lx %s folio %d+%ld%s %016llx\n", addr, kind, folio_number(sn, folio),
		 folio_page_idx(folio, page), folio_test_anon(folio) ? " anon" : "",
		 xxh64(page_address(page), PAGE_SIZE, 0));
}

static int snap_pte_observable(pte_t *pte, unsigned long addr, unsigned long next,
			       struct mm_walk *walk)
{
	pte_t ptent = ptep_get(pte);
	softleaf_t entry;

	if (pte_present(ptent)) {
		snap_observable(walk, addr, vm_normal_page(walk->vma, addr, ptent), "pte");
	} else if (!pte_none(ptent)) {
		entry = softleaf_from_pte(ptent);
		if (softleaf_is_migration(entry))
			snap_observable(walk, addr, softleaf_to_page(entry), "migration");
		else
			snap_observable(walk, addr, NULL, softleaf_is_swap(entry) ? "swap" : "other");
	}
	return 0;
}

/* A huge PMD as one entry; without ACTION_CONTINUE the walk would split it. */
static int snap_pmd(pmd_t *pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	pmd_t pmdval = pmdp_get(pmd);

	if (pmd_present(pmdval) && !pmd_leaf(pmdval))
		return 0;
	walk->action = ACTION_CONTINUE;
	if (pmd_none(pmdval))
		return 0;
	snap_add(walk->private, "  pmd %#lx %#llx\n", addr, (u64)pmd_val(pmdval));
	return 0;
}

/*
 * A huge PMD as the PTEs it splits into: a split of the PMD at a VMA boundary stays when the
 * split of the VMA fails, and changes nothing userspace or rmap can see.
 */
static int snap_pmd_visible(pmd_t *pmd, unsigned long addr, unsigned long next,
			    struct mm_walk *walk)
{
	pmd_t pmdval = pmdp_get(pmd);
	const char *kind = "";
	unsigned long pfn, i;

	if (pmd_none(pmdval) || (pmd_present(pmdval) && !pmd_leaf(pmdval)))
		return 0;
	walk->action = ACTION_CONTINUE;
	if (pmd_present(pmdval)) {
		pfn = pmd_pfn(pmdval);
	} else if (softleaf_is_migration(softleaf_from_pmd(pmdval))) {
		pfn = page_to_pfn(softleaf_to_page(softleaf_from_pmd(pmdval)));
		kind = "migration ";
	} else {
		return snap_pmd(pmd, addr, next, walk);
	}
	for (i = 0; i < HPAGE_PMD_NR; i++)
		snap_add(walk->private, "  pte %#lx %spfn %#lx\n", addr + i * PAGE_SIZE, kind,
			 pfn + i);
	return 0;
}

static int snap_pmd_observable(pmd_t *pmd, unsigned long addr, unsigned long next,
			       struct mm_walk *walk)
{
	struct snap *sn = walk->private;
	pmd_t pmdval = pmdp_get(pmd);

	if (pmd_present(pmdval) && !pmd_leaf(pmdval))
		return 0;
	walk->action = ACTION_CONTINUE;
	if (pmd_present(pmdval) && sn->split_pmds && vm_normal_page_pmd(walk->vma, addr, pmdval)) {
		struct page *page = vm_normal_page_pmd(walk->vma, addr, pmdval);
		unsigned long i;

		for (i = 0; i < HPAGE_PMD_NR; i++)
			snap_observable(walk, addr + i * PAGE_SIZE, page + i, "pte");
	} else if (pmd_present(pmdval))
		snap_observable(walk, addr, vm_normal_page_pmd(walk->vma, addr, pmdval), "pmd");
	else if (!pmd_none(pmdval))
		snap_observable(walk, addr, softleaf_to_page(softleaf_from_pmd(pmdval)),
				"pmd-migration");
	return 0;
}

static const struct mm_walk_ops snap_ops[] = {
	[SNAP_STRICT] = {
		.pmd_entry = snap_pmd,
		.pte_entry = snap_pte,
		.walk_lock = PGWALK_RDLOCK,
	},
	[SNAP_VISIBLE] = {
		.pmd_entry = snap_pmd_visible,
		.pte_entry = snap_pte_visible,
		.walk_lock = PGWALK_RDLOCK,
	},
	[SNAP_OBSERVABLE] = {
		.pmd_entry = snap_pmd_observable,
		.pte_entry = snap_pte_observable,
		.walk_lock = PGWALK_RDLOCK,
	},
};

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* A chain as a set: clones may list the same anon_vmas in another order. */
static void snap_chain_set(struct snap *sn, struct vm_area_struct *vma)
{
	unsigned long set[64];
	struct anon_vma_chain *avc;
	int n = 0, i;

	if (vma_anon_implicit(vma))
		set[n++] = (unsigned long)vma->anon_vma;
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (n < ARRAY_SIZE(set))
			set[n++] = (unsigned long)avc->anon_vma;
	sort(set, n, sizeof(set[0]), cmp_ptr, NULL);
	for (i = 0; i < n; i++)
		snap_add(sn, "  chain anon_vma %#lx\n", set[i]);
}

/*
 * Two neighbouring VMAs that userspace cannot tell apart: for SNAP_VISIBLE, ones only a
 * split separates; for SNAP_OBSERVABLE also ones that differ only in their anon_vma.
 */
static bool same_mapping(struct vm_area_struct *prev, struct vm_area_struct *vma,
			 enum snap_kind kind)
{
	return prev && prev->vm_end == vma->vm_start && prev->vm_flags == vma->vm_flags &&
	       (kind == SNAP_OBSERVABLE || prev->anon_vma == vma->anon_vma) &&
	       prev->vm_file == vma->vm_file &&
	       vma_start_anon_pgoff(prev) + vma_pages(prev) == vma_start_anon_pgoff(vma);
}

/*
 * Strict: VMAs with their flags and offsets, each chain's anon_vmas with their counters,
 * live objects, and every page table entry - what I10 says a failed single-step operation
 * leaves exactly as it was. Visible: what userspace and rmap can tell - VMAs that differ
 * only by a split merged into one, chains as sets, PTEs by the frame they map - for
 * operations made of steps that may keep a completed step when a later one fails
 * (mprotect() splits at both ends; fork write-protects the parent's PTEs as it copies).
 * Observable: what L2 compares between the lazy mode on and off - address ranges with their
 * flags and offsets, and what each page maps (see snap_observable()); with I5 checked in
 * both runs, equal page tables mean equal rmap answers.
 */
static char *snapshot(enum snap_kind kind, bool split_pmds)
{
	struct snap *sn = host_alloc(sizeof(*sn));
	struct vm_area_struct *vma, *prev;
	struct anon_vma_chain *avc;
	struct vma_iterator vmi;
	char *buf;
	int i;

	/* Host memory: the harness' own bookkeeping stays out of the kernel's slab counts. */
	sn->split_pmds = split_pmds;
	sn->cap = 4096;
	sn->buf = host_alloc(sn->cap);
	/* Objects a failed operation must give back (pending RCU frees do not count). */
	harness_rcu_quiesce();
	if (kind == SNAP_STRICT)
		snap_add(sn, "live: anon_vma %lu anon_vma_chain %lu vm_area_struct %lu mm_struct %lu pages %lu\n",
			 harness_cache_live("anon_vma"), harness_cache_live("anon_vma_chain"),
			 harness_cache_live("vm_area_struct"), harness_cache_live("mm_struct"),
			 harness_folio_stats()->live);
	for (i = 0; i < nr_tasks; i++) {
		struct mm_struct *mm = tasks[i]->mm;

		harness_set_current(tasks[i]);
		mmap_read_lock(mm);
		if (kind == SNAP_STRICT)
			snap_add(sn, "p%d map_count %d\n", tasks[i]->pid, mm->map_count);
		else
			snap_add(sn, "p%d\n", tasks[i]->pid);
		prev = NULL;
		for (vma_iter_init(&vmi, mm, 0); (vma = vma_next(&vmi)) != NULL; prev = vma) {
			if (kind != SNAP_STRICT && same_mapping(prev, vma, kind))
				continue;
			if (kind == SNAP_OBSERVABLE) {
				/* A range's end is where the next one starts or the last ends. */
				if (prev)
					snap_add(sn, "  end %#lx\n", prev->vm_end);
				snap_add(sn, " vma %#lx flags %#lx pgoff %#lx\n", vma->vm_start,
					 vma->vm_flags, vma_start_anon_pgoff(vma));
				continue;
			}
			snap_add(sn, " vma %#lx flags %#lx pgoff %#lx anon_pgoff %#lx anon_vma %p\n",
				 vma->vm_start, vma->vm_flags, vma->vm_pgoff,
				 vma_start_anon_pgoff(vma), vma->anon_vma);
			if (kind == SNAP_VISIBLE) {
				snap_chain_set(sn, vma);
				continue;
			}
			snap_add(sn, "  end %#lx\n", vma->vm_end);
			if (vma_anon_implicit(vma))
				snap_add(sn, "  implicit in %p active %lu children %lu\n",
					 vma->anon_vma, vma->anon_vma->num_active_vmas,
					 vma->anon_vma->num_children);
			list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
				snap_add(sn, "  avc %p anon_vma %p root %p parent %p active %lu children %lu\n",
					 avc, avc->anon_vma, avc->anon_vma->root,
					 avc->anon_vma->parent, avc->anon_vma->num_active_vmas,
					 avc->anon_vma->num_children);
		}
		if (kind == SNAP_OBSERVABLE && prev)
			snap_add(sn, "  end %#lx\n", prev->vm_end);
		walk_page_range(mm, 0, TASK_SIZE_MAX, &snap_ops[kind], sn);
		mmap_read_unlock(mm);
	}
	harness_set_current(NULL);
	buf = sn->buf;
	host_free(sn);
	return buf;
}

char *harness_snapshot(void)
{
	return snapshot(SNAP_STRICT, false);
}

char *harness_snapshot_visible(void)
{
	return snapshot(SNAP_VISIBLE, false);
}

char *harness_snapshot_observable(void)
{
	return snapshot(SNAP_OBSERVABLE, false);
}

/* For a failed fault: a huge PMD split on the way (a COW that fell back) changes nothing. */
char *harness_snapshot_fault(void)
{
	return snapshot(SNAP_OBSERVABLE, true);
}

static void expect_unchanged(char *before, char *after, const char *what)
{
	if (strcmp(before, after)) {
		host_eprint("before:\n%s\nafter:\n%s", before, after);
		harness_fail("I10 failure atomicity violated: %s failed but changed the state", what);
	}
	host_free(before);
	host_free(after);
}

void harness_expect_unchanged(char *before, const char *what)
{
	expect_unchanged(before, harness_snapshot(), what);
}

void harness_expect_unchanged_visible(char *before, const char *what)
{
	expect_unchanged(before, harness_snapshot_visible(), what);
}

/* --- the registered processes, for operations that walk every process (hwpoison.c) */
int harness_nr_tasks(void)
{
	return nr_tasks;
}

struct task_struct *harness_task(int i)
{
	return tasks[i];
}
