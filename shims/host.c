// SPDX-License-Identifier: GPL-2.0
/*
 * The harness' only file built against the C library rather than the kernel headers: it
 * implements shims/host.h for the kernel-mode models.
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <link.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>
#include <valgrind/valgrind.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#endif

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))
#define HARNESS_HOST_H
void *host_alloc(size_t size);
void *host_alloc_aligned(size_t align, size_t size);
void *host_alloc_zeroed_pages(size_t align, size_t size);
void host_free(void *p);
__printf(1, 2) void host_print(const char *fmt, ...);
__printf(1, 2) void host_eprint(const char *fmt, ...);
void host_backtrace(void);
__printf(1, 2) __noreturn void host_die(const char *fmt, ...);
__noreturn void host_exit(int status);
/* Weak: the models' self-tests link without the kernel side that decodes traps. */
__noreturn void harness_trap(unsigned long ip) __attribute__((weak));
void host_write_file(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		host_die("writing %s: %m", path);
}

bool host_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int host_run_isolated(void (*fn)(void *), void *arg);
void host_catch_traps(void);
bool host_fork_wait(int *status, bool show_failure);
void *host_alloc_shared(size_t size);
unsigned long host_time_ms(void);
__noreturn void host_exit_now(int status);
int host_fork(void);
int host_wait(int pid);
unsigned long host_cpu_ms(void);
void host_discard_stderr(void);
int harness_main(int argc, char **argv);

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

void *host_alloc_zeroed_pages(size_t align, size_t size)
{
	char *p = mmap(NULL, size + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	size_t head;

	if (p == MAP_FAILED)
		host_die("host_alloc_zeroed_pages(%zu, %zu): %m", align, size);
	head = -(unsigned long)p & (align - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + size, align - head);
	return p + head;
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

/* Provided by the sanitizer runtime when there is one: it prints file and line. */
extern void __sanitizer_print_stack_trace(void) __attribute__((weak));

void host_backtrace(void)
{
	void *frames[64];
	int n;

	fflush(stdout);
	if (__sanitizer_print_stack_trace) {
		__sanitizer_print_stack_trace();
		return;
	}
	n = backtrace(frames, 64);
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

#ifdef HARNESS_FUZZ
/* Read by the ASan runtime at start-up; ASAN_OPTIONS can still override it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "external_symbolizer_path=" HARNESS_SYMBOLIZER;
}
#endif

void host_exit(int status)
{
	fflush(stdout);
	fflush(stderr);
#ifdef HARNESS_FUZZ
	/*
	 * The fuzz target runs every input in this process, so nothing may end it but a
	 * failure, and a failure must be a crash for libFuzzer to keep the input.
	 */
	fprintf(stderr, "harness: exit(%d) in the fuzz target: aborting for libFuzzer\n", status);
	abort();
#endif
	exit(status);
}

void host_exit_now(int status)
{
	fflush(stdout);
	fflush(stderr);
	_exit(status);
}

/*
 * The kernel's BUG() and WARN() are a ud2 instruction: in the kernel the trap handler
 * reports them; here the trap is SIGILL, and either one fails the test.
 */
static void on_trap(int sig, siginfo_t *info __attribute__((unused)), void *ctx)
{
	ucontext_t *uc = ctx;
	void *ip = (void *)uc->uc_mcontext.gregs[REG_RIP];

	if (harness_trap)
		harness_trap((unsigned long)ip);
	host_die("trap (signal %d) at %p", sig, ip);
}

void host_catch_traps(void)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };

	sigaction(SIGILL, &sa, NULL);
}

static void (*time_limit_fn)(void);

static void on_alarm(int sig __attribute__((unused)))
{
	time_limit_fn();
}

void host_time_limit(unsigned int s, void (*fn)(void))
{
	time_limit_fn = fn;
	signal(SIGALRM, on_alarm);
	alarm(s);
}

/* Run fn(arg) in a child process; returns its exit status, or 128 + signal if it died. */
int host_run_isolated(void (*fn)(void *), void *arg)
{
	pid_t pid = host_fork();

	if (pid == 0) {
		host_catch_traps();
		fn(arg);
		host_exit(0);
	}
	return host_wait(pid);
}

/* Fork with the child's stdout and stderr going to out; the child's pid, or 0 in the child. */
static pid_t fork_into(FILE *out)
{
	pid_t pid = host_fork();

	if (pid == 0) {
		dup2(fileno(out), STDOUT_FILENO);
		dup2(fileno(out), STDERR_FILENO);
		fclose(out);
	}
	return pid;
}

static FILE *new_tmpfile(void)
{
	FILE *out = tmpfile();

	if (!out)
		host_die("tmpfile: %m");
	return out;
}

bool host_fork_wait(int *status, bool show_failure)
{
	FILE *out = new_tmpfile();
	char buf[4096];
	size_t n;
	pid_t pid = fork_into(out);

	if (pid == 0)
		return true;
	*status = host_wait(pid);
	if (*status && show_failure) {
		rewind(out);
		while ((n = fread(buf, 1, sizeof(buf), out)))
			fwrite(buf, 1, n, stderr);
	}
	fclose(out);
	return false;
}

int host_run_isolated_output(void (*fn)(void *), void *arg, char *buf, size_t len)
{
	FILE *out = new_tmpfile();
	pid_t pid = fork_into(out);
	int status;

	if (pid == 0) {
		host_catch_traps();
		fn(arg);
		host_exit(0);
	}
	status = host_wait(pid);
	rewind(out);
	buf[fread(buf, 1, len - 1, out)] = '\0';
	fclose(out);
	return status;
}

void *host_alloc_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		host_die("host_alloc_shared(%zu): %m", size);
	return p;
}

unsigned long host_time_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int host_fork(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		host_die("fork: %m");
	return pid;
}

