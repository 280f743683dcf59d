// SPDX-License-Identifier: GPL-2.0
/*
 * Operations on modelled processes. Each one switches current to the process and enters
 * the kernel where a system call or a page fault would: the real syscall functions of
 * mm/mmap.c, mm/mprotect.c and mm/mremap.c, the real fault path of mm/memory.c, the real
 * dup_mmap() and exit_mmap(). After it, every invariant is checked.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/pagewalk.h>
#include <linux/mmap_lock.h>
#include <linux/rmap.h>
#include "mm/internal.h"
#include "mm/vma.h"
#include <asm/ptrace.h>
#include "host.h"
#include "process.h"
#include "locks.h"
#include "sysctl.h"
#include "harness.h"
#include "swap.h"
#include "sched.h"

long __x64_sys_mmap_pgoff(const struct pt_regs *regs);
long __x64_sys_munmap(const struct pt_regs *regs);
long __x64_sys_mprotect(const struct pt_regs *regs);
long __x64_sys_mremap(const struct pt_regs *regs);
long __x64_sys_madvise(const struct pt_regs *regs);

static long syscall(long (*fn)(const struct pt_regs *), unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5, unsigned long a6)
{
	struct pt_regs regs = {
		.di = a1, .si = a2, .dx = a3, .r10 = a4, .r8 = a5, .r9 = a6,
	};

	return fn(&regs);
}

/* Every operation enters once and leaves once (tests/README.md, "The operation protocol"). */
static bool in_op;
/* In a concurrent run, the tasks that are inside an operation. */
static struct task_struct *tasks_in_op[8];

static struct task_struct **task_in_op(struct task_struct *task)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tasks_in_op); i++)
		if (tasks_in_op[i] == task)
			return &tasks_in_op[i];
	return NULL;
}

/*
 * In a concurrent run (shims/sched.c) each task enters as itself, a thread of the process
 * it operates on or a kernel thread: another task's operation may be halfway through, so
 * the invariants wait until the tasks are done (tests/race/).
 */
static void concurrent_op_enter(struct task_struct *task)
{
	struct task_struct **slot = task_in_op(current);

	if (task && task->mm != current->mm && current->mm)
		harness_fail("%s/%d operates on p%d, another process", current->comm,
			     current->pid, task->pid);
	if (slot)
		harness_fail("%s/%d entered an operation inside another one", current->comm,
			     current->pid);
	slot = task_in_op(NULL);
	if (!slot)
		harness_fail("more than %zu tasks in operations at once", ARRAY_SIZE(tasks_in_op));
	*slot = current;
}

static void concurrent_op_leave(void)
{
	struct task_struct **slot = task_in_op(current);

	if (!slot)
		harness_fail("%s/%d left an operation it did not enter", current->comm,
			     current->pid);
	*slot = NULL;
	harness_assert_no_locks_held(current);
}

void harness_op_enter(struct task_struct *task, enum harness_undo undo)
{
	if (harness_sched_active()) {
		concurrent_op_enter(task);
		return;
	}
	if (in_op)
		harness_fail("an operation entered the kernel inside another one");
	in_op = true;
	harness_sweep_op_enter(undo);
	harness_set_current(task);
}

bool harness_checks = true;

/* Back from the kernel: no lock may be held, and every invariant must hold. */
void harness_op_leave(bool failed)
{
	if (harness_sched_active()) {
		concurrent_op_leave();
		return;
	}
	if (!in_op)
		harness_fail("an operation left the kernel without entering it");
	in_op = false;
	if (current)
		harness_assert_no_locks_held(current);
	if (harness_checks)
		harness_check_all();
	harness_trace_step();
	harness_sweep_op_leave(failed);
}

struct task_struct *op_spawn(void)
{
	struct task_struct *task;

	harness_op_enter(NULL, UNDO_EXACT);
	task = harness_process_create();
	if (task) {
		harness_register_task(task);
		harness_log("p%d = spawn()", task->pid);
	} else {
		harness_log("spawn() failed");
	}
	harness_op_leave(!task);
	EXPECT(task, "could not create a process");
	return task;
}

