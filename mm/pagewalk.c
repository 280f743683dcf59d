// SPDX-License-Identifier: GPL-2.0
/* The real mm/pagewalk.c of KDIR, built into the userland harness. */
#include "mm/pagewalk.c"
