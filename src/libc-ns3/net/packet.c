/* packet.c - AF_PACKET sockets (SOCK_RAW: whole Ethernet frames; SOCK_DGRAM: the
 * payload, with the link address in sockaddr_ll) on the node's ns-3 devices, with
 * classic BPF filters (SO_ATTACH_FILTER, bpf.c) as DHCP clients attach them.
 * Frames come from a promiscuous protocol handler on the devices
 * (ns3-socket.cc): what a device receives; a device's own sends are not looped
 * back (Linux's PACKET_OUTGOING copies). */
#include "net.h"
#include "bpf.h"
#include "ns3-socket.h"
#include "../uaccess.h"
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/sockios.h>
#include <arpa/inet.h>

struct pkt {
	struct dce_ns3_pkt *ns;
	int ifindex;            /* bound device (0: any) */
	uint16_t proto;         /* bound protocol, host order */
	struct sock_filter *filter;
	unsigned nfilter;
	int auxdata;
};

static const struct dce_sock_ops packet_ops;

static struct pkt *PK(struct dce_sock *sk)
{
	return sk->priv;
}

uint32_t dce_ns3_pkt_filter(void *ctx, const uint8_t *frame, size_t len)
{
	struct pkt *p = PK(ctx);
	if (!p->filter)
		return (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len);
	return dce_bpf_run(p->filter, p->nfilter, frame, len);
}

long dce_packet_create(struct dce_thread *t, int type, int protocol, struct dce_sock **out)
{
	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return type == SOCK_PACKET ? -EINVAL : -ESOCKTNOSUPPORT;
	struct dce_sock *sk = dce_sock_alloc(t->proc->node, &packet_ops, AF_PACKET, type, protocol);
	struct pkt *p = calloc(1, sizeof *p);
	sk->priv = p;
	p->ns = dce_ns3_pkt_create(t->proc->node->id, sk, type == SOCK_DGRAM);
	if (!p->ns) {
		free(p);
		free(sk);
		return -EAFNOSUPPORT;
	}
	sk->file = dce_file_new(&dce_sock_file_ops, -1, O_RDWR);
	sk->file->priv = sk;
	p->proto = ntohs((uint16_t)protocol);
	if (p->proto)
		dce_ns3_pkt_bind(p->ns, 0, p->proto); /* Linux: hooked at once on every device */
	*out = sk;
	return 0;
}

static int packet_bind(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	(void)t;
	struct pkt *p = PK(sk);
	const struct sockaddr_ll *ll = (const void *)sa;
	if (len < sizeof(struct sockaddr_ll) || sa->sa_family != AF_PACKET)
		return -EINVAL;
	uint16_t proto = ll->sll_protocol ? ntohs(ll->sll_protocol) : p->proto;
	int r = dce_ns3_pkt_bind(p->ns, ll->sll_ifindex, proto);
	if (r)
		return r;
	p->ifindex = ll->sll_ifindex;
	p->proto = proto;
	return 0;
}

static long packet_send(struct dce_thread *t, struct dce_sock *sk, const void *buf, size_t len, int flags,
                        const struct sockaddr *to, socklen_t tolen, struct dce_txmeta *meta)
{
	(void)t;
	(void)flags;
	(void)meta;
	struct pkt *p = PK(sk);
	int ifindex = p->ifindex;
	uint16_t proto = p->proto;
	const uint8_t *dst = NULL;
	int halen = 0;
	if (to) {
		const struct sockaddr_ll *ll = (const void *)to;
		if (tolen < offsetof(struct sockaddr_ll, sll_addr) || to->sa_family != AF_PACKET)
			return -EINVAL;
		ifindex = ll->sll_ifindex;
		proto = ntohs(ll->sll_protocol);
		dst = ll->sll_addr;
		halen = ll->sll_halen;
		if (tolen < offsetof(struct sockaddr_ll, sll_addr) + (size_t)halen)
			return -EINVAL;
	}
	if (!ifindex)
		return -ENXIO;
	if (sk->type == SOCK_DGRAM && (!dst || halen < 6))
		return -EINVAL;
	return dce_ns3_pkt_send(p->ns, ifindex, proto, dst, halen, buf, len);
}

static long packet_recv(struct dce_thread *t, struct dce_sock *sk, void *buf, size_t len, int flags,
                        struct sockaddr_storage *from, socklen_t *fromlen, struct dce_rxmeta *meta)
{
	struct pkt *p = PK(sk);
	uint64_t deadline = dce_sock_deadline(sk->rcvtimeo);
	for (;;) {
		struct dce_ns3_pktinfo info;
		long r = dce_ns3_pkt_recv(p->ns, buf, len, (flags & MSG_PEEK) != 0, &info);
		if (r >= 0) {
			meta->full_len = info.full_len;
			struct sockaddr_ll *ll = (struct sockaddr_ll *)from;
			memset(ll, 0, sizeof *ll);
			ll->sll_family = AF_PACKET;
			ll->sll_protocol = htons(info.proto);
			ll->sll_ifindex = info.ifindex;
			ll->sll_hatype = 1; /* ARPHRD_ETHER */
			ll->sll_pkttype = (unsigned char)info.pkttype;
			ll->sll_halen = (unsigned char)info.halen;
			memcpy(ll->sll_addr, info.addr, 8);
			*fromlen = sizeof *ll;
			if (flags & MSG_TRUNC)
				return (long)info.full_len;
			return r;
		}
		if (dce_sock_nonblock(sk, flags))
			return -EAGAIN;
		int w = dce_sock_wait(t, sk, 0, deadline);
		if (w)
			return w;
	}
}

