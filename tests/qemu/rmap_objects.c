/*
 * The cover letter's two workloads on the real kernel: how many anon_vma, anon_vma_chain and
 * vm_area_struct objects they add while all their processes are alive.
 *
 *   exec_only      8 freshly exec'd processes, each faulting 24 anonymous VMAs of its own
 *   zygote_8_apps  one exec'd process with 24 faulted VMAs forks 8 children; each writes
 *                  one inherited page and faults 16 VMAs of its own
 *
 * Counts are read from /proc/slabinfo after writing 1 to /sys/kernel/slab/<cache>/shrink,
 * which empties the per-CPU sheaves and slabs that slabinfo would otherwise count as in use.
 * Each count is printed as "qemu-test: slabdelta <workload> <cache> <objects> <objsize>",
 * also to the results port of qemu/init; tests/qemu/run tabulates them per run. Every
 * process checks its pages' contents.
 */
#include "workload.h"

#include <fcntl.h>

#define NR_PROCS 8
#define OWN_VMAS 24
#define ZYGOTE_CHILD_VMAS 16

static const char *const caches[] = { "anon_vma", "anon_vma_chain", "vm_area_struct" };
#define NR_CACHES (sizeof(caches) / sizeof(caches[0]))

/* Active objects of each cache, exact once the cache has been shrunk. */
static int read_caches(long active[NR_CACHES], long objsize[NR_CACHES])
{
	char line[512], name[64];
	unsigned int i;
	int found = 0;
	FILE *f;

	for (i = 0; i < NR_CACHES; i++) {
		int fd;

		snprintf(line, sizeof(line), "/sys/kernel/slab/%s/shrink", caches[i]);
		fd = open(line, O_WRONLY);
		if (fd < 0 || write(fd, "1", 1) != 1) {
			perror(line);
			return -1;
		}
		close(fd);
	}
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long a, n, size;

		if (sscanf(line, "%63s %ld %ld %ld", name, &a, &n, &size) != 4)
			continue;
		for (i = 0; i < NR_CACHES; i++)
			if (!strcmp(name, caches[i])) {
				active[i] = a;
				objsize[i] = size;
				found++;
			}
	}
	fclose(f);
	return found == NR_CACHES ? 0 : -1;
}

/*
 * nr one-page anonymous VMAs, written with tag: one-page mappings at every other page of a
 * PROT_NONE reservation, so that no two of them are neighbours that could merge.
 */