int host_wait(int pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		host_die("waitpid: %m");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

unsigned long host_cpu_ms(void)
{
	struct rusage self, children;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	return (self.ru_utime.tv_sec + self.ru_stime.tv_sec + children.ru_utime.tv_sec +
		children.ru_stime.tv_sec) * 1000UL +
	       (self.ru_utime.tv_usec + self.ru_stime.tv_usec + children.ru_utime.tv_usec +
		children.ru_stime.tv_usec) / 1000;
}

void host_discard_stderr(void)
{
	fflush(stderr);
	if (!freopen("/dev/null", "w", stderr))
		host_die("/dev/null: %m");
}

/* Execution contexts (host.h): ucontext, with the switches announced to ASan and Valgrind. */
#define HOST_CONTEXT_STACK (512 << 10)

struct host_context {
	ucontext_t uc;
	void *stack;		/* NULL for main()'s until its bounds are known */
	size_t stack_size;
	void *fake_stack;	/* ASan's fake stack frames while switched away */
	unsigned int valgrind_id;
	bool exited;
	void (*fn)(void *);
	void *arg;
};

static struct host_context main_context;
static struct host_context *running_context = &main_context;
/* The context a switch left, for the one it entered to learn main()'s stack bounds. */
static struct host_context *switched_from;

struct host_context *host_context_main(void)
{
	return &main_context;
}

static void context_entered(void)
{
#ifdef __SANITIZE_ADDRESS__
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(running_context->fake_stack, &bottom, &size);
	if (!switched_from->stack) {
		switched_from->stack = (void *)bottom;
		switched_from->stack_size = size;
	}
#endif
}

static void context_start(void)
{
	struct host_context *self = running_context;

	context_entered();
	self->fn(self->arg);
	host_die("a host context's function returned");
}

struct host_context *host_context_new(void (*fn)(void *), void *arg)
{
	struct host_context *ctx = host_alloc(sizeof(*ctx));

	ctx->stack_size = HOST_CONTEXT_STACK;
	ctx->stack = mmap(NULL, ctx->stack_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (ctx->stack == MAP_FAILED)
		host_die("host_context_new: %m");
	ctx->valgrind_id = VALGRIND_STACK_REGISTER(ctx->stack, (char *)ctx->stack + ctx->stack_size);
	ctx->fn = fn;
	ctx->arg = arg;
	if (getcontext(&ctx->uc))
		host_die("getcontext: %m");
	ctx->uc.uc_stack.ss_sp = ctx->stack;
	ctx->uc.uc_stack.ss_size = ctx->stack_size;
	ctx->uc.uc_link = NULL;
	makecontext(&ctx->uc, context_start, 0);
	return ctx;
}

static void context_switch(struct host_context *to, bool exiting)
{
	struct host_context *from = running_context;

	if (to == from)
		return;
	switched_from = from;
	running_context = to;
#ifdef __SANITIZE_ADDRESS__
	__sanitizer_start_switch_fiber(exiting ? NULL : &from->fake_stack, to->stack,
				       to->stack_size);
#endif
	if (exiting) {
		from->exited = true;
		setcontext(&to->uc);
		host_die("setcontext: %m");
	}
	if (swapcontext(&from->uc, &to->uc))
		host_die("swapcontext: %m");
	context_entered();
}

void host_context_switch(struct host_context *to)
{
	context_switch(to, false);
}

void host_context_exit(struct host_context *to)
{
	context_switch(to, true);
	__builtin_unreachable();
}

void host_context_free(struct host_context *ctx)
{
	if (ctx == running_context || ctx == &main_context || !ctx->exited)
		host_die("host_context_free: the context is running or has not exited");
	VALGRIND_STACK_DEREGISTER(ctx->valgrind_id);
	munmap(ctx->stack, ctx->stack_size);
	host_free(ctx);
}

#if defined(__SANITIZE_ADDRESS__) && !defined(HARNESS_FUZZ)
/*
 * LeakSanitizer's roots, without the sanitizer runtimes. By default it reads every writable
 * segment of every loaded object when a process exits, the zero-filled data of libasan and
 * libubsan among them (11 MB, none of it pointers to what the program allocated), and every
 * test runs in a child that exits: that read was a sixth of a test's time. Here the
 * harness' own data and the C library's (its stdio buffers are malloc()ed) are registered
 * as root regions instead, and the scan of all globals is turned off. Stacks, thread-local
 * storage and registers stay roots as before; tests/shims/host_test.c checks that a leak is
 * still reported and that a block only a global or the C library holds is not.
 */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "use_globals=0";
}

static bool is_sanitizer_runtime(const char *name)
{
	return strstr(name, "/libasan.so") || strstr(name, "/libubsan.so");
}

static int register_roots(struct dl_phdr_info *info, size_t size __attribute__((unused)),
			  void *data __attribute__((unused)))
{
	int i;

	if (is_sanitizer_runtime(info->dlpi_name))
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W))
			__lsan_register_root_region((void *)(info->dlpi_addr + ph->p_vaddr),
						    ph->p_memsz);
	}
	return 0;
}

static void register_leak_roots(void)
{
	dl_iterate_phdr(register_roots, NULL);
}
#else
static void register_leak_roots(void)
{
}
#endif

#ifndef HARNESS_FUZZ
int main(int argc, char **argv)
{
	register_leak_roots();
	return harness_main(argc, argv);
}
#endif

/*
 * Cost measurement under valgrind --tool=callgrind (tools/report): forget what was counted so
 * far, and write what was counted since as a dump of its own. Outside callgrind both do
 * nothing.
 */
void host_cost_begin(void)
{
	CALLGRIND_ZERO_STATS;
}

void host_cost_end(void)
{
	CALLGRIND_DUMP_STATS;
}
