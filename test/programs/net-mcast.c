/* net-mcast: IPv4 multicast sends the way routing daemons make them.
 *   net-mcast send  - on 10.1.1.1 (dce-two-nodes' node 0): an OSPF-like hello on a
 *                     raw IPPROTO 89 socket to 224.0.0.5 with IP_PKTINFO, another
 *                     to 224.0.0.6 chosen by IP_MULTICAST_IF, a UDP datagram to
 *                     239.1.2.3:5000 with IP_MULTICAST_IF, and the errors Linux
 *                     gives for sends it refuses (no route to the group, unknown
 *                     interface). Prints one line per check, "N failures" last.
 *   net-mcast recv  - joins 224.0.0.5 and 239.1.2.3 and prints every multicast
 *                     packet it receives within 3 s: "raw SRC DST ttl N proto P
 *                     PAYLOAD" and "udp SRC:PORT PAYLOAD". */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, int ok, const char *got)
{
	printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what, got ? ": " : "", got ? got : "");
	failures += !ok;
}

static struct sockaddr_in group(const char *addr, int port)
{
	struct sockaddr_in g = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, addr, &g.sin_addr);
	return g;
}

/* sendmsg with an IP_PKTINFO control message naming ifindex and source */
static ssize_t send_pktinfo(int fd, const void *buf, size_t len, struct sockaddr_in *to, int ifindex,
                            const char *spec_dst)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))] = { 0 };
	struct iovec iov = { (void *)buf, len };
	struct msghdr m = { .msg_name = to, .msg_namelen = sizeof *to, .msg_iov = &iov, .msg_iovlen = 1,
		            .msg_control = cbuf, .msg_controllen = sizeof cbuf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	struct in_pktinfo pi = { .ipi_ifindex = ifindex };
	if (spec_dst)
		inet_pton(AF_INET, spec_dst, &pi.ipi_spec_dst);
	memcpy(CMSG_DATA(c), &pi, sizeof pi);
	return sendmsg(fd, &m, 0);
}

static int do_send(void)
{
	const char hello[] = "ospf-hello";
	char got[64];
	int eth0 = (int)if_nametoindex("eth0");
	expect("eth0 has an index", eth0 > 0, NULL);
	int raw = socket(AF_INET, SOCK_RAW, 89);
	expect("raw IPPROTO 89 socket", raw >= 0, NULL);
	struct sockaddr_in allspf = group("224.0.0.5", 0), alldr = group("224.0.0.6", 0);

	/* no IP_PKTINFO, no IP_MULTICAST_IF and no route to 224.0.0.0/4 */
	errno = 0;
	ssize_t r = sendto(raw, hello, sizeof hello, 0, (struct sockaddr *)&allspf, sizeof allspf);
	snprintf(got, sizeof got, "%zd %s", r, strerror(errno));
	expect("no route to the group: ENETUNREACH", r < 0 && errno == ENETUNREACH, got);

	/* an interface that does not exist */
	errno = 0;
	r = send_pktinfo(raw, hello, sizeof hello, &allspf, 77, NULL);
	snprintf(got, sizeof got, "%zd %s", r, strerror(errno));
	expect("IP_PKTINFO with an unknown ifindex: ENODEV", r < 0 && errno == ENODEV, got);

	/* the OSPF hello: interface from IP_PKTINFO */
	r = send_pktinfo(raw, hello, sizeof hello, &allspf, eth0, NULL);
	snprintf(got, sizeof got, "%zd %s", r, r < 0 ? strerror(errno) : "");
	expect("raw sendmsg to 224.0.0.5 with IP_PKTINFO", r == sizeof hello, got);

	/* IP_MULTICAST_IF by ip_mreqn; an unknown address is refused */
	struct ip_mreqn mr = { .imr_ifindex = eth0 };
	expect("IP_MULTICAST_IF (ip_mreqn)", setsockopt(raw, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr) == 0, NULL);
	struct in_addr bogus;
	inet_pton(AF_INET, "10.9.9.9", &bogus);
	errno = 0;
	expect("IP_MULTICAST_IF with a foreign address: EADDRNOTAVAIL",
	       setsockopt(raw, IPPROTO_IP, IP_MULTICAST_IF, &bogus, sizeof bogus) < 0 && errno == EADDRNOTAVAIL, NULL);
	const char dr[] = "ospf-dr";
	r = sendto(raw, dr, sizeof dr, 0, (struct sockaddr *)&alldr, sizeof alldr);
	snprintf(got, sizeof got, "%zd %s", r, r < 0 ? strerror(errno) : "");
	expect("raw sendto 224.0.0.6 via IP_MULTICAST_IF", r == sizeof dr, got);

	/* UDP to a group, the interface chosen by its address; TTL 5 */
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct in_addr me;
	inet_pton(AF_INET, "10.1.1.1", &me);
	int ttl = 5;
	expect("UDP IP_MULTICAST_IF (in_addr)", setsockopt(u, IPPROTO_IP, IP_MULTICAST_IF, &me, sizeof me) == 0, NULL);
	expect("UDP IP_MULTICAST_TTL", setsockopt(u, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) == 0, NULL);
	struct in_addr back;
	socklen_t bl = sizeof back;
	expect("getsockopt IP_MULTICAST_IF gives the address back",
	       getsockopt(u, IPPROTO_IP, IP_MULTICAST_IF, &back, &bl) == 0 && back.s_addr == me.s_addr, NULL);
	struct sockaddr_in g = group("239.1.2.3", 5000);
	const char udp[] = "udp-hello";
	r = sendto(u, udp, sizeof udp, 0, (struct sockaddr *)&g, sizeof g);
	snprintf(got, sizeof got, "%zd %s", r, r < 0 ? strerror(errno) : "");
	expect("UDP sendto 239.1.2.3:5000 via IP_MULTICAST_IF", r == sizeof udp, got);
	struct sockaddr_in local;
	socklen_t ll = sizeof local;
	expect("the UDP socket got a port", getsockname(u, (struct sockaddr *)&local, &ll) == 0 && local.sin_port, NULL);
	sleep(1);
	printf("%d failures\n", failures);
	return failures != 0;
}

