/* net-packet: AF_PACKET sockets and classic BPF filters (dce-two-nodes: node 0 =
 * 10.1.1.1, node 1 = 10.1.1.2).
 *   net-packet recv  - on node 0: a SOCK_RAW ETH_P_ALL socket on eth0 with a filter
 *                      for UDP to port 5555 (as `tcpdump -dd udp dst port 5555`
 *                      would write it), a SOCK_DGRAM ETH_P_IP socket, the filter
 *                      checks Linux makes, and a UDP socket on 5557 that gets the
 *                      datagram node 1 sends through its own packet socket.
 *   net-packet send  - on node 1: UDP to 10.1.1.1:5556 and :5555, then an IPv4/UDP
 *                      datagram to 5557 built by hand, sent with sendto(sockaddr_ll). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, int ok, const char *got)
{
	printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what, got ? ": " : "", got ? got : "");
	fflush(stdout);
	failures += !ok;
}

static int attach(int fd, struct sock_filter *f, unsigned n)
{
	struct sock_fprog p = { (unsigned short)n, f };
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, sizeof p);
}

static unsigned short csum(const void *p, size_t len)
{
	const unsigned short *w = p;
	unsigned long sum = 0;
	for (; len > 1; len -= 2)
		sum += *w++;
	if (len)
		sum += *(const unsigned char *)w;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

static void recv_side(void)
{
	char got[128];
	int ifi = (int)if_nametoindex("eth0");
	int raw = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	expect("socket(AF_PACKET, SOCK_RAW, ETH_P_ALL)", raw >= 0, strerror(errno));
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifi };
	expect("bind to eth0", bind(raw, (struct sockaddr *)&ll, sizeof ll) == 0, strerror(errno));
	struct sock_filter udp5555[] = {
		{ 0x28, 0, 0, 12 },         /* ldh [12] */
		{ 0x15, 0, 6, 0x0800 },     /* jeq IPv4 */
		{ 0x30, 0, 0, 23 },         /* ldb [23] */
		{ 0x15, 0, 4, 17 },         /* jeq UDP */
		{ 0xb1, 0, 0, 14 },         /* ldxb 4*([14]&0xf) */
		{ 0x48, 0, 0, 16 },         /* ldh [x+16] */
		{ 0x15, 0, 1, 5555 },       /* jeq 5555 */
		{ 0x06, 0, 0, 262144 },     /* ret whole */
		{ 0x06, 0, 0, 0 },          /* ret 0 */
	};
	struct sock_filter noret[] = { { 0x28, 0, 0, 12 } };
	struct sock_filter farjump[] = { { 0x15, 5, 0, 1 }, { 0x06, 0, 0, 0 } };
	struct sock_filter divzero[] = { { 0x34, 0, 0, 0 }, { 0x06, 0, 0, 0 } };
	errno = 0;
	expect("filter without a final ret: EINVAL", attach(raw, noret, 1) < 0 && errno == EINVAL, strerror(errno));
	errno = 0;
	expect("filter jumping past its end: EINVAL", attach(raw, farjump, 2) < 0 && errno == EINVAL, strerror(errno));
	errno = 0;
	expect("filter dividing by constant 0: EINVAL", attach(raw, divzero, 2) < 0 && errno == EINVAL, strerror(errno));
	errno = 0;
	expect("empty filter: EINVAL", attach(raw, udp5555, 0) < 0 && errno == EINVAL, strerror(errno));
	expect("attach the udp-port-5555 filter", attach(raw, udp5555, 9) == 0, strerror(errno));
	int dg = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	expect("socket(AF_PACKET, SOCK_DGRAM, ETH_P_IP)", dg >= 0, strerror(errno));
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(5557) };
	bind(u, (struct sockaddr *)&a, sizeof a);
	unsigned char buf[2048];
	struct pollfd pf = { raw, POLLIN, 0 };
	int n = poll(&pf, 1, 5000) > 0 ? (int)recv(raw, buf, sizeof buf, 0) : -1;
	int port = n >= 38 ? buf[36] << 8 | buf[37] : -1;
	snprintf(got, sizeof got, "%d bytes, ethertype %02x%02x, dport %d, payload %.*s", n, n > 13 ? buf[12] : 0,
	         n > 13 ? buf[13] : 0, port, n > 42 ? n - 42 : 0, buf + 42);
	expect("SOCK_RAW: the filter passes only the datagram to 5555, with its Ethernet header",
	       n == 14 + 20 + 8 + 5 && port == 5555 && !memcmp(buf + 42, "five5", 5), got);
	/* the cooked socket got both datagrams, IP header first */
	struct sockaddr_ll from;
	socklen_t fl = sizeof from;
	n = (int)recvfrom(dg, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
	snprintf(got, sizeof got, "%d bytes, version %d, ifindex %d, proto %04x, halen %d", n, n > 0 ? buf[0] >> 4 : 0,
	         from.sll_ifindex, ntohs(from.sll_protocol), from.sll_halen);
	expect("SOCK_DGRAM: the first datagram from the IP header, sockaddr_ll filled",
	       n == 20 + 8 + 5 && buf[0] >> 4 == 4 && from.sll_ifindex == ifi && ntohs(from.sll_protocol) == ETH_P_IP &&
	           from.sll_halen == 6,
	       got);
	/* the datagram node 1 built itself arrives at the UDP socket */
	pf.fd = u;
	n = poll(&pf, 1, 5000) > 0 ? (int)recv(u, buf, sizeof buf, 0) : -1;
	snprintf(got, sizeof got, "%.*s", n > 0 ? n : 0, buf);
	expect("a datagram sent by sendto(sockaddr_ll) on node 1 reaches a UDP socket", n == 6 && !memcmp(buf, "cooked", 6), got);
	printf("%d failures\n", failures);
}

static void send_side(void)
{
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(5556) };
	inet_pton(AF_INET, "10.1.1.1", &a.sin_addr);
	sendto(u, "six66", 5, 0, (struct sockaddr *)&a, sizeof a);
	a.sin_port = htons(5555);
	sendto(u, "five5", 5, 0, (struct sockaddr *)&a, sizeof a);
	usleep(100000);
	int dg = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	unsigned char pkt[64] = { 0 };
	struct iphdr *ip = (struct iphdr *)pkt;
	struct udphdr *uh = (struct udphdr *)(pkt + 20);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(20 + 8 + 6);
	inet_pton(AF_INET, "10.1.1.2", &ip->saddr);
	inet_pton(AF_INET, "10.1.1.1", &ip->daddr);
	ip->check = csum(ip, 20);
	uh->source = htons(4000);
	uh->dest = htons(5557);
	uh->len = htons(8 + 6);
	memcpy(pkt + 28, "cooked", 6);
	unsigned char ph[12 + 14] = { 0 };
	memcpy(ph, &ip->saddr, 4);
	memcpy(ph + 4, &ip->daddr, 4);
	ph[9] = IPPROTO_UDP;
	memcpy(ph + 10, &uh->len, 2);
	memcpy(ph + 12, uh, 14);
	uh->check = csum(ph, sizeof ph);
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
	                          .sll_ifindex = (int)if_nametoindex("eth0"), .sll_halen = 6 };
	memset(to.sll_addr, 0xff, 6);
	ssize_t n = sendto(dg, pkt, 34, 0, (struct sockaddr *)&to, sizeof to);
	printf("send: packet socket sendto %zd (%s)\n", n, n < 0 ? strerror(errno) : "ok");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "send"))
		send_side();
	else
		recv_side();
	return failures != 0;
}
