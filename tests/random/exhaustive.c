// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded exhaustive search (harness --exhaustive=DEPTH): every sequence of up to DEPTH
 * steps over a small alphabet of steps that matter to the reverse map, from a layout of
 * three VMAs, over up to three processes. Each step runs through the executor of random.c,
 * so every invariant and the page shadow are checked after it; every sequence then ends
 * with its processes exiting and nothing left behind (I7).
 *
 * Sequences share their prefixes: once a prefix has run, each extension runs in a fork of
 * the host process. The model is plain memory of this one process (no threads, no files,
 * no shared mappings; pids are the model's own), so the fork carries on from exactly the
 * state the prefix left, and a prefix runs once however many sequences start with it.
 * A step that does not apply where the sequence is (a process that does not exist, a fork
 * with three processes, an exit of the last one, the switch on a tree without it) is left
 * out: the sequence without it is searched already.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include "harness.h"
#include "sysctl.h"
#include "random.h"

#define MAX_DEPTH 8
#define MAX_PROCS 3
/* Failures shown in full (the failing run's output, the test case); the rest by name. */
#define SHOWN_FAILURES 3
#define NAMED_FAILURES 50

/*
 * The layout every sequence starts from, carved out of the initial window: A = pages
 * [0, 4) read-write, a gap [4, 8) for mremap to move into, B = [8, 12) read-write and
 * C = [12, 16) read-only, next to B so that mprotect can merge them; nothing after it.
 */
static const struct random_step setup[] = {
	{ RANDOM_MUNMAP, 0, 4, 3 },
	{ RANDOM_MPROTECT, 0, 12, 3, 0 },
	{ RANDOM_MUNMAP, 0, 16, 5 },
	{ RANDOM_MUNMAP, 0, 22, 5 },
	{ RANDOM_MUNMAP, 0, 28, 5 },
	{ RANDOM_MUNMAP, 0, 34, 5 },
	{ RANDOM_MUNMAP, 0, 40, 5 },
	{ RANDOM_MUNMAP, 0, 46, 1 },
};

/* When a letter applies: in every state its process exists in, or with a further test. */
enum letter_kind { ANY, FORK, EXIT, SWITCH };

struct letter {
	const char *name;
	struct random_step step;
	enum letter_kind kind;
};

/*
 * The alphabet. Writes (a first fault, or a COW of a page the fork tree shares) in each
 * process, and a read in the first child (the checks see structures, a read the contents);
 * fork and exit; the VMA operations, reclaim and migration (the rmap walks) in the
 * first process, since a fork copies its layout to the others, and the mprotect merges in
 * the first child too. Written values differ per letter and process, so that the shadow
 * tells every copy apart.
 */
#define WRITE_LETTER(_name, _proc, _page, _value)						\
	{ _name, { RANDOM_ACCESS, _proc, _page, 0, 1, (_value) - 1 }, ANY }
static const struct letter letters[] = {
	WRITE_LETTER("write-A.p0", 0, 1, 0x10),
	WRITE_LETTER("write-B.p0", 0, 9, 0x20),
	WRITE_LETTER("write-C.p0", 0, 13, 0x30),
	WRITE_LETTER("write-A.p1", 1, 1, 0x11),
	WRITE_LETTER("write-B.p1", 1, 9, 0x21),
	WRITE_LETTER("write-A.p2", 2, 1, 0x12),
	/* What the child sees of A: the shadow says what it must read. */
	{ "read-A.p1", { RANDOM_ACCESS, 1, 1, 0, 0 }, ANY },
	{ "fork.p0", { RANDOM_FORK, 0 }, FORK },
	{ "fork.p1", { RANDOM_FORK, 1 }, FORK },
	{ "exit.p0", { RANDOM_EXIT, 0 }, EXIT },
	{ "exit.p1", { RANDOM_EXIT, 1 }, EXIT },
	/* B and C to read-write: they merge (or what B-top did is undone). */
	{ "mprotect-BC-rw.p0", { RANDOM_MPROTECT, 0, 8, 7, 1 }, ANY },
	/*
	 * The top half of B read-only: B splits, and while B is unfaulted that half joins C.
	 * A faulted half stays apart: mprotect() took VM_ACCOUNT from C, unfaulted, but keeps
	 * it on a VMA with an anon_vma, so dup_anon_vma() is not reached this way.
	 */
	{ "mprotect-B-top-ro.p0", { RANDOM_MPROTECT, 0, 10, 1, 0 }, ANY },
	/* B moves into the gap, next to A: they merge if their anon_vmas allow. */
	{ "mremap-B-to-A.p0", { RANDOM_MREMAP, 0, 8, 3, (4 << 1) | 1, 3 }, ANY },
	/* A hole in A: two VMAs with one anon_vma. */
	{ "munmap-A-middle.p0", { RANDOM_MUNMAP, 0, 2, 0 }, ANY },
	{ "dontneed-B.p0", { RANDOM_MADVISE, 0, 8, 3, 0 }, ANY },
	{ "wipeonfork-A.p0", { RANDOM_MADVISE, 0, 0, 3, 1 }, ANY },
	{ "reclaim-A.p0", { RANDOM_RECLAIM, 0, 1 }, ANY },
	{ "migrate-B.p0", { RANDOM_MIGRATE, 0, 9 }, ANY },
	/* The same in the first child, whose VMAs may not lend a fork's anon_vma (I8). */
	{ "mprotect-BC-rw.p1", { RANDOM_MPROTECT, 1, 8, 7, 1 }, ANY },
	{ "mprotect-B-top-ro.p1", { RANDOM_MPROTECT, 1, 10, 1, 0 }, ANY },
	/* vm.anon_vma_lazy flipped. */
	{ "switch", { RANDOM_SWITCH }, SWITCH },
};

/* Counts of the whole search, in memory that every forked branch shares. */
struct totals {
	unsigned long sequences, failed;
	int planned, passed, failed_results;
};

/* The search's state; each fork carries on with its own copy. */
static struct {
	int max_depth;
	/* A replay (--exhaustive=NAME,...): the letter of each depth; else only_len is 0. */
	u8 only[MAX_DEPTH];
	int only_len;
	const char *replay_prefix;
	struct totals *totals;
	struct random_run *run;
	int has_switch, lazy;
	/* The sequence so far: its letters, and the steps it ran after the setup's. */
	u8 path[MAX_DEPTH];
	struct random_step steps[ARRAY_SIZE(setup) + MAX_DEPTH];
} s;

/* Whether letter i applies at depth with procs processes running. */
static bool applies_in(int depth, int i, int procs)
{
	const struct letter *l = &letters[i];

	if (s.only_len && s.only[depth] != i)
		return false;
	if (l->step.proc >= procs)
		return false;
	switch (l->kind) {
	case FORK:
		return procs < MAX_PROCS;
	case EXIT:
		return procs > 1;
	case SWITCH:
		return s.has_switch;
	default:
		return true;
	}
}

/* Whether letter i applies where the run is, and the step it runs there. */
static bool applies(int depth, int i, struct random_step *step)
{
	*step = letters[i].step;
	if (letters[i].kind == SWITCH)
		step->arg = !s.lazy;
	return applies_in(depth, i, random_nr_procs(s.run));
}

/* The sequences of 1 to s.max_depth - depth more letters after a state with procs processes. */
static unsigned long count(int depth, int procs)
{
	unsigned long n = 0;
	int i;

	for (i = 0; depth < s.max_depth && i < ARRAY_SIZE(letters); i++)
		if (applies_in(depth, i, procs))
			n += 1 + count(depth + 1, procs + (letters[i].kind == FORK) -
				       (letters[i].kind == EXIT));
	return n;
}

static void print_path(int len)
{
	int i;

	for (i = 0; i < len; i++)
		host_print("%s%s", i ? "," : "", letters[s.path[i]].name);
	host_print("\n");
}

/*
 * The sequence s.path[0, len) failed: its last step or its teardown. The parent of the
 * failed fork reports it, since it knows the sequence and stays alive to search on.
 */
static void report(int len, int status)
{
	struct totals *t = s.totals;
	char origin[160];

	t->failed++;
	if (t->failed > NAMED_FAILURES)
		return;
	host_print("# failing sequence %lu (exit status %d): ", t->failed, status);
	print_path(len);
	if (t->failed > SHOWN_FAILURES)
		return;
	host_print("# replay with: %s --exhaustive=", s.replay_prefix);
	print_path(len);
	snprintf(origin, sizeof(origin), "harness --exhaustive: %d steps after %zu of setup",
		 len, ARRAY_SIZE(setup));
	harness_random_print_test("exhaustive_found", origin, s.steps, ARRAY_SIZE(setup) + len,
				  MAX_PROCS);
}

static void explore(int depth);

/*
 * Run the sequence s.path[0, depth) + letter i in a fork, which then searches every
 * extension and ends with every process exiting; 0 if the step and the teardown passed.
 */
static int branch(int depth, int i, const struct random_step *step)
{
	int pid, status;

	s.path[depth] = i;
	s.steps[ARRAY_SIZE(setup) + depth] = *step;
	pid = host_fork();
	if (!pid) {
		if (s.totals->failed >= SHOWN_FAILURES)
			host_discard_stderr();
		s.totals->sequences++;
		random_run_step(s.run, step, ARRAY_SIZE(setup) + depth);
		if (letters[i].kind == SWITCH)
			s.lazy = step->arg;
		explore(depth + 1);
		harness_exit_all();
		harness_check_teardown();
		host_exit_now(0);
	}
	status = host_wait(pid);
	if (status)
		report(depth + 1, status);
	return status;
}

static void explore(int depth)
{
	struct random_step step;
	int i;

	for (i = 0; depth < s.max_depth && i < ARRAY_SIZE(letters); i++)
		if (applies(depth, i, &step))
			branch(depth, i, &step);
}

static void result(bool ok, int n, const char *name, const char *comment)
{
	if (ok)
		s.totals->passed++;
	else
		s.totals->failed_results++;
	host_print("%sok %d exhaustive/%s # %s\n", ok ? "" : "not ", n, name, comment);
}

/* The search, as the body of a test: one KTAP result per first letter. */
static void search(void)
{
	struct random_step step;
	int i, n = 0, pid, status;

	s.run = random_start(MAX_PROCS);
	memcpy(s.steps, setup, sizeof(setup));
	for (i = 0; i < ARRAY_SIZE(setup); i++)
		random_run_step(s.run, &setup[i], i);
	s.has_switch = !harness_sysctl_get("vm.anon_vma_lazy", &s.lazy);
	for (i = 0; s.max_depth && i < ARRAY_SIZE(letters); i++)
		n += applies(0, i, &step);
	host_print("# %lu sequences to run\n1..%d\n", count(0, random_nr_procs(s.run)), n + 1);
	s.totals->planned = n + 1;
	pid = host_fork();
	if (!pid) {
		harness_exit_all();
		harness_check_teardown();
		host_exit_now(0);
	}
	status = host_wait(pid);
	result(!status, 1, "setup", "the three VMAs, then teardown");
	n = 1;
	for (i = 0; s.max_depth && i < ARRAY_SIZE(letters); i++) {
		unsigned long sequences = s.totals->sequences, failed = s.totals->failed;
		char comment[80];

		if (!applies(0, i, &step))
			continue;
		branch(0, i, &step);
		snprintf(comment, sizeof(comment), "%lu sequences, %lu failed",
			 s.totals->sequences - sequences, s.totals->failed - failed);
		result(s.totals->failed == failed, ++n, letters[i].name, comment);
	}
	random_finish(s.run);
}

/* Letter names, comma-separated, into s.only; false if one is not a letter. */
static bool parse_sequence(const char *spec)
{
	const char *p = spec;
	int i;

	while (*p) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < ARRAY_SIZE(letters); i++)
			if (strlen(letters[i].name) == len && !strncmp(letters[i].name, p, len))
				break;
		if (i == ARRAY_SIZE(letters) || s.only_len == MAX_DEPTH)
			return false;
		s.only[s.only_len++] = i;
		p += len + !!p[len];
	}
	return s.only_len > 0;
}