struct task_struct *op_fork(struct task_struct *parent)
{
	struct task_struct *child;
	int err;

	/* Fork write-protects the parent's PTEs as it copies; a failure does not undo that. */
	harness_op_enter(parent, UNDO_VISIBLE);
	child = harness_fork(parent, &err);
	if (child) {
		harness_register_task(child);
		harness_log("p%d = fork(p%d)", child->pid, parent->pid);
	} else {
		harness_log("fork(p%d) = %d", parent->pid, err);
	}
	harness_op_leave(!child);
	return child;
}

void op_exit(struct task_struct *task)
{
	harness_log("exit(p%d)", task->pid);
	harness_op_enter(task, UNDO_NONE);
	harness_unregister_task(task);
	harness_exit(task);
	harness_set_current(NULL);
	harness_op_leave(false);
}

unsigned long op_mmap(struct task_struct *task, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags)
{
	long ret;

	/*
	 * MAP_FIXED clears what it replaces before it makes the new VMA; if that fails, it
	 * leaves a gap (vms_abort_munmap_vmas()).
	 */
	harness_op_enter(task, flags & MAP_FIXED ? UNDO_NONE : UNDO_VISIBLE);
	ret = syscall(__x64_sys_mmap_pgoff, addr, len, prot, flags, -1, 0);
	harness_log("mmap(p%d, %#lx, %#lx, prot %#lx, flags %#lx) = %#lx", task->pid, addr,
		    len, prot, flags, ret);
	harness_op_leave(IS_ERR_VALUE(ret));
	return ret;
}

unsigned long op_mmap_anon(struct task_struct *task, unsigned long addr, unsigned long npages)
{
	return op_mmap(task, addr, npages << PAGE_SHIFT, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (addr ? MAP_FIXED_NOREPLACE : 0));
}

unsigned long op_mmap_file(struct task_struct *task, struct file *file, unsigned long addr,
			   unsigned long npages, unsigned long pgoff)
{
	unsigned long ret;

	/* mmap(2) of a file descriptor, once fget() has found the file. */
	harness_op_enter(task, UNDO_VISIBLE);
	ret = vm_mmap_pgoff(file, addr, npages << PAGE_SHIFT, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_FIXED_NOREPLACE, pgoff);
	harness_log("mmap(p%d, %#lx, %#lx, private file from page %#lx) = %#lx", task->pid,
		    addr, npages << PAGE_SHIFT, pgoff, ret);
	harness_op_leave(IS_ERR_VALUE(ret));
	return ret;
}

/* A special mapping with no pages, as arch code installs the vDSO: every fault SIGBUSes. */
static const struct vm_special_mapping harness_special = { .name = "[harness]" };

long op_install_special_mapping(struct task_struct *task, unsigned long addr,
				unsigned long npages)
{
	struct vm_area_struct *vma;
	long err;

	harness_op_enter(task, UNDO_VISIBLE);
	mmap_write_lock(task->mm);
	vma = _install_special_mapping(task->mm, addr, npages << PAGE_SHIFT,
				       VM_READ | VM_MAYREAD | VM_MAYWRITE, &harness_special);
	mmap_write_unlock(task->mm);
	err = PTR_ERR_OR_ZERO(vma);
	harness_log("install special mapping(p%d, %#lx, %#lx) = %ld", task->pid, addr,
		    npages << PAGE_SHIFT, err);
	harness_op_leave(err);
	return err;
}

long op_munmap(struct task_struct *task, unsigned long addr, unsigned long len)
{
	long ret;

	harness_op_enter(task, UNDO_VISIBLE);
	ret = syscall(__x64_sys_munmap, addr, len, 0, 0, 0, 0);
	harness_log("munmap(p%d, %#lx, %#lx) = %ld", task->pid, addr, len, ret);
	harness_op_leave(ret < 0);
	return ret;
}

/*
 * mprotect() and madvise() go VMA by VMA and stop at the first error: the VMAs before it keep
 * what was done to them. Within one VMA, a split at the start stays when the one at the end
 * fails.
 */
