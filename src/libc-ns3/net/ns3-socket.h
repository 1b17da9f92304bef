/* ns3-socket.h - ns-3's sockets and interfaces behind a C interface, for the basic
 * mode network stack (src/libc-ns3/net/inet.c, netlink.c). Implemented in C++ by
 * src/ns3/net/ns3-socket.cc.
 *
 * Every function runs inside a simulator event (a fiber serving a system call, or
 * an ns-3 callback). Nothing here blocks: the caller waits on its file's wait
 * queues and is told of every change of state by dce_ns3_sock_event(ctx).
 * Errors are negative errno values, as Linux would return them. */
#ifndef DCE_NS3_SOCKET_H
#define DCE_NS3_SOCKET_H
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dce_ns3_sock;

/* Implemented by the C side: the socket whose context is ctx changed state
 * (data arrived, room to send, connected, peer closed, error). */
void dce_ns3_sock_event(void *ctx);

/* family AF_INET/AF_INET6, type SOCK_STREAM/SOCK_DGRAM/SOCK_RAW, protocol as given
 * (raw: IPPROTO_ICMP, IPPROTO_ICMPV6, ...). NULL and *err set on failure (e.g. the
 * node has no internet stack: -EAFNOSUPPORT). */
struct dce_ns3_sock *dce_ns3_sock_create(uint32_t node, int family, int type, int protocol, int *err);
void dce_ns3_sock_set_ctx(struct dce_ns3_sock *s, void *ctx);
/* Addresses are validated by the caller (family and length). A v4-mapped IPv6
 * address is used as IPv4. */
int dce_ns3_sock_bind(struct dce_ns3_sock *s, const struct sockaddr *sa, socklen_t len);
/* Starts connecting (stream) or sets the default peer (datagram); completion of a
 * stream connect is reported by dce_ns3_sock_status. */
int dce_ns3_sock_connect(struct dce_ns3_sock *s, const struct sockaddr *sa, socklen_t len);
int dce_ns3_sock_listen(struct dce_ns3_sock *s, int backlog);
/* The next established connection, or NULL when none is waiting. */
struct dce_ns3_sock *dce_ns3_sock_accept(struct dce_ns3_sock *s);
/* Queue len bytes (stream: at most status.tx_avail) to `to` (NULL: the peer). */
long dce_ns3_sock_send(struct dce_ns3_sock *s, const void *buf, size_t len,
                       const struct sockaddr *to, socklen_t tolen);

/* An IPv4 datagram or raw socket's send to a multicast group `to`, out of the
 * device with Linux ifindex `ifindex` (IP_PKTINFO, IP_MULTICAST_IF), else of the
 * device owning the source address src (network order; IP_PKTINFO's ipi_spec_dst,
 * IP_MULTICAST_IF's address), else of the routing table's device for the group.
 * ttl: the multicast TTL. -ENETUNREACH when no route leads to the group, -ENODEV
 * for an unknown ifindex, -EINVAL for a source that is not the node's. */
long dce_ns3_sock_send_multicast(struct dce_ns3_sock *s, const void *buf, size_t len,
                                 const struct sockaddr_in *to, int ifindex, uint32_t src, int ttl);

struct dce_ns3_rxinfo {
	size_t full_len;          /* datagram's size (larger than returned: truncated) */
	int ttl;                  /* -1 unknown */
	int tos;                  /* -1 unknown */
	int pi_ifindex;           /* IPv4: the receiving interface (Linux numbering), 0 unknown */
	uint32_t pi_dst;          /* IPv4: the header's destination, network order */
};
/* Copy up to len received bytes (one datagram for non-stream sockets) into buf;
 * peek leaves them queued. 0 with nothing queued is -EAGAIN; the caller decides
 * about EOF from the status. from/fromlen may be NULL. */
long dce_ns3_sock_recv(struct dce_ns3_sock *s, void *buf, size_t len, int peek,
                       struct sockaddr_storage *from, socklen_t *fromlen, struct dce_ns3_rxinfo *info);

struct dce_ns3_status {
	size_t rx_avail;          /* bytes queued for reading (datagrams: their sum) */
	size_t rx_next;           /* non-stream: size of the next datagram */
	size_t tx_avail;          /* room in the send buffer */
	size_t tx_size;           /* send buffer size */
	int accept_ready;         /* listening: connections waiting for accept */
	int listening, connecting, connected;
	int peer_closed;          /* FIN received: EOF once rx_avail is drained */
	int closed;               /* no connection any more (reset, timeout, both closed) */
	int error;                /* pending error (positive errno), 0 if none */
	int errq;                 /* IP_RECVERR errors queued for MSG_ERRQUEUE */
};
void dce_ns3_sock_status(struct dce_ns3_sock *s, struct dce_ns3_status *st);
/* SO_ERROR: the pending error (positive errno) and clear it. */
int dce_ns3_sock_take_error(struct dce_ns3_sock *s);
/* The local (peer = 0) or remote (peer = 1) address, in the socket's family. */
int dce_ns3_sock_name(struct dce_ns3_sock *s, int peer, struct sockaddr_storage *sa, socklen_t *len);
int dce_ns3_sock_shutdown(struct dce_ns3_sock *s, int how);
/* Close and forget: no more events for this socket; data already queued is sent. */
void dce_ns3_sock_close(struct dce_ns3_sock *s);

