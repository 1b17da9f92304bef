/* timerfd-far: a timer set centuries ahead stays armed far in the future (the
 * conversion to simulated nanoseconds must not overflow into the past). */
#include <stdio.h>
#include <sys/timerfd.h>
#include <time.h>

int main(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec v = { { 0, 0 }, { 0x7fffffffffffffffL / 10, 0 } }, o;
	if (fd < 0 || timerfd_settime(fd, 0, &v, NULL) || timerfd_gettime(fd, &o))
		return 2;
	printf("armed far ahead: %s\n", o.it_value.tv_sec > 1000000000L ? "yes" : "no");
	return o.it_value.tv_sec > 1000000000L ? 0 : 1;
}