static enum harness_undo undo_in_one_vma(struct task_struct *task, unsigned long addr,
					 unsigned long len)
{
	struct vm_area_struct *vma = vma_lookup(task->mm, addr);

	return vma && addr + len <= vma->vm_end ? UNDO_VISIBLE : UNDO_NONE;
}

long op_mprotect(struct task_struct *task, unsigned long addr, unsigned long len,
		 unsigned long prot)
{
	long ret;

	harness_op_enter(task, undo_in_one_vma(task, addr, len));
	ret = syscall(__x64_sys_mprotect, addr, len, prot, 0, 0, 0);
	harness_log("mprotect(p%d, %#lx, %#lx, %#lx) = %ld", task->pid, addr, len, prot, ret);
	harness_op_leave(ret < 0);
	return ret;
}

unsigned long op_mremap(struct task_struct *task, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	long ret;

	/* MREMAP_FIXED unmaps the destination first, and a failed move does not restore it. */
	harness_op_enter(task, flags & MREMAP_FIXED ? UNDO_NONE : UNDO_VISIBLE);
	ret = syscall(__x64_sys_mremap, addr, old_len, new_len, flags, new_addr, 0);
	harness_log("mremap(p%d, %#lx, %#lx, %#lx, flags %#lx, %#lx) = %#lx", task->pid, addr,
		    old_len, new_len, flags, new_addr, ret);
	harness_op_leave(IS_ERR_VALUE(ret));
	return ret;
}

static bool access_error(struct vm_area_struct *vma, bool write)
{
	if (write)
		return !(vma->vm_flags & VM_WRITE);
	return !(vma->vm_flags & (VM_READ | VM_EXEC | VM_WRITE));
}

/* What arch/x86/mm/fault.c's do_user_addr_fault() does: per-VMA lock first, then mmap_lock. */
static vm_fault_t fault(struct task_struct *task, unsigned long addr, bool write)
{
	struct mm_struct *mm = task->mm;
	unsigned int flags = FAULT_FLAG_DEFAULT | FAULT_FLAG_USER;
	struct vm_area_struct *vma;
	vm_fault_t ret;

	if (write)
		flags |= FAULT_FLAG_WRITE;
	vma = lock_vma_under_rcu(mm, addr);
	if (vma) {
		if (access_error(vma, write)) {
			vma_end_read(vma);
			harness_fail("p%d: %s of %#lx: SIGSEGV (access error)", task->pid,
				     write ? "write" : "read", addr);
		}
		ret = handle_mm_fault(vma, addr, flags | FAULT_FLAG_VMA_LOCK, NULL);
		if (!(ret & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))
			vma_end_read(vma);
		if (!(ret & VM_FAULT_RETRY))
			goto done;
	}
	for (;;) {
		vma = lock_mm_and_find_vma(mm, addr, NULL);
		if (!vma)
			harness_fail("p%d: fault at %#lx: SIGSEGV (no mapping)", task->pid, addr);
		if (access_error(vma, write)) {
			mmap_read_unlock(mm);
			harness_fail("p%d: %s of %#lx: SIGSEGV (access error)", task->pid,
				     write ? "write" : "read", addr);
		}
		ret = handle_mm_fault(vma, addr, flags, NULL);
		if (!(ret & VM_FAULT_RETRY))
			break;
		flags |= FAULT_FLAG_TRIED;
	}
	if (!(ret & VM_FAULT_COMPLETED))
		mmap_read_unlock(mm);
done:
	return ret;
}

