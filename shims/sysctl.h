/* SPDX-License-Identifier: GPL-2.0 */
/* The sysctls the code under test registers (sysctl.c). */
#ifndef HARNESS_SYSCTL_H
#define HARNESS_SYSCTL_H

/*
 * Write an integer sysctl as "echo value > /proc/sys/..." would, @name in dotted form
 * ("vm.anon_vma_lazy"): 0, -ENOENT if no table has it, -EINVAL if out of range.
 */
int harness_sysctl_set(const char *name, int value);
/* Read one as "cat /proc/sys/..." would: 0 and *value, or -ENOENT if no table has it. */
int harness_sysctl_get(const char *name, int *value);

#endif /* HARNESS_SYSCTL_H */
