/* netlink.c - AF_NETLINK (NETLINK_ROUTE) as far as programs read the node's
 * configuration: RTM_GETLINK, RTM_GETADDR and RTM_GETROUTE (dumps and single
 * requests) answered from the node's ns-3 interfaces and routes (ns3-socket.h), so
 * glibc's getifaddrs and if_nameindex and iproute2's `ip link/addr/route show` work.
 * Changes (RTM_NEW*, RTM_DEL*) answer EOPNOTSUPP. Also the interface ioctls
 * (SIOCGIF*) every socket family serves (on a Linux-stack node: its kernel's).
 *
 * A request is answered when it is sent: the replies are queued on the socket as
 * datagrams (a dump: its messages with NLM_F_MULTI, at most ~8 KiB per datagram,
 * then NLMSG_DONE in a datagram of its own, as Linux sends them). */
#include "net.h"
#include "ns3-socket.h"
#include "kstack-priv.h"
#include "../uaccess.h"
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <linux/sockios.h>
#include <arpa/inet.h>

#define NL_CHUNK 8192
/* RFC 2863 operational states (linux/if.h clashes with net/if.h) */
#define IF_OPER_UNKNOWN 0
#define IF_OPER_DOWN 2
#define IF_OPER_UP 6
#define MAX_IFS 64
#define MAX_ROUTES 4096

struct nlmsgq {
	struct nlmsgq *next;
	size_t len;
	unsigned char data[];
};

struct nl {
	struct dce_sock *sk;
	uint32_t portid;           /* 0: not bound yet */
	uint32_t groups;
	struct nlmsgq *h, *t;
	size_t qbytes;
	int sndbuf, rcvbuf;
	struct nl *next;
};

static struct nl *all_nl;
static uint32_t next_neg_port = 0;
static const struct dce_sock_ops nl_ops;

static struct nl *N(struct dce_sock *sk)
{
	return sk->priv;
}

long dce_netlink_create(struct dce_thread *t, int type, int protocol, struct dce_sock **out)
{
	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol >= 32)
		return -EPROTONOSUPPORT;
	if (protocol != NETLINK_ROUTE)
		return -EPROTONOSUPPORT; /* no other netlink families here */
	struct dce_sock *sk = dce_sock_alloc(t->proc->node, &nl_ops, AF_NETLINK, type, protocol);
	struct nl *n = calloc(1, sizeof *n);
	n->sk = sk;
	n->sndbuf = n->rcvbuf = 212992;
	sk->priv = n;
	sk->file = dce_file_new(&dce_sock_file_ops, -1, O_RDWR);
	sk->file->priv = sk;
	n->next = all_nl;
	all_nl = n;
	*out = sk;
	return 0;
}

static int port_used(struct dce_node *node, uint32_t port)
{
	for (struct nl *n = all_nl; n; n = n->next)
		if (n->sk->node == node && n->portid == port)
			return 1;
	return 0;
}

/* Linux: the process's tgid for its first socket, then unique negative numbers. */
static void autobind(struct dce_thread *t, struct nl *n)
{
	if (n->portid)
		return;
	uint32_t p = (uint32_t)t->proc->pid;
	while (port_used(n->sk->node, p))
		p = (uint32_t)-4096 - next_neg_port++;
	n->portid = p;
}

static int nl_bind(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	struct nl *n = N(sk);
	if (len < sizeof(struct sockaddr_nl))
		return -EINVAL;
	const struct sockaddr_nl *a = (const void *)sa;
	if (a->nl_family != AF_NETLINK)
		return -EINVAL;
	if (a->nl_pid) {
		if (n->portid && n->portid != a->nl_pid)
			return -EINVAL;
		if (!n->portid && port_used(sk->node, a->nl_pid))
			return -EADDRINUSE;
		n->portid = a->nl_pid;
	} else
		autobind(t, n);
	n->groups = a->nl_groups;
	return 0;
}

