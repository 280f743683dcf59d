// SPDX-License-Identifier: GPL-2.0
/*
 * The test runner: every HARNESS_TEST runs in a child process of its own, on a freshly
 * booted model, so that a test that breaks the kernel's state cannot affect the next one.
 * After the test body, the runner exits every process the test left and checks teardown (I7).
 * Output is KTAP; the last line is "N passed, N failed".
 *
 *   harness [FILTER]      run the tests whose "area/name" contains FILTER
 *   harness --workloads   run the sample workloads and print the peak of live rmap objects
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sched.h>
#include "host.h"
#include "process.h"
#include "locks.h"
#include "slab.h"
#include "harness.h"

/* Frames of "physical memory": 64 MiB, room for 32 PMD-sized folios. */
#define HARNESS_PAGES 16384
#define LOG_SIZE 65536

extern const struct harness_test __start_harness_tests[], __stop_harness_tests[];
extern const struct harness_test __start_harness_workloads[], __stop_harness_workloads[];

/* The caches of the reverse map, as in the cover letter of the series. */
static const char *const report_caches[] = { "anon_vma", "anon_vma_chain", "vm_area_struct" };

static char *op_log;
static size_t op_log_len;

void harness_log(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!op_log)
		return;
	va_start(ap, fmt);
	n = vsnprintf(op_log + op_log_len, LOG_SIZE - op_log_len, fmt, ap);
	va_end(ap);
	op_log_len = min_t(size_t, op_log_len + n, LOG_SIZE - 2);
	op_log[op_log_len++] = '\n';
	op_log[op_log_len] = '\0';
}

void harness_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	host_eprint("FAIL: %s\noperations so far:\n%s", msg, op_log ? op_log : "");
	host_exit(1);
}

/* A lock error of the code under test (lockdep's reports) fails the test like a WARN(). */
static void on_lock_failure(enum lock_failure kind, const char *summary)
{
	harness_fail("lock %s: %s", lock_failure_name(kind), summary);
}

static void run_one(void *arg)
{
	const struct harness_test *t = arg;

	op_log = host_alloc(LOG_SIZE);
	harness_set_lock_failure_hook(on_lock_failure);
	harness_boot(HARNESS_PAGES);
	t->fn();
	harness_exit_all();
	harness_check_teardown();
}

static void run_workload(void *arg)
{
	const struct harness_test *t = arg;
	struct harness_cache_stats st;
	unsigned long i;

	op_log = host_alloc(LOG_SIZE);
	harness_set_lock_failure_hook(on_lock_failure);
	harness_boot(HARNESS_PAGES);
	t->fn();
	host_print("%-20s", t->name);
	for (i = 0; i < ARRAY_SIZE(report_caches); i++) {
		harness_cache_stats(harness_cache_find(report_caches[i]), &st);
		host_print(" %8lu %9lu", st.peak, st.peak * st.object_size);
	}
	host_print("\n");
	harness_exit_all();
	harness_check_teardown();
}

static int workloads(void)
{
	const struct harness_test *t;
	int failed = 0;
	unsigned long i;

	host_print("peak live objects and bytes\n%-20s", "workload");
	for (i = 0; i < ARRAY_SIZE(report_caches); i++)
		host_print(" %18s", report_caches[i]);
	host_print("\n");
	for (t = __start_harness_workloads; t < __stop_harness_workloads; t++)
		if (host_run_isolated(run_workload, (void *)t)) {
			host_print("%-20s failed\n", t->name);
			failed++;
		}
	return failed ? 1 : 0;
}

static bool selected(const struct harness_test *t, const char *filter)
{
	char full[128];

	snprintf(full, sizeof(full), "%s/%s", t->area, t->name);
	return !filter || strstr(full, filter);
}

int harness_main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	const struct harness_test *t;
	int n = 0, passed = 0, failed = 0, total = 0;

	if (filter && !strcmp(filter, "--workloads"))
		return workloads();
	for (t = __start_harness_tests; t < __stop_harness_tests; t++)
		total += selected(t, filter);
	host_print("KTAP version 1\n1..%d\n", total);
	for (t = __start_harness_tests; t < __stop_harness_tests; t++) {
		int status;

		if (!selected(t, filter))
			continue;
		status = host_run_isolated(run_one, (void *)t);
		n++;
		if (status == 0)
			passed++;
		else
			failed++;
		host_print("%sok %d %s/%s", status ? "not " : "", n, t->area, t->name);
		if (status)
			host_print(" # exit status %d", status);
		host_print("\n");
	}
	host_print("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
