/* syscall-loop MODE N: N calls of one kind, for timing from outside (run natively
 * and inside dce). MODE: getpid (a raw system call), clock (clock_gettime, which
 * natively is a vDSO read), none (start-up only). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "none";
	long n = argc > 2 ? atol(argv[2]) : 0;
	long acc = 0;
	struct timespec ts;
	if (!strcmp(mode, "getpid"))
		for (long i = 0; i < n; i++)
			acc += syscall(SYS_getpid);
	else if (!strcmp(mode, "clock"))
		for (long i = 0; i < n; i++) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			acc += ts.tv_nsec & 1;
		}
	printf("%s %ld %d\n", mode, n, acc > 0);
	return 0;
}