static int packet_connect(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	(void)t, (void)sk, (void)sa, (void)len;
	return -EOPNOTSUPP;
}

static int packet_shutdown(struct dce_thread *t, struct dce_sock *sk, int how)
{
	(void)t, (void)sk, (void)how;
	return -EOPNOTSUPP;
}

static int packet_getname(struct dce_sock *sk, int peer, struct sockaddr_storage *ss, socklen_t *len)
{
	if (peer)
		return -EOPNOTSUPP;
	struct pkt *p = PK(sk);
	struct sockaddr_ll *ll = (struct sockaddr_ll *)ss;
	memset(ll, 0, sizeof *ll);
	ll->sll_family = AF_PACKET;
	ll->sll_protocol = htons(p->proto);
	ll->sll_ifindex = p->ifindex;
	ll->sll_hatype = 1;
	ll->sll_halen = 6;
	struct dce_ns3_iface ifs[16];
	int n = dce_ns3_ifaces(sk->node->id, ifs, 16);
	for (int i = 0; i < n && i < 16; i++)
		if (ifs[i].index == p->ifindex)
			memcpy(ll->sll_addr, ifs[i].mac, 6);
	*len = sizeof *ll;
	return 0;
}

static int packet_setsockopt(struct dce_sock *sk, int level, int opt, const void *val, socklen_t len)
{
	struct pkt *p = PK(sk);
	if (level == SOL_SOCKET && opt == SO_ATTACH_FILTER) {
		struct sock_fprog fp;
		if (len < sizeof fp)
			return -EINVAL;
		memcpy(&fp, val, sizeof fp);
		if (fp.len == 0 || fp.len > BPF_MAXINSNS)
			return -EINVAL;
		struct sock_filter *f = malloc(sizeof *f * fp.len);
		if (dce_copy_from_user(f, (uint64_t)(uintptr_t)fp.filter, sizeof *f * fp.len)) {
			free(f);
			return -EFAULT;
		}
		int r = dce_bpf_check(f, fp.len);
		if (r) {
			free(f);
			return r;
		}
		free(p->filter);
		p->filter = f;
		p->nfilter = fp.len;
		return 0;
	}
	if (level == SOL_SOCKET && opt == SO_DETACH_FILTER) {
		if (!p->filter)
			return -ENOENT;
		free(p->filter);
		p->filter = NULL;
		return 0;
	}
	if (level == SOL_SOCKET && (opt == SO_RCVBUF || opt == SO_SNDBUF || opt == SO_BROADCAST))
		return len < sizeof(int) ? -EINVAL : 0;
	if (level == SOL_PACKET) {
		switch (opt) {
		case PACKET_ADD_MEMBERSHIP:
		case PACKET_DROP_MEMBERSHIP:
			/* the tap is promiscuous already */
			return len < sizeof(struct packet_mreq) ? -EINVAL : 0;
		case PACKET_AUXDATA:
			if (len < sizeof(int))
				return -EINVAL;
			memcpy(&p->auxdata, val, sizeof(int));
			return 0;
		}
	}
	return -ENOPROTOOPT;
}

static int packet_getsockopt(struct dce_sock *sk, int level, int opt, void *val, socklen_t *len)
{
	(void)sk;
	if (level == SOL_SOCKET && (opt == SO_RCVBUF || opt == SO_SNDBUF || opt == SO_ERROR)) {
		int v = opt == SO_ERROR ? 0 : 212992;
		memcpy(val, &v, sizeof v);
		*len = sizeof v;
		return 0;
	}
	return -ENOPROTOOPT;
}

static long packet_ioctl(struct dce_thread *t, struct dce_sock *sk, unsigned long req, uint64_t arg)
{
	(void)t;
	int v = 0;
	if (req == FIONREAD)
		v = (int)dce_ns3_pkt_next(PK(sk)->ns, NULL);
	else if (req != SIOCOUTQ)
		return -ENOENT; /* no timestamps kept */
	return dce_copy_to_user(arg, &v, sizeof v) ? -EFAULT : 0;
}

static int packet_poll(struct dce_sock *sk)
{
	return (dce_ns3_pkt_next(PK(sk)->ns, NULL) ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static void packet_release(struct dce_sock *sk)
{
	struct pkt *p = PK(sk);
	dce_ns3_pkt_close(p->ns);
	free(p->filter);
	free(p);
}

static const struct dce_sock_ops packet_ops = {
	.bind = packet_bind,
	.connect = packet_connect,
	.shutdown = packet_shutdown,
	.send = packet_send,
	.recv = packet_recv,
	.getname = packet_getname,
	.setsockopt = packet_setsockopt,
	.getsockopt = packet_getsockopt,
	.ioctl = packet_ioctl,
	.poll = packet_poll,
	.release = packet_release,
};
