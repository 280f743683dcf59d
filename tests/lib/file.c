// SPDX-License-Identifier: GPL-2.0
/*
 * Files to map privately, as a driver provides them: mmap gives the VMA a fault handler that
 * hands out a new page of known contents for each offset, never a page cache folio. A write
 * fault in a MAP_PRIVATE mapping copies that page into a new anonymous folio (do_cow_fault()):
 * a VMA with a vm_file and vm_ops that gets an anon_vma and anonymous folios, which is what
 * rmap tests need of file-backed memory. A read fault would map the file's own page, whose
 * rmap is the file's (mm/filemap.c is not built in), so it gets SIGBUS: tests write to such
 * a mapping before they read it.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/file_ref.h>
#include <linux/gfp.h>
#include <linux/file.h>
#include "host.h"
#include "harness.h"

struct harness_file {
	struct file file;
	struct inode inode;
	struct address_space mapping;
	struct super_block sb;
	struct vfsmount mnt;
	u8 tag;		/* each byte of page n of the file reads tag + n */
};

static struct harness_file *harness_file_of(struct file *file)
{
	return container_of(file, struct harness_file, file);
}

static vm_fault_t harness_file_fault(struct vm_fault *vmf)
{
	struct page *page;

	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return VM_FAULT_SIGBUS;
	page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!page)
		return VM_FAULT_OOM;
	memset(page_address(page), harness_file_of(vmf->vma->vm_file)->tag + vmf->pgoff,
	       PAGE_SIZE);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct harness_file_vm_ops = {
	.fault = harness_file_fault,
};

static int harness_file_mmap_prepare(struct vm_area_desc *desc)
{
	desc->vm_ops = &harness_file_vm_ops;
	return 0;
}

/* Called by fput() (shims/fs.c) when the last reference goes. */
static int harness_file_release(struct inode *inode, struct file *file)
{
	host_free(harness_file_of(file));
	return 0;
}

static const struct file_operations harness_file_ops = {
	.mmap_prepare = harness_file_mmap_prepare,
	.release = harness_file_release,
};

/* The sweep stops a test early: the test's own reference is given back. */
static void file_put_owed(void *file, void *unused)
{
	fput(file);
}

struct file *harness_file_create(u8 tag)
{
	struct harness_file *hf = host_alloc(sizeof(*hf));

	hf->inode.i_mode = S_IFREG | 0600;
	hf->inode.i_sb = &hf->sb;
	hf->inode.i_mapping = &hf->mapping;
	hf->mapping.host = &hf->inode;
	hf->mapping.i_mmap = RB_ROOT_CACHED;
	init_rwsem(&hf->mapping.i_mmap_rwsem);
	hf->mnt.mnt_sb = &hf->sb;
	hf->file.f_mode = FMODE_READ;
	hf->file.f_op = &harness_file_ops;
	hf->file.f_mapping = &hf->mapping;
	hf->file.f_inode = &hf->inode;
	hf->file.__f_path.mnt = &hf->mnt;
	file_ref_init(&hf->file.f_ref, 1);
	hf->tag = tag;
	harness_owe(file_put_owed, &hf->file, NULL);
	return &hf->file;
}

void harness_file_put(struct file *file)
{
	harness_repaid(file);
	fput(file);
}

u8 harness_file_byte(struct file *file, unsigned long pgoff)
{
	return harness_file_of(file)->tag + pgoff;
}
