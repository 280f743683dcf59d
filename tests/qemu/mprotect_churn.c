/*
 * mprotect churn: split an anonymous VMA into many pieces by changing the protection of
 * random ranges, write through the writable pieces, then restore the protection and
 * check that the pieces merge back and that every page kept its data, with and without
 * a forked child sharing the pages.
 */
#include "workload.h"

#define NPAGES 64
#define ROUNDS 300

static unsigned owner[NPAGES];
static char readonly[NPAGES];

static unsigned long wrong_pages(const char *region)
{
	unsigned long bad = 0;

	for (unsigned long p = 0; p < NPAGES; p++)
		bad += !page_ok(region + p * page_size, owner[p], p);
	return bad;
}

/* Protect random ranges read-only, rewrite the pages left writable, restore. */
static int churn(char *region, unsigned tag_base, int *max_vmas)
{
	int ok = 1;

	*max_vmas = 0;
	for (unsigned round = 0; round < ROUNDS; round++) {
		unsigned long a = random() % NPAGES, b = random() % NPAGES, t;

		if (a > b)
			t = a, a = b, b = t;
		if (mprotect(region + a * page_size, (b - a + 1) * page_size, PROT_READ))
			return 0;
		int n = vmas_in(region, NPAGES * page_size);
		if (n > *max_vmas)
			*max_vmas = n;
		memset(readonly + a, 1, b - a + 1);
		for (unsigned long p = 0; p < NPAGES; p++) {
			if (!readonly[p] && random() % 4 == 0) {
				owner[p] = tag_base + round;
				fill_page(region + p * page_size, owner[p], p);
			}
		}
		ok &= wrong_pages(region) == 0;
		/* Restore every other round, so that read-only ranges pile up in between. */
		if (round % 2) {
			if (mprotect(region, NPAGES * page_size, PROT_READ | PROT_WRITE))
				return 0;
			memset(readonly, 0, sizeof(readonly));
		}
	}
	if (mprotect(region, NPAGES * page_size, PROT_READ | PROT_WRITE))
		return 0;
	memset(readonly, 0, sizeof(readonly));
	return ok && wrong_pages(region) == 0;
}

int main(void)
{
	int max_vmas, ok;
	char *region;
	pid_t pid;

	ktap_plan(5);
	srandom(1);
	region = map_anon(NPAGES);
	fill(region, NPAGES, 1, 0);
	for (int p = 0; p < NPAGES; p++)
		owner[p] = 1;

	ok = churn(region, 1000, &max_vmas);
	ktap_result(ok, "%d rounds of mprotect split/merge kept every page's data", ROUNDS);
	ktap_info("up to %d VMAs at once", max_vmas);
	ktap_result(max_vmas > 2 && vmas_in(region, NPAGES * page_size) == 1,
		    "region was split (up to %d VMAs) and merged back into 1 (now %d)",
		    max_vmas, vmas_in(region, NPAGES * page_size));

	/* The same with a child holding copies of the pages: COW under split VMAs. */
	pid = fork();
	if (pid == 0) {
		srandom(2);
		ok = churn(region, 2000, &max_vmas);
		_exit(!(ok && vmas_in(region, NPAGES * page_size) == 1));
	}
	srandom(3);
	ok = churn(region, 3000, &max_vmas);
	ktap_result(ok, "parent churned beside a churning child and kept its data");
	ktap_result(child_ok(pid), "child churned, kept its data and merged back into 1 VMA");
	ktap_result(vmas_in(region, NPAGES * page_size) == 1, "parent's region merged back into 1 VMA after fork");
	munmap(region, NPAGES * page_size);
	return ktap_finish();
}
