/* SPDX-License-Identifier: GPL-2.0 */
/* The modelled LRU (folio.c). */
#ifndef HARNESS_FOLIO_H
#define HARNESS_FOLIO_H

#include <linux/list.h>

struct folio;

/* Every folio with PG_lru set, oldest first, linked through folio->lru. */
extern struct list_head harness_lru;
/* Take a folio off the LRU (when it is freed or isolated). */
void harness_lru_del(struct folio *folio);

#endif /* HARNESS_FOLIO_H */
