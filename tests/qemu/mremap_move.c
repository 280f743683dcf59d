/*
 * mremap moves of anonymous memory: whole regions, pieces out of the middle, moves back
 * next to where they came from, growth, and moves done by a child after fork. Every page
 * must keep its data, and the moved pages must still be found where they now live.
 */
#include "workload.h"

#define NPAGES 64

/* Reserve an address range nobody else will use, to move into with MREMAP_FIXED. */
static char *reserve(unsigned long npages)
{
	void *p = mmap(NULL, npages * page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

static char *move(char *from, unsigned long npages, char *to)
{
	void *p = mremap(from, npages * page_size, npages * page_size,
			 MREMAP_MAYMOVE | MREMAP_FIXED, to);

	return p == MAP_FAILED ? NULL : p;
}

int main(void)
{
	char *a, *b, *dst, *grown;
	int ok;
	pid_t pid;

	ktap_plan(6);
	a = map_anon(NPAGES);
	fill(a, NPAGES, 1, 0);

	dst = reserve(NPAGES);
	b = move(a, NPAGES, dst);
	ok = b == dst && bad_pages(b, NPAGES, 1, 0) == 0 && vmas_in(a, NPAGES * page_size) == 0;
	ktap_result(ok, "whole region moved with its data; old range unmapped");

	/* Take 16 pages out of the middle, rewrite them, put them back where they were. */
	dst = reserve(16);
	char *mid = move(b + 24 * page_size, 16, dst);
	ok = mid && bad_pages(mid, 16, 1, 24) == 0 && bad_pages(b, 24, 1, 0) == 0 &&
	     bad_pages(b + 40 * page_size, 24, 1, 40) == 0;
	ktap_result(ok, "middle piece moved out; both sides and the piece kept their data");
	if (mid)
		fill(mid, 16, 2, 24);
	mid = mid ? move(mid, 16, b + 24 * page_size) : NULL;
	ok = mid && bad_pages(b, 24, 1, 0) == 0 && bad_pages(b + 24 * page_size, 16, 2, 24) == 0 &&
	     bad_pages(b + 40 * page_size, 24, 1, 40) == 0;
	ktap_result(ok, "piece moved back into its hole with its new data (%d VMAs now)",
		    vmas_in(b, NPAGES * page_size));

	/* Grow in place or by moving: old pages keep their data, new ones read zero. */
	grown = mremap(b, NPAGES * page_size, 4 * NPAGES * page_size, MREMAP_MAYMOVE);
	ok = grown != MAP_FAILED;
	if (ok) {
		ok = bad_pages(grown, 24, 1, 0) == 0 && bad_pages(grown + 24 * page_size, 16, 2, 24) == 0;
		for (unsigned long i = NPAGES * page_size; i < 4 * NPAGES * page_size; i++)
			ok &= grown[i] == 0;
		b = grown;
	}
	ktap_result(ok, "grown to 4x: old data kept, new pages zero");
	fill(b, 4 * NPAGES, 3, 0);

	/* A child moves its copy around and rewrites half of it; the parent's is untouched. */
	pid = fork();
	if (pid == 0) {
		char *c = b;

		ok = 1;
		for (int round = 0; round < 8; round++) {
			char *to = reserve(4 * NPAGES);

			c = move(c, 4 * NPAGES, to);
			if (!c)
				_exit(1);
			ok &= bad_pages(c, 2 * NPAGES, round ? 10 + round - 1 : 3, 0) == 0;
			fill(c, 2 * NPAGES, 10 + round, 0);
			ok &= bad_pages(c + 2 * NPAGES * page_size, 2 * NPAGES, 3, 2 * NPAGES) == 0;
		}
		_exit(!ok);
	}
	ok = child_ok(pid);
	ktap_result(ok, "child moved its copy 8 times, data followed every move");
	ktap_result(bad_pages(b, 4 * NPAGES, 3, 0) == 0, "parent's pages unchanged by the child's moves");
	return ktap_finish();
}
