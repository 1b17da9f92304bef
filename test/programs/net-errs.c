/* net-errs: ICMP errors, unroutable destinations, port sharing, half-close and
 * IP_HDRINCL as Linux gives them (dce-two-nodes: node 0 = 10.1.1.1, node 1 = 10.1.1.2).
 *   net-errs peer    - on 10.1.1.2 (started first): a UDP pair that answers the
 *                      client's connected socket, a TCP listener that sends "data",
 *                      shuts its side and waits for the client's EOF, and a UDP
 *                      socket on 7003 that prints what the IP_HDRINCL send carries.
 *   net-errs client  - on 10.1.1.1: one line per check, "N failures" last. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, int ok, const char *got)
{
	printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what, got ? ": " : "", got ? got : "");
	fflush(stdout);
	failures += !ok;
}

static struct sockaddr_in addr(const char *a, int port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, a, &s.sin_addr);
	return s;
}

static int udp_bound(int port)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = addr("0.0.0.0", port);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int wait_fd(int fd, int events, int ms)
{
	struct pollfd p = { fd, (short)events, 0 };
	return poll(&p, 1, ms) > 0 ? p.revents : 0;
}

static void peer(void)
{
	int p1 = udp_bound(7001), p2 = udp_bound(7002), h = udp_bound(7003);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = addr("0.0.0.0", 7100);
	bind(l, (struct sockaddr *)&a, sizeof a);
	listen(l, 4);
	/* port sharing: wait for the client's "go" from its connected socket */
	struct sockaddr_in c = addr("10.1.1.1", 7000);
	sendto(p1, "hello", 5, 0, (struct sockaddr *)&c, sizeof c);
	char buf[256];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	ssize_t n = wait_fd(p1, POLLIN, 5000) ? recvfrom(p1, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) : -1;
	printf("peer: udp %.*s\n", n > 0 ? (int)n : 0, buf);
	sendto(p1, "to-A", 4, 0, (struct sockaddr *)&c, sizeof c);
	sendto(p2, "to-B", 4, 0, (struct sockaddr *)&c, sizeof c);
	/* half-close: send, shut our side, wait for the client's EOF */
	int s = accept(l, NULL, NULL);
	write(s, "data", 4);
	shutdown(s, SHUT_WR);
	size_t got = 0;
	while ((n = read(s, buf, sizeof buf)) > 0)
		got += (size_t)n;
	printf("peer: tcp eof after %zu bytes (read returned %zd)\n", got, n);
	close(s);
	/* IP_HDRINCL datagram */
	fl = sizeof from;
	n = wait_fd(h, POLLIN, 3000) ? recvfrom(h, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) : -1;
	char src[32] = "?";
	inet_ntop(AF_INET, &from.sin_addr, src, sizeof src);
	printf("peer: hdrincl %s:%d %.*s\n", src, ntohs(from.sin_port), n > 0 ? (int)n : 0, buf);
	fflush(stdout);
}

