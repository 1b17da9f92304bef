/* kernel-test.c - boot several private copies of liblinux-6.1.so in this process and
 * run UDP and TCP over loopback through each kernel's system calls, on simulated
 * time. Prints TAP-like "ok -" / "not ok -" lines; exits non-zero on any failure.
 *
 * usage: kernel-test LIBRARY LOG_DIR [NODES] */
#define _GNU_SOURCE
#include "host.h"
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
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

/* ---- timer_list timers (the timer wheel) ---- */

/* SO_RCVTIMEO sleeps in schedule_timeout: a timer_list timer wakes the task. */
static void rcvtimeo_main(struct khost_proc *p, void *arg)
{
	struct sockaddr_in a = loopback(9998);
	struct timeval tv = { 0, 200 * 1000 };
	long fd = SYS(p, socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	SYS(p, bind, fd, (long)&a, sizeof a, 0, 0, 0);
	long o = SYS(p, setsockopt, fd, SOL_SOCKET, SO_RCVTIMEO, (long)&tv, sizeof tv, 0);
	char buf[8];
	uint64_t before = khost_now();
	long r = SYS(p, recvfrom, fd, (long)buf, sizeof buf, 0, 0, 0);
	uint64_t waited = khost_now() - before;
	check(o == 0 && r == -EAGAIN && waited >= 200000000ull && waited < 210000000ull,
	      "node %d: recvfrom with SO_RCVTIMEO 200 ms times out after %.3f ms (%ld)",
	      p->node->id, waited / 1e6, r);
	SYS(p, close, fd, 0, 0, 0, 0, 0);
}

/* A listener with a full accept queue drops a SYN; the client's retransmission timer
 * (a timer_list timer, initial RTO 1 s) sends it again once there is room. */
#define RTO_CLIENTS 3

struct rto {
	uint64_t connect_ns[RTO_CLIENTS];
	long connect_result[RTO_CLIENTS], retrans[RTO_CLIENTS], accepted;
	int started;
};

static void rto_server(struct khost_proc *p, void *arg)
{
	struct rto *x = arg;
	struct sockaddr_in a = loopback(9997);
	struct timespec half = { 0, 500 * 1000 * 1000 };
	long ls = SYS(p, socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	SYS(p, bind, ls, (long)&a, sizeof a, 0, 0, 0);
	SYS(p, listen, ls, 1, 0, 0, 0, 0); /* room for 2 established connections */
	SYS(p, nanosleep, (long)&half, 0, 0, 0, 0, 0);
	for (int i = 0; i < RTO_CLIENTS; i++) {
		long cs = SYS(p, accept4, ls, 0, 0, 0, 0, 0);
		if (cs >= 0) {
			x->accepted++;
			SYS(p, close, cs, 0, 0, 0, 0, 0);
		}
	}
	SYS(p, close, ls, 0, 0, 0, 0, 0);
}

static void rto_client(struct khost_proc *p, void *arg)
{
	struct rto *x = arg;
	int i = x->started++;
	struct sockaddr_in a = loopback(9997);
	long fd = SYS(p, socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	uint64_t before = khost_now();
	x->connect_result[i] = SYS(p, connect, fd, (long)&a, sizeof a, 0, 0, 0);
	x->connect_ns[i] = khost_now() - before;
	struct tcp_info ti = { 0 };
	socklen_t len = sizeof ti;
	SYS(p, getsockopt, fd, IPPROTO_TCP, TCP_INFO, (long)&ti, (long)&len, 0);
	x->retrans[i] = ti.tcpi_total_retrans;
	SYS(p, close, fd, 0, 0, 0, 0, 0);
}

/* Returns 0 if the processes finished (if they did not, later runs would wait for
 * them forever). */
static int timer_wheel_checks(struct khost_node *n)
{
	khost_spawn(n, "rcvtimeo", rcvtimeo_main, NULL);
	int left = khost_run(khost_now() + 5000000000ull, NULL);
	check(left == 0, "rcvtimeo process finished");
	if (left)
		return -1;

	static struct rto x;
	khost_spawn(n, "rto-server", rto_server, &x);
	for (int i = 0; i < RTO_CLIENTS; i++)
		khost_spawn(n, "rto-client", rto_client, &x);
	left = khost_run(khost_now() + 10000000000ull, NULL);
	check(left == 0, "rto processes finished");
	int last = RTO_CLIENTS - 1;
	check(x.accepted == RTO_CLIENTS && x.connect_result[last] == 0 &&
	      x.connect_ns[last] >= 1000000000ull && x.connect_ns[last] < 1100000000ull &&
	      x.retrans[last] == 1,
	      "node %d: tcp SYN dropped by a full accept queue is retransmitted after the "
	      "initial RTO: connect took %.3f ms, %ld retransmit(s), %ld accepted", n->id,
	      x.connect_ns[last] / 1e6, x.retrans[last], x.accepted);
	return left ? -1 : 0;
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

/* ---- two kernels on a simulated 100 Mbit/s, 1 ms link ---- */

static struct khost_link_end link_ends[2];
static const char *link_addrs[2] = { "10.0.0.1", "10.0.0.2" };

static long ifioctl(struct khost_proc *p, long fd, unsigned long req, struct ifreq *ifr)
{
	return SYS(p, ioctl, fd, req, (long)ifr, 0, 0, 0);
}

static void net_setup(struct khost_proc *p, void *arg)
{
	int id = p->node->id;
	long ifindex = khost_netdev_new(p, "eth0", &link_ends[id]);
	long fd = SYS(p, socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "eth0");
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, link_addrs[id], &sin->sin_addr);
	long r1 = ifioctl(p, fd, SIOCSIFADDR, &ifr);
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	long r2 = ifioctl(p, fd, SIOCSIFNETMASK, &ifr);
	long r3 = ifioctl(p, fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	long r4 = ifioctl(p, fd, SIOCSIFFLAGS, &ifr);
	check(ifindex > 0 && !r1 && !r2 && !r3 && !r4,
	      "node %d: eth0 (ifindex %ld) up with %s/24 (%ld %ld %ld %ld)", id, ifindex,
	      link_addrs[id], r1, r2, r3, r4);
	SYS(p, close, fd, 0, 0, 0, 0, 0);
}

static void sysctl_main(struct khost_proc *p, void *arg)
{
	const char *cc = arg;
	int id = p->node->id;
	char buf[256] = "", now[64] = "";
	long n = khost_sysctl_read(p, "net.ipv4.tcp_available_congestion_control", buf, sizeof buf);
	buf[strcspn(buf, "\n")] = 0;
	check(n > 0 && strstr(buf, "reno") && strstr(buf, "cubic") && strstr(buf, "bbr") &&
	      strstr(buf, "dctcp"), "node %d: tcp_available_congestion_control = %s", id, buf);
	long w = khost_sysctl_write(p, "net.ipv4.tcp_congestion_control", cc);
	khost_sysctl_read(p, "net.ipv4.tcp_congestion_control", now, sizeof now);
	now[strcspn(now, "\n")] = 0;
	check(w == 0 && strcmp(now, cc) == 0, "node %d: sysctl net.ipv4.tcp_congestion_control=%s (%s)",
	      id, cc, now);
}

static void udp_across(struct khost_proc *p, void *arg)
{
	int id = p->node->id;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9000) };
	inet_pton(AF_INET, link_addrs[1], &a.sin_addr);
	long fd = SYS(p, socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	char buf[32] = "";
	if (id == 1) {
		SYS(p, bind, fd, (long)&a, sizeof a, 0, 0, 0);
		uint64_t t = khost_now();
		long r = SYS(p, recvfrom, fd, (long)buf, sizeof buf, 0, 0, 0);
		check(r == 5 && memcmp(buf, "hello", 5) == 0,
		      "node 1: udp datagram from node 0 over the link after %.3f ms", (khost_now() - t) / 1e6);
	} else {
		long s = SYS(p, sendto, fd, (long)"hello", 5, 0, (long)&a, sizeof a);
		check(s == 5, "node 0: udp sendto 10.0.0.2 (%ld)", s);
	}
	SYS(p, close, fd, 0, 0, 0, 0, 0);
}

#define XFER_BYTES (8 * 1024 * 1024)

struct xfer {
	const char *cc;
	int port;
	uint64_t start, end;
	long received, retrans;
	char cc_seen[16];
};

static void xfer_server(struct khost_proc *p, void *arg)
{
	struct xfer *x = arg;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(x->port) };
	long ls = SYS(p, socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	SYS(p, bind, ls, (long)&a, sizeof a, 0, 0, 0);
	SYS(p, listen, ls, 4, 0, 0, 0, 0);
	long cs = SYS(p, accept4, ls, 0, 0, 0, 0, 0);
	static char buf[65536];
	long r;
	while ((r = SYS(p, recvfrom, cs, (long)buf, sizeof buf, 0, 0, 0)) > 0)
		x->received += r;
	x->end = khost_now();
	SYS(p, close, cs, 0, 0, 0, 0, 0);
	SYS(p, close, ls, 0, 0, 0, 0, 0);
}

static void xfer_client(struct khost_proc *p, void *arg)
{
	struct xfer *x = arg;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(x->port) };
	inet_pton(AF_INET, link_addrs[1], &a.sin_addr);
	long fd = SYS(p, socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	x->start = khost_now();
	long c = SYS(p, connect, fd, (long)&a, sizeof a, 0, 0, 0);
	socklen_t len = sizeof x->cc_seen;
	SYS(p, getsockopt, fd, IPPROTO_TCP, TCP_CONGESTION, (long)x->cc_seen, (long)&len, 0);
	static char data[XFER_BYTES];
	long sent = 0, s = 0;
	while (c == 0 && sent < XFER_BYTES &&
	       (s = SYS(p, sendto, fd, (long)data + sent, XFER_BYTES - sent, 0, 0, 0)) > 0)
		sent += s;
	struct tcp_info ti = { 0 };
	len = sizeof ti;
	SYS(p, getsockopt, fd, IPPROTO_TCP, TCP_INFO, (long)&ti, (long)&len, 0);
	x->retrans = ti.tcpi_total_retrans;
	SYS(p, close, fd, 0, 0, 0, 0, 0);
}

static void transfer(const char *cc, int port)
{
	struct xfer x = { .cc = cc, .port = port };
	khost_spawn(&nodes[0], "sysctl", sysctl_main, (void *)cc);
	khost_run(UINT64_MAX, NULL);
	uint64_t drops = link_ends[0].drops;
	khost_spawn(&nodes[1], "xfer-server", xfer_server, &x);
	khost_spawn(&nodes[0], "xfer-client", xfer_client, &x);
	khost_run(UINT64_MAX, NULL);
	double secs = (x.end - x.start) / 1e9;
	check(x.received == XFER_BYTES && strcmp(x.cc_seen, cc) == 0,
	      "tcp %s: %d bytes over 100 Mbit/s, 5 ms, 40-frame queue in %.3f s simulated (%.1f Mbit/s), "
	      "%ld retransmits, %llu link drops", x.cc_seen, XFER_BYTES, secs,
	      x.received * 8 / secs / 1e6, x.retrans,
	      (unsigned long long)(link_ends[0].drops - drops));
}

static void blocked_main(struct khost_proc *p, void *arg)
{
	struct sockaddr_in a = loopback(9999);
	long fd = SYS(p, socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	char buf[8];
	SYS(p, bind, fd, (long)&a, sizeof a, 0, 0, 0);
	SYS(p, recvfrom, fd, (long)buf, sizeof buf, 0, 0, 0);
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
		/* Nodes 0 and 2 share a seed: their randomness must match. */
		int r = khost_node_start(&nodes[i], i, argv[1], i == 2 ? 1000 : 1000 + i, argv[2]);
		check(r == 0, "node %d: library loaded and boot entered (%d)", i, r);
		if (r)
			return 1;
		khost_run(khost_now() + 10 * 1000000000ull, &nodes[i].booted);
		check(nodes[i].booted && !nodes[i].dead, "node %d: booted", i);
		long img, ram, stacks;
		khost_node_memory(&nodes[i], &img, &ram, &stacks);
		printf("# node %d: booted in %.1f ms wall; resident private memory %ld KiB = "
		       "image data %ld + RAM %ld + task stacks %ld; log %s\n", i,
		       nodes[i].boot_ns / 1e6, img + ram + stacks, img, ram, stacks,
		       nodes[i].log_path);
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
	if (timer_wheel_checks(&nodes[0])) {
		printf("# timer_list timers do not fire: stopping here\n");
		return 1;
	}

	if (count >= 2) {
		khost_link_init(&link_ends[0], &link_ends[1], 100000000, 5000000, 40 * 1514);
		khost_spawn(&nodes[0], "net-setup", net_setup, NULL);
		khost_spawn(&nodes[1], "net-setup", net_setup, NULL);
		check(khost_run(UINT64_MAX, NULL) == 0, "network setup finished");
		khost_spawn(&nodes[1], "udp-rx", udp_across, NULL);
		khost_spawn(&nodes[0], "udp-tx", udp_across, NULL);
		check(khost_run(UINT64_MAX, NULL) == 0, "udp across the link finished");
		transfer("cubic", 8001);
		transfer("bbr", 8002);
	}

	/* An idle kernel must not tick: run 10 simulated seconds with nothing to do
	 * (node 0) and with a process blocked in recvfrom (the last node). */
	int last = count - 1;
	if (last > 0)
		khost_spawn(&nodes[last], "blocked", blocked_main, NULL);
	uint64_t ticks = nodes[0].timer_interrupts, ticks_last = nodes[last].timer_interrupts;
	khost_run(khost_now() + 10 * 1000000000ull, NULL);
	ticks = nodes[0].timer_interrupts - ticks;
	ticks_last = nodes[last].timer_interrupts - ticks_last;
	/* With the tick stopped in idle, only real timers wake a kernel (a few over 10 s);
	 * a ticking kernel takes HZ (250) interrupts per second. */
	check(ticks < 50, "node 0: %llu timer interrupts in 10 idle seconds (< 50: the tick "
	      "stops in idle)", (unsigned long long)ticks);
	check(ticks_last < 50, "node %d: %llu timer interrupts in 10 seconds blocked in recvfrom "
	      "(< 50)", last, (unsigned long long)ticks_last);

	for (int i = 0; i < count; i++) {
		long img, ram, stacks;
		khost_node_memory(&nodes[i], &img, &ram, &stacks);
		printf("# node %d at the end: resident private memory %ld KiB (image data %ld, "
		       "RAM %ld, task stacks %ld)\n", i, img + ram + stacks, img, ram, stacks);
		check(!nodes[i].dead, "node %d: no panic", i);
	}
	printf("# %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
