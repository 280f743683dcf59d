// SPDX-License-Identifier: GPL-2.0
/* Stands in for fput() of fs/file_table.c and path_noexec() of fs/exec.c. */
/*
 * The files the harness maps are made by tests (tests/lib/file.c); their last reference is
 * dropped by the mm code (remove_vma()) or by the test. The kernel defers __fput() to task
 * work; the model releases the file at once, through its f_op->release, which owns it.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/file_ref.h>
#include <linux/mount.h>
#include <linux/bug.h>

void fput(struct file *file)
{
	/* file_ref_t counts from 0 for one reference: -1 (FILE_REF_NOREF) is none left. */
	long cnt = atomic_long_dec_return(&file->f_ref.refcnt);

	if (WARN_ONCE(cnt < -1, "imbalanced put on file reference count"))
		return;
	if (cnt == -1)
		file->f_op->release(file_inode(file), file);
}

/* As fs/exec.c: the mount or the filesystem may forbid execution. */
bool path_noexec(const struct path *path)
{
	return (path->mnt->mnt_flags & MNT_NOEXEC) ||
	       (path->mnt->mnt_sb->s_iflags & SB_I_NOEXEC);
}
