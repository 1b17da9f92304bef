/* nb-again: non-blocking sockets asked again and again: the repeats of a call
 * that said EAGAIN are answered in program context (src/libc-ns3/fastcall.c,
 * from the record dce_file_again keeps) and must give what the full entry gives.
 *   check   TCP over 127.0.0.1 and UDP, one line per step: read until EAGAIN and
 *           its repeats, data arriving, a buffer with a hole the entry's probe
 *           does or does not see, other flags (MSG_DONTWAIT on a blocking
 *           socket, then a blocking recv with a timeout), a full send buffer and
 *           its repeats, a dup'ed descriptor, recvfrom with an address; after a
 *           poll says readable, the bytes dce read ahead for the next read
 *           (struct dce_ahead): a read of part, FIONREAD, the rest, EAGAIN;
 *           last, a read into a buffer whose unprobed middle page is unmapped
 *   time    best cycles per repeated EAGAIN read, over batches of 500 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

static char buf[1 << 20];

static const char *res(long r)
{
	static char s[64];
	if (r >= 0)
		snprintf(s, sizeof s, "%ld", r);
	else
		snprintf(s, sizeof s, "-1 %s", strerrorname_np(errno));
	return s;
}

static void die(const char *what)
{
	printf("failed: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* a connected pair over 127.0.0.1: *c the client, *s the accepted end */
static void tcp_pair(int *c, int *s)
{
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4) ||
	    getsockname(l, (struct sockaddr *)&a, &al))
		die("listen");
	*c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (connect(*c, (struct sockaddr *)&a, sizeof a) && errno != EINPROGRESS)
		die("connect");
	*s = accept(l, NULL, NULL);
	struct pollfd p = { *c, POLLOUT, 0 };
	if (*s < 0 || poll(&p, 1, 1000) != 1)
		die("accept");
	close(l);
	nonblock(*s, 1);
}

static void wait_in(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	poll(&p, 1, 1000);
}

