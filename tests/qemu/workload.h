/* Shared helpers of the qemu-test workloads: KTAP output and page patterns. */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#define _GNU_SOURCE

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static long page_size;
static int test_number, tests_failed;

static inline void ktap_plan(int n)
{
	page_size = sysconf(_SC_PAGESIZE);
	printf("TAP version 13\n1..%d\n", n);
	fflush(stdout);
}

static inline void ktap_result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++test_number);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		tests_failed++;
}

/* A diagnostic line; KTAP readers ignore it. */
static inline void ktap_info(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static inline int ktap_finish(void)
{
	printf("# %d tests, %d failed\n", test_number, tests_failed);
	return tests_failed ? 1 : 0;
}

/* The word a page holds at index i, given who wrote it (tag) and which page it is. */
static inline uint64_t pattern(unsigned tag, unsigned long page, unsigned long i)
{
	return ((uint64_t)tag * 0x9e3779b97f4a7c15ull) ^ (page << 20) ^ i;
}

static inline void fill_page(char *addr, unsigned tag, unsigned long page)
{
	uint64_t *w = (uint64_t *)addr;

	for (unsigned long i = 0; i < page_size / sizeof(*w); i++)
		w[i] = pattern(tag, page, i);
}

/* 1 if the page holds exactly what fill_page(tag, page) wrote. */
static inline int page_ok(const char *addr, unsigned tag, unsigned long page)
{
	const uint64_t *w = (const uint64_t *)addr;

	for (unsigned long i = 0; i < page_size / sizeof(*w); i++)
		if (w[i] != pattern(tag, page, i))
			return 0;
	return 1;
}

static inline void fill(char *addr, unsigned long npages, unsigned tag, unsigned long first)
{
	for (unsigned long p = 0; p < npages; p++)
		fill_page(addr + p * page_size, tag, first + p);
}

/* Number of pages of [addr, addr + npages) that do not hold tag's pattern. */
static inline unsigned long bad_pages(const char *addr, unsigned long npages, unsigned tag,
			       unsigned long first)
{
	unsigned long bad = 0;

	for (unsigned long p = 0; p < npages; p++)
		bad += !page_ok(addr + p * page_size, tag, first + p);
	return bad;
}

static inline char *map_anon(unsigned long npages)
{
	void *p = mmap(NULL, npages * page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/*
 * Lines for tests/qemu/run to tabulate go to stdout and to the results port of qemu/init
 * ($QEMU_TEST_RESULTS) when there is one: open it, write each line, then close it.
 */
static inline FILE *results_open(void)
{
	const char *port = getenv("QEMU_TEST_RESULTS");

	return port ? fopen(port, "w") : NULL;
}

static inline void results_line(FILE *results, const char *line)
{
	fputs(line, stdout);
	if (results)
		fputs(line, results);
}

/* Wait for a child; 1 if it exited with status 0. */
static inline int child_ok(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Number of VMAs in /proc/self/maps that overlap [addr, addr + len). */
static inline int vmas_in(const void *addr, unsigned long len)
{
	unsigned long start, end, lo = (unsigned long)addr, hi = lo + len;
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 && start < hi && end > lo)
			n++;
	fclose(f);
	return n;
}

#endif
