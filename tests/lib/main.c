// SPDX-License-Identifier: GPL-2.0
/*
 * The test runner: every HARNESS_TEST runs in a child process of its own, on a freshly
 * booted model, so that a test that breaks the kernel's state cannot affect the next one.
 * After the test body, the runner exits every process the test left and checks teardown (I7).
 * Output is KTAP; the last line is "N passed, N failed".
 *
 *   harness [OPTION...] [FILTER]   run the tests whose "area/name" contains FILTER
 *   harness [OPTION...] --workloads run the sample workloads, print the peak of rmap objects
 *   harness --benches              list the cost benchmarks: name, kernel entry, operations
 *   harness --sizes                the sizes of the structures the series changes or saves
 *   harness [OPTION...] --bench=NAME  run one, without the checker (tools/report runs it
 *                   under callgrind)
 *
 *   --lazy=on|off   set vm.anon_vma_lazy before each test (needs CONFIG_ANON_VMA_LAZY);
 *                   "off" on a tree without the sysctl skips the whole run, and keeps the
 *                   switch off through the switch steps of random sequences
 *   --random=SEED:OPS:PROCS  instead of the tests, one random sequence (random/seed_SEED);
 *                   if it fails, it is shrunk and printed as a test case
 *   --known-bug=AREA/NAME  the tree lacks the fix of a base-kernel bug this test checks
 *                   (tests/known-base-bugs): its failure is reported as TODO, not counted
 *   --exhaustive=DEPTH  instead of the tests, every sequence of up to DEPTH steps over the
 *                   alphabet of tests/random/exhaustive.c; --exhaustive=LETTER,... replays one
 *   --trace=DIR     after every operation, record what L2 compares (tests/lib/check.c:
 *                   harness_snapshot_observable()) in DIR/<area>.<name> of each passed test
 *   --fail-sweep    instead of running each test once, fail each failable allocation it
 *                   makes in turn (tests/lib/sweep.c); one result per test; not the
 *                   concurrent tests of tests/race/
 *   --fail-sweep=N  fail only the N-th, in a fresh run of the one test FILTER names exactly
 *   --schedule=SEED  a concurrent test (tests/race/) runs only the schedule of SEED
 *   --schedules=FIRST:COUNT  it runs COUNT schedules from seed FIRST instead of its own
 *                   number from 1 (make race)
 *   --few-schedules  it runs at most 8 PCT schedules and no bounded search beyond each task
 *                   alone first (make check, a bisect step: seconds, not a minute)
 *
 * A test that does not apply to the configuration calls harness_skip() and is reported
 * as "ok ... # SKIP".
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/mm_types.h>
#include <linux/rmap.h>
#include "host.h"
#include "process.h"
#include "locks.h"
#include "slab.h"
#include "sysctl.h"
#include "harness.h"
#include "../random/random.h"

/* Frames of "physical memory": 64 MiB, room for 32 PMD-sized folios. */
#define HARNESS_PAGES 16384
#define LOG_SIZE 65536

/* Weak: the fuzz target (tests/fuzz) links neither tests nor workloads. */
extern const struct harness_test __start_harness_tests[] __weak, __stop_harness_tests[] __weak;
extern const struct harness_test __start_harness_workloads[] __weak,
	__stop_harness_workloads[] __weak;
extern const struct harness_bench __start_harness_benches[] __weak,
	__stop_harness_benches[] __weak;

/* The caches of the reverse map, as in the cover letter of the series. */
static const char *const report_caches[] = { "anon_vma", "anon_vma_chain", "vm_area_struct" };

static char *op_log;
static size_t op_log_len;

/* --lazy: -1 (leave the default), 0 or 1. */
static int lazy_switch = -1;

/* The option that sets the switch as this run did, for replay commands. */
static const char *lazy_option(void)
{
	return lazy_switch < 0 ? "" : lazy_switch ? " --lazy=on" : " --lazy=off";
}
static const char *trace_dir;
static char *trace;
static size_t trace_len, trace_cap;
static int trace_steps;

/*
 * The line of the last operation, kept apart from the log, which stops growing when full:
 * the trace names each step by it however long the run.
 */
static char last_op[128];