static int nl_connect(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	if (len >= sizeof(sa_family_t) && sa->sa_family == AF_UNSPEC)
		return 0;
	if (len < sizeof(struct sockaddr_nl))
		return -EINVAL;
	if (sa->sa_family != AF_NETLINK)
		return -EINVAL;
	autobind(t, N(sk));
	return 0;
}

/* ---- building replies ---- */

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void *put(struct buf *b, size_t len)
{
	size_t al = NLMSG_ALIGN(len);
	if (b->len + al > b->cap) {
		b->cap = (b->len + al) * 2 + 4096;
		b->p = realloc(b->p, b->cap);
	}
	void *r = b->p + b->len;
	memset(r, 0, al);
	b->len += al;
	return r;
}

static size_t msg_begin(struct buf *b, int type, int flags, uint32_t seq, uint32_t port, const void *hdr, size_t hlen)
{
	size_t off = b->len;
	struct nlmsghdr *h = put(b, NLMSG_HDRLEN);
	h->nlmsg_type = (uint16_t)type;
	h->nlmsg_flags = (uint16_t)flags;
	h->nlmsg_seq = seq;
	h->nlmsg_pid = port;
	memcpy(put(b, hlen), hdr, hlen);
	return off;
}

static void attr(struct buf *b, int type, const void *data, size_t len)
{
	struct rtattr *a = put(b, RTA_LENGTH(0));
	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(put(b, len), data, len);
}

static void attr_u32(struct buf *b, int type, uint32_t v)
{
	attr(b, type, &v, 4);
}

static void attr_str(struct buf *b, int type, const char *s)
{
	attr(b, type, s, strlen(s) + 1);
}

static void msg_end(struct buf *b, size_t off)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(b->p + off);
	h->nlmsg_len = (uint32_t)(b->len - off);
}

static void queue(struct nl *n, const void *data, size_t len)
{
	struct nlmsgq *m = malloc(sizeof *m + len);
	m->next = NULL;
	m->len = len;
	memcpy(m->data, data, len);
	if (n->t)
		n->t->next = m;
	else
		n->h = m;
	n->t = m;
	n->qbytes += len;
}

/* Queue a dump's messages (b holds whole messages) in datagrams of at most NL_CHUNK. */
static void queue_dump(struct nl *n, struct buf *b)
{
	size_t off = 0;
	while (off < b->len) {
		size_t end = off;
		while (end < b->len) {
			struct nlmsghdr *h = (struct nlmsghdr *)(b->p + end);
			size_t l = NLMSG_ALIGN(h->nlmsg_len);
			if (end > off && end + l - off > NL_CHUNK)
				break;
			end += l;
		}
		queue(n, b->p + off, end - off);
		off = end;
	}
}

static void queue_done(struct nl *n, const struct nlmsghdr *req)
{
	struct buf b = { 0 };
	int zero = 0;
	size_t o = msg_begin(&b, NLMSG_DONE, NLM_F_MULTI, req->nlmsg_seq, n->portid, &zero, sizeof zero);
	msg_end(&b, o);
	queue(n, b.p, b.len);
	free(b.p);
}

static void queue_error(struct nl *n, const struct nlmsghdr *req, int err)
{
	struct buf b = { 0 };
	struct nlmsgerr e;
	memset(&e, 0, sizeof e);
	e.error = err;
	e.msg = *req;
	size_t o = msg_begin(&b, NLMSG_ERROR, err ? 0 : NLM_F_CAPPED, req->nlmsg_seq, n->portid, &e, sizeof e);
	msg_end(&b, o);
	queue(n, b.p, b.len);
	free(b.p);
}

static int get_ifaces(struct dce_node *node, struct dce_ns3_iface *ifs)
{
	int k = dce_ns3_ifaces(node->id, ifs, MAX_IFS);
	return k > MAX_IFS ? MAX_IFS : k;
}

