/* SPDX-License-Identifier: GPL-2.0 */
/* userfaultfd contexts without their file, over the real mm/userfaultfd.c. */
#ifndef HARNESS_USERFAULTFD_H
#define HARNESS_USERFAULTFD_H

#include <linux/types.h>

struct userfaultfd_ctx;

int harness_userfaultfd_boot(void);
/* A ctx for current->mm, as userfaultfd(2) and UFFDIO_API give it; NULL if out of memory. */
struct userfaultfd_ctx *harness_userfaultfd_new(void);
int harness_userfaultfd_register(struct userfaultfd_ctx *ctx, unsigned long start,
				 unsigned long len);
long harness_userfaultfd_move(struct userfaultfd_ctx *ctx, unsigned long dst,
			      unsigned long src, unsigned long len, __u64 mode);
void harness_userfaultfd_release(struct userfaultfd_ctx *ctx);

#endif /* HARNESS_USERFAULTFD_H */
