/* no-ns3.c - basic mode's ns-3 sockets (ns3-socket.h) in dce-nuse, which has no
 * ns-3: its one node always runs the kernel library, which serves every INET,
 * INET6, NETLINK and PACKET socket (ksock.c) before basic mode would be asked.
 * Should a call get here anyway, the answer is Linux's for a family the node does
 * not have, never a fake socket. */
#include "../libc-ns3/net/ns3-socket.h"
#include <errno.h>

struct dce_ns3_sock *dce_ns3_sock_create(uint32_t node, int family, int type, int protocol, int *err)
{
	(void)node, (void)family, (void)type, (void)protocol;
	*err = -EAFNOSUPPORT;
	return 0;
}

/* No socket is ever created above: the calls below cannot be reached with one. */
void dce_ns3_sock_set_ctx(struct dce_ns3_sock *s, void *ctx) { (void)s, (void)ctx; }
int dce_ns3_sock_bind(struct dce_ns3_sock *s, const struct sockaddr *sa, socklen_t len)
{ (void)s, (void)sa, (void)len; return -EBADF; }
int dce_ns3_sock_connect(struct dce_ns3_sock *s, const struct sockaddr *sa, socklen_t len)
{ (void)s, (void)sa, (void)len; return -EBADF; }
int dce_ns3_sock_listen(struct dce_ns3_sock *s, int backlog) { (void)s, (void)backlog; return -EBADF; }
struct dce_ns3_sock *dce_ns3_sock_accept(struct dce_ns3_sock *s) { (void)s; return 0; }
long dce_ns3_sock_send(struct dce_ns3_sock *s, const void *buf, size_t len, const struct sockaddr *to,
                       socklen_t tolen)
{ (void)s, (void)buf, (void)len, (void)to, (void)tolen; return -EBADF; }
long dce_ns3_sock_send_multicast(struct dce_ns3_sock *s, const void *buf, size_t len,
                                 const struct sockaddr_in *to, int ifindex, uint32_t src, int ttl)
{ (void)s, (void)buf, (void)len, (void)to, (void)ifindex, (void)src, (void)ttl; return -EBADF; }
long dce_ns3_sock_recv(struct dce_ns3_sock *s, void *buf, size_t len, int peek,
                       struct sockaddr_storage *from, socklen_t *fromlen, struct dce_ns3_rxinfo *info)
{ (void)s, (void)buf, (void)len, (void)peek, (void)from, (void)fromlen, (void)info; return -EBADF; }
void dce_ns3_sock_status(struct dce_ns3_sock *s, struct dce_ns3_status *st)
{ (void)s; *st = (struct dce_ns3_status){ .closed = 1, .error = EBADF }; }
int dce_ns3_sock_take_error(struct dce_ns3_sock *s) { (void)s; return EBADF; }
int dce_ns3_sock_name(struct dce_ns3_sock *s, int peer, struct sockaddr_storage *sa, socklen_t *len)
{ (void)s, (void)peer, (void)sa, (void)len; return -EBADF; }
int dce_ns3_sock_shutdown(struct dce_ns3_sock *s, int how) { (void)s, (void)how; return -EBADF; }
void dce_ns3_sock_close(struct dce_ns3_sock *s) { (void)s; }
int dce_ns3_sock_setopt(struct dce_ns3_sock *s, enum dce_ns3_opt opt, uint32_t value)
{ (void)s, (void)opt, (void)value; return -EBADF; }
int dce_ns3_sock_getopt(struct dce_ns3_sock *s, enum dce_ns3_opt opt, uint32_t *value)
{ (void)s, (void)opt, (void)value; return -EBADF; }
int dce_ns3_sock_mcast(struct dce_ns3_sock *s, int join, uint32_t group, uint32_t ifaddr, int ifindex)
{ (void)s, (void)join, (void)group, (void)ifaddr, (void)ifindex; return -EBADF; }
void dce_ns3_sock_mcast_flags(struct dce_ns3_sock *s, int loop, int all) { (void)s, (void)loop, (void)all; }
int dce_ns3_sock_tcpinfo(struct dce_ns3_sock *s, struct dce_ns3_tcpinfo *ti)
{ (void)s, (void)ti; return -EBADF; }
int dce_ns3_ifaces(uint32_t node, struct dce_ns3_iface *out, int max) { (void)node, (void)out, (void)max; return 0; }
int dce_ns3_routes(uint32_t node, int family, struct dce_ns3_route *out, int max)
{ (void)node, (void)family, (void)out, (void)max; return 0; }
/* AF_PACKET goes to the kernel library too; no ns-3 tap is ever created here. */
struct dce_ns3_pkt *dce_ns3_pkt_create(uint32_t node, void *ctx, int cooked)
{ (void)node, (void)ctx, (void)cooked; return 0; }
int dce_ns3_pkt_bind(struct dce_ns3_pkt *p, int ifindex, uint16_t proto)
{ (void)p, (void)ifindex, (void)proto; return -ENODEV; }
long dce_ns3_pkt_recv(struct dce_ns3_pkt *p, void *buf, size_t len, int peek, struct dce_ns3_pktinfo *info)
{ (void)p, (void)buf, (void)len, (void)peek, (void)info; return -EAGAIN; }
size_t dce_ns3_pkt_next(struct dce_ns3_pkt *p, size_t *total) { (void)p; if (total) *total = 0; return 0; }
long dce_ns3_pkt_send(struct dce_ns3_pkt *p, int ifindex, uint16_t proto, const uint8_t *dst, int halen,
                      const void *buf, size_t len)
{ (void)p, (void)ifindex, (void)proto, (void)dst, (void)halen, (void)buf, (void)len; return -ENODEV; }
void dce_ns3_pkt_close(struct dce_ns3_pkt *p) { (void)p; }
int dce_ns3_sock_recverr(struct dce_ns3_sock *s, struct dce_ns3_sockerr *e) { (void)s, (void)e; return -EAGAIN; }