static void link_msg(struct buf *b, const struct dce_ns3_iface *f, int type, int flags, uint32_t seq, uint32_t port)
{
	struct ifinfomsg ii;
	memset(&ii, 0, sizeof ii);
	ii.ifi_family = AF_UNSPEC;
	ii.ifi_type = (unsigned short)f->arptype;
	ii.ifi_index = f->index;
	ii.ifi_flags = f->flags;
	size_t o = msg_begin(b, type, flags, seq, port, &ii, sizeof ii);
	int lo = f->arptype == ARPHRD_LOOPBACK;
	attr_str(b, IFLA_IFNAME, f->name);
	attr_u32(b, IFLA_TXQLEN, 1000);
	unsigned char oper = lo ? IF_OPER_UNKNOWN : (f->flags & IFF_RUNNING) ? IF_OPER_UP : IF_OPER_DOWN;
	attr(b, IFLA_OPERSTATE, &oper, 1);
	unsigned char mode = 0;
	attr(b, IFLA_LINKMODE, &mode, 1);
	attr_u32(b, IFLA_MTU, (uint32_t)f->mtu);
	attr_u32(b, IFLA_GROUP, 0);
	attr_u32(b, IFLA_PROMISCUITY, 0);
	attr_u32(b, IFLA_NUM_TX_QUEUES, 1);
	attr_u32(b, IFLA_NUM_RX_QUEUES, 1);
	unsigned char carrier = (f->flags & IFF_RUNNING) ? 1 : 0;
	attr(b, IFLA_CARRIER, &carrier, 1);
	attr_str(b, IFLA_QDISC, lo ? "noqueue" : "pfifo_fast");
	unsigned char mac[8] = { 0 }, bc[8];
	memset(bc, lo ? 0 : 0xff, sizeof bc);
	int ml = f->maclen ? f->maclen : 6;
	memcpy(mac, f->mac, (size_t)f->maclen);
	attr(b, IFLA_ADDRESS, mac, (size_t)ml);
	attr(b, IFLA_BROADCAST, bc, (size_t)ml);
	struct rtnl_link_stats64 st64;
	struct rtnl_link_stats st;
	memset(&st64, 0, sizeof st64);
	memset(&st, 0, sizeof st);
	attr(b, IFLA_STATS64, &st64, sizeof st64);
	attr(b, IFLA_STATS, &st, sizeof st);
	msg_end(b, o);
}

static int mask_len(uint32_t mask_be)
{
	return __builtin_popcount(mask_be);
}