/* One ICMP error queued by IP_RECVERR/IPV6_RECVERR (Linux's sock_extended_err). */
struct dce_ns3_sockerr {
	int ee_errno;
	int v6;                   /* ICMPv6 (SO_EE_ORIGIN_ICMP6) */
	int type, code, ttl;      /* ttl: of the ICMP message */
	uint32_t info;
	struct sockaddr_storage offender; /* the router or host that sent it */
	struct sockaddr_storage dst;      /* where the offending datagram went */
	socklen_t offlen, dstlen;
};
/* Take the oldest queued error: 0, or -EAGAIN when none. */
int dce_ns3_sock_recverr(struct dce_ns3_sock *s, struct dce_ns3_sockerr *e);

enum dce_ns3_opt {
	DCE_NS3_SNDBUF, DCE_NS3_RCVBUF, DCE_NS3_NODELAY, DCE_NS3_MAXSEG, DCE_NS3_TTL,
	DCE_NS3_TOS, DCE_NS3_BROADCAST, DCE_NS3_HOPLIMIT, DCE_NS3_ICMP_FILTER,
	DCE_NS3_KEEPALIVE, DCE_NS3_V6ONLY, DCE_NS3_RECVERR, DCE_NS3_HDRINCL,
};
int dce_ns3_sock_setopt(struct dce_ns3_sock *s, enum dce_ns3_opt opt, uint32_t value);
/* IP_ADD_MEMBERSHIP (join) / IP_DROP_MEMBERSHIP of an IPv4 datagram socket: group,
 * interface by ifindex, else by address, else the route's (network order). Linux's
 * errnos (EINVAL, ENODEV, EADDRINUSE, EADDRNOTAVAIL, ENOBUFS, EPROTO). */
int dce_ns3_sock_mcast(struct dce_ns3_sock *s, int join, uint32_t group_be, uint32_t ifaddr_be, int ifindex);
/* IP_MULTICAST_LOOP and IP_MULTICAST_ALL (both on by default) */
void dce_ns3_sock_mcast_flags(struct dce_ns3_sock *s, int loop, int all);
int dce_ns3_sock_getopt(struct dce_ns3_sock *s, enum dce_ns3_opt opt, uint32_t *value);

struct dce_ns3_tcpinfo {
	int state;                /* Linux TCP_ESTABLISHED ... numbering */
	uint32_t mss, cwnd_bytes, ssthresh_bytes, rtt_us, rttvar_us, rto_us;
	uint32_t retrans, total_retrans;
	uint64_t bytes_acked, bytes_received;
};
int dce_ns3_sock_tcpinfo(struct dce_ns3_sock *s, struct dce_ns3_tcpinfo *ti);

/* ---- AF_PACKET: a tap on the node's ns-3 devices (packet.c) ---- */
struct dce_ns3_pkt;
/* Implemented by the C side: the socket's filter decides about a received frame
 * (as the socket reads it: with the Ethernet header for SOCK_RAW): bytes to keep. */
uint32_t dce_ns3_pkt_filter(void *ctx, const uint8_t *frame, size_t len);
struct dce_ns3_pkt *dce_ns3_pkt_create(uint32_t node, void *ctx, int cooked);
/* Receive frames of protocol proto (host order; 0x0003 ETH_P_ALL: every one; 0: none)
 * from the device with Linux ifindex (0: every device). -ENODEV for an unknown one. */
int dce_ns3_pkt_bind(struct dce_ns3_pkt *p, int ifindex, uint16_t proto);
struct dce_ns3_pktinfo {
	int ifindex, pkttype, halen;
	uint16_t proto;           /* host order */
	uint8_t addr[8];          /* the sender's link address */
	size_t full_len;
};
/* The next frame (-EAGAIN: none); rx_next: its length (0: none). */
long dce_ns3_pkt_recv(struct dce_ns3_pkt *p, void *buf, size_t len, int peek, struct dce_ns3_pktinfo *info);
size_t dce_ns3_pkt_next(struct dce_ns3_pkt *p, size_t *total);
/* Send a frame out of device ifindex: cooked, the payload of protocol proto to link
 * address dst; raw, a whole Ethernet frame (header first). */
long dce_ns3_pkt_send(struct dce_ns3_pkt *p, int ifindex, uint16_t proto, const uint8_t *dst, int halen,
                      const void *buf, size_t len);
void dce_ns3_pkt_close(struct dce_ns3_pkt *p);

/* ---- the node's interfaces and routes (netlink, interface ioctls) ---- */
#define DCE_NS3_MAX_ADDRS 8
struct dce_ns3_iface {
	int index;                /* 1 = lo, then devices in ns-3 order */
	char name[16];            /* lo, eth0, eth1, ... */
	unsigned flags;           /* IFF_UP | IFF_RUNNING | IFF_LOOPBACK | IFF_BROADCAST ... */
	int mtu;
	int arptype;              /* ARPHRD_ETHER, ARPHRD_LOOPBACK, ARPHRD_PPP */
	uint8_t mac[8];
	int maclen;
	int n4;
	struct { uint32_t addr, mask, bcast; } a4[DCE_NS3_MAX_ADDRS]; /* network order */
	int n6;
	struct { uint8_t addr[16]; int plen; int scope; } a6[DCE_NS3_MAX_ADDRS]; /* scope: RT_SCOPE_* */
};
/* Fills up to max interfaces; returns how many the node has. */
int dce_ns3_ifaces(uint32_t node, struct dce_ns3_iface *out, int max);

struct dce_ns3_route {
	int family;
	uint8_t dst[16], gw[16];  /* network order; gw all zero: on link */
	int plen;
	int ifindex;
	uint32_t metric;
};
int dce_ns3_routes(uint32_t node, int family, struct dce_ns3_route *out, int max);

#ifdef __cplusplus
}
#endif
#endif
