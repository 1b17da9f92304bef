/* inet.c - AF_INET and AF_INET6 sockets (stream, datagram, raw) over ns-3's own
 * TCP/IP stack (basic mode), through the C interface of ns3-socket.h. The blocking,
 * readiness and errno semantics are Linux's; ns-3 reports every change of state
 * through dce_ns3_sock_event, which wakes the socket's waiters. */
#include "net.h"
#include "ns3-socket.h"
#include "../syscalls.h"
#include "../uaccess.h"
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#ifndef SOL_RAW
#define SOL_RAW 255
#endif
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

struct inet {
	struct dce_ns3_sock *ns;
	int bound, shut_rd, shut_wr, listening;
	int hdrincl, recverr, mtu_disc, freebind, tclass;
	int mc_ifindex, mc_ttl;     /* IP_MULTICAST_IF's device (0: the route's), IP_MULTICAST_TTL */
	uint32_t mc_addr;           /* IP_MULTICAST_IF's source address, network order (0: none) */
	int mc_loop, mc_all;        /* IP_MULTICAST_LOOP, IP_MULTICAST_ALL (default 1) */
	int tcp_opts[32];           /* TCP options stored without effect, by number */
	unsigned char icmp6_filter[32];
	struct dce_ahead ahead;     /* stream: a copy of ns-3's next bytes (read_ahead) */
	size_t ahead_hint;          /* the size of the program's last read(2) */
};

static const struct dce_sock_ops inet_ops;

void dce_ns3_sock_event(void *ctx)
{
	struct dce_sock *sk = ctx;
	dce_file_notify(sk->file);
}

static struct inet *I(struct dce_sock *sk)
{
	return sk->priv;
}

static void status(struct dce_sock *sk, struct dce_ns3_status *st)
{
	dce_ns3_sock_status(I(sk)->ns, st);
}

long dce_inet_create(struct dce_thread *t, int family, int type, int protocol, struct dce_sock **out)
{
	switch (type) {
	case SOCK_STREAM:
		if (protocol != 0 && protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		protocol = IPPROTO_TCP;
		break;
	case SOCK_DGRAM:
		if (protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6)
			return -EACCES; /* no "ping sockets": ping falls back to raw, as unprivileged on Linux */
		if (protocol != 0 && protocol != IPPROTO_UDP)
			return -EPROTONOSUPPORT;
		protocol = IPPROTO_UDP;
		break;
	case SOCK_RAW:
		if (protocol <= 0 || protocol > 255)
			return -EPROTONOSUPPORT; /* IPPROTO_RAW send-only sockets are not offered */
		break;
	case SOCK_SEQPACKET:
		return -EPROTONOSUPPORT;
	default:
		return -ESOCKTNOSUPPORT;
	}
	int err = 0;
	struct dce_ns3_sock *ns = dce_ns3_sock_create(t->proc->node->id, family, type, protocol, &err);
	if (!ns)
		return err;
	struct dce_sock *sk = dce_sock_alloc(t->proc->node, &inet_ops, family, type, protocol);
	struct inet *in = calloc(1, sizeof *in);
	in->ns = ns;
	in->tcp_opts[TCP_KEEPIDLE] = 7200;
	in->tcp_opts[TCP_KEEPINTVL] = 75;
	in->tcp_opts[TCP_KEEPCNT] = 9;
	in->mc_ttl = 1;
	in->mc_loop = in->mc_all = 1;
	sk->priv = in;
	if (type == SOCK_RAW && family == AF_INET && protocol == IPPROTO_RAW) {
		/* IPPROTO_RAW: the program writes the IP header (Linux's implied IP_HDRINCL) */
		in->hdrincl = 1;
		dce_ns3_sock_setopt(ns, DCE_NS3_HDRINCL, 1);
	}
	sk->file = dce_file_new(&dce_sock_file_ops, -1, O_RDWR);
	sk->file->priv = sk;
	dce_ns3_sock_set_ctx(ns, sk);
	*out = sk;
	return 0;
}

/* ---- addresses ---- */

/* Linux's checks of an address given to bind/connect/sendto for this socket. */
static long check_addr(struct dce_sock *sk, const struct sockaddr *sa, socklen_t len, int bind)
{
	if (len < sizeof(sa_family_t))
		return -EINVAL;
	if (sk->family == AF_INET) {
		if (len < sizeof(struct sockaddr_in))
			return -EINVAL;
		if (sa->sa_family != AF_INET) {
			const struct sockaddr_in *in = (const void *)sa;
			if (bind && sa->sa_family == AF_UNSPEC && in->sin_addr.s_addr == htonl(INADDR_ANY))
				((struct sockaddr *)sa)->sa_family = AF_INET;
			else
				return -EAFNOSUPPORT;
		}
		return 0;
	}
	if (len < 24) /* SIN6_LEN_RFC2133 */
		return -EINVAL;
	if (sa->sa_family != AF_INET6)
		return bind ? -EINVAL : -EAFNOSUPPORT;
	return 0;
}

/* Is this a local address of the node (or any, or loopback)? */
static int is_local(struct dce_sock *sk, const struct sockaddr *sa)
{
	struct dce_ns3_iface ifs[16];
	int n = dce_ns3_ifaces(sk->node->id, ifs, 16);
	if (n > 16)
		n = 16;
	if (sa->sa_family == AF_INET) {
		uint32_t a = ((const struct sockaddr_in *)sa)->sin_addr.s_addr;
		if (a == htonl(INADDR_ANY) || a == htonl(INADDR_BROADCAST) || (ntohl(a) >> 24) == 127 ||
		    IN_MULTICAST(ntohl(a)))
			return 1;
		for (int i = 0; i < n; i++)
			for (int j = 0; j < ifs[i].n4; j++)
				if (ifs[i].a4[j].addr == a || ifs[i].a4[j].bcast == a)
					return 1;
		return 0;
	}
	const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_MULTICAST(a))
		return 1;
	if (IN6_IS_ADDR_V4MAPPED(a)) {
		struct sockaddr_in s4 = { .sin_family = AF_INET };
		memcpy(&s4.sin_addr, &a->s6_addr[12], 4);
		return is_local(sk, (struct sockaddr *)&s4);
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < ifs[i].n6; j++)
			if (!memcmp(ifs[i].a6[j].addr, a, 16))
				return 1;
	return 0;
}

