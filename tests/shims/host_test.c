// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the leak check every test process ends with (shims/host.c): LeakSanitizer
 * looks for roots in the harness' own data and the C library's only, not in the sanitizer
 * runtimes'. A block nothing points to must still be reported when the process exits, and
 * blocks that only a global of the harness or the C library holds must not.
 * Each case runs in a child process, as a test does; LeakSanitizer's report makes the child
 * exit with LEAK_EXIT. KTAP on stdout.
 */
#include <linux/compiler.h>

#include "host.h"

/* What a process of ASan exits with when LeakSanitizer reports (ASan's exitcode). */
#define LEAK_EXIT 1

static int n, passed, failed;

static void report(bool ok, const char *name, int status)
{
	n++;
	if (ok)
		passed++;
	else
		failed++;
	host_print("%sok %d %s", ok ? "" : "not ", n, name);
	if (!ok)
		host_print(" # exit status %d", status);
	host_print("\n");
}

/* Not inlined, so that no register or stack slot of the caller keeps the pointer. */
static noinline void leak_a_block(void)
{
	void *volatile p = host_alloc(200);

	p = NULL;
	(void)p;
}

static void leaks(void *unused)
{
	int i;

	host_discard_stderr();
	for (i = 0; i < 4; i++)
		leak_a_block();
}

/* volatile: a store the program never reads back would be left out. */
static void *volatile kept_by_a_global;

static void global_holds(void *unused)
{
	kept_by_a_global = host_alloc(200);
}

/*
 * Standard output's buffer: the C library malloc()ed it at the parent's first output (the
 * KTAP header), and only its FILE points to it.
 */
static void c_library_holds(void *unused)
{
	host_print("# the child writes to the buffer it inherited\n");
}

int harness_main(int argc, char **argv)
{
	int status;

	host_print("KTAP version 1\n1..3\n");
	status = host_run_isolated(leaks, NULL);
	report(status == LEAK_EXIT, "a block nothing points to is reported", status);
	status = host_run_isolated(global_holds, NULL);
	report(status == 0, "a block a global holds is not", status);
	status = host_run_isolated(c_library_holds, NULL);
	report(status == 0, "a block the C library holds is not", status);
	host_print("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
