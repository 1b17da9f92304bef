/* syscall-loop MODE N: N calls of one kind, timed with the TSC from inside the
 * program (the TSC is not virtualised, so the same measure works natively and
 * inside dce). Prints "MODE cycles_per_call X". MODE: getpid (a raw system call),
 * clock (clock_gettime: natively a vDSO read, in dce dce's vDSO), calibrate (TSC
 * cycles per nanosecond, run natively), best (getpid in batches of 500: the
 * fastest batch, robust on a loaded machine where a long loop's average includes
 * the time the program was not scheduled). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "getpid";
	long n = argc > 2 ? atol(argv[2]) : 100000;
	struct timespec ts, t0, t1;
	if (!strcmp(mode, "calibrate")) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		unsigned long long c0 = __rdtsc();
		do
			clock_gettime(CLOCK_MONOTONIC, &t1);
		while ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) < 200000000L);
		unsigned long long c1 = __rdtsc();
		double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
		printf("calibrate cycles_per_ns %.4f\n", (c1 - c0) / ns);
		return 0;
	}
	long acc = 0;
	if (!strcmp(mode, "best")) {
		unsigned long long best = ~0ULL;
		for (long b = 0; b < n / 500; b++) {
			unsigned long long c0 = __rdtsc();
			for (int i = 0; i < 500; i++)
				acc += syscall(SYS_getpid);
			unsigned long long d = __rdtsc() - c0;
			if (d < best)
				best = d;
		}
		printf("best cycles_per_call %.1f %d\n", best / 500.0, acc > 0);
		return 0;
	}
	unsigned long long c0 = __rdtsc();
	if (!strcmp(mode, "getpid"))
		for (long i = 0; i < n; i++)
			acc += syscall(SYS_getpid);
	else if (!strcmp(mode, "clock"))
		for (long i = 0; i < n; i++) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			acc += ts.tv_nsec & 1;
		}
	else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	unsigned long long c1 = __rdtsc();
	printf("%s cycles_per_call %.1f %d\n", mode, (double)(c1 - c0) / n, acc > 0);
	return 0;
}
