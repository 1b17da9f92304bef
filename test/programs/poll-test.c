/* poll-test: poll, ppoll, select, pselect, epoll (level, EPOLLET, EPOLLONESHOT) over
 * pipes, eventfds and timerfds, with timeouts. Deterministic output. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static struct timespec t0;
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

static int pw;
static void *write_later(void *arg)
{
	usleep((useconds_t)(long)arg);
	if (write(pw, "ab", 2) != 2)
		printf("write failed\n");
	return NULL;
}

static void sigusr(int s) { (void)s; }

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int p[2];
	pipe(p);
	pw = p[1];
	double b;

	/* poll: timeout, then readiness from a thread writing at +0.2 s */
	struct pollfd pf = { .fd = p[0], .events = POLLIN };
	b = now();
	int r = poll(&pf, 1, 300);
	printf("poll timeout: r=%d after %.3f\n", r, now() - b);
	pthread_t th;
	pthread_create(&th, NULL, write_later, (void *)200000L);
	b = now();
	r = poll(&pf, 1, 5000);
	printf("poll ready: r=%d revents=%#x after %.3f\n", r, pf.revents, now() - b);
	pthread_join(th, NULL);
	char buf[16];
	read(p[0], buf, sizeof buf);
	pf.events = POLLOUT;
	printf("poll writable: r=%d revents=%#x\n", poll(&(struct pollfd){ .fd = p[1], .events = POLLOUT }, 1, 0), POLLOUT);

	/* ppoll with a mask: SIGUSR1 blocked normally, unblocked while waiting */
	signal(SIGUSR1, sigusr);
	sigset_t blk, during;
	sigemptyset(&blk);
	sigaddset(&blk, SIGUSR1);
	sigprocmask(SIG_BLOCK, &blk, NULL);
	sigemptyset(&during);
	struct timespec to = { 0, 250000000 };
	pf.events = POLLIN;
	b = now();
	r = ppoll(&pf, 1, &to, &during);
	printf("ppoll timeout: r=%d after %.3f\n", r, now() - b);
	raise(SIGUSR1); /* pending while blocked */
	r = ppoll(&pf, 1, &to, &during);
	printf("ppoll signal: r=%d errno=%s\n", r, r < 0 && errno == EINTR ? "EINTR" : "?");
	sigprocmask(SIG_UNBLOCK, &blk, NULL);

	/* select and pselect */
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	struct timeval tv = { 0, 150000 };
	b = now();
	r = select(p[0] + 1, &rs, NULL, NULL, &tv);
	printf("select timeout: r=%d after %.3f tv_left=%ld\n", r, now() - b, (long)tv.tv_usec);
	pthread_create(&th, NULL, write_later, (void *)100000L);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	b = now();
	r = pselect(p[0] + 1, &rs, NULL, NULL, NULL, NULL);
	printf("pselect ready: r=%d isset=%d after %.3f\n", r, FD_ISSET(p[0], &rs), now() - b);
	pthread_join(th, NULL);
	read(p[0], buf, sizeof buf);

	/* eventfd */
	int efd = eventfd(0, EFD_NONBLOCK);
	uint64_t v = 0;
	r = (int)read(efd, &v, 8);
	printf("eventfd empty: r=%d errno=%s\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
	v = 3;
	write(efd, &v, 8);
	write(efd, &v, 8);
	read(efd, &v, 8);
	printf("eventfd count: %llu\n", (unsigned long long)v);
	int sfd = eventfd(2, EFD_SEMAPHORE);
	read(sfd, &v, 8);
	printf("eventfd semaphore: %llu\n", (unsigned long long)v);

	/* timerfd: 0.5 s then every 0.1 s */
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = { { 0, 100000000 }, { 0, 500000000 } };
	timerfd_settime(tfd, 0, &its, NULL);
	b = now();
	read(tfd, &v, 8);
	printf("timerfd first: %llu after %.3f\n", (unsigned long long)v, now() - b);
	usleep(350000);
	read(tfd, &v, 8);
	printf("timerfd overruns: %llu\n", (unsigned long long)v);
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	timerfd_settime(tfd, 0, &off, NULL);

	/* epoll: level-triggered over pipe + eventfd + timerfd */
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 1 };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	ev.data.u32 = 2;
	epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
	ev.data.u32 = 3;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	struct epoll_event out[8];
	b = now();
	r = epoll_wait(ep, out, 8, 200);
	printf("epoll timeout: r=%d after %.3f\n", r, now() - b);
	struct itimerspec once = { { 0, 0 }, { 0, 300000000 } };
	timerfd_settime(tfd, 0, &once, NULL);
	b = now();
	r = epoll_wait(ep, out, 8, -1);
	printf("epoll timerfd: r=%d data=%u after %.3f\n", r, r > 0 ? out[0].data.u32 : 0, now() - b);
	read(tfd, &v, 8);
	v = 1;
	write(efd, &v, 8);
	r = epoll_wait(ep, out, 8, 0);
	int r2 = epoll_wait(ep, out, 8, 0);
	printf("epoll level: r=%d again=%d data=%u\n", r, r2, out[0].data.u32);
	read(efd, &v, 8);

	/* EPOLLET: reported once until new data arrives */
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u32 = 1;
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
	write(p[1], "x", 1);
	r = epoll_wait(ep, out, 8, 0);
	r2 = epoll_wait(ep, out, 8, 0);
	write(p[1], "y", 1);
	int r3 = epoll_wait(ep, out, 8, 0);
	printf("epoll ET: first=%d second=%d after-new-data=%d\n", r, r2, r3);
	read(p[0], buf, sizeof buf);

	/* EPOLLONESHOT: disabled after one report until re-armed with MOD */
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u32 = 2;
	epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev);
	v = 1;
	write(efd, &v, 8);
	r = epoll_wait(ep, out, 8, 0);
	r2 = epoll_wait(ep, out, 8, 100);
	epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev);
	r3 = epoll_wait(ep, out, 8, 0);
	printf("epoll ONESHOT: first=%d disabled=%d rearmed=%d\n", r, r2, r3);

	/* epoll woken by a thread's write */
	read(efd, &v, 8);
	pthread_create(&th, NULL, write_later, (void *)400000L);
	ev.events = EPOLLIN;
	ev.data.u32 = 1;
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
	b = now();
	r = epoll_wait(ep, out, 8, 2000);
	printf("epoll wake: r=%d data=%u after %.3f\n", r, out[0].data.u32, now() - b);
	pthread_join(th, NULL);

	/* hangup: writer closed */
	read(p[0], buf, sizeof buf);
	close(p[1]);
	pf.fd = p[0];
	pf.events = POLLIN;
	r = poll(&pf, 1, 1000);
	printf("poll hup: r=%d hup=%d\n", r, !!(pf.revents & POLLHUP));
	printf("%.3f done\n", now());
	return 0;
}
