// SPDX-License-Identifier: GPL-2.0
/*
 * Private file mappings (tests/lib/file.c): their anonymous folios are found through an
 * anon_vma like any other, but the stock kernel never shares that anon_vma with a VMA of
 * another file or with anonymous memory, and rmap code relies on it (I11). With the lazy
 * mode on, a private file VMA must keep an anon_vma of its own: it may not join its mm's
 * anchor, nor start one that anonymous VMAs would then join.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

#define P PAGE_SIZE
#define AREA(i) (0x10000000UL + (i) * 64 * P)

/* Every page of [addr, addr + n pages) reads, at byte 1, the file's own contents. */
static void expect_file_bytes(struct task_struct *t, struct file *f, unsigned long addr,
			      unsigned long n, unsigned long pgoff)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		EXPECT(op_read(t, addr + i * P + 1) == harness_file_byte(f, pgoff + i),
		       "p%d: byte 1 of %#lx does not hold the file's page %#lx", t->pid,
		       addr + i * P, pgoff + i);
}

/*
 * Anonymous memory first, then a file mapping: the file VMA gets an anon_vma of its own.
 * Then the anonymous VMA moves away, keeping the offsets of its old address, and a second
 * file is mapped and written there: a walk of the moved VMA's folios must not visit it,
 * which I11 checks after every step, as the file VMA's folios are reclaimed and migrated.
 */
HARNESS_TEST(mmap, private_file_keeps_its_own_anon_vma)
{
	struct task_struct *p = op_spawn();
	struct file *f = harness_file_create(10), *g = harness_file_create(20);
	unsigned long a = op_mmap_anon(p, AREA(0), 4), b, c;

	op_write(p, a, 1);
	b = op_mmap_file(p, f, AREA(1), 4, 0);
	EXPECT(b == AREA(1), "mmap of a private file at %#lx gave %#lx", AREA(1), b);
	op_write(p, b, 2);
	op_write(p, b + 3 * P, 3);
	EXPECT(harness_anon_vma_at(p, b) && harness_anon_vma_at(p, b) != harness_anon_vma_at(p, a),
	       "the private file VMA shares the anon_vma of anonymous memory");
	EXPECT(op_read(p, b) == 2 && op_read(p, b + 3 * P) == 3, "written bytes lost");
	expect_file_bytes(p, f, b, 1, 0);
	expect_file_bytes(p, f, b + 3 * P, 1, 3);

	EXPECT(op_mremap(p, a, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, AREA(2)) == AREA(2),
	       "mremap of the anonymous VMA failed");
	c = op_mmap_file(p, g, AREA(0), 4, 0);
	EXPECT(c == AREA(0), "mmap of a second file at %#lx gave %#lx", AREA(0), c);
	op_write(p, c, 4);
	EXPECT(harness_anon_vma_at(p, c) != harness_anon_vma_at(p, AREA(2)) &&
	       harness_anon_vma_at(p, c) != harness_anon_vma_at(p, b),
	       "VMAs of two files, or of a file and anonymous memory, share an anon_vma");
	EXPECT(op_read(p, AREA(2)) == 1, "the moved anonymous page lost its data");

	op_reclaim(p, c);
	EXPECT(op_read(p, c) == 4, "the second file's page lost its data through swap");
	EXPECT(op_migrate(p, b) == 0, "migration of the file VMA's anonymous page failed");
	EXPECT(op_read(p, b) == 2, "the file VMA's page lost its data through migration");
	op_migrate(p, AREA(2));
	EXPECT(op_read(p, AREA(2)) == 1, "the moved anonymous page lost its data");
	harness_file_put(f);
	harness_file_put(g);
	op_exit(p);
}

/* A fork copies the file VMA with its anon_vma chain; COW on both sides keeps the data. */
HARNESS_TEST(mmap, private_file_fork_and_cow)
{
	struct task_struct *p = op_spawn(), *c;
	struct file *f = harness_file_create(30);
	unsigned long a = op_mmap_anon(p, AREA(0), 2), b = op_mmap_file(p, f, AREA(1), 4, 8);

	op_write(p, a, 1);
	op_write(p, b + P, 5);
	harness_file_put(f);
	c = op_fork(p);
	EXPECT(op_read(c, b + P) == 5, "the child does not see the parent's written page");
	op_write(c, b + P, 6);
	op_write(c, b + 2 * P, 7);
	EXPECT(op_read(p, b + P) == 5 && op_read(c, b + P) == 6, "COW of a file page mixed data");
	expect_file_bytes(c, f, b + 2 * P, 1, 10);
	op_munmap(p, b, 2 * P);
	op_reclaim_all(c);
	EXPECT(op_read(c, b + P) == 6 && op_read(c, b + 2 * P) == 7, "the child's pages changed");
	op_exit(p);
	op_exit(c);
}
