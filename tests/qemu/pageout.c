/*
 * MADV_PAGEOUT then touch again: anonymous pages are pushed to swap (zram in the guest),
 * then read back, after fork, mremap and mprotect splits, so that reclaim and swap-in walk
 * the reverse mapping of VMAs in every shape. Needs active swap; /init sets it up.
 */
#include "workload.h"
#include <fcntl.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define NPAGES 512

/* Number of pages of the range that /proc/self/pagemap reports as swapped out. */
static long swapped(const char *addr, unsigned long npages)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	long n = 0;
	uint64_t e;

	if (fd < 0)
		return -1;
	for (unsigned long p = 0; p < npages; p++) {
		off_t off = ((unsigned long)addr / page_size + p) * sizeof(e);

		if (pread(fd, &e, sizeof(e), off) != sizeof(e)) {
			n = -1;
			break;
		}
		n += (e >> 62) & 1;
	}
	close(fd);
	return n;
}

static int swap_active(void)
{
	char line[256];
	int lines = 0;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	return lines > 1;
}

/* Page out the range; the number of pages now in swap. */
static long page_out(char *addr, unsigned long npages)
{
	if (madvise(addr, npages * page_size, MADV_PAGEOUT))
		return -1;
	return swapped(addr, npages);
}

int main(void)
{
	long out;
	char *a, *b;
	int ok;
	pid_t pid;

	ktap_plan(6);
	if (!swap_active()) {
		ktap_result(0, "swap is active (/proc/swaps lists a device)");
		return ktap_finish();
	}
	ktap_result(1, "swap is active (/proc/swaps lists a device)");

	a = map_anon(NPAGES);
	fill(a, NPAGES, 1, 0);
	out = page_out(a, NPAGES);
	ok = bad_pages(a, NPAGES, 1, 0) == 0;
	ktap_result(out > NPAGES / 2 && ok, "paged out %ld of %d pages, all read back intact", out, NPAGES);

	/* Fork while the pages are in swap: both processes fault them back in. */
	out = page_out(a, NPAGES);
	pid = fork();
	if (pid == 0) {
		ok = bad_pages(a, NPAGES, 1, 0) == 0;
		fill(a, NPAGES / 2, 2, 0);
		ok &= bad_pages(a, NPAGES / 2, 2, 0) == 0;
		ok &= bad_pages(a + NPAGES / 2 * page_size, NPAGES / 2, 1, NPAGES / 2) == 0;
		_exit(!ok);
	}
	ok = child_ok(pid);
	ok &= bad_pages(a, NPAGES, 1, 0) == 0;
	ktap_result(out > NPAGES / 2 && ok, "forked with %ld pages in swap; parent and child read them back", out);

	/* Pages a child once shared (the child rewrote half of them and exited) go out again. */
	out = page_out(a, NPAGES);
	ok = bad_pages(a, NPAGES, 1, 0) == 0;
	ktap_result(out > NPAGES / 2 && ok, "after the child exited: paged out %ld, read back intact", out);

	/* Move the region, page it out at its new address, read back. */
	b = mremap(a, NPAGES * page_size, NPAGES * page_size, MREMAP_MAYMOVE | MREMAP_FIXED,
		   mmap(NULL, NPAGES * page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	ok = b != MAP_FAILED;
	if (ok) {
		out = page_out(b, NPAGES);
		ok = out > NPAGES / 2 && bad_pages(b, NPAGES, 1, 0) == 0;
	}
	ktap_result(ok, "moved by mremap, paged out %ld, read back intact", out);

	/* Split into many VMAs with mprotect, page out, restore, read back. */
	ok = b != MAP_FAILED;
	for (unsigned long p = 0; ok && p < NPAGES; p += 32)
		ok = mprotect(b + p * page_size, 16 * page_size, PROT_READ) == 0;
	if (ok) {
		out = page_out(b, NPAGES);
		ok = out > NPAGES / 2 && mprotect(b, NPAGES * page_size, PROT_READ | PROT_WRITE) == 0;
		ok = ok && bad_pages(b, NPAGES, 1, 0) == 0 && vmas_in(b, NPAGES * page_size) == 1;
	}
	ktap_result(ok, "split by mprotect, paged out %ld, merged back and read back intact", out);
	return ktap_finish();
}
