// SPDX-License-Identifier: GPL-2.0
/* The real lib/kstrtox.c of KDIR, built into the userland harness. */
#include "lib/kstrtox.c"