int harness_exhaustive(const char *spec, const char *replay_prefix)
{
	struct harness_test t = { .area = "exhaustive", .name = "search", .fn = search };
	unsigned long start = host_time_ms(), cpu = host_cpu_ms(), ms;
	int status, i;

	if (!kstrtoint(spec, 10, &s.max_depth)) {
		if (s.max_depth < 0 || s.max_depth > MAX_DEPTH)
			s.max_depth = -1;
	} else if (parse_sequence(spec)) {
		s.max_depth = s.only_len;
	} else {
		s.max_depth = -1;
	}
	if (s.max_depth < 0) {
		host_eprint("harness: --exhaustive=%s: a depth up to %d or a sequence of letters:",
			    spec, MAX_DEPTH);
		for (i = 0; i < ARRAY_SIZE(letters); i++)
			host_eprint(" %s", letters[i].name);
		host_eprint("\n");
		return 2;
	}
	s.replay_prefix = replay_prefix;
	s.totals = host_alloc_shared(sizeof(*s.totals));
	host_print("KTAP version 1\n");
	host_print("# exhaustive: %zu letters, depth %d, up to %d processes, 3 VMAs (A [0,4) rw, B [8,12) rw, C [12,16) ro pages of the window)\n",
		   ARRAY_SIZE(letters), s.max_depth, MAX_PROCS);
	host_print("# letters:");
	for (i = 0; i < ARRAY_SIZE(letters); i++)
		host_print(" %s", letters[i].name);
	host_print("\n");
	status = harness_run_test(&t);
	ms = host_time_ms() - start;
	cpu = host_cpu_ms() - cpu;
	host_print("# %lu sequences of 1 to %d steps, %lu failed, in %lu.%03lu s (CPU %lu.%03lu s): %lu sequences per CPU second\n",
		   s.totals->sequences, s.max_depth, s.totals->failed, ms / 1000, ms % 1000,
		   cpu / 1000, cpu % 1000, s.totals->sequences * 1000 / (cpu ? cpu : 1));
	if (status) {
		/* The search itself failed: in the setup, or in the teardown after it. */
		if (!s.totals->planned)
			host_print("1..1\n");
		host_print("not ok %d exhaustive/search # exit status %d\n",
			   s.totals->passed + s.totals->failed_results + 1, status);
		s.totals->failed_results++;
	}
	host_print("%d passed, %d failed\n", s.totals->passed, s.totals->failed_results);
	return s.totals->failed_results ? 1 : 0;
}
