// SPDX-License-Identifier: GPL-2.0
/* The real mm/mprotect.c of KDIR, built into the userland harness. */
#include "mm/mprotect.c"