static int do_recv(void)
{
	int eth0 = (int)if_nametoindex("eth0");
	int raw = socket(AF_INET, SOCK_RAW, 89);
	struct ip_mreqn j = { .imr_ifindex = eth0 };
	inet_pton(AF_INET, "224.0.0.5", &j.imr_multiaddr);
	if (raw < 0 || setsockopt(raw, IPPROTO_IP, IP_ADD_MEMBERSHIP, &j, sizeof j) < 0) {
		perror("raw socket / IP_ADD_MEMBERSHIP");
		return 1;
	}
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in any = group("0.0.0.0", 5000);
	inet_pton(AF_INET, "239.1.2.3", &j.imr_multiaddr);
	if (bind(u, (struct sockaddr *)&any, sizeof any) < 0 ||
	    setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &j, sizeof j) < 0) {
		perror("udp bind / IP_ADD_MEMBERSHIP");
		return 1;
	}
	struct pollfd p[2] = { { raw, POLLIN, 0 }, { u, POLLIN, 0 } };
	while (poll(p, 2, 3000) > 0) {
		unsigned char b[2048];
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		char src[32], dst[32];
		if (p[0].revents & POLLIN) {
			ssize_t n = recvfrom(raw, b, sizeof b, 0, (struct sockaddr *)&from, &fl);
			if (n < (ssize_t)sizeof(struct iphdr))
				continue;
			struct iphdr *h = (struct iphdr *)b;
			inet_ntop(AF_INET, &h->saddr, src, sizeof src);
			inet_ntop(AF_INET, &h->daddr, dst, sizeof dst);
			size_t hl = (size_t)h->ihl * 4;
			printf("raw %s %s ttl %d proto %d %.*s\n", src, dst, h->ttl, h->protocol,
			       (int)(n - (ssize_t)hl), (char *)b + hl);
		}
		if (p[1].revents & POLLIN) {
			ssize_t n = recvfrom(u, b, sizeof b - 1, 0, (struct sockaddr *)&from, &fl);
			if (n < 0)
				continue;
			inet_ntop(AF_INET, &from.sin_addr, src, sizeof src);
			printf("udp %s %.*s\n", src, (int)n, (char *)b);
		}
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "send"))
		return do_send();
	if (argc == 2 && !strcmp(argv[1], "recv"))
		return do_recv();
	fprintf(stderr, "usage: net-mcast send|recv\n");
	return 2;
}
