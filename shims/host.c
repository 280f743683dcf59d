// SPDX-License-Identifier: GPL-2.0
/*
 * The harness' only file built against the C library rather than the kernel headers: it
 * implements shims/host.h for the kernel-mode models.
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))
#define HARNESS_HOST_H
void *host_alloc(size_t size);
void *host_alloc_aligned(size_t align, size_t size);
void host_free(void *p);
__printf(1, 2) void host_print(const char *fmt, ...);
__printf(1, 2) void host_eprint(const char *fmt, ...);
void host_backtrace(void);
__printf(1, 2) __noreturn void host_die(const char *fmt, ...);

void *host_alloc(size_t size)
{
	void *p = calloc(1, size);

	if (!p)
		host_die("host_alloc(%zu): out of memory", size);
	return p;
}

void *host_alloc_aligned(size_t align, size_t size)
{
	void *p;

	if (posix_memalign(&p, align, size))
		host_die("host_alloc_aligned(%zu, %zu): out of memory", align, size);
	memset(p, 0, size);
	return p;
}

void host_free(void *p)
{
	free(p);
}

void host_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

void host_eprint(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void host_backtrace(void)
{
	void *frames[64];
	int n = backtrace(frames, 64);

	fflush(stdout);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
}

void host_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	fprintf(stderr, "harness: fatal: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	host_backtrace();
	abort();
}
