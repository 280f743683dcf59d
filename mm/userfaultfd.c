// SPDX-License-Identifier: GPL-2.0
/* The real mm/userfaultfd.c of KDIR, built into the userland harness. */
#include "mm/userfaultfd.c"

/*
 * A userfaultfd without its file: the harness has no file descriptors and no user memory
 * to copy ioctl arguments from, so these entry points take the arguments directly and do
 * what the syscall and ioctls do once they hold them, with this file's own static helpers
 * (shims/userfaultfd.h). Nothing below changes what the kernel code does.
 */
#include "userfaultfd.h"

/* The initcall: the ctx cache (misc_register() is modelled by shims/misc.c). */
int harness_userfaultfd_boot(void)
{
	return userfaultfd_init();
}

/*
 * Adapted copy of new_userfaultfd() in mm/userfaultfd.c, known versions: 17e9e696e40db2a7
 * Adapted copy of userfaultfd_api() in mm/userfaultfd.c, known versions: d02d66fd6ffa05f1
 * For current->mm, then UFFDIO_API with no optional feature.
 */
struct userfaultfd_ctx *harness_userfaultfd_new(void)
{
	struct userfaultfd_ctx *ctx;

	ctx = kmem_cache_alloc(userfaultfd_ctx_cachep, GFP_KERNEL);
	if (!ctx)
		return NULL;
	refcount_set(&ctx->refcount, 1);
	ctx->flags = 0;
	ctx->released = false;
	init_rwsem(&ctx->map_changing_lock);
	atomic_set(&ctx->mmap_changing, 0);
	ctx->mm = current->mm;
	/* What the file would otherwise pin. */
	mmgrab(ctx->mm);
	ctx->features = uffd_ctx_features(0);
	return ctx;
}

/*
 * Adapted copy of userfaultfd_register() in mm/userfaultfd.c, known versions: 0b34a010dbfb8348
 * UFFDIO_REGISTER in MISSING mode of [start, start + len), which one VMA must cover.
 */
int harness_userfaultfd_register(struct userfaultfd_ctx *ctx, unsigned long start,
				 unsigned long len)
{
	struct mm_struct *mm = ctx->mm;
	struct vm_area_struct *vma;
	int ret;

	ret = validate_range(mm, start, len);
	if (ret)
		return ret;
	if (!mmget_not_zero(mm))
		return -ENOMEM;
	mmap_write_lock(mm);
	vma = vma_lookup(mm, start);
	ret = -EINVAL;
	if (!vma || start + len > vma->vm_end ||
	    !vma_can_userfault(vma, VM_UFFD_MISSING, false))
		goto out;
	ret = -EPERM;
	if (!(vma->vm_flags & VM_MAYWRITE))
		goto out;
	ret = -EBUSY;
	if (vma->vm_userfaultfd_ctx.ctx && vma->vm_userfaultfd_ctx.ctx != ctx)
		goto out;
	ret = userfaultfd_register_range(ctx, vma, VM_UFFD_MISSING, start, start + len, false);
out:
	mmap_write_unlock(mm);
	mmput(mm);
	return ret;
}

/*
 * Adapted copy of userfaultfd_move() in mm/userfaultfd.c, known versions: f714f42c21f0f229
 * UFFDIO_MOVE: the ioctl's checks, then move_pages(). Returns the bytes moved or -errno,
 * as the ioctl stores in uffdio_move.move; nobody waits on the ctx, so there is no wake.
 */
long harness_userfaultfd_move(struct userfaultfd_ctx *ctx, unsigned long dst,
			      unsigned long src, unsigned long len, __u64 mode)
{
	struct mm_struct *mm = ctx->mm;
	long ret;

	if (atomic_read(&ctx->mmap_changing))
		return -EAGAIN;
	if (mm != current->mm)
		return -EINVAL;
	ret = validate_range(mm, dst, len);
	if (!ret)
		ret = validate_range(mm, src, len);
	if (ret)
		return ret;
	if (mode & ~(UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES | UFFDIO_MOVE_MODE_DONTWAKE))
		return -EINVAL;
	if (!mmget_not_zero(mm))
		return -ESRCH;
	ret = move_pages(ctx, dst, src, len, mode);
	mmput(mm);
	return ret;
}

/* Closing the file: the real release, on a file that holds nothing but the ctx. */
void harness_userfaultfd_release(struct userfaultfd_ctx *ctx)
{
	struct file file = { .private_data = ctx };

	userfaultfd_release(NULL, &file);
}
