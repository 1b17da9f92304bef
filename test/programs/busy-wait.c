/* busy-wait: reads the clock in a loop until 1 s of simulated time passed. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	long reads = 0;
	do {
		clock_gettime(CLOCK_MONOTONIC, &b);
		reads++;
	} while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 1000000000L);
	struct timeval tv0, tv;
	gettimeofday(&tv0, NULL);
	do
		gettimeofday(&tv, NULL);
	while ((tv.tv_sec - tv0.tv_sec) * 1000000L + (tv.tv_usec - tv0.tv_usec) < 500000L);
	time_t s0 = time(NULL);
	while (time(NULL) == s0)
		;
	printf("busy-wait done: monotonic 1 s, gettimeofday 0.5 s, time() ticked; reads>1000: %d\n", reads > 1000);
	return 0;
}
