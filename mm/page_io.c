// SPDX-License-Identifier: GPL-2.0
/* The real mm/page_io.c of KDIR, built into the userland harness. */
#include "mm/page_io.c"