static void addr4_msg(struct buf *b, const struct dce_ns3_iface *f, int j, int flags, uint32_t seq, uint32_t port)
{
	struct ifaddrmsg ia;
	memset(&ia, 0, sizeof ia);
	ia.ifa_family = AF_INET;
	ia.ifa_prefixlen = (unsigned char)mask_len(f->a4[j].mask);
	ia.ifa_flags = IFA_F_PERMANENT;
	uint32_t a = f->a4[j].addr;
	ia.ifa_scope = (ntohl(a) >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
	ia.ifa_index = (uint32_t)f->index;
	size_t o = msg_begin(b, RTM_NEWADDR, flags, seq, port, &ia, sizeof ia);
	attr(b, IFA_ADDRESS, &a, 4);
	attr(b, IFA_LOCAL, &a, 4);
	if (f->a4[j].bcast && f->a4[j].bcast != a && !(f->flags & IFF_LOOPBACK) && ia.ifa_prefixlen < 31)
		attr(b, IFA_BROADCAST, &f->a4[j].bcast, 4);
	attr_str(b, IFA_LABEL, f->name);
	attr_u32(b, IFA_FLAGS, IFA_F_PERMANENT);
	struct ifa_cacheinfo ci = { 0xffffffffU, 0xffffffffU, 0, 0 };
	attr(b, IFA_CACHEINFO, &ci, sizeof ci);
	msg_end(b, o);
}

static void addr6_msg(struct buf *b, const struct dce_ns3_iface *f, int j, int flags, uint32_t seq, uint32_t port)
{
	struct ifaddrmsg ia;
	memset(&ia, 0, sizeof ia);
	ia.ifa_family = AF_INET6;
	ia.ifa_prefixlen = (unsigned char)f->a6[j].plen;
	ia.ifa_flags = IFA_F_PERMANENT;
	ia.ifa_scope = (unsigned char)f->a6[j].scope;
	ia.ifa_index = (uint32_t)f->index;
	size_t o = msg_begin(b, RTM_NEWADDR, flags, seq, port, &ia, sizeof ia);
	attr(b, IFA_ADDRESS, f->a6[j].addr, 16);
	attr_u32(b, IFA_FLAGS, IFA_F_PERMANENT);
	struct ifa_cacheinfo ci = { 0xffffffffU, 0xffffffffU, 0, 0 };
	attr(b, IFA_CACHEINFO, &ci, sizeof ci);
	msg_end(b, o);
}

static void route_msg(struct buf *b, const struct dce_ns3_route *r, const struct dce_ns3_iface *ifs, int nifs,
                      int flags, uint32_t seq, uint32_t port)
{
	struct rtmsg rm;
	memset(&rm, 0, sizeof rm);
	int alen = r->family == AF_INET ? 4 : 16;
	static const uint8_t zero[16];
	int gw = memcmp(r->gw, zero, (size_t)alen) != 0;
	rm.rtm_family = (unsigned char)r->family;
	rm.rtm_dst_len = (unsigned char)r->plen;
	rm.rtm_table = RT_TABLE_MAIN;
	rm.rtm_protocol = gw ? RTPROT_STATIC : RTPROT_KERNEL;
	rm.rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rm.rtm_type = RTN_UNICAST;
	size_t o = msg_begin(b, RTM_NEWROUTE, flags, seq, port, &rm, sizeof rm);
	attr_u32(b, RTA_TABLE, RT_TABLE_MAIN);
	if (r->plen)
		attr(b, RTA_DST, r->dst, (size_t)alen);
	if (r->metric)
		attr_u32(b, RTA_PRIORITY, r->metric);
	if (!gw && r->family == AF_INET) { /* the interface's own address as preferred source */
		for (int i = 0; i < nifs; i++)
			if (ifs[i].index == r->ifindex && ifs[i].n4)
				attr(b, RTA_PREFSRC, &ifs[i].a4[0].addr, 4);
	}
	if (gw)
		attr(b, RTA_GATEWAY, r->gw, (size_t)alen);
	if (r->ifindex)
		attr_u32(b, RTA_OIF, (uint32_t)r->ifindex);
	msg_end(b, o);
}

/* ---- requests ---- */

static const struct rtattr *find_attr(const struct nlmsghdr *h, size_t hdrlen, int type)
{
	if (h->nlmsg_len < NLMSG_LENGTH(hdrlen))
		return NULL;
	const struct rtattr *a = (const void *)((const char *)NLMSG_DATA(h) + NLMSG_ALIGN(hdrlen));
	int len = (int)(h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(hdrlen)));
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == type)
			return a;
	return NULL;
}

static int do_getlink(struct nl *n, const struct nlmsghdr *h, struct buf *b)
{
	struct dce_ns3_iface ifs[MAX_IFS];
	int k = get_ifaces(n->sk->node, ifs);
	if (h->nlmsg_flags & NLM_F_DUMP) {
		for (int i = 0; i < k; i++)
			link_msg(b, &ifs[i], RTM_NEWLINK, NLM_F_MULTI, h->nlmsg_seq, n->portid);
		return 1;
	}
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EINVAL;
	const struct ifinfomsg *ii = NLMSG_DATA(h);
	const struct rtattr *name = find_attr(h, sizeof *ii, IFLA_IFNAME);
	for (int i = 0; i < k; i++) {
		if (ii->ifi_index > 0 ? ifs[i].index == ii->ifi_index
		                      : name && !strncmp(ifs[i].name, RTA_DATA(name), RTA_PAYLOAD(name))) {
			link_msg(b, &ifs[i], RTM_NEWLINK, 0, h->nlmsg_seq, n->portid);
			return 0;
		}
	}
	return -ENODEV;
}

