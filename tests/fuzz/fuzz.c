// SPDX-License-Identifier: GPL-2.0
/*
 * The libFuzzer target: the bytes of an input are a random sequence (tests/random/random.h),
 * run with every invariant and the page shadow checked after every step.
 *
 *   byte 0          bit 0: vm.anon_vma_lazy at the start; bits 1-3: up to 1 + that many
 *                   processes
 *   then 6 bytes    per step: op, proc, start, n, arg, arg2 (struct random_step), at most
 *                   FUZZ_MAX_STEPS steps; a partial step at the end is ignored
 *
 * Every field is reduced to its range when the step runs, so every input is a valid
 * sequence and libFuzzer's mutations need not know the format.
 *
 * Unlike the test runner, which forks a freshly booted model per test, every input runs in
 * this one process on a model booted once: libFuzzer needs the coverage of each run in its
 * own process, and a boot per input would cost more than most inputs. That is sound because
 * each input ends by exiting every process and checking teardown (I7), so nothing of one
 * input is left for the next but the switch, which each input sets. A failure aborts
 * (host_exit() in the fuzz build), so that libFuzzer keeps the input.
 */
#include <linux/kernel.h>
#include "host.h"
#include "harness.h"
#include "../random/random.h"

/* Every step runs the whole checker: a cap keeps each execution to a fraction of a second. */
#define FUZZ_MAX_STEPS 128

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct random_step steps[FUZZ_MAX_STEPS];
	static bool booted;
	int i, nr_steps;

	/* After libFuzzer's own signal handlers, which would report a WARN() as a bare SIGILL. */
	if (!booted) {
		host_catch_traps();
		harness_boot_in_process();
		booted = true;
	}
	if (!size)
		return 0;
	nr_steps = min_t(size_t, (size - 1) / sizeof(steps[0]), FUZZ_MAX_STEPS);
	for (i = 0; i < nr_steps; i++) {
		const u8 *b = data + 1 + i * sizeof(steps[0]);

		steps[i] = (struct random_step) {
			.op = b[0], .proc = b[1], .start = b[2], .n = b[3],
			.arg = b[4], .arg2 = b[5],
		};
	}
	harness_log_reset();
	op_set_lazy(data[0] & 1);
	harness_random_steps(steps, nr_steps, 1 + ((data[0] >> 1) & 7));
	harness_exit_all();
	harness_check_teardown();
	return 0;
}
