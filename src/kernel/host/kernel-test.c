/* kernel-test.c - boot several private copies of liblinux-6.1.so in this process and
 * run UDP and TCP over loopback through each kernel's system calls, on simulated
 * time. Prints TAP-like "ok -" / "not ok -" lines; exits non-zero on any failure.
 *
 * usage: kernel-test LIBRARY LOG_DIR [NODES] */
#define _GNU_SOURCE
#include "host.h"
#include <arpa/inet.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>

#define MAX_NODES 8
#define SYS(p, nr, ...) sys6((p), DCE_KSYS_##nr, __VA_ARGS__)

static int failures;
static struct khost_node nodes[MAX_NODES];

static void check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s - ", cond ? "ok" : "not ok");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	if (!cond)
		failures++;
}

static long sys6(struct khost_proc *p, long nr, long a0, long a1, long a2, long a3, long a4,
                 long a5)
{
	return khost_syscall(p, nr, a0, a1, a2, a3, a4, a5);
}

static long private_kib(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long total = 0, v;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Private_Dirty: %ld", &v) == 1 ||
		    sscanf(line, "Private_Clean: %ld", &v) == 1)
			total += v;
	if (f)
		fclose(f);
	return total;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* ---- UDP: two sockets in one process ---- */

static void udp_main(struct khost_proc *p, void *arg)
{
	int id = p->node->id;
	struct sockaddr_in a = loopback(5000 + id);
	long rx = SYS(p, socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	long tx = SYS(p, socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	long b = SYS(p, bind, rx, (long)&a, sizeof a, 0, 0, 0);
	check(rx >= 0 && tx >= 0 && b == 0, "node %d: udp socket+bind (%ld %ld %ld)", id, rx, tx, b);
	char msg[64], buf[64] = { 0 };
	snprintf(msg, sizeof msg, "hello from node %d", id);
	long s = SYS(p, sendto, tx, (long)msg, strlen(msg), 0, (long)&a, sizeof a);
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	long r = SYS(p, recvfrom, rx, (long)buf, sizeof buf, 0, (long)&from, (long)&fl);
	check(s == (long)strlen(msg) && r == s && memcmp(buf, msg, r) == 0 &&
	      from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "node %d: udp loopback datagram (%ld sent, %ld received)", id, s, r);
	SYS(p, close, rx, 0, 0, 0, 0, 0);
	SYS(p, close, tx, 0, 0, 0, 0, 0);
}

/* ---- TCP: a server and a client process; accept and recv block ---- */

#define TCP_BYTES (256 * 1024)

static void tcp_server(struct khost_proc *p, void *arg)
{
	int id = p->node->id;
	struct sockaddr_in a = loopback(7000 + id);
	int one = 1;
	long ls = SYS(p, socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	SYS(p, setsockopt, ls, SOL_SOCKET, SO_REUSEADDR, (long)&one, sizeof one, 0);
	long b = SYS(p, bind, ls, (long)&a, sizeof a, 0, 0, 0);
	long l = SYS(p, listen, ls, 8, 0, 0, 0, 0);
	check(ls >= 0 && b == 0 && l == 0, "node %d: tcp listen (%ld %ld %ld)", id, ls, b, l);
	long cs = SYS(p, accept4, ls, 0, 0, 0, 0, 0);
	check(cs >= 0, "node %d: tcp accept (%ld)", id, cs);
	static char buf[MAX_NODES][16384];
	long total = 0, r;
	unsigned sum = 0;
	while ((r = SYS(p, recvfrom, cs, (long)buf[id], sizeof buf[id], 0, 0, 0)) > 0) {
		for (long i = 0; i < r; i++)
			sum = sum * 31 + (unsigned char)buf[id][i];
		total += r;
	}
	unsigned expect = 0;
	for (long i = 0; i < TCP_BYTES; i++)
		expect = expect * 31 + (unsigned char)(i * 7 + id);
	check(r == 0 && total == TCP_BYTES && sum == expect,
	      "node %d: tcp stream of %d bytes received intact (%ld, last %ld)", id, TCP_BYTES,
	      total, r);
	const char reply[] = "bye";
	long s = SYS(p, sendto, cs, (long)reply, 3, 0, 0, 0);
	check(s == 3, "node %d: tcp reply after the peer's shutdown (%ld)", id, s);
	SYS(p, close, cs, 0, 0, 0, 0, 0);
	SYS(p, close, ls, 0, 0, 0, 0, 0);
}

static void tcp_client(struct khost_proc *p, void *arg)
{
	int id = p->node->id;
	struct sockaddr_in a = loopback(7000 + id);
	long fd = SYS(p, socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	long c = SYS(p, connect, fd, (long)&a, sizeof a, 0, 0, 0);
	check(fd >= 0 && c == 0, "node %d: tcp connect (%ld %ld)", id, fd, c);
	static char data[MAX_NODES][TCP_BYTES];
	for (long i = 0; i < TCP_BYTES; i++)
		data[id][i] = (char)(i * 7 + id);
	long sent = 0, s = 0;
	while (sent < TCP_BYTES &&
	       (s = SYS(p, sendto, fd, (long)data[id] + sent, TCP_BYTES - sent, 0, 0, 0)) > 0)
		sent += s;
	check(sent == TCP_BYTES, "node %d: tcp send %d bytes (%ld, last %ld)", id, TCP_BYTES,
	      sent, s);
	SYS(p, shutdown, fd, SHUT_WR, 0, 0, 0, 0);
	char buf[8] = { 0 };
	long r = SYS(p, recvfrom, fd, (long)buf, sizeof buf, 0, 0, 0);
	check(r == 3 && memcmp(buf, "bye", 3) == 0, "node %d: tcp reply received (%ld)", id, r);
	SYS(p, close, fd, 0, 0, 0, 0, 0);
}

/* ---- time, identity, randomness ---- */

static void sleep_main(struct khost_proc *p, void *arg)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	uint64_t before = khost_now();
	long r = SYS(p, nanosleep, (long)&ts, 0, 0, 0, 0, 0);
	uint64_t slept = khost_now() - before;
	check(r == 0 && slept >= 100000000ull && slept < 101000000ull,
	      "node %d: nanosleep(100 ms) takes %.3f ms of simulated time", p->node->id,
	      slept / 1e6);
}

static char hostnames[MAX_NODES][65];
static unsigned char randoms[MAX_NODES][16];

static void identity_main(struct khost_proc *p, void *arg)
{
	int id = p->node->id;
	char name[16];
	snprintf(name, sizeof name, "node%d", id);
	long r = SYS(p, sethostname, (long)name, strlen(name), 0, 0, 0, 0);
	struct utsname u;
	long q = SYS(p, uname, (long)&u, 0, 0, 0, 0, 0);
	check(r == 0 && q == 0 && strcmp(u.nodename, name) == 0,
	      "node %d: sethostname/uname (%s, %s %s)", id, u.nodename, u.sysname, u.release);
	snprintf(hostnames[id], sizeof hostnames[id], "%s", u.nodename);
	long g = SYS(p, getrandom, (long)randoms[id], sizeof randoms[id], 0, 0, 0, 0);
	check(g == sizeof randoms[id], "node %d: getrandom does not block (%ld)", id, g);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s LIBRARY LOG_DIR [NODES]\n", argv[0]);
		return 2;
	}
	int count = argc > 3 ? atoi(argv[3]) : 3;
	if (count < 1 || count > MAX_NODES)
		count = 3;

	for (int i = 0; i < count; i++) {
		long before = private_kib();
		/* Nodes 0 and 2 share a seed: their randomness must match. */
		int r = khost_node_start(&nodes[i], i, argv[1], i == 2 ? 1000 : 1000 + i, argv[2]);
		check(r == 0, "node %d: library loaded and boot entered (%d)", i, r);
		if (r)
			return 1;
		khost_run(khost_now() + 10 * 1000000000ull, &nodes[i].booted);
		long after = private_kib();
		check(nodes[i].booted && !nodes[i].dead,
		      "node %d: booted in %.1f ms wall, %ld KiB private memory "
		      "(image data %zu KiB), log %s", i, nodes[i].boot_ns / 1e6, after - before,
		      nodes[i].image.private_bytes / 1024, nodes[i].log_path);
		if (!nodes[i].booted)
			return 1;
	}

	for (int i = 0; i < count; i++)
		khost_spawn(&nodes[i], "identity", identity_main, NULL);
	check(khost_run(UINT64_MAX, NULL) == 0, "identity processes finished");
	for (int i = 0; i < count; i++)
		for (int j = i + 1; j < count; j++)
			check(strcmp(hostnames[i], hostnames[j]) != 0,
			      "nodes %d and %d keep private hostnames", i, j);
	if (count >= 3) {
		check(memcmp(randoms[0], randoms[2], 16) == 0,
		      "same seed, same random bytes (nodes 0 and 2)");
		check(memcmp(randoms[0], randoms[1], 16) != 0,
		      "different seed, different random bytes (nodes 0 and 1)");
	}

	for (int i = 0; i < count; i++)
		khost_spawn(&nodes[i], "udp", udp_main, NULL);
	check(khost_run(UINT64_MAX, NULL) == 0, "udp processes finished");

	uint64_t t0 = khost_now();
	for (int i = 0; i < count; i++) {
		khost_spawn(&nodes[i], "tcp-server", tcp_server, NULL);
		khost_spawn(&nodes[i], "tcp-client", tcp_client, NULL);
	}
	int left = khost_run(UINT64_MAX, NULL);
	check(left == 0, "tcp processes finished (%d left, %.3f ms simulated)", left,
	      (khost_now() - t0) / 1e6);

	khost_spawn(&nodes[0], "sleep", sleep_main, NULL);
	check(khost_run(UINT64_MAX, NULL) == 0, "sleep process finished");

	/* An idle kernel must not tick: run 10 simulated seconds with nothing to do. */
	uint64_t ticks = nodes[0].timer_interrupts;
	khost_run(khost_now() + 10 * 1000000000ull, NULL);
	ticks = nodes[0].timer_interrupts - ticks;
	check(ticks < 100, "node 0: %llu timer interrupts in 10 idle seconds",
	      (unsigned long long)ticks);

	for (int i = 0; i < count; i++)
		check(!nodes[i].dead, "node %d: no panic", i);
	printf("# %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
