/*
 * A tree of forked processes over one anonymous region: each process checks what it
 * inherited, overwrites some pages with its own tag and checks again, so that copy-on-write
 * and the anon_vma hierarchy built by fork are exercised at every level.
 */
#include "workload.h"

#define NPAGES 128
#define DEPTH 3
#define FANOUT 2

static char *region;
/* Which tag each page of region holds; it is copied by fork along with the region. */
static unsigned owner[NPAGES];

static unsigned long wrong_pages(void)
{
	unsigned long bad = 0;

	for (unsigned long p = 0; p < NPAGES; p++)
		bad += !page_ok(region + p * page_size, owner[p], p);
	return bad;
}

/* Fork FANOUT children, each of which writes its own pages and recurses. Returns failures. */
static int grow(unsigned tag, int depth)
{
	pid_t pids[FANOUT];
	int failures = 0;

	if (depth == 0)
		return 0;
	for (int c = 0; c < FANOUT; c++) {
		pids[c] = fork();
		if (pids[c] == 0) {
			unsigned mine = tag * 10 + c + 1;
			int rc = wrong_pages() != 0;

			for (unsigned long p = c; p < NPAGES; p += FANOUT + 1) {
				fill_page(region + p * page_size, mine, p);
				owner[p] = mine;
			}
			rc |= wrong_pages() != 0;
			rc |= grow(mine, depth - 1) != 0;
			rc |= wrong_pages() != 0;
			_exit(rc);
		}
	}
	for (int c = 0; c < FANOUT; c++)
		failures += !child_ok(pids[c]);
	return failures;
}

int main(void)
{
	int fds[2];
	char verdict = 'x';
	pid_t pid;

	ktap_plan(5);
	region = map_anon(NPAGES);
	fill(region, NPAGES, 1, 0);
	for (int p = 0; p < NPAGES; p++)
		owner[p] = 1;

	int failures = grow(1, DEPTH);
	ktap_result(failures == 0, "fork tree of depth %d: every process saw its parent's data (%d failed)",
		    DEPTH, failures);
	ktap_result(wrong_pages() == 0, "root kept its own data under the tree");

	/* A grandchild outlives its parent: the anon_vma of the dead middle process must stay. */
	if (pipe(fds))
		return 2;
	pid = fork();
	if (pid == 0) {
		pid_t middle = getpid();

		if (fork() == 0) {
			while (getppid() == middle)	/* until the middle process is gone */
				usleep(1000);
			int ok = wrong_pages() == 0;
			for (unsigned long p = 0; p < NPAGES; p += 2) {
				fill_page(region + p * page_size, 7, p);
				owner[p] = 7;
			}
			ok &= wrong_pages() == 0;
			verdict = ok ? 'y' : 'n';
			if (write(fds[1], &verdict, 1) != 1)
				_exit(1);
			_exit(0);
		}
		_exit(0);
	}
	child_ok(pid);
	close(fds[1]);
	if (read(fds[0], &verdict, 1) != 1)
		verdict = 'x';
	close(fds[0]);
	ktap_result(verdict == 'y', "orphaned grandchild kept and rewrote inherited pages (got %c)", verdict);

	/* Parent and child write every page at the same time, several rounds. */
	pid = fork();
	int ok = 1;
	for (unsigned round = 0; round < 20; round++) {
		unsigned tag = (pid == 0 ? 100 : 200) + round;

		fill(region, NPAGES, tag, 0);
		ok &= bad_pages(region, NPAGES, tag, 0) == 0;
	}
	if (pid == 0)
		_exit(!ok);
	ok &= child_ok(pid);
	ktap_result(ok, "parent and child rewrote shared pages concurrently, 20 rounds");

	/* The child punches a hole and rewrites around it; the parent must not notice. */
	fill(region, NPAGES, 3, 0);
	pid = fork();
	if (pid == 0) {
		munmap(region + 32 * page_size, 32 * page_size);
		ok = bad_pages(region, 32, 3, 0) == 0 && bad_pages(region + 64 * page_size, 64, 3, 64) == 0;
		fill(region + 64 * page_size, 64, 4, 64);
		ok &= bad_pages(region + 64 * page_size, 64, 4, 64) == 0;
		_exit(!ok);
	}
	ok = child_ok(pid);
	ktap_result(ok && bad_pages(region, NPAGES, 3, 0) == 0,
		    "child unmapped and rewrote parts; parent's region unchanged");
	return ktap_finish();
}