static unsigned short csum(const void *p, size_t len)
{
	const unsigned short *w = p;
	unsigned long sum = 0;
	for (; len > 1; len -= 2)
		sum += *w++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

static void client(void)
{
	char got[160];
	/* 1. port sharing: A takes 7000, connects to the peer; B binds 7000 too */
	int a = udp_bound(7000);
	char buf[256];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	ssize_t n = wait_fd(a, POLLIN, 5000) ? recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) : -1;
	expect("udp: first datagram", n == 5, NULL);
	expect("udp: connect to the sender", connect(a, (struct sockaddr *)&from, fl) == 0, strerror(errno));
	int b = udp_bound(7000);
	expect("udp: a second socket binds the connected socket's port (iperf3 -u)", b >= 0, strerror(errno));
	struct sockaddr_in nm;
	socklen_t nl = sizeof nm;
	getsockname(a, (struct sockaddr *)&nm, &nl);
	inet_ntop(AF_INET, &nm.sin_addr, got, sizeof got);
	expect("udp: connected socket's name is the route's source", !strcmp(got, "10.1.1.1") && ntohs(nm.sin_port) == 7000, got);
	send(a, "go", 2, 0);
	n = wait_fd(a, POLLIN, 3000) ? recv(a, buf, sizeof buf, 0) : -1;
	snprintf(got, sizeof got, "%.*s", n > 0 ? (int)n : 0, buf);
	expect("udp: the connected socket gets its peer's datagram", n == 4 && !memcmp(buf, "to-A", 4), got);
	int on = 1;
	setsockopt(b, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
	char pctl[128];
	struct iovec piov = { buf, sizeof buf };
	struct msghdr pm = { .msg_iov = &piov, .msg_iovlen = 1, .msg_control = pctl, .msg_controllen = sizeof pctl };
	n = wait_fd(b, POLLIN, 3000) ? recvmsg(b, &pm, 0) : -1;
	snprintf(got, sizeof got, "%.*s", n > 0 ? (int)n : 0, buf);
	expect("udp: the other socket gets the other sender's", n == 4 && !memcmp(buf, "to-B", 4), got);
	struct in_pktinfo *pi = NULL;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&pm); n >= 0 && cm; cm = CMSG_NXTHDR(&pm, cm))
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
			pi = (struct in_pktinfo *)CMSG_DATA(cm);
	snprintf(got, sizeof got, "none");
	if (pi) {
		char d[32];
		inet_ntop(AF_INET, &pi->ipi_addr, d, sizeof d);
		snprintf(got, sizeof got, "ifindex %d addr %s", pi->ipi_ifindex, d);
	}
	expect("udp: IP_PKTINFO gives the receiving interface and destination", !strcmp(got, "ifindex 2 addr 10.1.1.1"), got);
	close(a);
	close(b);

	/* 2. connected UDP to a closed port: ECONNREFUSED on the next call */
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in closed = addr("10.1.1.2", 9);
	connect(u, (struct sockaddr *)&closed, sizeof closed);
	expect("udp: first send to a closed port", send(u, "x", 1, 0) == 1, strerror(errno));
	int ev = wait_fd(u, POLLIN, 1000);
	expect("udp: POLLERR after port unreachable", (ev & POLLERR) != 0, NULL);
	n = recv(u, buf, sizeof buf, MSG_DONTWAIT);
	expect("udp: recv gives ECONNREFUSED", n < 0 && errno == ECONNREFUSED, strerror(errno));
	n = recv(u, buf, sizeof buf, MSG_DONTWAIT);
	expect("udp: then EAGAIN (error reported once)", n < 0 && errno == EAGAIN, strerror(errno));
	close(u);

	/* 3. IP_RECVERR: the error queue with the offender */
	u = socket(AF_INET, SOCK_DGRAM, 0);
	int one = 1;
	setsockopt(u, IPPROTO_IP, IP_RECVERR, &one, sizeof one);
	sendto(u, "y", 1, 0, (struct sockaddr *)&closed, sizeof closed);
	ev = wait_fd(u, 0, 1000);
	expect("recverr: POLLERR", (ev & POLLERR) != 0, NULL);
	char ctl[256];
	struct sockaddr_in dst;
	struct iovec iov = { buf, sizeof buf };
	struct msghdr m = { .msg_name = &dst, .msg_namelen = sizeof dst, .msg_iov = &iov, .msg_iovlen = 1,
	                    .msg_control = ctl, .msg_controllen = sizeof ctl };
	n = recvmsg(u, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
	expect("recverr: recvmsg(MSG_ERRQUEUE)", n >= 0 && (m.msg_flags & MSG_ERRQUEUE), strerror(errno));
	struct sock_extended_err *ee = NULL;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); n >= 0 && cm; cm = CMSG_NXTHDR(&m, cm))
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR)
			ee = (struct sock_extended_err *)CMSG_DATA(cm);
	snprintf(got, sizeof got, "none");
	if (ee) {
		struct sockaddr_in *off = (struct sockaddr_in *)SO_EE_OFFENDER(ee);
		char o[32];
		inet_ntop(AF_INET, &off->sin_addr, o, sizeof o);
		snprintf(got, sizeof got, "errno %u origin %u type %u code %u offender %s", ee->ee_errno, ee->ee_origin,
		         ee->ee_type, ee->ee_code, o);
	}
	expect("recverr: sock_extended_err of the port unreachable",
	       !strcmp(got, "errno 111 origin 2 type 3 code 3 offender 10.1.1.2"), got);
	inet_ntop(AF_INET, &dst.sin_addr, got, sizeof got);
	expect("recverr: msg_name is the datagram's destination", !strcmp(got, "10.1.1.2") && ntohs(dst.sin_port) == 9, got);
	n = recvmsg(u, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
	expect("recverr: queue then empty (EAGAIN)", n < 0 && errno == EAGAIN, strerror(errno));
	close(u);

	/* 4. no route: errors at once */
	struct sockaddr_in far = addr("192.0.2.1", 9);
	int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	unsigned char echo[8] = { 8, 0, 0xf7, 0xff, 0, 0, 0, 0 };
	n = sendto(r, echo, sizeof echo, 0, (struct sockaddr *)&far, sizeof far);
	expect("no route: raw ICMP sendto gives ENETUNREACH (ping returns at once)", n < 0 && errno == ENETUNREACH,
	       strerror(errno));
	close(r);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	n = sendto(u, "z", 1, 0, (struct sockaddr *)&far, sizeof far);
	expect("no route: UDP sendto gives ENETUNREACH", n < 0 && errno == ENETUNREACH, strerror(errno));
	close(u);
	int t = socket(AF_INET, SOCK_STREAM, 0);
	expect("no route: TCP connect gives ENETUNREACH",
	       connect(t, (struct sockaddr *)&far, sizeof far) < 0 && errno == ENETUNREACH, strerror(errno));
	close(t);

	/* 5. half-close: the peer's FIN arrives, then we shut our side: EOF is kept */
	t = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in srv = addr("10.1.1.2", 7100);
	expect("tcp: connect", connect(t, (struct sockaddr *)&srv, sizeof srv) == 0, strerror(errno));
	usleep(200000); /* "data" and the FIN arrive */
	expect("tcp: shutdown(SHUT_WR) after the peer's FIN", shutdown(t, SHUT_WR) == 0, strerror(errno));
	size_t total = 0;
	ev = wait_fd(t, POLLIN, 2000);
	while ((n = read(t, buf, sizeof buf)) > 0)
		total += (size_t)n;
	snprintf(got, sizeof got, "%zu bytes then %zd", total, n);
	expect("tcp: the data, then EOF", total == 4 && n == 0, got);
	close(t);

	/* 6. IP_HDRINCL: our own IP header on an IPPROTO_RAW socket */
	r = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	int hi = 0;
	socklen_t hl = sizeof hi;
	getsockopt(r, IPPROTO_IP, IP_HDRINCL, &hi, &hl);
	expect("hdrincl: implied on IPPROTO_RAW", hi == 1, NULL);
	unsigned char pkt[64];
	memset(pkt, 0, sizeof pkt);
	struct iphdr *ip = (struct iphdr *)pkt;
	struct udphdr *uh = (struct udphdr *)(pkt + 20);
	const char *msg = "hdrincl";
	size_t plen = 20 + 8 + strlen(msg);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 9;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons((unsigned short)plen);
	ip->id = htons(77);
	inet_pton(AF_INET, "10.1.1.1", &ip->saddr);
	inet_pton(AF_INET, "10.1.1.2", &ip->daddr);
	ip->check = csum(ip, 20);
	uh->source = htons(4242);
	uh->dest = htons(7003);
	uh->len = htons((unsigned short)(8 + strlen(msg)));
	memcpy(pkt + 28, msg, strlen(msg));
	unsigned char ph[12 + 64]; /* the UDP checksum's pseudo-header, then the datagram */
	memset(ph, 0, sizeof ph);
	memcpy(ph, &ip->saddr, 4);
	memcpy(ph + 4, &ip->daddr, 4);
	ph[9] = IPPROTO_UDP;
	memcpy(ph + 10, &uh->len, 2);
	memcpy(ph + 12, uh, plen - 20);
	uh->check = csum(ph, 12 + plen - 20 + ((plen - 20) & 1));
	struct sockaddr_in hd = addr("10.1.1.2", 0);
	n = sendto(r, pkt, plen, 0, (struct sockaddr *)&hd, sizeof hd);
	expect("hdrincl: sendto", n == (ssize_t)plen, strerror(errno));
	close(r);
	printf("%d failures\n", failures);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "peer"))
		peer();
	else
		client();
	return failures != 0;
}
