// SPDX-License-Identifier: GPL-2.0
/* The real lib/math/int_pow.c of KDIR, built into the userland harness. */
#include "lib/math/int_pow.c"