static char *fault_vmas(int nr, unsigned tag)
{
	char *base = mmap(NULL, 2 * nr * page_size, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (base == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	for (int i = 0; i < nr; i++) {
		char *p = mmap(base + 2 * i * page_size, page_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			exit(2);
		}
		fill_page(p, tag, i);
	}
	return base;
}

static unsigned long bad_vmas(const char *base, int nr, unsigned tag)
{
	unsigned long bad = 0;

	for (int i = 0; i < nr; i++)
		bad += !page_ok(base + 2 * i * page_size, tag, i);
	return bad;
}

/* Tell the parent this process is ready (one byte on ready); wait until it closes hold. */
static void ready_and_hold(int ready, int hold)
{
	char c;

	if (write(ready, "r", 1) != 1)
		exit(2);
	while (read(hold, &c, 1) > 0)
		;
}

/* Child of exec_only, run as "rmap_objects exec-child TAG READY_FD HOLD_FD". */
static int exec_child(unsigned tag, int ready, int hold)
{
	char *base = fault_vmas(OWN_VMAS, tag);

	ready_and_hold(ready, hold);
	return bad_vmas(base, OWN_VMAS, tag) ? 1 : 0;
}

/* Wait for n bytes on ready: every process of the workload has faulted its pages. */
static int wait_ready(int ready, int n)
{
	char c;

	while (n > 0 && read(ready, &c, 1) == 1)
		n--;
	return n == 0;
}

/* For tests/qemu/run (results_line()). */
static void report(const char *workload, const long delta[NR_CACHES],
		   const long objsize[NR_CACHES])
{
	FILE *results = results_open();
	char line[256];

	for (unsigned int i = 0; i < NR_CACHES; i++) {
		snprintf(line, sizeof(line), "qemu-test: slabdelta %s %s %ld %ld\n", workload,
			 caches[i], delta[i], objsize[i]);
		results_line(results, line);
	}
	fflush(stdout);
	if (results)
		fclose(results);
}

/*
 * One run of the workload, its processes started by start(): the objects of each cache it
 * added, in delta. Returns 1 if they were counted; *ok is cleared if a process failed.
 */
static int run_once(pid_t (*start)(int tag, int ready, int hold), int nr_procs,
		    long delta[NR_CACHES], long objsize[NR_CACHES], int *ok)
{
	long before[NR_CACHES], during[NR_CACHES];
	int ready[2], hold[2], measured;
	pid_t pids[NR_PROCS];

	/* Close-on-exec: a child keeps only its own ends (start_self()), or hold never ends. */
	if (pipe2(ready, O_CLOEXEC) || pipe2(hold, O_CLOEXEC) || read_caches(before, objsize))
		return 0;
	for (int i = 0; i < nr_procs; i++)
		pids[i] = start(i + 1, ready[1], hold[0]);
	close(hold[0]);
	measured = wait_ready(ready[0], nr_procs) && !read_caches(during, objsize);
	close(hold[1]);
	for (int i = 0; i < nr_procs; i++)
		*ok &= child_ok(pids[i]);
	close(ready[0]);
	close(ready[1]);
	for (unsigned int i = 0; i < NR_CACHES; i++)
		delta[i] = during[i] - before[i];
	return measured;
}

/*
 * The workload, run until two runs in a row add the same objects: other processes of the
 * guest come and go (busybox timeout's watcher of the previous program exits up to a second
 * after it), and their objects would count. 1 if all went well.
 */
static int measure(const char *workload, pid_t (*start)(int tag, int ready, int hold),
		   int nr_procs)
{
	long delta[NR_CACHES], last[NR_CACHES], objsize[NR_CACHES];
	int ok = 1, stable = 0, runs;

	for (runs = 1; runs <= 8 && !stable; runs++) {
		if (runs > 2)
			sleep(1);	/* let whatever else is running end */
		if (!run_once(start, nr_procs, delta, objsize, &ok))
			break;
		ktap_info("%s run %d: %s %ld, %s %ld, %s %ld", workload, runs, caches[0], delta[0],
			  caches[1], delta[1], caches[2], delta[2]);
		stable = runs > 1 && !memcmp(delta, last, sizeof(delta));
		memcpy(last, delta, sizeof(delta));
	}
	ktap_result(ok, "%s: every process read back what it wrote", workload);
	ktap_result(stable, "%s: objects counted while every process was alive, the same in two runs in a row",
		    workload);
	if (stable)
		report(workload, last, objsize);
	return ok && stable;
}

/*
 * Start a process of the workload: this program exec'd afresh as ROLE (exec-child or
 * zygote), given its tag and the two pipe ends it keeps across the exec.
 */
static pid_t start_self(const char *role, int tag, int ready, int hold)
{
	pid_t pid = fork();
	char t[16], r[16], h[16];

	if (pid)
		return pid;
	if (fcntl(ready, F_SETFD, 0) || fcntl(hold, F_SETFD, 0))
		_exit(2);
	snprintf(t, sizeof(t), "%d", tag);
	snprintf(r, sizeof(r), "%d", ready);
	snprintf(h, sizeof(h), "%d", hold);
	execl("/proc/self/exe", "rmap_objects", role, t, r, h, (char *)NULL);
	perror("exec");
	_exit(2);
}

static pid_t start_exec_child(int tag, int ready, int hold)
{
	return start_self("exec-child", tag, ready, hold);
}

static pid_t start_zygote(int tag, int ready, int hold)
{
	return start_self("zygote", 100 * tag, ready, hold);
}

/*
 * The zygote, run as "rmap_objects zygote TAG READY_FD HOLD_FD": faults 24 VMAs, forks 8
 * children and, once they are ready, reports ready itself.
 */
static int zygote(unsigned tag, int ready, int hold)
{
	int ok = 1, kids_ready[2];
	pid_t pids[NR_PROCS];
	char *base = fault_vmas(OWN_VMAS, tag);

	if (pipe(kids_ready))
		exit(2);
	for (int i = 0; i < NR_PROCS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			unsigned mine = tag + 1 + i;
			char *own;

			/* One inherited page written (copy-on-write), 16 VMAs of its own. */
			if (bad_vmas(base, OWN_VMAS, tag))
				exit(1);
			fill_page(base + 2 * i * page_size, mine, i);
			own = fault_vmas(ZYGOTE_CHILD_VMAS, mine);
			ready_and_hold(kids_ready[1], hold);
			exit(bad_vmas(own, ZYGOTE_CHILD_VMAS, mine) ||
			     !page_ok(base + 2 * i * page_size, mine, i));
		}
	}
	close(kids_ready[1]);
	if (!wait_ready(kids_ready[0], NR_PROCS))
		exit(2);
	ready_and_hold(ready, hold);
	for (int i = 0; i < NR_PROCS; i++)
		ok &= child_ok(pids[i]);
	return ok && !bad_vmas(base, OWN_VMAS, tag) ? 0 : 1;
}

int main(int argc, char **argv)
{
	page_size = sysconf(_SC_PAGESIZE);
	if (argc == 5 && !strcmp(argv[1], "exec-child"))
		return exec_child(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "zygote"))
		return zygote(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	ktap_plan(4);
	measure("exec_only", start_exec_child, NR_PROCS);
	/* The zygote reports ready once all its children are. */
	measure("zygote_8_apps", start_zygote, 1);
	return ktap_finish();
}
