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
void host_free(void *p);

/* Output to stdout (test results) and stderr (diagnostics). */
__printf(1, 2) void host_print(const char *fmt, ...);
__printf(1, 2) void host_eprint(const char *fmt, ...);
/* Print the current call stack to stderr. */
void host_backtrace(void);
/* Stop the test program at once: an unrecoverable harness or kernel error. */
__printf(1, 2) __noreturn void host_die(const char *fmt, ...);

#endif /* HARNESS_HOST_H */
