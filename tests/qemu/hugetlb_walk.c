/*
 * An rmap walk of a hugetlb folio must visit only hugetlb VMAs: try_to_migrate_one() and
 * remove_migration_pte() call hstate_vma() on every VMA the walk visits. A private hugetlb
 * VMA faulted at X and moved away keeps the anonymous offsets of X; an anonymous VMA then
 * faulted over X - 4K covers offsets of the huge folio. If the two shared an anon_vma, the
 * migration of the huge folio would visit the anonymous VMA: on arm64 a NULL dereference,
 * on x86 (where hstate_vma()'s result goes unused) a DEBUG_VM warning in rmap_walk_anon(),
 * which the console check of the debug runs reports. The data of both VMAs must survive.
 */
#include "workload.h"

#include <errno.h>
#include <sys/syscall.h>

#define HPAGE (2UL << 20)

/* Give each NUMA node @n free 2 MB pages; 0 if the kernel has no hugetlb. */
static int reserve_huge_pages(int n)
{
	char path[128];
	int node, ok = 0;

	for (node = 0; node < 2; node++) {
		FILE *f;

		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%d/hugepages/hugepages-2048kB/nr_hugepages",
			 node);
		f = fopen(path, "w");
		if (!f)
			return 0;
		ok += fprintf(f, "%d\n", n) > 0;
		if (fclose(f))
			return 0;
	}
	return ok == 2;
}

/* The node of the page at @addr, or -errno. */
static int node_of(void *addr)
{
	int status = -1;

	if (syscall(SYS_move_pages, 0, 1UL, &addr, NULL, &status, 0))
		return -errno;
	return status;
}

static int move_to(void *addr, int node)
{
	int status = -1;

	if (syscall(SYS_move_pages, 0, 1UL, &addr, &node, &status, 1 << 1 /* MPOL_MF_MOVE */))
		return -errno;
	return status;
}

int main(void)
{
	char *area, *x, *y, *h, *a;
	int from, to, got;

	ktap_plan(3);
	if (!reserve_huge_pages(2)) {
		ktap_result(0, "reserve two 2 MB pages on each node (errno %d)", errno);
		return ktap_finish();
	}
	/* Room for X and Y, 2 MB aligned, with a page below X for the anonymous VMA. */
	area = mmap(NULL, 8 * HPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	x = (char *)(((unsigned long)area + 2 * HPAGE - 1) & ~(HPAGE - 1));
	y = x + 4 * HPAGE;
	munmap(area, 8 * HPAGE);

	h = mmap(x, HPAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED_NOREPLACE, -1, 0);
	if (h != x) {
		ktap_result(0, "map a private 2 MB hugetlb page at X (errno %d)", errno);
		return ktap_finish();
	}
	fill(h, HPAGE / page_size, 1, 0);
	h = mremap(x, HPAGE, HPAGE, MREMAP_MAYMOVE | MREMAP_FIXED, y);
	a = mmap(x - page_size, 2 * page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (h != y || a != x - page_size) {
		ktap_result(0, "move the hugetlb page to Y and map anonymous memory over X - 4K");
		return ktap_finish();
	}
	fill(a, 2, 2, 0);
	ktap_result(bad_pages(h, HPAGE / page_size, 1, 0) == 0 && bad_pages(a, 2, 2, 0) == 0,
		    "hugetlb page moved to Y; anonymous VMA faulted over X - 4K, offsets overlapping");

	/* Migrate the huge page to the other node and back: two walks of its anon_vma. */
	from = node_of(h);
	to = from == 0 ? 1 : 0;
	got = move_to(h, to);
	ktap_result(from >= 0 && got == to && move_to(h, from) == from,
		    "migrated the hugetlb page from node %d to node %d (status %d) and back",
		    from, to, got);
	ktap_result(bad_pages(h, HPAGE / page_size, 1, 0) == 0 && bad_pages(a, 2, 2, 0) == 0,
		    "both VMAs kept their data");
	munmap(h, HPAGE);
	munmap(a, 2 * page_size);
	return ktap_finish();
}
