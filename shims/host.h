/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host services for kernel-mode harness code: the few libc facilities the models need,
 * declared with kernel types so that files built with kernel headers can call them.
 * Implemented in shims/host.c, the only shim built against the C library.
 */
#ifndef HARNESS_HOST_H
#define HARNESS_HOST_H

#include <linux/types.h>
#include <linux/compiler.h>

/* Memory that ASan and Valgrind track; host_free() makes every later access an error. */
void *host_alloc(size_t size);
void *host_alloc_aligned(size_t align, size_t size);
/*
 * Zeroed memory that takes host memory only where it is written (mmap()), so that forking
 * a test process copies only what it used; never freed, and not tracked by ASan.
 */
void *host_alloc_zeroed_pages(size_t align, size_t size);
void host_free(void *p);

/* Output to stdout (test results) and stderr (diagnostics). */
__printf(1, 2) void host_print(const char *fmt, ...);
__printf(1, 2) void host_eprint(const char *fmt, ...);
/* Write @len bytes of @buf to a new file at @path (replacing it); dies on failure. */
void host_write_file(const char *path, const char *buf, size_t len);
/* Whether @path names a directory. */
bool host_is_dir(const char *path);
/* Print the current call stack to stderr. */
void host_backtrace(void);
/* Stop the test program at once: an unrecoverable harness or kernel error. */
__printf(1, 2) __noreturn void host_die(const char *fmt, ...);

/*
 * Fail the running test: print the message and what the test did so far, and stop. The
 * models call it when the code under test does something the kernel would report (a
 * WARN(), a BUG(), a lock error). Implemented by the test runner (tests/lib/main.c).
 */
__printf(1, 2) __noreturn void harness_fail(const char *fmt, ...);
/* The kernel-side handler of a ud2 trap (BUG(), WARN()) at ip; it fails the test. */
__noreturn void harness_trap(unsigned long ip);

/* Leave the test program with a status (0: passed). */
__noreturn void host_exit(int status);
/* The same without exit handlers: no LeakSanitizer scan of the whole heap. */
__noreturn void host_exit_now(int status);
/* Run fn(arg) in a child process; its exit status, or 128 + signal number if it died. */
int host_run_isolated(void (*fn)(void *), void *arg);
/*
 * The measured part of a benchmark (tests/bench): under callgrind, forget the cost counted
 * so far; write the cost counted since as a dump of its own.
 */
void host_cost_begin(void);
void host_cost_end(void);
/* From now on a trap (BUG(), WARN()) in this process goes to harness_trap(). */
void host_catch_traps(void);
/* The same with the child's stdout and stderr kept in out (NUL-terminated, truncated). */
int host_run_isolated_output(void (*fn)(void *), void *arg, char *out, size_t len);
/*
 * Fork: true in the child; in the parent, false once the child has ended, with its status
 * as host_run_isolated() gives it. The child's output is kept apart, and shown only if it
 * failed and show_failure is set.
 */
bool host_fork_wait(int *status, bool show_failure);
/* Zeroed memory that stays shared with the child processes forked after this call. */
void *host_alloc_shared(size_t size);
/* Call fn (which does not return: it fails the test) once this process has run for s seconds. */
void host_time_limit(unsigned int s, void (*fn)(void));
/* Milliseconds of a monotonic clock. */
unsigned long host_time_ms(void);
/*
 * For searches that branch (tests/random/exhaustive.c): fork(), whose child gets a copy of
 * the whole model; waiting for a child (its exit status, or 128 + signal number); the CPU
 * time used by this process and the children it waited for, in milliseconds; and silence
 * for what a branch prints to stderr, once enough failures have been shown.
 */
int host_fork(void);
int host_wait(int pid);
unsigned long host_cpu_ms(void);

/*
 * Execution contexts on one host thread, for the scheduler model (shims/sched.c): each has
 * a stack of its own, and ASan and Valgrind are told of every switch. host_context_new()
 * makes one that will run fn(arg) when first switched to; fn must never return (it
 * switches away for good with host_context_exit()). The context that runs main() exists
 * from the start: host_context_main().
 */
struct host_context;
struct host_context *host_context_new(void (*fn)(void *), void *arg);
struct host_context *host_context_main(void);
/* Switch from the running context to @to; returns when something switches back. */
void host_context_switch(struct host_context *to);
/* Leave the running context for good, for @to; free it later with host_context_free(). */
__noreturn void host_context_exit(struct host_context *to);
void host_context_free(struct host_context *ctx);
void host_discard_stderr(void);
/* The test program's entry point (tests/lib/main.c), called by main(). */
int harness_main(int argc, char **argv);

#endif /* HARNESS_HOST_H */
