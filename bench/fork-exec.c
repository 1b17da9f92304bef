/* fork-exec PROGRAM N: N times fork, exec PROGRAM in the child, wait for it.
 * Prints "fork_exec_wait cycles_per_run X" with the TSC read inside the program
 * (not virtualised: the same measure natively and inside dce) and the best of
 * batches of 10 runs, robust on a loaded machine. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

int main(int argc, char **argv)
{
	const char *prog = argc > 1 ? argv[1] : "/bin/true";
	long n = argc > 2 ? atol(argv[2]) : 200;
	unsigned long long best = ~0ULL, total = 0;
	for (long b = 0; b < n / 10; b++) {
		unsigned long long c0 = __rdtsc();
		for (int i = 0; i < 10; i++) {
			pid_t p = fork();
			if (p == 0) {
				execl(prog, prog, (char *)NULL);
				_exit(127);
			}
			int st;
			if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st)) {
				fprintf(stderr, "fork-exec: %s failed\n", prog);
				return 1;
			}
		}
		unsigned long long d = __rdtsc() - c0;
		total += d;
		if (d < best)
			best = d;
	}
	printf("fork_exec_wait cycles_per_run %.1f mean %.1f\n", best / 10.0, total / (double)(n / 10 * 10));
	return 0;
}
