// SPDX-License-Identifier: GPL-2.0
/* Stands in for fs/proc/proc_sysctl.c and kernel/sysctl.c: the tables, not /proc/sys. */
/*
 * register_sysctl_init() records each table; harness_sysctl_set() does what writing the
 * /proc/sys file would, for the integer handlers: range check against extra1/extra2, then
 * store; harness_sysctl_get() reads the value back. The handlers themselves are never called.
 */
#include <linux/sysctl.h>
#include <linux/string.h>
#include <linux/limits.h>
#include "host.h"
#include "sysctl.h"

const int sysctl_vals[] = { 0, 1, 2, 3, 4, 100, 200, 1000, 3000, INT_MAX, 65535, -1 };

#define MAX_TABLES 32

static struct {
	const char *path;
	const struct ctl_table *table;
	size_t size;
} tables[MAX_TABLES];
static int nr_tables;

void __init __register_sysctl_init(const char *path, const struct ctl_table *table,
				   const char *table_name, size_t table_size)
{
	if (nr_tables == MAX_TABLES)
		host_die("more than %d sysctl tables", MAX_TABLES);
	tables[nr_tables].path = path;
	tables[nr_tables].table = table;
	tables[nr_tables].size = table_size;
	nr_tables++;
}

/* @name is "vm.max_map_count": the path with dots, then the procname. */
static const struct ctl_table *find(const char *name)
{
	int i;
	size_t j;

	for (i = 0; i < nr_tables; i++) {
		size_t n = strlen(tables[i].path);

		if (strncmp(name, tables[i].path, n) || name[n] != '.')
			continue;
		for (j = 0; j < tables[i].size; j++)
			if (!strcmp(tables[i].table[j].procname, name + n + 1))
				return &tables[i].table[j];
	}
	return NULL;
}

static const struct ctl_table *find_int(const char *name)
{
	const struct ctl_table *t = find(name);

	if (t && t->proc_handler != proc_dointvec_minmax && t->proc_handler != proc_dointvec)
		host_die("sysctl %s: only integer sysctls are modelled", name);
	return t;
}

int harness_sysctl_get(const char *name, int *value)
{
	const struct ctl_table *t = find_int(name);

	if (!t)
		return -ENOENT;
	*value = *(const int *)t->data;
	return 0;
}

int harness_sysctl_set(const char *name, int value)
{
	const struct ctl_table *t = find_int(name);

	if (!t)
		return -ENOENT;
	if (t->proc_handler == proc_dointvec_minmax &&
	    ((t->extra1 && value < *(const int *)t->extra1) ||
	     (t->extra2 && value > *(const int *)t->extra2)))
		return -EINVAL;
	*(int *)t->data = value;
	return 0;
}
