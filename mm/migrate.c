// SPDX-License-Identifier: GPL-2.0
/* The real mm/migrate.c of KDIR, built into the userland harness. */
#include "mm/migrate.c"

/*
 * migrate_pages_batch() for one folio, in its two halves, so that a test can act while the
 * folio's mappings are migration entries. The halves are the ones migrate_pages_batch() runs
 * (migrate_folio_unmap() per folio, then a TLB flush and migrate_folios_move(), then
 * migrate_folios_undo() for what could not move); they are static here, so this unit reaches
 * them for tests/lib/migrate.c. Nothing below changes what the kernel code does.
 */
#include "migrate.h"

/* migrate_folio_unmap() of the first folio on m->from, with m's allocation callback. */
int harness_migrate_unmap(struct harness_migration *m)
{
	struct folio *src = list_first_entry(&m->from, struct folio, lru);
	struct folio *dst;
	int rc;

	rc = migrate_folio_unmap(alloc_migration_target, NULL, (unsigned long)&m->mtc, src,
				 &dst, MIGRATE_SYNC, &m->ret);
	if (!rc) {
		list_move_tail(&src->lru, &m->unmapped);
		list_add_tail(&dst->lru, &m->dst);
	}
	return rc;
}

/* Move what harness_migrate_unmap() unmapped, retrying as migrate_pages_batch() would; undo the rest. */
int harness_migrate_move(struct harness_migration *m, int passes)
{
	int retry = 1, thp_retry = 0, nr_failed = 0, nr_retry_pages = 0, pass;
	struct migrate_pages_stats stats = {};

	try_to_unmap_flush();
	for (pass = 0; pass < passes && retry; pass++) {
		retry = 0;
		migrate_folios_move(&m->unmapped, &m->dst, NULL, 0, MIGRATE_SYNC, MR_SYSCALL,
				    &m->ret, &stats, &retry, &thp_retry, &nr_failed,
				    &nr_retry_pages);
	}
	migrate_folios_undo(&m->unmapped, &m->dst, NULL, 0, &m->ret);
	m->succeeded += stats.nr_succeeded;
	return nr_failed + retry;
}

/* Give up after the unmap: migrate_folios_undo(), as migrate_pages_batch() does on -ENOMEM. */
void harness_migrate_undo(struct harness_migration *m)
{
	migrate_folios_undo(&m->unmapped, &m->dst, NULL, 0, &m->ret);
}
