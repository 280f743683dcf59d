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
 * Zeroed whole pages, never freed, that the host maps only when they are first touched: the
 * model's physical memory, so that an untouched frame costs nothing, even to fork(). The
 * sanitizers see it as mapped memory rather than a heap block (no redzones around it).
 */
void *host_alloc_pages(size_t align, size_t size);
void host_free(void *p);

/* Output to stdout (test results) and stderr (diagnostics). */
__printf(1, 2) void host_print(const char *fmt, ...);
__printf(1, 2) void host_eprint(const char *fmt, ...);
/* Write @len bytes of @buf to a new file at @path (replacing it); dies on failure. */
void host_write_file(const char *path, const char *buf, size_t len);
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
/* Run fn(arg) in a child process; its exit status, or 128 + signal number if it died. */
int host_run_isolated(void (*fn)(void *), void *arg);
/* The same with the child's stdout and stderr kept in out (NUL-terminated, truncated). */
int host_run_isolated_output(void (*fn)(void *), void *arg, char *out, size_t len);
/*
 * For searches that branch (tests/random/exhaustive.c): memory that stays shared with the
 * processes forked after it is allocated; fork(), whose child gets a copy of the whole model;
 * waiting for a child (its exit status, or 128 + signal number); leaving without the exit
 * handlers (LeakSanitizer's scan of the heap would cost each branch more than its work);
 * a monotonic clock and the CPU time used by this process and the children it waited for,
 * in milliseconds; and silence for what a branch prints to stderr, once enough failures
 * have been shown.
 */
void *host_alloc_shared(size_t size);
int host_fork(void);
int host_wait(int pid);
__noreturn void host_exit_now(int status);
unsigned long host_now_ms(void);
unsigned long host_cpu_ms(void);
void host_discard_stderr(void);
/* The test program's entry point (tests/lib/main.c), called by main(). */
int harness_main(int argc, char **argv);

#endif /* HARNESS_HOST_H */