/* The MMU's access, at whichever level maps addr; false if it would fault. */
static bool access(struct task_struct *task, unsigned long addr, bool write, u8 *value)
{
	struct mm_struct *mm = task->mm;
	struct vm_area_struct *vma;
	struct folio_walk fw;
	unsigned long pfn;
	bool ok = false;
	u8 *byte;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma || !folio_walk_start(&fw, vma, addr, FW_ZEROPAGE))
		goto out;
	if (fw.level == FW_LEVEL_PTE && (!write || pte_write(fw.pte))) {
		pte_t pte = pte_mkyoung(fw.pte);

		set_pte(fw.ptep, write ? pte_mkdirty(pte) : pte);
		pfn = pte_pfn(fw.pte);
		ok = true;
	} else if (fw.level == FW_LEVEL_PMD && (!write || pmd_write(fw.pmd))) {
		pmd_t pmd = pmd_mkyoung(fw.pmd);

		set_pmd(fw.pmdp, write ? pmd_mkdirty(pmd) : pmd);
		pfn = pmd_pfn(fw.pmd) + ((addr & ~HPAGE_PMD_MASK) >> PAGE_SHIFT);
		ok = true;
	}
	if (ok) {
		byte = (u8 *)page_address(pfn_to_page(pfn)) + offset_in_page(addr);
		if (write)
			*byte = *value;
		else
			*value = *byte;
	}
	folio_walk_end(&fw, vma);
out:
	mmap_read_unlock(mm);
	return ok;
}

void harness_touch(struct task_struct *task, unsigned long addr, bool write, u8 *value)
{
	bool swapin;
	char *before;
	vm_fault_t ret;

	if (access(task, addr, write, value))
		return;
	/* The sweep's snapshots walk every process as current. */
	before = harness_sweep_fault_begin();
	swapin = before && harness_swapped_at(task, addr);
	harness_set_current(task);
	ret = fault(task, addr, write);
	/* An allocation the sweep failed: the OOM killer made room, and the CPU retries. */
	if (harness_sweep_fault_end(before, ret & VM_FAULT_OOM, swapin)) {
		harness_set_current(task);
		ret = fault(task, addr, write);
	}
	if (ret & VM_FAULT_ERROR)
		harness_fail("p%d: fault at %#lx failed: %#x", task->pid, addr, ret);
	if (!access(task, addr, write, value))
		harness_fail("p%d: %s of %#lx still faults after the fault was handled",
			     task->pid, write ? "write" : "read", addr);
}

void op_write(struct task_struct *task, unsigned long addr, u8 value)
{
	harness_op_enter(task, UNDO_NONE);
	harness_touch(task, addr, true, &value);
	harness_log("p%d: write %#lx = %u", task->pid, addr, value);
	harness_op_leave(false);
}

u8 op_read(struct task_struct *task, unsigned long addr)
{
	u8 value = 0;

	harness_op_enter(task, UNDO_NONE);
	harness_touch(task, addr, false, &value);
	harness_log("p%d: read %#lx -> %u", task->pid, addr, value);
	harness_op_leave(false);
	return value;
}

struct folio *harness_folio_at(struct task_struct *task, unsigned long addr)
{
	struct mm_struct *mm = task->mm;
	struct vm_area_struct *vma;
	struct folio *folio = NULL;
	struct folio_walk fw;

	harness_set_current(task);
	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma) {
		folio = folio_walk_start(&fw, vma, addr, 0);
		if (folio)
			folio_walk_end(&fw, vma);
	}
	mmap_read_unlock(mm);
	return folio;
}

unsigned long harness_vma_count(struct task_struct *task)
{
	return task->mm->map_count;
}

struct anon_vma *harness_anon_vma_at(struct task_struct *task, unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(task->mm, addr);

	return vma ? vma->anon_vma : NULL;
}

unsigned long harness_chain_length(struct task_struct *task, unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(task->mm, addr);
	struct anon_vma_chain *avc;
	unsigned long n = 0;

	EXPECT(vma, "no VMA at %#lx in p%d", addr, task->pid);
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		n++;
	return n;
}

static int set_lazy(int on, bool apply)
{
	int err;

	harness_op_enter(NULL, UNDO_NONE);
	err = apply ? harness_sysctl_set("vm.anon_vma_lazy", on) : 0;
	/* Without the result: the line is part of what L2 compares, which trees without the
	 * switch (-ENOENT) must match. */
	harness_log("sysctl vm.anon_vma_lazy=%d", on);
	harness_op_leave(false);
	return err;
}

int op_set_lazy(int on)
{
	return set_lazy(on, true);
}

