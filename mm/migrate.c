// SPDX-License-Identifier: GPL-2.0
/* The real mm/migrate.c of KDIR, built into the userland harness. */
#include "mm/migrate.c"