static int do_getaddr(struct nl *n, const struct nlmsghdr *h, struct buf *b)
{
	if (!(h->nlmsg_flags & NLM_F_DUMP))
		return -EOPNOTSUPP;
	int fam = AF_UNSPEC;
	if (h->nlmsg_len >= NLMSG_LENGTH(1))
		fam = ((const struct ifaddrmsg *)NLMSG_DATA(h))->ifa_family;
	struct dce_ns3_iface ifs[MAX_IFS];
	int k = get_ifaces(n->sk->node, ifs);
	if (fam == AF_UNSPEC || fam == AF_INET)
		for (int i = 0; i < k; i++)
			for (int j = 0; j < ifs[i].n4; j++)
				addr4_msg(b, &ifs[i], j, NLM_F_MULTI, h->nlmsg_seq, n->portid);
	if (fam == AF_UNSPEC || fam == AF_INET6)
		for (int i = 0; i < k; i++)
			for (int j = 0; j < ifs[i].n6; j++)
				addr6_msg(b, &ifs[i], j, NLM_F_MULTI, h->nlmsg_seq, n->portid);
	return 1;
}

static int do_getroute(struct nl *n, const struct nlmsghdr *h, struct buf *b)
{
	if (!(h->nlmsg_flags & NLM_F_DUMP))
		return -EOPNOTSUPP; /* route lookups (ip route get) are not answered */
	int fam = AF_UNSPEC;
	if (h->nlmsg_len >= NLMSG_LENGTH(1))
		fam = ((const struct rtmsg *)NLMSG_DATA(h))->rtm_family;
	struct dce_ns3_iface ifs[MAX_IFS];
	int k = get_ifaces(n->sk->node, ifs);
	struct dce_ns3_route *rs = malloc(sizeof *rs * MAX_ROUTES);
	const int fams[2] = { AF_INET, AF_INET6 };
	for (int f = 0; f < 2; f++) {
		if (fam != AF_UNSPEC && fam != fams[f])
			continue;
		int nr = dce_ns3_routes(n->sk->node->id, fams[f], rs, MAX_ROUTES);
		if (nr > MAX_ROUTES)
			nr = MAX_ROUTES;
		for (int i = 0; i < nr; i++)
			route_msg(b, &rs[i], ifs, k, NLM_F_MULTI, h->nlmsg_seq, n->portid);
	}
	free(rs);
	return 1;
}

/* One request: 1 = a dump was produced in b, 0 = a single reply in b, <0 = error. */
static int request(struct nl *n, const struct nlmsghdr *h, struct buf *b)
{
	switch (h->nlmsg_type) {
	case RTM_GETLINK:
		return do_getlink(n, h, b);
	case RTM_GETADDR:
		return do_getaddr(n, h, b);
	case RTM_GETROUTE:
		return do_getroute(n, h, b);
	case RTM_GETNEIGH:
	case RTM_GETRULE:
	case RTM_GETQDISC:
	case RTM_GETNETCONF:
	case RTM_GETADDRLABEL:
	case RTM_GETNSID:
	case RTM_GETNEXTHOP:
		return (h->nlmsg_flags & NLM_F_DUMP) ? 1 : -EOPNOTSUPP; /* nothing to list */
	}
	if (h->nlmsg_type < RTM_BASE)
		return 0; /* NOOP, DONE, ERROR: ignored */
	if (h->nlmsg_type > RTM_MAX)
		return -EOPNOTSUPP;
	return -EOPNOTSUPP; /* changes are not supported */
}