static void check(void)
{
	int c, s;
	tcp_pair(&c, &s);
	char line[256];
	/* read until EAGAIN, and again */
	long r1 = read(s, buf, 100);
	snprintf(line, sizeof line, "%s", res(r1));
	long r2 = read(s, buf, 100), r3 = read(s, buf + 10, 90);
	printf("empty: read %s, again %s", line, res(r2));
	printf(", again inside %s\n", res(r3));
	/* data arrives: the next read takes it, the one after says EAGAIN */
	write(c, "hello", 5);
	wait_in(s);
	r1 = read(s, buf, 100);
	r2 = read(s, buf + 5, 95);
	snprintf(line, sizeof line, "%s", res(r2));
	r3 = read(s, buf + 5, 95);
	printf("data: read %ld '%.5s', then %s, again %s\n", r1, buf, line, res(r3));
	/* a buffer of 64 pages with page 30 unmapped: the entry probes the first 16
	 * pages and the last one, so a read of it all says EAGAIN, but a read starting
	 * at page 30 is EFAULT, and one starting at page 63 EAGAIN */
	char *m = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(m + 30 * 4096, 4096, PROT_NONE);
	r1 = read(s, m, 64 * 4096);
	snprintf(line, sizeof line, "%s", res(r1));
	r2 = read(s, m + 30 * 4096, 100);
	printf("hole: whole %s, at the hole %s", line, res(r2));
	r1 = read(s, m, 64 * 4096);
	r2 = read(s, m + 63 * 4096, 100);
	printf(", last page %s", res(r2));
	r3 = read(s, NULL, 100);
	printf(", NULL %s\n", res(r3));
	/* other flags: MSG_DONTWAIT on a blocking socket says EAGAIN; a plain recv
	 * then waits for its 20 ms timeout */
	nonblock(s, 0);
	struct timeval tv = { 0, 20000 };
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	r1 = recv(s, buf, 100, MSG_DONTWAIT);
	snprintf(line, sizeof line, "%s", res(r1));
	r2 = recv(s, buf, 100, MSG_DONTWAIT);
	long t0 = now_ms();
	r3 = recv(s, buf, 100, 0);
	long waited = now_ms() - t0;
	printf("flags: dontwait %s, again %s", line, res(r2));
	printf(", blocking %s after %ld ms\n", res(r3), waited);
	r1 = read(s, buf, 100);
	printf("blocking read: %s\n", res(r1));
	nonblock(s, 1);
	/* a full send buffer: write until EAGAIN, again, then after the reader drains */
	long sent = 0, w;
	while ((w = write(c, buf, sizeof buf)) > 0)
		sent += w;
	snprintf(line, sizeof line, "%s", res(w));
	r1 = write(c, buf, 1000);
	r2 = send(c, buf, 1000, 0);
	r3 = send(c, buf, 1000, 0);
	printf("full: wrote %ld then %s, again %s", sent, line, res(r1));
	printf(", send %s", res(r2));
	printf(", again %s\n", res(r3));
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 9 };
	r1 = sendto(c, buf, 1000, 0, (struct sockaddr *)&to, sizeof to);
	printf("full: sendto with an address %s\n", res(r1));
	long got = 0;
	while (got < sent) {
		wait_in(s);
		long r = read(s, buf, sizeof buf);
		if (r <= 0)
			break;
		got += r;
	}
	struct pollfd p = { c, POLLOUT, 0 };
	int pr = poll(&p, 1, 1000);
	r1 = write(c, buf, 1000);
	printf("drained: read %ld, poll %d, write %s\n", got, pr, res(r1));
	/* a dup'ed descriptor shares the file */
	wait_in(s);
	r1 = read(s, buf, 2000);
	int d = dup(s);
	r2 = read(s, buf, 100);
	snprintf(line, sizeof line, "%s", res(r2));
	r3 = read(d, buf, 100);
	printf("dup: read %ld, then %s, the dup %s\n", r1, line, res(r3));
	/* UDP: recvfrom with an address, until EAGAIN and again; a datagram arrives */
	int u1 = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a1 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, from;
	socklen_t al = sizeof a1, fl = sizeof from;
	bind(u1, (struct sockaddr *)&a1, sizeof a1);
	getsockname(u1, (struct sockaddr *)&a1, &al);
	r1 = recvfrom(u1, buf, 100, 0, (struct sockaddr *)&from, &fl);
	snprintf(line, sizeof line, "%s", res(r1));
	r2 = recvfrom(u1, buf, 100, 0, (struct sockaddr *)&from, &fl);
	printf("udp: empty %s, again %s", line, res(r2));
	sendto(u2, "x", 1, 0, (struct sockaddr *)&a1, sizeof a1);
	wait_in(u1);
	fl = sizeof from;
	memset(&from, 0, sizeof from);
	r1 = recvfrom(u1, buf, 100, 0, (struct sockaddr *)&from, &fl);
	r2 = recvfrom(u1, buf, 100, 0, (struct sockaddr *)&from, &fl);
	snprintf(line, sizeof line, "%s", res(r2));
	r3 = recvfrom(u1, buf, 100, 0, (struct sockaddr *)&from, &fl);
	printf(", datagram %ld from %s (len %u), then %s, again %s\n", r1, inet_ntoa(from.sin_addr), fl, line,
	       res(r3));
	/* read ahead: a poll says readable, the next reads take the bytes in order */
	for (int i = 0; i < 3000; i++)
		buf[i] = (char)('a' + i % 26);
	write(c, buf, 3000);
	memset(buf, 0, 3000);
	wait_in(s);
	usleep(10000);
	struct pollfd q = { s, POLLIN, 0 };
	pr = poll(&q, 1, 1000);
	r1 = read(s, buf, 1000);
	int nread = -1;
	ioctl(s, FIONREAD, &nread);
	r2 = read(s, buf + 1000, 5000);
	r3 = read(s, buf + 3000, 100);
	int in_order = 1;
	for (int i = 0; i < 3000; i++)
		in_order &= buf[i] == (char)('a' + i % 26);
	printf("ahead: poll %d, read %ld, FIONREAD %d, read %ld, then %s, in order %d\n", pr, r1, nread, r2, res(r3),
	       in_order);
	/* a 40-page buffer whose page 20 is unmapped: the entry probes pages 0-15 and
	 * 39, the copy reaches page 20 (EFAULT, and no harm to the run) */
	char *h = mmap(NULL, 40 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	read(s, h, 40 * 4096); /* EAGAIN: the size of the reads to come */
	mprotect(h + 20 * 4096, 4096, PROT_NONE);
	write(c, buf, 0);
	for (long k = 0; k < 100000; k += 1000)
		write(c, buf, 1000);
	usleep(20000);
	q.revents = 0;
	pr = poll(&q, 1, 1000);
	r1 = read(s, h, 40 * 4096);
	printf("fault: poll %d, read %s\n", pr, res(r1));
}

static void timing(void)
{
	int c, s;
	tcp_pair(&c, &s);
	unsigned long best = ~0UL;
	for (int b = 0; b < 20; b++) {
		read(s, buf, 100); /* the full entry records the EAGAIN */
		unsigned long t0 = __rdtsc();
		for (int i = 0; i < 500; i++)
			read(s, buf, 100);
		unsigned long t = (__rdtsc() - t0) / 500;
		if (t < best)
			best = t;
	}
	printf("again-read cycles %lu\n", best);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "time"))
		timing();
	else
		check();
	return 0;
}
