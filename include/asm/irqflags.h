/* SPDX-License-Identifier: GPL-2.0 */
/* Stands in for arch/x86/include/asm/irqflags.h: cli/sti fault in user mode, so IF lives in a variable. */
#ifndef _X86_IRQFLAGS_H_
#define _X86_IRQFLAGS_H_

#include <asm/processor-flags.h>

#ifndef __ASSEMBLER__

#include <asm/nospec-branch.h>

#if defined(CONFIG_PARAVIRT) || defined(CONFIG_PARAVIRT_XXL)
#error "the harness models a bare-metal x86 CPU: paravirt irq ops are not provided"
#endif

/*
 * EFLAGS of the one modelled CPU; only X86_EFLAGS_IF changes. Defined in shims/locks.c,
 * initially X86_EFLAGS_FIXED | X86_EFLAGS_IF (interrupts enabled, as in process context).
 */
extern unsigned long harness_eflags;

/* hlt: no interrupt can ever arrive in a single-threaded harness; reports and stops. */
extern void harness_cpu_halt(int irqs_enabled) __attribute__((__noreturn__));

/*
 * Interrupt control. The empty asm statements keep the compiler barrier that the "memory"
 * clobber of pushf/cli/sti gives the real helpers.
 */

static __always_inline unsigned long native_save_fl(void)
{
	unsigned long flags;

	asm volatile("" : : : "memory");
	flags = *(volatile unsigned long *)&harness_eflags;
	asm volatile("" : : : "memory");
	return flags;
}

static __always_inline void native_irq_disable(void)
{
	asm volatile("" : : : "memory");
	*(volatile unsigned long *)&harness_eflags &= ~X86_EFLAGS_IF;
	asm volatile("" : : : "memory");
}

static __always_inline void native_irq_enable(void)
{
	asm volatile("" : : : "memory");
	*(volatile unsigned long *)&harness_eflags |= X86_EFLAGS_IF;
	asm volatile("" : : : "memory");
}

/* The model has no CPU buffers to clear before idling (x86_idle_clear_cpu_buffers()). */
static __always_inline void native_safe_halt(void)
{
	native_irq_enable();
	harness_cpu_halt(1);
}

static __always_inline void native_halt(void)
{
	harness_cpu_halt(!!(native_save_fl() & X86_EFLAGS_IF));
}

static __always_inline int native_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

static __always_inline unsigned long native_local_irq_save(void)
{
	unsigned long flags = native_save_fl();

	native_irq_disable();

	return flags;
}

static __always_inline void native_local_irq_restore(unsigned long flags)
{
	if (!native_irqs_disabled_flags(flags))
		native_irq_enable();
}

/* Used in the idle loop. */
static __always_inline void arch_safe_halt(void)
{
	native_safe_halt();
}

/* Used when interrupts are already enabled or to shut the processor down. */
static __always_inline void halt(void)
{
	native_halt();
}

#include <linux/types.h>

static __always_inline unsigned long arch_local_save_flags(void)
{
	return native_save_fl();
}

static __always_inline void arch_local_irq_disable(void)
{
	native_irq_disable();
}

static __always_inline void arch_local_irq_enable(void)
{
	native_irq_enable();
}

/* For spinlocks, etc. */
static __always_inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static __always_inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

static __always_inline int arch_irqs_disabled(void)
{
	unsigned long flags = arch_local_save_flags();

	return arch_irqs_disabled_flags(flags);
}

static __always_inline void arch_local_irq_restore(unsigned long flags)
{
	if (!arch_irqs_disabled_flags(flags))
		arch_local_irq_enable();
}

#endif /* !__ASSEMBLER__ */

#endif /* _X86_IRQFLAGS_H_ */