static long nl_send(struct dce_thread *t, struct dce_sock *sk, const void *ubuf, size_t len, int flags,
                    const struct sockaddr *to, socklen_t tolen, struct dce_txmeta *meta)
{
	(void)flags;
	(void)meta;
	struct nl *n = N(sk);
	if (to) {
		if (tolen < sizeof(struct sockaddr_nl) || to->sa_family != AF_NETLINK)
			return -EINVAL;
		if (((const struct sockaddr_nl *)to)->nl_pid != 0)
			return -ECONNREFUSED; /* other user-space ports are not reachable */
	}
	if (len > (size_t)n->sndbuf)
		return -EMSGSIZE;
	autobind(t, n);
	unsigned char *msg = malloc(len + 1);
	if (len && dce_copy_from_user(msg, (uint64_t)(uintptr_t)ubuf, len)) {
		free(msg);
		return -EFAULT;
	}
	size_t off = 0;
	while (len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr *h = (struct nlmsghdr *)(msg + off);
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off)
			break;
		if (h->nlmsg_flags & NLM_F_REQUEST) {
			struct buf b = { 0 };
			int r = request(n, h, &b);
			if (r == 1) {
				queue_dump(n, &b);
				queue_done(n, h);
			} else if (r == 0) {
				if (b.len)
					queue(n, b.p, b.len);
				if (h->nlmsg_flags & NLM_F_ACK)
					queue_error(n, h, 0);
			} else
				queue_error(n, h, r);
			free(b.p);
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	free(msg);
	dce_file_notify(sk->file);
	return (long)len;
}

static long nl_recv(struct dce_thread *t, struct dce_sock *sk, void *ubuf, size_t len, int flags,
                    struct sockaddr_storage *from, socklen_t *fromlen, struct dce_rxmeta *meta)
{
	struct nl *n = N(sk);
	uint64_t deadline = dce_sock_deadline(sk->rcvtimeo);
	while (!n->h) {
		if (dce_sock_nonblock(sk, flags))
			return -EAGAIN;
		int w = dce_sock_wait(t, sk, 0, deadline);
		if (w)
			return w;
	}
	struct nlmsgq *m = n->h;
	size_t c = len < m->len ? len : m->len;
	if (c && dce_copy_to_user((uint64_t)(uintptr_t)ubuf, m->data, c))
		return -EFAULT;
	if (meta)
		meta->full_len = m->len;
	if (from && fromlen) {
		struct sockaddr_nl a;
		memset(&a, 0, sizeof a);
		a.nl_family = AF_NETLINK;
		memcpy(from, &a, sizeof a);
		*fromlen = sizeof a;
	}
	if (!(flags & MSG_PEEK)) {
		n->h = m->next;
		if (!n->h)
			n->t = NULL;
		n->qbytes -= m->len;
		free(m);
	}
	return (long)c;
}

static int nl_shutdown(struct dce_thread *t, struct dce_sock *sk, int how)
{
	(void)t;
	(void)sk;
	(void)how;
	return 0;
}

static int nl_getname(struct dce_sock *sk, int peer, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_nl a;
	memset(&a, 0, sizeof a);
	a.nl_family = AF_NETLINK;
	if (!peer) {
		a.nl_pid = N(sk)->portid;
		a.nl_groups = N(sk)->groups;
	}
	memcpy(ss, &a, sizeof a);
	*len = sizeof a;
	return 0;
}

static int nl_setsockopt(struct dce_sock *sk, int level, int opt, const void *val, socklen_t len)
{
	struct nl *n = N(sk);
	int v;
	if (len < sizeof v)
		return -EINVAL;
	memcpy(&v, val, sizeof v);
	if (level == SOL_SOCKET) {
		if (opt == SO_SNDBUF || opt == SO_RCVBUF) {
			v = v < 1152 ? 2304 : v > 0x3fffffff ? 0x7fffffff : v * 2;
			if (opt == SO_SNDBUF)
				n->sndbuf = v;
			else
				n->rcvbuf = v;
			return 0;
		}
		if (opt == SO_KEEPALIVE || opt == SO_BROADCAST)
			return 0;
		return -ENOPROTOOPT;
	}
	if (level == SOL_NETLINK) {
		switch (opt) {
		case NETLINK_ADD_MEMBERSHIP:
		case NETLINK_DROP_MEMBERSHIP:
		case NETLINK_PKTINFO:
		case NETLINK_BROADCAST_ERROR:
		case NETLINK_NO_ENOBUFS:
		case NETLINK_LISTEN_ALL_NSID:
		case NETLINK_CAP_ACK:
		case NETLINK_EXT_ACK:
		case NETLINK_GET_STRICT_CHK:
			return 0;
		}
		return -ENOPROTOOPT;
	}
	return -ENOPROTOOPT;
}

static int nl_getsockopt(struct dce_sock *sk, int level, int opt, void *val, socklen_t *len)
{
	struct nl *n = N(sk);
	int v = 0;
	if (level == SOL_SOCKET) {
		switch (opt) {
		case SO_SNDBUF: v = n->sndbuf; break;
		case SO_RCVBUF: v = n->rcvbuf; break;
		case SO_ERROR: case SO_KEEPALIVE: case SO_BROADCAST: v = 0; break;
		default: return -ENOPROTOOPT;
		}
	} else if (level == SOL_NETLINK) {
		if (opt < NETLINK_PKTINFO || opt > NETLINK_GET_STRICT_CHK)
			return -ENOPROTOOPT;
		v = 0;
	} else
		return -ENOPROTOOPT;
	memcpy(val, &v, sizeof v);
	*len = sizeof v;
	return 0;
}

static long nl_ioctl(struct dce_thread *t, struct dce_sock *sk, unsigned long req, uint64_t arg)
{
	(void)t;
	int v;
	if (req == FIONREAD)
		v = N(sk)->h ? (int)N(sk)->h->len : 0;
	else if (req == SIOCOUTQ)
		v = 0;
	else
		return -ENOTTY;
	return dce_copy_to_user(arg, &v, sizeof v) ? -EFAULT : 0;
}

static int nl_poll(struct dce_sock *sk)
{
	return (N(sk)->h ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static void nl_release(struct dce_sock *sk)
{
	struct nl *n = N(sk);
	while (n->h) {
		struct nlmsgq *m = n->h;
		n->h = m->next;
		free(m);
	}
	for (struct nl **pp = &all_nl; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	free(n);
}

static const struct dce_sock_ops nl_ops = {
	.bind = nl_bind,
	.connect = nl_connect,
	.send = nl_send,
	.recv = nl_recv,
	.shutdown = nl_shutdown,
	.getname = nl_getname,
	.setsockopt = nl_setsockopt,
	.getsockopt = nl_getsockopt,
	.ioctl = nl_ioctl,
	.poll = nl_poll,
	.release = nl_release,
};

/* ---- interface ioctls (SIOCGIF*) ---- */

static const struct dce_ns3_iface *by_name(const struct dce_ns3_iface *ifs, int k, const char *name)
{
	for (int i = 0; i < k; i++)
		if (!strncmp(ifs[i].name, name, IFNAMSIZ))
			return &ifs[i];
	return NULL;
}

static void sin_put(struct sockaddr *sa, uint32_t a)
{
	struct sockaddr_in in;
	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = a;
	memcpy(sa, &in, sizeof in);
}

long dce_net_ifioctl(struct dce_thread *t, unsigned long req, uint64_t arg)
{
	if (t->proc->node->kstack) /* a Linux-stack node: its kernel's devices and numbering */
		return dce_kstack_ifioctl(t->proc->node->kstack, req, arg);
	struct dce_ns3_iface ifs[MAX_IFS];
	int k = get_ifaces(t->proc->node, ifs);
	if (req == SIOCGIFCONF) {
		struct ifconf ic;
		if (dce_copy_from_user(&ic, arg, sizeof ic))
			return -EFAULT;
		int need = 0, used = 0;
		for (int i = 0; i < k; i++) {
			for (int j = 0; j < ifs[i].n4; j++) {
				need += (int)sizeof(struct ifreq);
				if (!ic.ifc_buf)
					continue;
				if (used + (int)sizeof(struct ifreq) > ic.ifc_len)
					continue;
				struct ifreq r;
				memset(&r, 0, sizeof r);
				snprintf(r.ifr_name, IFNAMSIZ, "%s", ifs[i].name);
				sin_put(&r.ifr_addr, ifs[i].a4[j].addr);
				if (dce_copy_to_user((uint64_t)(uintptr_t)ic.ifc_buf + (uint64_t)used, &r, sizeof r))
					return -EFAULT;
				used += (int)sizeof r;
			}
		}
		ic.ifc_len = ic.ifc_buf ? used : need;
		return dce_copy_to_user(arg, &ic, sizeof ic) ? -EFAULT : 0;
	}
	struct ifreq r;
	switch (req) {
	case SIOCGIFNAME:
	case SIOCGIFINDEX:
	case SIOCGIFFLAGS:
	case SIOCGIFADDR:
	case SIOCGIFDSTADDR:
	case SIOCGIFBRDADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFMTU:
	case SIOCGIFHWADDR:
	case SIOCGIFTXQLEN:
	case SIOCGIFMETRIC:
	case SIOCGIFMAP:
		break;
	case SIOCSIFFLAGS: case SIOCSIFADDR: case SIOCSIFDSTADDR: case SIOCSIFBRDADDR:
	case SIOCSIFNETMASK: case SIOCSIFMTU: case SIOCSIFHWADDR: case SIOCSIFTXQLEN:
	case SIOCSIFNAME: case SIOCSIFMETRIC: case SIOCADDRT: case SIOCDELRT:
		return -EPERM; /* the configuration is the scenario's */
	case SIOCETHTOOL:
		return -EOPNOTSUPP;
	default:
		return -ENOTTY;
	}
	if (dce_copy_from_user(&r, arg, sizeof r))
		return -EFAULT;
	if (req == SIOCGIFNAME) {
		for (int i = 0; i < k; i++)
			if (ifs[i].index == r.ifr_ifindex) {
				memset(r.ifr_name, 0, IFNAMSIZ);
				snprintf(r.ifr_name, IFNAMSIZ, "%s", ifs[i].name);
				return dce_copy_to_user(arg, &r, sizeof r) ? -EFAULT : 0;
			}
		return -ENODEV;
	}
	r.ifr_name[IFNAMSIZ - 1] = 0;
	const struct dce_ns3_iface *f = by_name(ifs, k, r.ifr_name);
	if (!f)
		return -ENODEV;
	switch (req) {
	case SIOCGIFINDEX: r.ifr_ifindex = f->index; break;
	case SIOCGIFFLAGS: r.ifr_flags = (short)f->flags; break;
	case SIOCGIFMTU: r.ifr_mtu = f->mtu; break;
	case SIOCGIFTXQLEN: r.ifr_qlen = 1000; break;
	case SIOCGIFMETRIC: r.ifr_metric = 0; break;
	case SIOCGIFMAP: memset(&r.ifr_map, 0, sizeof r.ifr_map); break;
	case SIOCGIFHWADDR:
		memset(&r.ifr_hwaddr, 0, sizeof r.ifr_hwaddr);
		r.ifr_hwaddr.sa_family = (sa_family_t)f->arptype;
		memcpy(r.ifr_hwaddr.sa_data, f->mac, (size_t)f->maclen);
		break;
	default: /* the addresses: the first IPv4 one */
		if (!f->n4)
			return -EADDRNOTAVAIL;
		if (req == SIOCGIFADDR)
			sin_put(&r.ifr_addr, f->a4[0].addr);
		else if (req == SIOCGIFNETMASK)
			sin_put(&r.ifr_netmask, f->a4[0].mask);
		else if (req == SIOCGIFBRDADDR)
			sin_put(&r.ifr_broadaddr, f->a4[0].bcast);
		else
			sin_put(&r.ifr_dstaddr, f->a4[0].addr);
		break;
	}
	return dce_copy_to_user(arg, &r, sizeof r) ? -EFAULT : 0;
}
