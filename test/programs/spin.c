/* spin: computes without any system call, the case the CPU watchdog preempts.
 *   spin forever    never returns
 *   spin badstack   spins with a stack pointer of 0: preempting it cannot save
 *                   its context on its stack
 *   spin N          N rounds of integer and floating-point work, then prints the
 *                   result (the same as natively: preemption must be invisible)
 *                   and the simulated time the work took */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	volatile unsigned long sink = 0;
	if (argc > 1 && !strcmp(argv[1], "forever"))
		for (;;)
			sink++;
	if (argc > 1 && !strcmp(argv[1], "badstack"))
		__asm__ volatile("xorl %%esp, %%esp\n1: jmp 1b" ::: "memory");
	long n = argc > 1 ? atol(argv[1]) : 100000000;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	unsigned long h = 1469598103934665603UL;
	double x = 1.0, y = 0.5;
	for (long i = 0; i < n; i++) {
		h = (h ^ (unsigned long)i) * 1099511628211UL;
		x = x * 1.0000001 + y;
		y = y * 0.9999999 - (double)(h & 7) * 1e-9;
		if (x > 1e6)
			x -= 1e6;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("result %016lx %.6f %.9f\n", h, x, y);
	fprintf(stderr, "simulated seconds %.3f\n", took);
	return (int)(sink & 1);
}
