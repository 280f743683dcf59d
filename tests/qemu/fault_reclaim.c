/*
 * First faults against reclaim in one mm. Three threads map new anonymous VMAs, write every
 * page of each (first faults, each VMA needing an anon_vma) and unmap them, while another
 * process pages out the older memory of the same process (process_madvise(MADV_PAGEOUT))
 * and a fourth thread reads that memory back in. With the series, every VMA of the process
 * shares one anon_vma: the faults prepare it under its lock, which reclaim's rmap walks of
 * the older memory take too. Reports faults per second and pages reclaimed per second, the
 * median of several runs, for tests/qemu/run to set the runs side by side; and checks that
 * the older memory kept its data.
 */
#include "workload.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#define FAULTERS 3
#define RUNS 5
#define RUN_SECONDS 2
#define VMA_PAGES 16
#define SLOTS 64		/* VMA slots per faulting thread, 64 pages apart */
#define HOT_PAGES 2048		/* the older memory that is paged out and back in */
#define HOT_TAG 7

static volatile int stop;
static char *hot;
static long hot_bad;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Map, fault and unmap VMAs in slots of a PROT_NONE reservation, which keeps them apart. No
 * slot is at an edge of the reservation: the hole an unmapped slot leaves there would join
 * the free space next to it, and a thread stack mapped meanwhile could take it, for the
 * slot's next MAP_FIXED to replace.
 */
static void *faulter(void *arg)
{
	char *base = mmap(NULL, SLOTS * 64 * page_size, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long faults = 0;
	int slot = 0;

	if (base == MAP_FAILED)
		return (void *)-1L;
	while (!stop) {
		char *p = mmap(base + (slot * 64 + 32) * page_size, VMA_PAGES * page_size,
			       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (p == MAP_FAILED)
			return (void *)-1L;
		for (int i = 0; i < VMA_PAGES; i++)
			p[i * page_size] = 1;
		munmap(p, VMA_PAGES * page_size);
		faults += VMA_PAGES;
		slot = (slot + 1) % SLOTS;
	}
	munmap(base, SLOTS * 64 * page_size);
	*(long *)arg = faults;
	return NULL;
}

/* Read the older memory back in, page by page, checking what each page holds. */
static void *toucher(void *arg)
{
	(void)arg;
	while (!stop)
		for (long i = 0; i < HOT_PAGES && !stop; i++)
			hot_bad += !page_ok(hot + i * page_size, HOT_TAG, i);
	return NULL;
}

/*
 * Another process pages out the older memory of @pid until it is killed; if a call fails, it
 * exits with the call's errno, for the run to report.
 */
static void reclaimer(pid_t pid)
{
	struct iovec iov = { hot, HOT_PAGES * page_size };
	int pidfd = syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		_exit(errno & 255);
	for (;;)
		if (syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_PAGEOUT, 0) < 0)
			_exit(errno & 255);
}

static long pswpout(void)
{
	char name[64];
	long value, found = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	while (f && fscanf(f, "%63s %ld", name, &value) == 2)
		if (!strcmp(name, "pswpout"))
			found = value;
	if (f)
		fclose(f);
	return found;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* One run: 0 and the two rates, or -1. */
static int run(long *faults_per_s, long *reclaimed_per_s)
{
	pthread_t threads[FAULTERS + 1];
	long faults[FAULTERS] = { 0 }, total = 0, swapped, start;
	pid_t child;
	int status, i, err = 0;

	stop = 0;
	swapped = pswpout();
	child = fork();
	if (child == 0)
		reclaimer(getppid());
	start = now_ms();
	for (i = 0; i < FAULTERS; i++)
		pthread_create(&threads[i], NULL, faulter, &faults[i]);
	pthread_create(&threads[FAULTERS], NULL, toucher, NULL);
	sleep(RUN_SECONDS);
	stop = 1;
	for (i = 0; i <= FAULTERS; i++) {
		void *ret;

		pthread_join(threads[i], &ret);
		err |= ret != NULL;
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	/* The reclaimer only stops when killed: any other end is a failed system call. */
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		ktap_info("the reclaimer stopped: %s", WIFEXITED(status) ?
			  strerror(WEXITSTATUS(status)) : "killed by a signal");
		err = 1;
	}
	for (i = 0; i < FAULTERS; i++)
		total += faults[i];
	start = now_ms() - start;
	*faults_per_s = total * 1000 / start;
	*reclaimed_per_s = (pswpout() - swapped) * 1000 / start;
	if (swapped < 0)
		ktap_info("/proc/vmstat has no pswpout (CONFIG_VM_EVENT_COUNTERS=n?)");
	return err || swapped < 0 ? -1 : 0;
}

int main(void)
{
	long faults[RUNS], reclaimed[RUNS];
	char line[160];
	FILE *results;
	int ok = 1;

	ktap_plan(3);
	hot = map_anon(HOT_PAGES);
	fill(hot, HOT_PAGES, HOT_TAG, 0);
	/*
	 * MADV_PAGEOUT leaves folios mapped by more than one process alone: the reclaimer,
	 * forked for each run, must not map the older memory too.
	 */
	if (madvise(hot, HOT_PAGES * page_size, MADV_DONTFORK))
		ktap_info("madvise(MADV_DONTFORK) failed: %s", strerror(errno));
	for (int r = 0; r < RUNS; r++) {
		ok &= run(&faults[r], &reclaimed[r]) == 0;
		ktap_info("run %d: %ld faults/s, %ld pages reclaimed/s", r, faults[r], reclaimed[r]);
	}
	ktap_result(ok, "%d runs of %d s: faulting threads and the reclaimer ran", RUNS, RUN_SECONDS);
	ktap_result(hot_bad == 0 && bad_pages(hot, HOT_PAGES, HOT_TAG, 0) == 0,
		    "the paged-out memory kept its data (%ld bad reads)", hot_bad);
	qsort(faults, RUNS, sizeof(long), cmp_long);
	qsort(reclaimed, RUNS, sizeof(long), cmp_long);
	/* The guest has swap (tests/qemu/run sets up zram): a run must page out. */
	ktap_result(reclaimed[0] > 0, "every run paged memory out (at least %ld pages/s)",
		    reclaimed[0]);
	snprintf(line, sizeof(line), "qemu-test: bench fault_reclaim %ld %ld\n", faults[RUNS / 2],
		 reclaimed[RUNS / 2]);
	results = results_open();
	results_line(results, line);
	if (results)
		fclose(results);
	return ktap_finish();
}
