/* net-ifaces: what a program learns about its node's interfaces: getifaddrs
 * (netlink), if_nameindex/if_nametoindex/if_indextoname, the SIOCGIF* ioctls, and
 * netlink's errors. Prints a listing, then "N failures". */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int fails;
#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %s:%d ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

int main(void)
{
	struct ifaddrs *ifa, *i;
	CHECK(getifaddrs(&ifa) == 0, "getifaddrs: %s", strerror(errno));
	int n4 = 0, npkt = 0;
	for (i = ifa; i; i = i->ifa_next) {
		char buf[INET6_ADDRSTRLEN] = "-";
		int fam = i->ifa_addr ? i->ifa_addr->sa_family : -1;
		if (fam == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf, sizeof buf);
			n4++;
		} else if (fam == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, buf, sizeof buf);
		else if (fam == AF_PACKET) {
			strcpy(buf, "packet");
			npkt++;
		}
		printf("ifaddr %s %s flags %#x\n", i->ifa_name, buf, i->ifa_flags);
	}
	CHECK(n4 >= 2 && npkt >= 2, "getifaddrs: %d IPv4, %d links", n4, npkt);
	if (ifa)
		freeifaddrs(ifa);

	struct if_nameindex *ni = if_nameindex();
	CHECK(ni != NULL, "if_nameindex");
	for (struct if_nameindex *p = ni; p && p->if_index; p++)
		printf("nameindex %u %s\n", p->if_index, p->if_name);
	if (ni)
		if_freenameindex(ni);
	CHECK(if_nametoindex("lo") == 1, "if_nametoindex(lo)");
	CHECK(if_nametoindex("eth0") == 2, "if_nametoindex(eth0)");
	CHECK(if_nametoindex("nope0") == 0 && errno == ENODEV, "if_nametoindex(nope0) errno %d", errno);
	char name[IF_NAMESIZE];
	CHECK(if_indextoname(2, name) && !strcmp(name, "eth0"), "if_indextoname(2)");
	CHECK(!if_indextoname(99, name) && errno == ENXIO, "if_indextoname(99) errno %d", errno);

	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq r;
	memset(&r, 0, sizeof r);
	strcpy(r.ifr_name, "eth0");
	CHECK(ioctl(s, SIOCGIFADDR, &r) == 0, "SIOCGIFADDR");
	printf("SIOCGIFADDR eth0 %s\n", inet_ntoa(((struct sockaddr_in *)&r.ifr_addr)->sin_addr));
	CHECK(ioctl(s, SIOCGIFNETMASK, &r) == 0, "SIOCGIFNETMASK");
	printf("SIOCGIFNETMASK eth0 %s\n", inet_ntoa(((struct sockaddr_in *)&r.ifr_netmask)->sin_addr));
	CHECK(ioctl(s, SIOCGIFFLAGS, &r) == 0 && (r.ifr_flags & IFF_UP), "SIOCGIFFLAGS");
	CHECK(ioctl(s, SIOCGIFMTU, &r) == 0 && r.ifr_mtu == 1500, "SIOCGIFMTU %d", r.ifr_mtu);
	CHECK(ioctl(s, SIOCGIFINDEX, &r) == 0 && r.ifr_ifindex == 2, "SIOCGIFINDEX");
	CHECK(ioctl(s, SIOCGIFHWADDR, &r) == 0 && r.ifr_hwaddr.sa_family == ARPHRD_ETHER, "SIOCGIFHWADDR");
	unsigned char *m = (unsigned char *)r.ifr_hwaddr.sa_data;
	printf("SIOCGIFHWADDR eth0 %02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2], m[3], m[4], m[5]);
	r.ifr_ifindex = 1;
	CHECK(ioctl(s, SIOCGIFNAME, &r) == 0 && !strcmp(r.ifr_name, "lo"), "SIOCGIFNAME");
	strcpy(r.ifr_name, "nope0");
	CHECK(ioctl(s, SIOCGIFFLAGS, &r) == -1 && errno == ENODEV, "SIOCGIFFLAGS nope0: errno %d", errno);
	struct ifconf ic = { 0 };
	CHECK(ioctl(s, SIOCGIFCONF, &ic) == 0 && ic.ifc_len >= 2 * (int)sizeof(struct ifreq), "SIOCGIFCONF len");
	struct ifreq reqs[16];
	ic.ifc_len = sizeof reqs;
	ic.ifc_req = reqs;
	CHECK(ioctl(s, SIOCGIFCONF, &ic) == 0, "SIOCGIFCONF");
	for (int k = 0; k < ic.ifc_len / (int)sizeof(struct ifreq); k++)
		printf("SIOCGIFCONF %s %s\n", reqs[k].ifr_name, inet_ntoa(((struct sockaddr_in *)&reqs[k].ifr_addr)->sin_addr));
	close(s);

	/* netlink's errors */
	CHECK(socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC + 100) == -1 && errno == EPROTONOSUPPORT,
	      "netlink bad protocol: errno %d", errno);
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	CHECK(nl >= 0, "netlink socket");
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	CHECK(bind(nl, (struct sockaddr *)&sa, sizeof sa) == 0, "netlink bind");
	socklen_t sl = sizeof sa;
	CHECK(getsockname(nl, (struct sockaddr *)&sa, &sl) == 0 && sa.nl_pid == (unsigned)getpid(), "netlink port id %u", sa.nl_pid);
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg a;
	} req = { { NLMSG_LENGTH(sizeof(struct ifaddrmsg)), RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK, 7, 0 }, { 0 } };
	CHECK(send(nl, &req, req.h.nlmsg_len, 0) == (ssize_t)req.h.nlmsg_len, "netlink send");
	char buf[4096];
	ssize_t got = recv(nl, buf, sizeof buf, 0);
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	CHECK(got >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && h->nlmsg_type == NLMSG_ERROR &&
	      ((struct nlmsgerr *)NLMSG_DATA(h))->error == -EOPNOTSUPP && h->nlmsg_seq == 7,
	      "RTM_NEWADDR: error reply");
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} lreq = { { NLMSG_LENGTH(sizeof(struct ifinfomsg)), RTM_GETLINK, NLM_F_REQUEST, 8, 0 }, { .ifi_index = 42 } };
	send(nl, &lreq, lreq.h.nlmsg_len, 0);
	got = recv(nl, buf, sizeof buf, 0);
	CHECK(got > 0 && h->nlmsg_type == NLMSG_ERROR && ((struct nlmsgerr *)NLMSG_DATA(h))->error == -ENODEV,
	      "RTM_GETLINK of a missing index: ENODEV");
	lreq.i.ifi_index = 2;
	send(nl, &lreq, lreq.h.nlmsg_len, 0);
	got = recv(nl, buf, sizeof buf, MSG_DONTWAIT);
	CHECK(got > 0 && h->nlmsg_type == RTM_NEWLINK && ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index == 2,
	      "RTM_GETLINK index 2");
	CHECK(recv(nl, buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN, "nothing more queued");
	close(nl);
	printf("%d failures\n", fails);
	return fails != 0;
}
