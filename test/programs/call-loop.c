/* call-loop: system calls that never block, the case the per-call cost covers.
 *   call-loop getpid N   N getpid calls, then the simulated time they took (ns)
 *   call-loop mixed N    N rounds of getpid + write to /dev/null + a clock read,
 *                        printing the simulated time every N/10 rounds
 *   call-loop poll N     N rounds of a select that finds a pipe writable at once
 *                        and a clock read: a poller between its writes (iperf3)
 *   call-loop yield      sched_yield forever (a yield passes no time) */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "getpid";
	long n = argc > 2 ? atol(argv[2]) : 10000;
	if (!strcmp(mode, "yield"))
		for (;;)
			sched_yield();
	long long t0 = now_ns();
	if (!strcmp(mode, "getpid")) {
		for (long i = 0; i < n; i++)
			syscall(SYS_getpid);
		printf("getpid calls %ld took %lld ns\n", n, now_ns() - t0);
		return 0;
	}
	if (!strcmp(mode, "poll")) {
		int p[2];
		if (pipe(p))
			return 1;
		long ready = 0;
		for (long i = 0; i < n; i++) {
			fd_set w;
			FD_ZERO(&w);
			FD_SET(p[1], &w);
			struct timeval tv = {0, 0};
			ready += select(p[1] + 1, NULL, &w, NULL, &tv);
			now_ns();
		}
		printf("poll rounds %ld (%ld ready) took %lld ns\n", n, ready, now_ns() - t0);
		return 0;
	}
	int fd = open("/dev/null", O_WRONLY);
	for (long i = 0; i < n; i++) {
		syscall(SYS_getpid);
		if (write(fd, "x\n", 2) != 2)
			return 1;
		if (n >= 10 && i % (n / 10) == 0)
			printf("round %ld at %lld ns\n", i, now_ns() - t0);
	}
	printf("mixed rounds %ld took %lld ns\n", n, now_ns() - t0);
	return 0;
}