static int inet_bind(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	(void)t;
	struct inet *in = I(sk);
	long r = check_addr(sk, sa, len, 1);
	if (r)
		return (int)r;
	if (in->bound)
		return -EINVAL;
	if (!in->freebind && !is_local(sk, sa))
		return -EADDRNOTAVAIL;
	r = dce_ns3_sock_bind(in->ns, sa, len);
	if (r == 0)
		in->bound = 1;
	return (int)r;
}

static int autobind(struct dce_sock *sk)
{
	struct inet *in = I(sk);
	if (in->bound)
		return 0;
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	ss.ss_family = (sa_family_t)sk->family;
	int r = dce_ns3_sock_bind(in->ns, (struct sockaddr *)&ss,
	                          sk->family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	if (r == 0)
		in->bound = 1;
	return r;
}

static int inet_connect(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	struct inet *in = I(sk);
	struct dce_ns3_status st;
	if (sk->type != SOCK_STREAM) {
		if (len >= sizeof(sa_family_t) && sa->sa_family == AF_UNSPEC)
			return 0; /* dissolving the association: ns-3 keeps it; harmless for programs */
		long r = check_addr(sk, sa, len, 0);
		if (r)
			return (int)r;
		return dce_ns3_sock_connect(in->ns, sa, len);
	}
	if (len >= sizeof(sa_family_t) && sa->sa_family == AF_UNSPEC)
		return 0;
	long r = check_addr(sk, sa, len, 0);
	if (r)
		return (int)r;
	status(sk, &st);
	if (st.connected)
		return -EISCONN;
	if (st.listening)
		return -EINVAL;
	if (!st.connecting) {
		if (st.closed) {
			/* a failed attempt: start again on a fresh ns-3 socket, as Linux reuses the socket */
			int err = 0;
			struct dce_ns3_sock *ns = dce_ns3_sock_create(sk->node->id, sk->family, sk->type, sk->protocol, &err);
			if (!ns)
				return err;
			dce_ns3_sock_close(in->ns);
			in->ns = ns;
			in->bound = 0;
			dce_ns3_sock_set_ctx(ns, sk);
		}
		r = dce_ns3_sock_connect(in->ns, sa, len);
		if (r)
			return (int)r;
		in->bound = 1;
		if (sk->file->flags & O_NONBLOCK)
			return -EINPROGRESS;
	} else if (sk->file->flags & O_NONBLOCK)
		return -EALREADY;
	uint64_t deadline = dce_sock_deadline(sk->sndtimeo);
	for (;;) {
		status(sk, &st);
		if (!st.connecting)
			break;
		int w = dce_sock_wait(t, sk, 1, deadline);
		if (w == -EAGAIN)
			return -EINPROGRESS;
		if (w)
			return w;
	}
	int e = dce_ns3_sock_take_error(in->ns);
	if (e)
		return -e;
	return st.connected ? 0 : -ECONNABORTED;
}

static int inet_listen(struct dce_thread *t, struct dce_sock *sk, int backlog)
{
	(void)t;
	struct inet *in = I(sk);
	if (sk->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	struct dce_ns3_status st;
	status(sk, &st);
	if (st.connected || st.connecting)
		return -EINVAL;
	int r = autobind(sk);
	if (r)
		return r;
	r = dce_ns3_sock_listen(in->ns, backlog);
	if (r == 0)
		in->listening = 1;
	return r;
}

static int inet_accept(struct dce_thread *t, struct dce_sock *sk, struct dce_sock **out, int nonblock)
{
	struct inet *in = I(sk);
	if (sk->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (!in->listening)
		return -EINVAL;
	uint64_t deadline = dce_sock_deadline(sk->rcvtimeo);
	struct dce_ns3_sock *ns;
	while (!(ns = dce_ns3_sock_accept(in->ns))) {
		if (nonblock)
			return -EAGAIN;
		int w = dce_sock_wait(t, sk, 0, deadline);
		if (w)
			return w;
	}
	struct dce_sock *nsk = dce_sock_alloc(sk->node, &inet_ops, sk->family, sk->type, sk->protocol);
	struct inet *nin = calloc(1, sizeof *nin);
	memcpy(nin->tcp_opts, in->tcp_opts, sizeof nin->tcp_opts);
	nin->ns = ns;
	nin->bound = 1;
	nsk->priv = nin;
	nsk->file = dce_file_new(&dce_sock_file_ops, -1, O_RDWR);
	nsk->file->priv = nsk;
	nsk->rcvtimeo = sk->rcvtimeo;
	nsk->sndtimeo = sk->sndtimeo;
	dce_ns3_sock_set_ctx(ns, nsk);
	*out = nsk;
	return 0;
}

/* ---- data ---- */

static long stream_send(struct dce_thread *t, struct dce_sock *sk, const char *buf, size_t len, int flags)
{
	struct inet *in = I(sk);
	uint64_t deadline = dce_sock_deadline(sk->sndtimeo);
	size_t done = 0;
	struct dce_ns3_status st;
	for (;;) {
		status(sk, &st);
		if (st.error) {
			int e = dce_ns3_sock_take_error(in->ns);
			return done ? (long)done : -e;
		}
		if (in->shut_wr || st.closed)
			return done ? (long)done : -EPIPE;
		if (!st.connected && !st.connecting)
			return -ENOTCONN;
		if (done == len && (len || st.connected))
			return (long)done;
		size_t room = st.connected ? st.tx_avail : 0;
		if (room == 0) {
			if (dce_sock_nonblock(sk, flags)) {
				dce_file_again(t, sk->file, 1, -1); /* until room is made */
				return done ? (long)done : -EAGAIN;
			}
			int w = dce_sock_wait(t, sk, 1, deadline);
			if (w)
				return done ? (long)done : w;
			continue;
		}
		size_t n = len - done < room ? len - done : room;
		long r = dce_ns3_sock_send(in->ns, buf + done, n, NULL, 0);
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
	}
}

static long inet_send(struct dce_thread *t, struct dce_sock *sk, const void *buf, size_t len, int flags,
                      const struct sockaddr *to, socklen_t tolen, struct dce_txmeta *meta)
{
	struct inet *in = I(sk);
	if (sk->type == SOCK_STREAM) {
		if (to && !I(sk)->listening) {
			struct dce_ns3_status st;
			status(sk, &st);
			if (st.connected)
				to = NULL; /* ignored on a connected stream, as Linux does */
			else
				return -EPIPE;
		}
		if (in->listening)
			return -EPIPE;
		return stream_send(t, sk, buf, len, flags);
	}
	if (in->shut_wr)
		return -EPIPE;
	{
		/* a pending ICMP error (connected UDP: ECONNREFUSED) is reported first, as Linux */
		struct dce_ns3_status st;
		status(sk, &st);
		if (st.error)
			return -dce_ns3_sock_take_error(in->ns);
	}
	if (to) {
		long r = check_addr(sk, to, tolen, 0);
		if (r)
			return r;
	} else {
		struct dce_ns3_status st;
		status(sk, &st);
		if (!st.connected)
			return -EDESTADDRREQ;
	}
	if (sk->type == SOCK_DGRAM && len > 65507)
		return -EMSGSIZE;
	struct sockaddr_storage peer;
	socklen_t plen = sizeof peer;
	const struct sockaddr *dst = to;
	if (!dst && sk->family == AF_INET && dce_ns3_sock_name(in->ns, 1, &peer, &plen) == 0)
		dst = (const struct sockaddr *)&peer;
	if (sk->family == AF_INET && dst && dst->sa_family == AF_INET &&
	    IN_MULTICAST(ntohl(((const struct sockaddr_in *)dst)->sin_addr.s_addr))) {
		/* IP_PKTINFO's interface and source come first, then IP_MULTICAST_IF's */
		int pi = meta && meta->have_pktinfo; /* sendto has no meta */
		int ifindex = pi && meta->pi_ifindex ? meta->pi_ifindex : 0;
		uint32_t src = pi ? meta->pi_spec_dst : 0;
		if (!ifindex && !src) {
			ifindex = in->mc_ifindex;
			src = in->mc_addr;
		}
		long r = dce_ns3_sock_send_multicast(in->ns, buf, len, (const struct sockaddr_in *)dst, ifindex,
		                                     src, in->mc_ttl);
		if (r >= 0)
			in->bound = 1;
		return r;
	}
	long r = dce_ns3_sock_send(in->ns, buf, len, to, tolen);
	if (r >= 0)
		in->bound = 1;
	return r < 0 ? r : (long)len;
}

/* With nothing more queued than ns-3 reports in st, a non-blocking read says
 * EAGAIN (inet_recv's checks, in its order): no error, no EOF, not shut down. */
static int read_says_again(struct dce_sock *sk, const struct dce_ns3_status *st)
{
	if (st->error || I(sk)->shut_rd)
		return 0;
	if (sk->type != SOCK_STREAM)
		return st->rx_next == 0;
	return !st->rx_avail && !st->peer_closed && !st->closed && (st->connected || st->connecting);
}

/* After a non-blocking read(2) or recvfrom(2) took data: if the next read would
 * say EAGAIN, record it, so that the program's usual read-until-EAGAIN costs no
 * full entry (dce_file_again). */
static void note_drained(struct dce_thread *t, struct dce_sock *sk, int flags)
{
	if ((t->last_nr != SYS_read && t->last_nr != SYS_recvfrom) || !dce_sock_nonblock(sk, flags))
		return;
	struct dce_ns3_status st;
	status(sk, &st);
	if (read_says_again(sk, &st))
		dce_file_again(t, sk->file, 0, -1);
}

/* dce_ahead's take: the program read `taken` bytes of the copy; take them from ns-3 */
static void inet_ahead_take(struct dce_ahead *a)
{
	struct inet *in = (struct inet *)((char *)a - offsetof(struct inet, ahead));
	if (a->taken) {
		struct dce_ns3_rxinfo info = { 0, -1, -1, 0, 0 };
		dce_ns3_sock_recv(in->ns, a->buf, a->taken, 0, NULL, NULL, &info);
	}
	a->taken = a->off = a->len = 0;
}

/* read_ahead (socket.c's file op): a poll or select told the program this stream
 * socket is readable; copy ns-3's next bytes, at most what the program's last
 * read(2) asked for, for fastcall.c to serve its next reads from (dce_ahead).
 * When the copy is all ns-3 holds, the read after it says EAGAIN: recorded as
 * dce_file_again. */
static void inet_read_ahead(struct dce_thread *t, struct dce_sock *sk)
{
	struct inet *in = I(sk);
	struct dce_ahead *a = &in->ahead;
	if (sk->type != SOCK_STREAM || in->listening || !in->ahead_hint || !(sk->file->flags & O_NONBLOCK))
		return;
	struct dce_ns3_status st;
	dce_ns3_sock_status(in->ns, &st);
	if (!st.rx_avail)
		return;
	size_t n = st.rx_avail < in->ahead_hint ? st.rx_avail : in->ahead_hint;
	if (a->cap < n) { /* what the reads took so far: a segment or two per socket, usually */
		size_t cap = (n + 4095) & ~(size_t)4095;
		char *b = realloc(a->buf, cap);
		if (!b)
			return;
		a->buf = b;
		a->cap = cap;
	}
	struct dce_ns3_rxinfo info = { 0, -1, -1, 0, 0 };
	long r = dce_ns3_sock_recv(in->ns, a->buf, n, 1, NULL, NULL, &info); /* MSG_PEEK */
	if (r <= 0)
		return;
	a->off = a->taken = 0;
	a->len = (size_t)r;
	a->at = dce_slow_entries;
	a->all = (size_t)r == st.rx_avail;
	a->take = inet_ahead_take;
	sk->file->ahead = a;
	st.rx_avail -= (size_t)r; /* what the read after the copy finds */
	if (read_says_again(sk, &st))
		dce_file_again(t, sk->file, 0, SYS_read);
}

static long inet_recv(struct dce_thread *t, struct dce_sock *sk, void *buf, size_t len, int flags,
                      struct sockaddr_storage *from, socklen_t *fromlen, struct dce_rxmeta *meta)
{
	struct inet *in = I(sk);
	if (t->last_nr == SYS_read && sk->type == SOCK_STREAM)
		in->ahead_hint = len < 262144 ? len : 262144; /* what read_ahead takes at most */
	uint64_t deadline = dce_sock_deadline(sk->rcvtimeo);
	int peek = (flags & MSG_PEEK) != 0;
	size_t done = 0;
	struct dce_ns3_status st;
	struct dce_ns3_rxinfo info = { 0, -1, -1, 0, 0 };
	for (;;) {
		status(sk, &st);
		if (sk->type != SOCK_STREAM && st.error && !peek)
			return done ? (long)done : -dce_ns3_sock_take_error(in->ns);
		size_t avail = sk->type == SOCK_STREAM ? st.rx_avail : st.rx_next;
		if (avail > 0 && len > 0) {
			long r = dce_ns3_sock_recv(in->ns, (char *)buf + done, len - done, peek, from, fromlen, &info);
			if (r < 0)
				return done ? (long)done : r;
			done += (size_t)r;
			if (sk->type != SOCK_STREAM) {
				meta->full_len = info.full_len;
				meta->ttl = info.ttl;
				meta->tos = info.tos;
				meta->pi_ifindex = info.pi_ifindex;
				meta->pi_dst = info.pi_dst;
				return (long)done;
			}
			if (done == len || !(flags & MSG_WAITALL) || peek) {
				if (!peek)
					note_drained(t, sk, flags);
				return (long)done;
			}
			continue;
		}
		if (avail > 0 && len == 0)
			return 0;
		if (sk->type == SOCK_STREAM) {
			if (st.error) {
				int e = dce_ns3_sock_take_error(in->ns);
				return done ? (long)done : -e;
			}
			if (st.peer_closed || in->shut_rd || st.closed)
				return (long)done;
			if (!st.connected && !st.connecting)
				return done ? (long)done : -ENOTCONN;
		} else if (in->shut_rd)
			return 0;
		if (dce_sock_nonblock(sk, flags)) {
			dce_file_again(t, sk->file, 0, -1); /* until data or a change comes */
			return done ? (long)done : -EAGAIN;
		}
		int w = dce_sock_wait(t, sk, 0, deadline);
		if (w)
			return done ? (long)done : w;
	}
}

static int inet_shutdown(struct dce_thread *t, struct dce_sock *sk, int how)
{
	(void)t;
	struct inet *in = I(sk);
	struct dce_ns3_status st;
	status(sk, &st);
	if (sk->type == SOCK_STREAM && !st.connected && !st.listening && !st.connecting)
		return -ENOTCONN;
	if (how == SHUT_RD || how == SHUT_RDWR)
		in->shut_rd = 1;
	if (how == SHUT_WR || how == SHUT_RDWR)
		in->shut_wr = 1;
	if (sk->type == SOCK_STREAM && st.connected)
		dce_ns3_sock_shutdown(in->ns, how);
	dce_file_notify(sk->file);
	return 0;
}

static int inet_getname(struct dce_sock *sk, int peer, struct sockaddr_storage *ss, socklen_t *len)
{
	return dce_ns3_sock_name(I(sk)->ns, peer, ss, len);
}

static int inet_poll(struct dce_sock *sk)
{
	struct inet *in = I(sk);
	struct dce_ns3_status st;
	status(sk, &st);
	int m = 0;
	if (st.error || st.errq)
		m |= POLLERR;
	if (sk->type != SOCK_STREAM) {
		if (st.rx_next > 0 || in->shut_rd)
			m |= POLLIN | POLLRDNORM;
		if (!in->shut_wr)
			m |= POLLOUT | POLLWRNORM;
		return m;
	}
	if (in->listening)
		return st.accept_ready ? POLLIN | POLLRDNORM : 0;
	if (st.connecting)
		return m;
	if (!st.connected || st.closed) /* Linux: a TCP socket in CLOSE state */
		m |= POLLHUP | POLLOUT | POLLWRNORM;
	if ((st.peer_closed || st.closed) && in->shut_wr)
		m |= POLLHUP;
	if (st.rx_avail > 0 || st.peer_closed || in->shut_rd || st.closed)
		m |= POLLIN | POLLRDNORM;
	if (st.peer_closed || in->shut_rd)
		m |= POLLRDHUP;
	if (st.connected && !st.closed && !in->shut_wr) {
		size_t used = st.tx_size > st.tx_avail ? st.tx_size - st.tx_avail : 0;
		if (st.tx_avail > 0 && st.tx_avail * 2 >= used)
			m |= POLLOUT | POLLWRNORM;
	}
	if (in->shut_wr && !st.closed)
		m |= POLLOUT | POLLWRNORM; /* writes fail at once with EPIPE */
	return m;
}

/* MSG_ERRQUEUE: the oldest ICMP error; the data (the offending datagram's
 * payload on Linux) is empty: ns-3 reports the error without it. */
static long inet_recverr(struct dce_thread *t, struct dce_sock *sk, void *buf, size_t len,
                         struct sockaddr_storage *from, socklen_t *fromlen, struct dce_rxmeta *meta)
{
	(void)t;
	(void)buf;
	(void)len;
	struct dce_ns3_sockerr e;
	int r = dce_ns3_sock_recverr(I(sk)->ns, &e);
	if (r)
		return r;
	meta->have_ee = 1;
	meta->ee_v6 = e.v6;
	meta->ee.ee_errno = (uint32_t)e.ee_errno;
	meta->ee.ee_origin = e.v6 ? 3 /* SO_EE_ORIGIN_ICMP6 */ : 2 /* SO_EE_ORIGIN_ICMP */;
	meta->ee.ee_type = (uint8_t)e.type;
	meta->ee.ee_code = (uint8_t)e.code;
	meta->ee.ee_info = e.info;
	meta->ee_offender = e.offender;
	meta->ee_offlen = e.offlen;
	meta->ttl = e.ttl;
	meta->full_len = 0;
	if (e.dstlen) {
		*from = e.dst;
		*fromlen = e.dstlen;
	}
	dce_file_notify(sk->file);
	return 0;
}

static void inet_release(struct dce_sock *sk)
{
	struct inet *in = I(sk);
	dce_ahead_forget(&in->ahead);
	dce_ns3_sock_close(in->ns);
	free(in->ahead.buf);
	sk->file->ahead = NULL;
	free(in);
}

/* ---- options ---- */

static int get_int(const void *val, socklen_t len, int *v)
{
	if (len >= sizeof(int)) {
		memcpy(v, val, sizeof(int));
		return 0;
	}
	if (len >= 1) { /* Linux takes a byte for some IP options */
		*v = *(const unsigned char *)val;
		return 0;
	}
	return -EINVAL;
}

/* IP_MULTICAST_IF takes an in_addr, an ip_mreq or an ip_mreqn (as Linux reads
 * them: the second field of an ip_mreq is the interface's address); an address
 * names the interface that has it. INADDR_ANY and index 0 go back to routing. */
static int set_multicast_if(struct dce_sock *sk, const void *val, socklen_t len)
{
	struct inet *in = I(sk);
	struct ip_mreqn m = { 0 };
	if (len < sizeof(struct in_addr))
		return -EINVAL;
	if (len >= sizeof(struct ip_mreqn))
		memcpy(&m, val, sizeof m);
	else if (len >= sizeof(struct ip_mreq))
		memcpy(&m, val, sizeof(struct ip_mreq));
	else
		memcpy(&m.imr_address, val, sizeof(struct in_addr));
	if (!m.imr_ifindex && m.imr_address.s_addr == htonl(INADDR_ANY)) {
		in->mc_ifindex = 0;
		in->mc_addr = 0;
		return 0;
	}
	struct dce_ns3_iface ifs[16];
	int n = dce_ns3_ifaces(sk->node->id, ifs, 16);
	if (n > 16)
		n = 16;
	int found = 0;
	for (int i = 0; i < n && !found; i++) {
		if (m.imr_ifindex) {
			found = ifs[i].index == m.imr_ifindex;
			continue;
		}
		for (int j = 0; j < ifs[i].n4; j++)
			if (ifs[i].a4[j].addr == m.imr_address.s_addr) {
				m.imr_ifindex = ifs[i].index;
				found = 1;
			}
	}
	if (!found)
		return -EADDRNOTAVAIL;
	in->mc_ifindex = m.imr_ifindex;
	in->mc_addr = m.imr_address.s_addr;
	return 0;
}

static int inet_setsockopt(struct dce_sock *sk, int level, int opt, const void *val, socklen_t len)
{
	struct inet *in = I(sk);
	int v = 0;
	int tcp = sk->type == SOCK_STREAM;
	if (level == SOL_SOCKET) {
		if (get_int(val, len, &v) || len < sizeof(int))
			return -EINVAL;
		switch (opt) {
		case SO_SNDBUF:
		case SO_RCVBUF:
			if (v < 2304)
				v = 2304;
			return dce_ns3_sock_setopt(in->ns, opt == SO_SNDBUF ? DCE_NS3_SNDBUF : DCE_NS3_RCVBUF, (uint32_t)v);
		case SO_KEEPALIVE:
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_KEEPALIVE, v != 0);
		case SO_BROADCAST:
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_BROADCAST, v != 0);
		case SO_NO_CHECK:
		case SO_TIMESTAMPING_OLD:
		case SO_RXQ_OVFL:
		case SO_WIFI_STATUS:
		case SO_SELECT_ERR_QUEUE:
		case SO_INCOMING_CPU:
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == IPPROTO_TCP) {
		if (!tcp)
			return -ENOPROTOOPT;
		if (opt == TCP_CONGESTION || opt == TCP_ULP)
			return len > 0 ? 0 : -EINVAL;
		if (get_int(val, len, &v) || len < sizeof(int))
			return -EINVAL;
		switch (opt) {
		case TCP_NODELAY:
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_NODELAY, v != 0);
		case TCP_MAXSEG:
			if (v && (v < 88 || v > 32767))
				return -EINVAL;
			return v ? dce_ns3_sock_setopt(in->ns, DCE_NS3_MAXSEG, (uint32_t)v) : 0;
		case TCP_KEEPIDLE:
		case TCP_KEEPINTVL:
		case TCP_KEEPCNT:
			if (v < 1 || v > 32767)
				return -EINVAL;
			/* fall through */
		case TCP_CORK:
		case TCP_QUICKACK:
		case TCP_DEFER_ACCEPT:
		case TCP_USER_TIMEOUT:
		case TCP_FASTOPEN:
		case TCP_FASTOPEN_CONNECT:
		case TCP_NOTSENT_LOWAT:
		case TCP_WINDOW_CLAMP:
		case TCP_LINGER2:
		case TCP_SYNCNT:
			if (opt < 32)
				in->tcp_opts[opt] = v;
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == IPPROTO_IP) {
		if (sk->family != AF_INET && opt != IP_TOS && opt != IP_TTL)
			return -ENOPROTOOPT;
		if (opt == IP_MULTICAST_IF)
			return set_multicast_if(sk, val, len);
		if (opt == IP_ADD_MEMBERSHIP || opt == IP_DROP_MEMBERSHIP) {
			/* an ip_mreq, or an ip_mreqn with the device's index (as Linux reads it) */
			struct ip_mreqn mr;
			memset(&mr, 0, sizeof mr);
			if (len < sizeof(struct ip_mreq))
				return -EINVAL;
			memcpy(&mr, val, len >= sizeof mr ? sizeof mr : sizeof(struct ip_mreq));
			return dce_ns3_sock_mcast(in->ns, opt == IP_ADD_MEMBERSHIP, mr.imr_multiaddr.s_addr,
			                          mr.imr_address.s_addr, mr.imr_ifindex);
		}
		if (opt == IP_OPTIONS || opt == IP_ADD_SOURCE_MEMBERSHIP || opt == IP_DROP_SOURCE_MEMBERSHIP)
			return len < 4 && opt != IP_OPTIONS ? -EINVAL : 0;
		if (get_int(val, len, &v))
			return -EINVAL;
		switch (opt) {
		case IP_TTL:
			if (v == -1)
				v = 64;
			if (v < 1 || v > 255)
				return -EINVAL;
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_TTL, (uint32_t)v);
		case IP_TOS:
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_TOS, (uint32_t)v & 0xff);
		case IP_RECVTTL: sk->recvttl = v != 0; return 0;
		case IP_RECVTOS: sk->recvtos = v != 0; return 0;
		case IP_PKTINFO: sk->pktinfo = v != 0; return 0;
		case IP_RECVERR:
			in->recverr = v != 0;
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_RECVERR, v != 0);
		case IP_MTU_DISCOVER:
			if (v < 0 || v > 5)
				return -EINVAL;
			in->mtu_disc = v;
			return 0;
		case IP_HDRINCL:
			if (sk->type != SOCK_RAW)
				return -ENOPROTOOPT;
			if (sk->family != AF_INET)
				return -ENOPROTOOPT;
			if (sk->protocol == IPPROTO_RAW)
				return 0; /* always on, as Linux */
			in->hdrincl = v != 0;
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_HDRINCL, v != 0);
		case IP_FREEBIND: in->freebind = v != 0; return 0;
		case IP_MULTICAST_TTL:
			if (v == -1)
				v = 1;
			if (v < 0 || v > 255)
				return -EINVAL;
			in->mc_ttl = v;
			return 0;
		case IP_MULTICAST_LOOP:
		case IP_MULTICAST_ALL:
			if (opt == IP_MULTICAST_LOOP)
				in->mc_loop = v != 0;
			else
				in->mc_all = v != 0;
			dce_ns3_sock_mcast_flags(in->ns, in->mc_loop, in->mc_all);
			return 0;
		case IP_RECVOPTS:
		case IP_RETOPTS:
		case IP_BIND_ADDRESS_NO_PORT:
		case IP_TRANSPARENT:
		case IP_RECVORIGDSTADDR:
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == IPPROTO_IPV6) {
		if (sk->family != AF_INET6)
			return -ENOPROTOOPT;
		if (opt == IPV6_ADD_MEMBERSHIP || opt == IPV6_DROP_MEMBERSHIP)
			return len < sizeof(struct ipv6_mreq) ? -EINVAL : 0;
		if (get_int(val, len, &v) || len < sizeof(int))
			return -EINVAL;
		switch (opt) {
		case IPV6_V6ONLY:
			if (in->bound)
				return -EINVAL;
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_V6ONLY, v != 0);
		case IPV6_UNICAST_HOPS:
			if (v == -1)
				v = 64;
			if (v < 0 || v > 255)
				return -EINVAL;
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_HOPLIMIT, (uint32_t)v);
		case IPV6_RECVHOPLIMIT: sk->recvhoplimit = v != 0; return 0;
		case IPV6_RECVPKTINFO: sk->pktinfo = v != 0; return 0;
		case IPV6_TCLASS: in->tclass = v; return 0;
		case IPV6_RECVERR:
			in->recverr = v != 0;
			return dce_ns3_sock_setopt(in->ns, DCE_NS3_RECVERR, v != 0);
		case IPV6_MTU_DISCOVER: in->mtu_disc = v; return 0;
		case IPV6_CHECKSUM:
		case IPV6_MULTICAST_HOPS:
		case IPV6_MULTICAST_LOOP:
		case IPV6_MULTICAST_IF:
		case IPV6_RECVTCLASS:
		case IPV6_AUTOFLOWLABEL:
		case IPV6_RECVRTHDR:
		case IPV6_RECVHOPOPTS:
		case IPV6_RECVDSTOPTS:
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == SOL_RAW && sk->type == SOCK_RAW && sk->family == AF_INET && opt == ICMP_FILTER) {
		if (len < 4)
			return -EINVAL;
		uint32_t f;
		memcpy(&f, val, 4);
		return dce_ns3_sock_setopt(in->ns, DCE_NS3_ICMP_FILTER, f);
	}
	if (level == SOL_RAW && sk->type == SOCK_RAW && sk->family == AF_INET6 && opt == IPV6_CHECKSUM)
		return len < sizeof(int) ? -EINVAL : 0; /* ns-3 computes ICMPv6 checksums itself */
	if (level == IPPROTO_ICMPV6 && sk->type == SOCK_RAW && sk->family == AF_INET6 && opt == 1 /* ICMP6_FILTER */) {
		if (len > sizeof in->icmp6_filter)
			len = sizeof in->icmp6_filter;
		memcpy(in->icmp6_filter, val, len);
		return 0;
	}
	return -ENOPROTOOPT;
}

