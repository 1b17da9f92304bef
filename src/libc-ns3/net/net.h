/* net.h - sockets of the emulated kernel: the family-independent socket object
 * (socket.c) and the families (inet.c over ns-3, unix.c in memory, netlink.c).
 * A socket is a dce_file whose ops are dce_sock_file_ops and whose priv is a
 * struct dce_sock; each family implements struct dce_sock_ops on flat buffers,
 * socket.c does msghdr, iovecs, control messages and the common options. */
#ifndef DCE_NET_H
#define DCE_NET_H
#include "../../core/kernel.h"
#include <fcntl.h>
#include <sys/socket.h>
#include <netinet/in.h>

struct dce_sock;

/* What a received message carries besides its bytes (turned into cmsgs). */
struct dce_rxmeta {
	size_t full_len;       /* datagram's real size (MSG_TRUNC) */
	int ttl, tos;          /* -1 unknown */
	int pi_ifindex;        /* IPv4 IP_PKTINFO: receiving interface (0: unknown) and destination */
	uint32_t pi_dst;
	int *fds;              /* AF_UNIX SCM_RIGHTS: files received (installed by socket.c) */
	struct dce_file **files;
	int nfiles;
	int have_cred;
	struct ucred cred;
	/* MSG_ERRQUEUE: an ICMP error (IP_RECVERR/IPV6_RECVERR cmsg: the extended
	 * error followed by the offender's address) */
	int have_ee, ee_v6;
	struct {
		uint32_t ee_errno;
		uint8_t ee_origin, ee_type, ee_code, ee_pad;
		uint32_t ee_info, ee_data;
	} ee;
	struct sockaddr_storage ee_offender;
	socklen_t ee_offlen;
};
/* What a sent message carries besides its bytes. */
struct dce_txmeta {
	struct dce_file **files; /* SCM_RIGHTS */
	int nfiles;
	int have_pktinfo;        /* IP_PKTINFO: outgoing interface and source (network order) */
	int pi_ifindex;
	uint32_t pi_spec_dst;
};

struct dce_sock_ops {
	int (*bind)(struct dce_thread *, struct dce_sock *, const struct sockaddr *, socklen_t);
	int (*connect)(struct dce_thread *, struct dce_sock *, const struct sockaddr *, socklen_t);
	int (*listen)(struct dce_thread *, struct dce_sock *, int backlog);
	/* blocks unless nonblock; *out is a new socket (socket.c makes its file) */
	int (*accept)(struct dce_thread *, struct dce_sock *, struct dce_sock **out, int nonblock);
	long (*send)(struct dce_thread *, struct dce_sock *, const void *, size_t, int flags,
	             const struct sockaddr *to, socklen_t tolen, struct dce_txmeta *);
	long (*recv)(struct dce_thread *, struct dce_sock *, void *, size_t, int flags,
	             struct sockaddr_storage *from, socklen_t *fromlen, struct dce_rxmeta *);
	int (*shutdown)(struct dce_thread *, struct dce_sock *, int how);
	int (*getname)(struct dce_sock *, int peer, struct sockaddr_storage *, socklen_t *);
	/* options of the family's levels and the SOL_SOCKET ones socket.c leaves to it
	 * (SO_ERROR, SO_SNDBUF, SO_RCVBUF, SO_BROADCAST, SO_KEEPALIVE) */
	int (*setsockopt)(struct dce_sock *, int level, int opt, const void *val, socklen_t len);
	int (*getsockopt)(struct dce_sock *, int level, int opt, void *val, socklen_t *len);
	long (*ioctl)(struct dce_thread *, struct dce_sock *, unsigned long req, uint64_t arg);
	int (*poll)(struct dce_sock *);
	/* MSG_ERRQUEUE (NULL: nothing is ever queued, -EAGAIN) */
	long (*recverr)(struct dce_thread *, struct dce_sock *, void *, size_t, struct sockaddr_storage *from,
	                socklen_t *fromlen, struct dce_rxmeta *);
	void (*release)(struct dce_sock *);
	/* the file op read_ahead (kernel.h; NULL: none) */
	void (*read_ahead)(struct dce_thread *, struct dce_sock *);
};

struct dce_sock {
	const struct dce_sock_ops *ops;
	struct dce_file *file;
	struct dce_node *node;
	int family, type, protocol;
	int64_t rcvtimeo, sndtimeo;     /* ns; -1: none */
	int reuseaddr, reuseport, linger_on, linger_s, timestamp, timestampns;
	int recvttl, recvtos, pktinfo, recvhoplimit, passcred;
	struct dce_pring *pring;        /* AF_PACKET: a PACKET_MMAP ring (pring.c) */
	void *priv;
};

extern const struct dce_file_ops dce_sock_file_ops;

/* socket.c */
struct dce_sock *dce_sock_of(struct dce_process *p, int fd, long *err);
struct dce_sock *dce_sock_alloc(struct dce_node *n, const struct dce_sock_ops *ops, int family,
                                int type, int protocol);
/* Give a socket its file (O_RDWR, nonblock per flags) and an fd. */
long dce_sock_install(struct dce_thread *t, struct dce_sock *sk, int flags);
static inline int dce_sock_nonblock(struct dce_sock *sk, int flags)
{
	return (sk->file->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}
/* Wait on the socket's read (write = 0) or write queue until woken, the deadline
 * (absolute ns, 0 = none) passes (-EAGAIN) or a signal (-EINTR). */
int dce_sock_wait(struct dce_thread *t, struct dce_sock *sk, int write, uint64_t deadline);
/* The same for any file (the Linux stack's sockets, ksock.c). */
int dce_file_wait(struct dce_thread *t, struct dce_file *f, int write, uint64_t deadline);
uint64_t dce_sock_deadline(int64_t timeo);

/* families */
long dce_inet_create(struct dce_thread *t, int family, int type, int protocol, struct dce_sock **out);
long dce_unix_create(struct dce_thread *t, int type, int protocol, struct dce_sock **out);
long dce_unix_pair(struct dce_thread *t, int type, int protocol, struct dce_sock **a, struct dce_sock **b);
long dce_netlink_create(struct dce_thread *t, int type, int protocol, struct dce_sock **out);
long dce_packet_create(struct dce_thread *t, int type, int protocol, struct dce_sock **out);
/* interface ioctls (SIOCGIF*), any socket family */
long dce_net_ifioctl(struct dce_thread *t, unsigned long req, uint64_t arg);

#endif
