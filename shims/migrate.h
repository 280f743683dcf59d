/* SPDX-License-Identifier: GPL-2.0 */
/* One migration in flight: the halves of the real mm/migrate.c, driven by tests/lib/migrate.c. */
#ifndef HARNESS_MIGRATE_H
#define HARNESS_MIGRATE_H

#include <linux/list.h>
#include "mm/internal.h"

/* The lists migrate_pages_batch() keeps on its stack, kept here across test operations. */
struct harness_migration {
	struct list_head from;		/* isolated, not yet unmapped */
	struct list_head unmapped;	/* mapped by migration entries, locked */
	struct list_head dst;		/* their new folios, in the same order */
	struct list_head ret;		/* failed for good: to put back */
	struct migration_target_control mtc;
	unsigned long succeeded;	/* pages moved */
};

int harness_migrate_unmap(struct harness_migration *m);
int harness_migrate_move(struct harness_migration *m, int passes);
void harness_migrate_undo(struct harness_migration *m);

#endif /* HARNESS_MIGRATE_H */