static void put_int(void *val, socklen_t *len, int v)
{
	memcpy(val, &v, sizeof v);
	*len = sizeof v;
}

static int tcp_info_get(struct inet *in, void *val, socklen_t *len)
{
	struct dce_ns3_tcpinfo ti;
	int r = dce_ns3_sock_tcpinfo(in->ns, &ti);
	if (r)
		return r;
	struct tcp_info info;
	memset(&info, 0, sizeof info);
	uint32_t mss = ti.mss ? ti.mss : 1448;
	info.tcpi_state = (uint8_t)ti.state;
	info.tcpi_snd_mss = info.tcpi_rcv_mss = info.tcpi_advmss = mss;
	info.tcpi_snd_cwnd = ti.cwnd_bytes ? ti.cwnd_bytes / mss : 10;
	info.tcpi_snd_ssthresh = ti.ssthresh_bytes && ti.ssthresh_bytes < 0x7fffffffU ? ti.ssthresh_bytes / mss : 0x7fffffff;
	info.tcpi_rcv_ssthresh = 65535;
	info.tcpi_rtt = ti.rtt_us;
	info.tcpi_rttvar = ti.rttvar_us;
	info.tcpi_rto = ti.rto_us ? ti.rto_us : 200000;
	info.tcpi_ato = 40000;
	info.tcpi_pmtu = mss + 52;
	info.tcpi_reordering = 3;
	info.tcpi_total_retrans = ti.total_retrans;
	info.tcpi_options = TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_WSCALE;
	info.tcpi_snd_wscale = info.tcpi_rcv_wscale = 7;
	memcpy(val, &info, sizeof info);
	*len = sizeof info;
	return 0;
}