void harness_log(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(last_op, sizeof(last_op), fmt, ap);
	va_end(ap);
	if (!op_log)
		return;
	n = snprintf(op_log + op_log_len, LOG_SIZE - op_log_len, "%s", last_op);
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

static void trace_add(const char *text)
{
	size_t n = strlen(text);

	if (trace_len + n + 1 > trace_cap) {
		char *bigger;

		trace_cap = 2 * (trace_len + n + 1);
		bigger = host_alloc(trace_cap);
		if (trace)
			memcpy(bigger, trace, trace_len);
		host_free(trace);
		trace = bigger;
	}
	memcpy(trace + trace_len, text, n + 1);
	trace_len += n;
}

/* After an operation: its log line, then what L2 compares. */
void harness_trace_step(void)
{
	char head[160];
	char *snap;

	if (!trace_dir)
		return;
	snprintf(head, sizeof(head), "step %d: %s\n", ++trace_steps, last_op);
	trace_add(head);
	snap = harness_snapshot_observable();
	trace_add(snap);
	host_free(snap);
}

/*
 * Where the trace stands, and going back there: L2 does not compare an attempt that an
 * injected allocation failure stopped, because how many allocations an operation makes is
 * what the series changes (tests/failure/alloc.c).
 */
struct harness_trace_mark harness_trace_mark(void)
{
	return (struct harness_trace_mark){ trace_len, trace_steps };
}

void harness_trace_rewind(struct harness_trace_mark mark)
{
	trace_len = mark.len;
	trace_steps = mark.steps;
	if (trace)
		trace[trace_len] = '\0';
}

void harness_trace_stop(void)
{
	trace_dir = NULL;
}

static void trace_write(const struct harness_test *t)
{
	char path[512];

	if (!trace_dir)
		return;
	snprintf(path, sizeof(path), "%s/%s.%s", trace_dir, t->area, t->name);
	host_write_file(path, trace ? trace : "", trace_len);
}

bool harness_lazy_pinned_off(void)
{
	return lazy_switch == 0;
}

bool harness_lazy(void)
{
	int on = 1;

	if (!IS_ENABLED(CONFIG_ANON_VMA_LAZY))
		return false;
	/* Before the sysctl existed in the series, the option alone turned the mode on. */
	harness_sysctl_get("vm.anon_vma_lazy", &on);
	return on;
}

void harness_skip(const char *why)
{
	host_print("# SKIP %s\n", why);
	host_exit(HARNESS_SKIPPED);
}

/* A lock error of the code under test (lockdep's reports) fails the test like a WARN(). */
static void on_lock_failure(enum lock_failure kind, const char *summary)
{
	harness_fail("lock %s: %s", lock_failure_name(kind), summary);
}

/*
 * What every test's process starts from: the log of its operations, lock errors as test
 * failures, the model booted in the configuration the run asked for. The runner boots once
 * and forks each test from that state (harness_main()): a boot per test process was a
 * fifth of a short test's time, most of it faulting in a memmap the test barely touches.
 */
static void boot(void)
{
	int err;

	op_log = host_alloc(LOG_SIZE);
	harness_set_lock_failure_hook(on_lock_failure);
	harness_boot(HARNESS_PAGES);
	if (lazy_switch < 0)
		return;
	err = harness_sysctl_set("vm.anon_vma_lazy", lazy_switch);
	if (err && !(err == -ENOENT && lazy_switch))
		harness_fail("--lazy: setting vm.anon_vma_lazy failed (%d)", err);
}

/*
 * A test that runs this long is looping: a corrupt tree or list the kernel code walks for
 * ever (a mutant can do that). Fail it with the operations so far, rather than hang the
 * suite; the longest test takes seconds, a few minutes under Valgrind.
 */
#define TEST_TIME_LIMIT_S 900

static void on_time_limit(void)
{
	harness_fail("the test ran for more than %d s: a loop in the code under test?",
		     TEST_TIME_LIMIT_S);
}

static void run_one(void *arg)
{
	const struct harness_test *t = arg;

	host_time_limit(TEST_TIME_LIMIT_S, on_time_limit);
	t->fn();
	harness_exit_all();
	harness_check_teardown();
	trace_write(t);
}

void harness_boot_in_process(void)
{
	boot();
}

void harness_log_reset(void)
{
	last_op[0] = '\0';
	op_log_len = 0;
	if (op_log)
		op_log[0] = '\0';
}

/* --fail-sweep */
static struct harness_sweep_result *sweep_result;
static unsigned long sweep_n;
static bool sweep;

static void run_sweep(void *arg)
{
	const struct harness_test *t = arg;

	harness_sweep_arm(sweep_result, sweep_n);
	t->fn();
	harness_sweep_test_done();
	harness_exit_all();
	/* What the runner checks afterwards is no operation of the test's. */
	harness_set_fail_hook(NULL);
	harness_check_teardown();
}

int harness_run_test(const struct harness_test *t)
{
	return host_run_isolated(run_one, (void *)t);
}

static void run_workload(void *arg)
{
	const struct harness_test *t = arg;
	struct harness_cache_stats st;
	unsigned long i;

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

/* --benches, --bench=NAME */
static void run_bench(void *arg)
{
	const struct harness_bench *b = arg;

	harness_checks = false;
	b->fn();
	harness_exit_all();
	harness_check_teardown();
}

static int benches(const char *name)
{
	const struct harness_bench *b;

	for (b = __start_harness_benches; b < __stop_harness_benches; b++) {
		if (!name)
			host_print("%s %s %d\n", b->name, b->entry, b->ops);
		else if (!strcmp(b->name, name))
			return host_run_isolated(run_bench, (void *)b) ? 1 : 0;
	}
	if (name)
		host_eprint("harness: no benchmark %s (harness --benches lists them)\n", name);
	return name ? 2 : 0;
}

/* --sizes: what each object costs in this build's configuration. */
static int sizes(void)
{
	host_print("anon_vma %zu\nanon_vma_chain %zu\nvm_area_struct %zu\nmm_struct %zu\n",
		   sizeof(struct anon_vma), sizeof(struct anon_vma_chain),
		   sizeof(struct vm_area_struct), sizeof(struct mm_struct));
	return 0;
}

/* --known-bug */
#define MAX_KNOWN_BUGS 16
static const char *known_bugs[MAX_KNOWN_BUGS];
static int nr_known_bugs;

static bool known_bug(const struct harness_test *t)
{
	char full[128];
	int i;

	snprintf(full, sizeof(full), "%s/%s", t->area, t->name);
	for (i = 0; i < nr_known_bugs; i++)
		if (!strcmp(known_bugs[i], full))
			return true;
	return false;
}

static bool selected(const struct harness_test *t, const char *filter)
{
	char full[128];

	snprintf(full, sizeof(full), "%s/%s", t->area, t->name);
	/* A replay names one test. */
	if (sweep_n)
		return filter && !strcmp(full, filter);
	return !filter || strstr(full, filter);
}


/* Print one test's result of the sweep; true if it passed or was skipped. */
static bool sweep_report(int n, const struct harness_test *t, int status, const char *prog,
			 unsigned long ms)
{
	struct harness_sweep_result *r = sweep_result;
	unsigned long i;

	if (status == HARNESS_SKIPPED) {
		host_print("ok %d failure-sweep/%s/%s # SKIP\n", n, t->area, t->name);
		return true;
	}
	if (!r->failed && !status) {
		host_print("ok %d failure-sweep/%s/%s # %lu allocations, %lu swept, %lu.%lus\n", n,
			   t->area, t->name, r->allocs, r->swept, ms / 1000, ms % 1000 / 100);
		return true;
	}
	host_print("not ok %d failure-sweep/%s/%s # %lu allocations", n, t->area, t->name,
		   r->allocs);
	if (r->failed) {
		host_print(", failing %lu of them fails:", r->failed);
		for (i = 0; i < min_t(unsigned long, r->failed, ARRAY_SIZE(r->first)); i++)
			host_print(" %lu", r->first[i]);
		host_print("%s; replay: %s%s --fail-sweep=%lu %s/%s", r->failed > i ? " ..." : "",
			   prog, lazy_option(), r->first[0], t->area, t->name);
	}
	if (status)
		host_print("; the run without a failure exits with status %d", status);
	host_print("\n");
	return false;
}

/*
 * The sweep leaves out the concurrent tests (tests/race/): it injects no failure inside
 * their runs, and what they do outside is the operations of the other tests.
 */
static bool swept(const struct harness_test *t, const char *filter)
{
	return selected(t, filter) && strcmp(t->area, "race");
}

static int fail_sweep(const char *filter, const char *prog)
{
	const struct harness_test *t;
	int n = 0, passed = 0, failed = 0, total = 0;
	unsigned long runs = 0, start;

	sweep_result = host_alloc_shared(sizeof(*sweep_result));
	for (t = __start_harness_tests; t < __stop_harness_tests; t++)
		total += swept(t, filter);
	host_print("KTAP version 1\n1..%d\n", total);
	for (t = __start_harness_tests; t < __stop_harness_tests; t++) {
		int status;

		if (!swept(t, filter))
			continue;
		memset(sweep_result, 0, sizeof(*sweep_result));
		start = host_time_ms();
		status = host_run_isolated(run_sweep, (void *)t);
		n++;
		if (sweep_n) {
			host_print("%sok %d failure-sweep/%s/%s # allocation %lu of %lu failed%s\n",
				   status ? "not " : "", n, t->area, t->name, sweep_n,
				   sweep_result->allocs,
				   sweep_result->allocs < sweep_n ? " (not reached)" : "");
			status ? failed++ : passed++;
			continue;
		}
		runs += sweep_result->swept;
		if (sweep_report(n, t, status, prog, host_time_ms() - start))
			passed++;
		else
			failed++;
	}
	if (!sweep_n)
		host_print("# %lu runs with an allocation failing\n", runs);
	host_print("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

/* --random */
static unsigned long random_seed;
static int random_ops, random_procs;

static void run_random(void)
{
	unsigned long cpu = host_cpu_ms();

	harness_random(random_seed, random_ops, random_procs);
	/* What tools/report turns into steps per second; the boot is not counted. */
	host_print("# random: %d steps in %lu ms of CPU, every invariant checked\n", random_ops,
		   host_cpu_ms() - cpu);
}

/* A candidate sequence of the shrinker, run like a test. */
struct steps_run {
	const struct random_step *steps;
	int nr_steps;
};

static void run_steps(void *arg)
{
	const struct steps_run *sr = arg;

	harness_random_steps(sr->steps, sr->nr_steps, random_procs);
	harness_exit_all();
	harness_check_teardown();
}

/*
 * What kind of failure the output shows: its first FAIL or sanitizer ERROR line with every
 * number turned into '#', so that the same check failing on other pids, addresses or pages
 * counts as the same failure. Empty if the run did not fail.
 */
static void failure_kind(const char *out, char *kind, size_t len)
{
	const char *line = strstr(out, "FAIL: ");
	size_t n = 0;

	if (!line)
		line = strstr(out, "ERROR: ");
	if (!line)
		line = strstr(out, "fatal: ");
	for (; line && *line && *line != '\n' && n + 1 < len; line++) {
		if (isdigit(*line)) {
			kind[n++] = '#';
			while (isxdigit(line[1]) || line[1] == 'x')
				line++;
			continue;
		}
		kind[n++] = *line;
	}
	kind[n] = '\0';
}

static bool fails_the_same(const struct random_step *steps, int nr_steps, const char *kind,
			   char *out, size_t len)
{
	struct steps_run sr = { steps, nr_steps };
	char now[256];
	int status = host_run_isolated_output(run_steps, &sr, out, len);

	if (!status || status == HARNESS_SKIPPED)
		return false;
	failure_kind(out, now, sizeof(now));
	return !strcmp(now, kind);
}

/*
 * Shrink a failing sequence: first the shortest failing prefix (a sequence runs the same
 * every time, so one that fails at step k fails for every prefix longer than k), then drop
 * runs of steps, halving their length down to single steps, as long as the same failure
 * remains. Prints the result as a test case.
 */
static void shrink(struct random_step *steps, int nr_steps, const char *kind)
{
	char *out = host_alloc(LOG_SIZE);
	struct random_step *try = host_alloc(nr_steps * sizeof(*steps));
	int lo = 1, hi = nr_steps, chunk, i, runs = 0;
	char origin[160];

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		runs++;
		if (fails_the_same(steps, mid, kind, out, LOG_SIZE))
			hi = mid;
		else
			lo = mid + 1;
	}
	nr_steps = hi;
	/* Replays of long sequences are slow: say what is known before the long part. */
	host_print("# the first %d steps fail the same (%d runs); dropping runs of steps\n",
		   nr_steps, runs);
	for (chunk = nr_steps / 2; chunk >= 1; chunk /= 2) {
		for (i = 0; i + chunk <= nr_steps && nr_steps > 1; ) {
			memcpy(try, steps, i * sizeof(*steps));
			memcpy(try + i, steps + i + chunk, (nr_steps - i - chunk) * sizeof(*steps));
			runs++;
			if (fails_the_same(try, nr_steps - chunk, kind, out, LOG_SIZE)) {
				nr_steps -= chunk;
				memcpy(steps, try, nr_steps * sizeof(*steps));
			} else {
				i += chunk;
			}
		}
	}
	/* The last run may have been one that passed: show the failure of the result. */
	fails_the_same(steps, nr_steps, kind, out, LOG_SIZE);
	host_print("# shrunk to %d steps (%d runs); it fails with:\n%s", nr_steps, runs, out);
	snprintf(origin, sizeof(origin), "make fuzz SEED=%lu OPS=%d PROCS=%d, harness%s: %d steps of %d",
		 random_seed, random_ops, random_procs, lazy_option(), nr_steps, random_ops);
	host_print("# as a test case for tests/random/regressions.c:\n");
	harness_random_print_test("seed_shrunk", origin, steps, nr_steps, random_procs);
	host_free(try);
	host_free(out);
}

/* One seeded sequence; if it fails, shrink it. */
static int random_run(const char *spec)
{
	char name[64], kind[256];
	struct harness_test t = { .area = "random", .name = name, .fn = run_random };
	/* Room for what a failure prints: its report and the log of every operation. */
	size_t len = 4 * LOG_SIZE;
	char *out = host_alloc(len);
	int status;

	snprintf(name, sizeof(name), "seed_%lu", random_seed);
	host_print("KTAP version 1\n1..1\n");
	status = host_run_isolated_output(run_one, &t, out, len);
	host_print("%s%sok 1 random/%s # %s\n", out, status ? "not " : "", name, spec);
	if (status && random_ops > 0) {
		struct random_step *steps = host_alloc(random_ops * sizeof(*steps));

		harness_random_generate(random_seed, steps, random_ops);
		failure_kind(out, kind, sizeof(kind));
		host_print("# shrinking: the failure to keep is \"%s\"\n", kind);
		shrink(steps, random_ops, kind);
		host_free(steps);
	}
	host_free(out);
	host_print("%d passed, %d failed\n", !status, !!status);
	return status ? 1 : 0;
}

/* For --lazy=off: whether this tree has the switch at all. */
static void probe_lazy_switch(void *unused)
{
	int on;

	harness_boot(HARNESS_PAGES);
	host_exit(harness_sysctl_get("vm.anon_vma_lazy", &on) ? 1 : 0);
}


static __noreturn void usage(const char *arg)
{
	host_eprint("harness: unknown argument '%s'\nusage: harness [--lazy=on|off] [--trace=DIR] [--first-failure] [--schedule=SEED | --schedules=FIRST:COUNT | --few-schedules] [--workloads | --sizes | --benches | --bench=NAME | --random=SEED:OPS:PROCS | --exhaustive=DEPTH | [--fail-sweep[=N]] FILTER]\n",
		    arg);
	host_exit(2);
}

int harness_main(int argc, char **argv)
{
	const char *filter = NULL;
	const struct harness_test *t;
	int n = 0, passed = 0, failed = 0, skipped = 0, todo = 0, total = 0;
	bool run_workloads = false, list_benches = false, print_sizes = false;
	bool first_failure = false;
	const char *random_name = NULL, *exhaustive = NULL, *bench = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--lazy=on"))
			lazy_switch = 1;
		else if (!strcmp(argv[i], "--lazy=off"))
			lazy_switch = 0;
		else if (!strncmp(argv[i], "--known-bug=", 12) && nr_known_bugs < MAX_KNOWN_BUGS)
			known_bugs[nr_known_bugs++] = argv[i] + 12;
		else if (!strncmp(argv[i], "--trace=", 8))
			trace_dir = argv[i] + 8;
		else if (!strcmp(argv[i], "--workloads"))
			run_workloads = true;
		else if (sscanf(argv[i], "--schedule=%lu", &harness_schedule_first) == 1)
			harness_schedule_count = 1;
		else if (sscanf(argv[i], "--schedules=%lu:%lu", &harness_schedule_first,
				&harness_schedule_count) == 2)
			;
		else if (!strcmp(argv[i], "--few-schedules"))
			harness_few_schedules = true;
		else if (!strcmp(argv[i], "--first-failure"))
			first_failure = true;
		else if (!strcmp(argv[i], "--benches"))
			list_benches = true;
		else if (!strcmp(argv[i], "--sizes"))
			print_sizes = true;
		else if (!strncmp(argv[i], "--bench=", 8))
			bench = argv[i] + 8;
		else if (!strcmp(argv[i], "--fail-sweep"))
			sweep = true;
		else if (sscanf(argv[i], "--fail-sweep=%lu", &sweep_n) == 1 && sweep_n)
			sweep = true;
		else if (sscanf(argv[i], "--random=%lu:%d:%d", &random_seed, &random_ops,
				&random_procs) == 3)
			random_name = argv[i] + 9;
		else if (!strncmp(argv[i], "--exhaustive=", 13))
			exhaustive = argv[i] + 13;
		else if (argv[i][0] == '-' || filter)
			usage(argv[i]);
		else
			filter = argv[i];
	}
	if (lazy_switch >= 0 && !IS_ENABLED(CONFIG_ANON_VMA_LAZY)) {
		host_eprint("harness: --lazy needs a build with CONFIG_ANON_VMA_LAZY (HARNESS_VARIANT=lazy)\n");
		return 2;
	}
	if (lazy_switch == 0 && host_run_isolated(probe_lazy_switch, NULL)) {
		host_print("KTAP version 1\n1..0 # SKIP vm.anon_vma_lazy is not in this tree\n");
		host_print("0 passed, 0 failed\n");
		return 0;
	}
	/* Checked now: a test that cannot write its trace fails, and a random one is shrunk. */
	if (trace_dir && !host_is_dir(trace_dir)) {
		host_eprint("harness: --trace=%s: no such directory\n", trace_dir);
		return 2;
	}
	/* Every run below forks its tests, sequences or benchmarks from this booted state. */
	boot();
	if (run_workloads)
		return workloads();
	if (list_benches || bench)
		return benches(bench);
	if (print_sizes)
		return sizes();
	if (sweep && (random_name || trace_dir))
		usage("--fail-sweep");
	if (sweep)
		return fail_sweep(filter, argv[0]);
	if (random_name)
		return random_run(random_name);
	if (exhaustive) {
		char replay[256];

		snprintf(replay, sizeof(replay), "%s%s", argv[0], lazy_option());
		return harness_exhaustive(exhaustive, replay);
	}
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
		else if (status == HARNESS_SKIPPED)
			skipped++;
		else if (known_bug(t))
			todo++;
		else
			failed++;
		host_print("%sok %d %s/%s", status && status != HARNESS_SKIPPED ? "not " : "", n,
			   t->area, t->name);
		if (status == HARNESS_SKIPPED)
			host_print(" # SKIP");
		else if (status && known_bug(t))
			host_print(" # TODO a bug of the base kernel; this tree lacks its fix");
		else if (status)
			host_print(" # exit status %d", status);
		host_print("\n");
		/* All a mutant run (tools/mutate) needs to know. */
		if (failed && first_failure) {
			host_print("# stopped at the first failure (--first-failure)\n");
			break;
		}
	}
	if (skipped)
		host_print("# %d skipped\n", skipped);
	if (todo)
		host_print("# %d failed as known bugs of the base (tests/known-base-bugs)\n", todo);
	host_print("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