/* A switch step that must change nothing, logged as op_set_lazy() logs it. */
void op_keep_lazy(int on)
{
	set_lazy(on, false);
}

static void folio_put_owed(void *folio, void *unused)
{
	folio_put(folio);
}

void harness_folio_hold(struct folio *folio)
{
	folio_get(folio);
	harness_owe(folio_put_owed, folio, NULL);
}

void harness_folio_release(struct folio *folio)
{
	harness_repaid(folio);
	folio_put(folio);
}

static void unpin_owed(void *anon_vma, void *unused)
{
	op_unpin_anon_vma(anon_vma);
}

/*
 * Pins are named by number in the log, not by address: L2 compares the logs of builds whose
 * anon_vma differ in size, and so in where the allocator puts them.
 */
#define MAX_PINS 64
static struct anon_vma *pinned[MAX_PINS];

static int pin_number(struct anon_vma *anon_vma)
{
	int i;

	for (i = 0; i < MAX_PINS; i++)
		if (pinned[i] == anon_vma)
			return i;
	return -1;
}

/* A KSM rmap_item or migration's hold on a folio's anon_vma: folio_get_anon_vma(). */
struct anon_vma *op_pin_anon_vma(struct task_struct *task, unsigned long addr)
{
	struct folio *folio;
	struct anon_vma *anon_vma;

	harness_op_enter(NULL, UNDO_NONE);
	folio = harness_folio_at(task, addr);
	EXPECT(folio, "nothing mapped at %#lx", addr);
	/* As its callers do, under the folio lock. */
	EXPECT(folio_trylock(folio), "folio at %#lx is locked", addr);
	anon_vma = folio_get_anon_vma(folio);
	folio_unlock(folio);
	if (anon_vma) {
		int n = pin_number(NULL);

		if (n < 0)
			harness_fail("more than %d pinned anon_vmas", MAX_PINS);
		pinned[n] = anon_vma;
		harness_owe(unpin_owed, anon_vma, NULL);
		harness_log("pin %d: the anon_vma of the folio at %#lx in p%d", n, addr,
			    task->pid);
	} else {
		harness_log("pin: no anon_vma for the folio at %#lx in p%d", addr, task->pid);
	}
	harness_op_leave(false);
	return anon_vma;
}

/* Take the pinned anon_vma's lock as rmap would (the lock lives in the root), then unpin. */
void op_unpin_anon_vma(struct anon_vma *anon_vma)
{
	int n = pin_number(anon_vma);

	harness_op_enter(NULL, UNDO_NONE);
	harness_repaid(anon_vma);
	if (n >= 0)
		pinned[n] = NULL;
	anon_vma_lock_read(anon_vma);
	anon_vma_unlock_read(anon_vma);
	put_anon_vma(anon_vma);
	harness_log("unpin %d", n);
	harness_op_leave(false);
}

/* exec's setup_arg_pages(): move the temporary stack VMA down by shift bytes. */
long op_relocate_stack(struct task_struct *task, unsigned long addr, unsigned long shift)
{
	struct mm_struct *mm = task->mm;
	struct vm_area_struct *vma;
	long ret = -EFAULT;

	/* On failure exec relies on the new mm being thrown away: nothing is undone. */
	harness_op_enter(task, UNDO_NONE);
	mmap_write_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		ret = relocate_vma_down(vma, shift);
	mmap_write_unlock(mm);
	harness_log("relocate_vma_down(p%d, %#lx, %#lx) = %ld", task->pid, addr, shift, ret);
	harness_op_leave(ret < 0);
	return ret;
}

long op_madvise(struct task_struct *task, unsigned long addr, unsigned long len, int advice)
{
	long ret;

	harness_op_enter(task, undo_in_one_vma(task, addr, len));
	ret = syscall(__x64_sys_madvise, addr, len, advice, 0, 0, 0);
	harness_log("madvise(p%d, %#lx, %#lx, %d) = %ld", task->pid, addr, len, advice, ret);
	/* The kworker's turn: MADV_PAGEOUT may have queued swap cluster work. */
	harness_swap_run_work();
	harness_op_leave(ret < 0);
	return ret;
}