static int inet_getsockopt(struct dce_sock *sk, int level, int opt, void *val, socklen_t *len)
{
	struct inet *in = I(sk);
	uint32_t v = 0;
	int tcp = sk->type == SOCK_STREAM;
	int r;
	if (level == SOL_SOCKET) {
		switch (opt) {
		case SO_ERROR:
			put_int(val, len, dce_ns3_sock_take_error(in->ns));
			return 0;
		case SO_ACCEPTCONN:
			put_int(val, len, in->listening);
			return 0;
		case SO_SNDBUF:
		case SO_RCVBUF:
			r = dce_ns3_sock_getopt(in->ns, opt == SO_SNDBUF ? DCE_NS3_SNDBUF : DCE_NS3_RCVBUF, &v);
			put_int(val, len, (int)v);
			return r;
		case SO_KEEPALIVE:
			r = dce_ns3_sock_getopt(in->ns, DCE_NS3_KEEPALIVE, &v);
			put_int(val, len, (int)v);
			return r;
		case SO_BROADCAST:
			r = dce_ns3_sock_getopt(in->ns, DCE_NS3_BROADCAST, &v);
			put_int(val, len, (int)v);
			return r;
		}
		return -ENOPROTOOPT;
	}
	if (level == IPPROTO_TCP) {
		if (!tcp)
			return -EOPNOTSUPP;
		switch (opt) {
		case TCP_NODELAY:
			r = dce_ns3_sock_getopt(in->ns, DCE_NS3_NODELAY, &v);
			put_int(val, len, (int)v);
			return r;
		case TCP_MAXSEG:
			r = dce_ns3_sock_getopt(in->ns, DCE_NS3_MAXSEG, &v);
			put_int(val, len, (int)v);
			return r;
		case TCP_INFO:
			return tcp_info_get(in, val, len);
		case TCP_CONGESTION:
			memset(val, 0, 16);
			memcpy(val, "reno", 4); /* ns-3's default congestion control is NewReno */
			*len = 16;
			return 0;
		default:
			if (opt >= 0 && opt < 32) {
				put_int(val, len, in->tcp_opts[opt]);
				return 0;
			}
		}
		return -ENOPROTOOPT;
	}
	if (level == IPPROTO_IP) {
		switch (opt) {
		case IP_TTL:
			r = dce_ns3_sock_getopt(in->ns, DCE_NS3_TTL, &v);
			put_int(val, len, (int)v);
			return r;
		case IP_TOS:
			r = dce_ns3_sock_getopt(in->ns, DCE_NS3_TOS, &v);
			put_int(val, len, (int)v);
			return r;
		case IP_RECVTTL: put_int(val, len, sk->recvttl); return 0;
		case IP_RECVTOS: put_int(val, len, sk->recvtos); return 0;
		case IP_PKTINFO: put_int(val, len, sk->pktinfo); return 0;
		case IP_RECVERR: put_int(val, len, in->recverr); return 0;
		case IP_MTU_DISCOVER: put_int(val, len, in->mtu_disc); return 0;
		case IP_HDRINCL: put_int(val, len, in->hdrincl); return 0;
		case IP_MTU: put_int(val, len, 1500); return 0;
		case IP_OPTIONS: *len = 0; return 0;
		case IP_MULTICAST_TTL: put_int(val, len, in->mc_ttl); return 0;
		case IP_MULTICAST_IF:
			memcpy(val, &in->mc_addr, 4);
			*len = 4;
			return 0;
		case IP_MULTICAST_LOOP: put_int(val, len, in->mc_loop); return 0;
		case IP_MULTICAST_ALL: put_int(val, len, in->mc_all); return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == IPPROTO_IPV6 && sk->family == AF_INET6) {
		switch (opt) {
		case IPV6_V6ONLY:
			r = dce_ns3_sock_getopt(in->ns, DCE_NS3_V6ONLY, &v);
			put_int(val, len, (int)v);
			return r;
		case IPV6_UNICAST_HOPS:
			r = dce_ns3_sock_getopt(in->ns, DCE_NS3_HOPLIMIT, &v);
			put_int(val, len, (int)v);
			return r;
		case IPV6_RECVHOPLIMIT: put_int(val, len, sk->recvhoplimit); return 0;
		case IPV6_TCLASS: put_int(val, len, in->tclass); return 0;
		case IPV6_MTU: put_int(val, len, 1500); return 0;
		case IPV6_MULTICAST_HOPS: put_int(val, len, 1); return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == SOL_RAW && sk->type == SOCK_RAW && opt == ICMP_FILTER) {
		r = dce_ns3_sock_getopt(in->ns, DCE_NS3_ICMP_FILTER, &v);
		memcpy(val, &v, 4);
		*len = 4;
		return r;
	}
	return -ENOPROTOOPT;
}

static long inet_ioctl(struct dce_thread *t, struct dce_sock *sk, unsigned long req, uint64_t arg)
{
	(void)t;
	struct dce_ns3_status st;
	status(sk, &st);
	int v;
	switch (req) {
	case FIONREAD:
		if (I(sk)->listening)
			return -EINVAL;
		v = (int)(sk->type == SOCK_STREAM ? st.rx_avail : st.rx_next);
		break;
	case SIOCOUTQ:
		v = (int)(st.tx_size > st.tx_avail ? st.tx_size - st.tx_avail : 0);
		break;
	case SIOCATMARK:
		v = 0;
		break;
	default:
		return -ENOENT; /* SIOCGSTAMP: no timestamp of a last packet kept */
	}
	return dce_copy_to_user(arg, &v, sizeof v) ? -EFAULT : 0;
}

static const struct dce_sock_ops inet_ops = {
	.bind = inet_bind,
	.connect = inet_connect,
	.listen = inet_listen,
	.accept = inet_accept,
	.send = inet_send,
	.recv = inet_recv,
	.shutdown = inet_shutdown,
	.getname = inet_getname,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.ioctl = inet_ioctl,
	.poll = inet_poll,
	.recverr = inet_recverr,
	.release = inet_release,
	.read_ahead = inet_read_ahead,
};
