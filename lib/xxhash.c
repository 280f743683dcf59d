// SPDX-License-Identifier: GPL-2.0
/* The real lib/xxhash.c of KDIR, built into the userland harness (KSM's page checksum). */
/* kbuild names a built-in file that declares module info; harness.mk does not. */
#define KBUILD_MODFILE "lib/xxhash"
#include "lib/xxhash.c"
