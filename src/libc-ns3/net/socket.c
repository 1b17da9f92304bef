/* socket.c - the socket system calls: a socket is a file whose priv is a
 * struct dce_sock; each call checks its arguments as Linux does, handles the
 * family-independent parts (msghdr, iovecs, control messages, SOL_SOCKET options,
 * timeouts, SIGPIPE) and dispatches to the family (inet.c, unix.c, netlink.c). */
#include "net.h"
#include "pring.h"
#include "../../core/sim.h"
#include "../syscalls.h"
#include "../uaccess.h"
#include "socket-syscalls.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <time.h>

/* ---- the socket as a file ---- */

static ssize_t sock_read(struct dce_thread *t, struct dce_file *f, void *buf, size_t len)
{
	struct dce_sock *sk = f->priv;
	struct dce_rxmeta meta = { 0 };
	meta.ttl = meta.tos = -1;
	long r = sk->ops->recv(t, sk, buf, len, 0, NULL, NULL, &meta);
	for (int i = 0; i < meta.nfiles; i++) /* read(): passed descriptors are dropped */
		dce_file_put(meta.files[i]);
	free(meta.files);
	return r;
}

static ssize_t sock_write(struct dce_thread *t, struct dce_file *f, const void *buf, size_t len)
{
	struct dce_sock *sk = f->priv;
	return sk->ops->send(t, sk, buf, len, 0, NULL, 0, NULL);
}

static int sock_poll(struct dce_file *f)
{
	struct dce_sock *sk = f->priv;
	int m = sk->ops->poll(sk);
	return sk->pring ? dce_pring_poll(sk->pring, m) : m;
}

static void sock_release(struct dce_file *f)
{
	struct dce_sock *sk = f->priv;
	dce_pring_free(sk->pring);
	sk->ops->release(sk);
	free(sk);
}

static void sock_read_ahead(struct dce_thread *t, struct dce_file *f)
{
	struct dce_sock *sk = f->priv;
	if (sk->ops->read_ahead)
		sk->ops->read_ahead(t, sk);
}

const struct dce_file_ops dce_sock_file_ops = {
	.name = "socket", .read = sock_read, .write = sock_write, .poll = sock_poll,
	.release = sock_release, .read_ahead = sock_read_ahead,
};

struct dce_sock *dce_sock_of(struct dce_process *p, int fd, long *err)
{
	struct dce_file *f = dce_fd_lookup(p, fd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops != &dce_sock_file_ops) {
		*err = -ENOTSOCK;
		return NULL;
	}
	return f->priv;
}

struct dce_sock *dce_sock_alloc(struct dce_node *n, const struct dce_sock_ops *ops, int family,
                                int type, int protocol)
{
	struct dce_sock *sk = calloc(1, sizeof *sk);
	sk->ops = ops;
	sk->node = n;
	sk->family = family;
	sk->type = type;
	sk->protocol = protocol;
	sk->rcvtimeo = sk->sndtimeo = -1;
	return sk;
}

long dce_sock_install(struct dce_thread *t, struct dce_sock *sk, int flags)
{
	if (!sk->file) {
		sk->file = dce_file_new(&dce_sock_file_ops, -1, O_RDWR);
		sk->file->priv = sk;
	}
	if (flags & SOCK_NONBLOCK)
		sk->file->flags |= O_NONBLOCK;
	return dce_fd_install(t->proc, sk->file, 0, (flags & SOCK_CLOEXEC) != 0);
}

uint64_t dce_sock_deadline(int64_t timeo)
{
	return timeo > 0 ? dce_sim_now() + (uint64_t)timeo : 0;
}

int dce_file_wait(struct dce_thread *t, struct dce_file *f, int write, uint64_t deadline)
{
	int64_t left = -1;
	if (deadline) {
		uint64_t now = dce_sim_now();
		if (now >= deadline)
			return -EAGAIN;
		left = (int64_t)(deadline - now);
	}
	int r = dce_wait_on(t, write ? &f->writeq : &f->readq, left);
	return r == -ETIMEDOUT ? -EAGAIN : r;
}

int dce_sock_wait(struct dce_thread *t, struct dce_sock *sk, int write, uint64_t deadline)
{
	return dce_file_wait(t, sk->file, write, deadline);
}

/* ---- socket, socketpair ---- */

static long check_type(long type, int *base, int *flags)
{
	*base = (int)(type & 0xf);
	*flags = (int)(type & ~0xf);
	if (*flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	return 0;
}

long sys_socket(struct dce_thread *t, long family, long type, long protocol)
{
	int base, flags;
	if (check_type(type, &base, &flags))
		return -EINVAL;
	struct dce_sock *sk = NULL;
	long r;
	switch (family) {
	case AF_INET:
	case AF_INET6:
		r = dce_inet_create(t, (int)family, base, (int)protocol, &sk);
		break;
	case AF_UNIX:
		r = dce_unix_create(t, base, (int)protocol, &sk);
		break;
	case AF_NETLINK:
		r = dce_netlink_create(t, base, (int)protocol, &sk);
		break;
	case AF_PACKET:
		r = dce_packet_create(t, base, (int)protocol, &sk);
		break;
	default:
		dce_report_unsupported(t->proc, "socket family %ld (returned EAFNOSUPPORT)", family);
		return -EAFNOSUPPORT;
	}
	if (r == -EPROTONOSUPPORT || r == -ESOCKTNOSUPPORT || (family == AF_PACKET && r == -EINVAL))
		dce_report_unsupported(t->proc, "socket family %ld type %d protocol %ld (returned %s)", family, base,
		                       protocol, r == -EINVAL ? "EINVAL" : r == -ESOCKTNOSUPPORT ? "ESOCKTNOSUPPORT" : "EPROTONOSUPPORT");
	if (r < 0)
		return r;
	return dce_sock_install(t, sk, flags);
}

/* A socket that never got a file (its pair could not be installed). */
static void sock_release_unused(struct dce_sock *sk)
{
	if (sk->file) {
		dce_file_put(sk->file);
		return;
	}
	sk->ops->release(sk);
	free(sk);
}

long sys_socketpair(struct dce_thread *t, long family, long type, long protocol, uint64_t svp)
{
	int base, flags;
	if (check_type(type, &base, &flags))
		return -EINVAL;
	if (family != AF_UNIX)
		return family == AF_INET || family == AF_INET6 ? -EOPNOTSUPP : -EAFNOSUPPORT;
	struct dce_sock *a, *b;
	long r = dce_unix_pair(t, base, (int)protocol, &a, &b);
	if (r < 0)
		return r;
	long fa = dce_sock_install(t, a, flags);
	if (fa < 0) {
		sock_release_unused(b);
		return fa;
	}
	long fb = dce_sock_install(t, b, flags);
	if (fb < 0) {
		dce_fd_close(t->proc, (int)fa);
		return fb;
	}
	int sv[2] = { (int)fa, (int)fb };
	if (dce_copy_to_user(svp, sv, sizeof sv)) {
		dce_fd_close(t->proc, (int)fa);
		dce_fd_close(t->proc, (int)fb);
		return -EFAULT;
	}
	return 0;
}

/* ---- addresses ---- */

static long addr_from_user(struct sockaddr_storage *ss, uint64_t p, long len)
{
	if (len < 0 || len > (long)sizeof *ss)
		return -EINVAL;
	memset(ss, 0, sizeof *ss);
	if (len && dce_copy_from_user(ss, p, (size_t)len))
		return -EFAULT;
	return 0;
}

/* Copy an address out, truncated to the program's buffer; *lenp gets the real size. */
static long addr_to_user(const struct sockaddr_storage *ss, socklen_t len, uint64_t p, uint64_t lenp)
{
	if (!lenp)
		return 0;
	int ulen;
	if (dce_copy_from_user(&ulen, lenp, sizeof ulen))
		return -EFAULT;
	if (ulen < 0)
		return -EINVAL;
	size_t n = (size_t)ulen < len ? (size_t)ulen : len;
	if (n && dce_copy_to_user(p, ss, n))
		return -EFAULT;
	int l = (int)len;
	return dce_copy_to_user(lenp, &l, sizeof l) ? -EFAULT : 0;
}

/* bind and connect: the socket of fd, the address copied in, then the family's op. */
static long addr_op(struct dce_thread *t, long fd, uint64_t addr, long len, int connect)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	struct sockaddr_storage ss;
	if ((err = addr_from_user(&ss, addr, len)))
		return err;
	return (connect ? sk->ops->connect : sk->ops->bind)(t, sk, (struct sockaddr *)&ss, (socklen_t)len);
}

long sys_bind(struct dce_thread *t, long fd, uint64_t addr, long len)
{
	return addr_op(t, fd, addr, len, 0);
}

long sys_connect(struct dce_thread *t, long fd, uint64_t addr, long len)
{
	return addr_op(t, fd, addr, len, 1);
}

long sys_listen(struct dce_thread *t, long fd, long backlog)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	if (!sk->ops->listen)
		return -EOPNOTSUPP;
	if ((int)backlog > 4096 || (int)backlog < 0)
		backlog = 4096;
	return sk->ops->listen(t, sk, (int)backlog);
}

long sys_accept4(struct dce_thread *t, long fd, uint64_t addr, uint64_t lenp, long flags)
{
	long err = 0;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	if (!sk->ops->accept)
		return -EOPNOTSUPP;
	int ulen = 0;
	if (lenp && (dce_copy_from_user(&ulen, lenp, sizeof ulen)))
		return -EFAULT;
	if (lenp && ulen < 0)
		return -EINVAL;
	struct dce_sock *nsk;
	long r = sk->ops->accept(t, sk, &nsk, (sk->file->flags & O_NONBLOCK) != 0);
	if (r < 0)
		return r;
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	memset(&ss, 0, sizeof ss);
	nsk->ops->getname(nsk, 1, &ss, &sl);
	long nfd = dce_sock_install(t, nsk, (int)flags);
	if (nfd < 0)
		return nfd;
	if (addr && (r = addr_to_user(&ss, sl, addr, lenp)) < 0) {
		dce_fd_close(t->proc, (int)nfd);
		return r;
	}
	return nfd;
}

static long getname(struct dce_thread *t, long fd, uint64_t addr, uint64_t lenp, int peer)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	int ulen;
	if (!lenp || dce_copy_from_user(&ulen, lenp, sizeof ulen))
		return -EFAULT;
	if (ulen < 0)
		return -EINVAL;
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	memset(&ss, 0, sizeof ss);
	long r = sk->ops->getname(sk, peer, &ss, &sl);
	if (r < 0)
		return r;
	return addr_to_user(&ss, sl, addr, lenp);
}

long sys_getsockname(struct dce_thread *t, long fd, uint64_t addr, uint64_t lenp)
{
	return getname(t, fd, addr, lenp, 0);
}

long sys_getpeername(struct dce_thread *t, long fd, uint64_t addr, uint64_t lenp)
{
	return getname(t, fd, addr, lenp, 1);
}

long sys_shutdown(struct dce_thread *t, long fd, long how)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	return sk->ops->shutdown(t, sk, (int)how);
}

/* ---- sending and receiving ---- */

#define MSG_KNOWN (MSG_OOB | MSG_PEEK | MSG_DONTROUTE | MSG_CTRUNC | MSG_TRUNC | MSG_DONTWAIT | \
                   MSG_EOR | MSG_WAITALL | MSG_CONFIRM | MSG_NOSIGNAL | MSG_MORE | MSG_ERRQUEUE | \
                   MSG_CMSG_CLOEXEC | MSG_FASTOPEN | MSG_ZEROCOPY | MSG_BATCH | MSG_WAITFORONE)

/* A broken pipe raises SIGPIPE unless MSG_NOSIGNAL. */
static long sent(struct dce_thread *t, long r, int flags)
{
	if (r == -EPIPE && !(flags & MSG_NOSIGNAL))
		dce_signal_send_thread(t, SIGPIPE);
	return r;
}

static long do_send(struct dce_thread *t, struct dce_sock *sk, const void *buf, size_t len, int flags,
                    uint64_t addr, long alen, struct dce_txmeta *meta)
{
	struct sockaddr_storage ss;
	const struct sockaddr *to = NULL;
	if (addr) {
		long r = addr_from_user(&ss, addr, alen);
		if (r)
			return r;
		to = (struct sockaddr *)&ss;
	}
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (len > INT_MAX)
		len = INT_MAX;
	return sent(t, sk->ops->send(t, sk, buf, len, flags, to, (socklen_t)alen, meta), flags);
}

long sys_sendto(struct dce_thread *t, long fd, uint64_t buf, uint64_t len, long flags, uint64_t addr, long alen)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	if (len && !buf)
		return -EFAULT;
	return do_send(t, sk, DCE_USER(buf), len, (int)flags, addr, alen, NULL);
}

long sys_recvfrom(struct dce_thread *t, long fd, uint64_t buf, uint64_t len, long flags, uint64_t addr, uint64_t lenp)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;
	if (flags & MSG_OOB)
		return -EINVAL;
	if (len && !buf)
		return -EFAULT;
	if (len > INT_MAX)
		len = INT_MAX;
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	memset(&ss, 0, sizeof ss);
	struct dce_rxmeta meta = { 0 };
	meta.ttl = meta.tos = -1;
	long r = sk->ops->recv(t, sk, DCE_USER(buf), len, (int)flags, &ss, &sl, &meta);
	free(meta.files);
	if (r < 0)
		return r;
	if (addr && sl) {
		long e = addr_to_user(&ss, sl, addr, lenp);
		if (e)
			return e;
	}
	if ((flags & MSG_TRUNC) && sk->type != SOCK_STREAM && meta.full_len > (size_t)r)
		return (long)meta.full_len;
	return r;
}

/* Gather a msghdr's iovecs into one buffer (NULL and *len = 0 when empty). */
static long iov_gather(const struct msghdr *m, void **out, size_t *len)
{
	if (m->msg_iovlen > IOV_MAX)
		return -EMSGSIZE;
	struct iovec iov[IOV_MAX];
	size_t n = m->msg_iovlen, total = 0;
	if (n && dce_copy_from_user(iov, (uint64_t)m->msg_iov, n * sizeof *iov))
		return -EFAULT;
	for (size_t i = 0; i < n; i++) {
		if (iov[i].iov_len > INT_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	char *buf = malloc(total + 1);
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		if (iov[i].iov_len && dce_copy_from_user(buf + off, (uint64_t)iov[i].iov_base, iov[i].iov_len)) {
			free(buf);
			return -EFAULT;
		}
		off += iov[i].iov_len;
	}
	*out = buf;
	*len = total;
	return 0;
}

static long iov_scatter(const struct msghdr *m, const void *buf, size_t len)
{
	struct iovec iov[IOV_MAX];
	size_t n = m->msg_iovlen, off = 0;
	if (n > IOV_MAX || (n && dce_copy_from_user(iov, (uint64_t)m->msg_iov, n * sizeof *iov)))
		return -EFAULT;
	for (size_t i = 0; i < n && off < len; i++) {
		size_t c = iov[i].iov_len < len - off ? iov[i].iov_len : len - off;
		if (c && dce_copy_to_user((uint64_t)iov[i].iov_base, (const char *)buf + off, c))
			return -EFAULT;
		off += c;
	}
	return 0;
}

static size_t iov_total(const struct msghdr *m, long *err)
{
	struct iovec iov[IOV_MAX];
	size_t n = m->msg_iovlen, total = 0;
	*err = 0;
	if (n > IOV_MAX) {
		*err = -EMSGSIZE;
		return 0;
	}
	if (n && dce_copy_from_user(iov, (uint64_t)m->msg_iov, n * sizeof *iov)) {
		*err = -EFAULT;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		total += iov[i].iov_len;
	return total > INT_MAX ? INT_MAX : total;
}

/* Control messages of a message being sent: SCM_RIGHTS (references to the
 * files) and IP_PKTINFO (the interface and source of a multicast send). */
static long cmsg_parse(struct dce_thread *t, struct dce_sock *sk, const struct msghdr *m, struct dce_txmeta *meta)
{
	if (!m->msg_control || !m->msg_controllen)
		return 0;
	if (m->msg_controllen > 65536)
		return -ENOBUFS;
	char *c = malloc(m->msg_controllen);
	if (dce_copy_from_user(c, (uint64_t)m->msg_control, m->msg_controllen)) {
		free(c);
		return -EFAULT;
	}
	struct msghdr k = *m;
	k.msg_control = c;
	long r = 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&k); cm; cm = CMSG_NXTHDR(&k, cm)) {
		if (cm->cmsg_len < sizeof *cm || cm->cmsg_len > m->msg_controllen) {
			r = -EINVAL;
			break;
		}
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO && sk->family == AF_INET) {
			struct in_pktinfo pi;
			if (cm->cmsg_len < CMSG_LEN(sizeof pi)) {
				r = -EINVAL;
				break;
			}
			memcpy(&pi, CMSG_DATA(cm), sizeof pi);
			meta->have_pktinfo = 1;
			meta->pi_ifindex = pi.ipi_ifindex;
			meta->pi_spec_dst = pi.ipi_spec_dst.s_addr;
		}
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			if (sk->family != AF_UNIX) {
				r = -EINVAL;
				break;
			}
			int n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			int *fds = (int *)CMSG_DATA(cm);
			if (n > 253) {
				r = -EINVAL;
				break;
			}
			meta->files = realloc(meta->files, sizeof *meta->files * (size_t)(meta->nfiles + n));
			for (int i = 0; i < n; i++) {
				struct dce_file *f = dce_fd_lookup(t->proc, fds[i]);
				if (!f) {
					r = -EBADF;
					break;
				}
				meta->files[meta->nfiles++] = dce_file_get(f);
			}
		}
	}
	free(c);
	return r;
}

static void txmeta_free(struct dce_txmeta *meta)
{
	for (int i = 0; i < meta->nfiles; i++)
		dce_file_put(meta->files[i]);
	free(meta->files);
}

static long do_sendmsg(struct dce_thread *t, long fd, struct msghdr *m, int flags)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	void *buf = NULL;
	size_t len = 0;
	if ((err = iov_gather(m, &buf, &len)))
		return err;
	struct dce_txmeta meta = { 0 };
	if ((err = cmsg_parse(t, sk, m, &meta))) {
		txmeta_free(&meta);
		free(buf);
		return err;
	}
	dce_uaccess_allow(t, buf, len); /* the gathered iovecs, passed on as a user buffer */
	long r = do_send(t, sk, buf, len, flags, (uint64_t)m->msg_name, m->msg_name ? (long)m->msg_namelen : 0, &meta);
	dce_uaccess_allow(t, NULL, 0);
	txmeta_free(&meta);
	free(buf);
	return r;
}

long sys_sendmsg(struct dce_thread *t, long fd, uint64_t msgp, long flags)
{
	struct msghdr m;
	if (dce_copy_from_user(&m, msgp, sizeof m))
		return -EFAULT;
	return do_sendmsg(t, fd, &m, (int)flags);
}

/* Append one control message to the program's buffer; MSG_CTRUNC when it is full. */
struct cmsg_out {
	char *buf;
	size_t cap, used;
	int truncated;
};

static void cmsg_put(struct cmsg_out *o, int level, int type, const void *data, size_t len)
{
	size_t space = CMSG_SPACE(len);
	if (o->used + CMSG_LEN(len) > o->cap) {
		o->truncated = 1;
		return;
	}
	struct cmsghdr *cm = (struct cmsghdr *)(o->buf + o->used);
	cm->cmsg_len = CMSG_LEN(len);
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	memcpy(CMSG_DATA(cm), data, len);
	o->used += space > o->cap - o->used ? o->cap - o->used : space;
}

static void cmsg_build(struct dce_thread *t, struct dce_sock *sk, struct dce_rxmeta *meta, struct cmsg_out *o, int flags)
{
	if (sk->timestamp || sk->timestampns) {
		uint64_t ns = dce_time_realtime_ns();
		if (sk->timestampns) {
			struct timespec ts = { (time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL) };
			cmsg_put(o, SOL_SOCKET, SO_TIMESTAMPNS, &ts, sizeof ts);
		} else {
			struct timeval tv = { (time_t)(ns / 1000000000ULL), (suseconds_t)(ns % 1000000000ULL / 1000) };
			cmsg_put(o, SOL_SOCKET, SO_TIMESTAMP, &tv, sizeof tv);
		}
	}
	if (sk->family == AF_INET) {
		if (sk->recvttl && meta->ttl >= 0) {
			int v = meta->ttl;
			cmsg_put(o, IPPROTO_IP, IP_TTL, &v, sizeof v);
		}
		if (sk->pktinfo && meta->pi_ifindex) {
			struct in_pktinfo pi = { .ipi_ifindex = meta->pi_ifindex };
			pi.ipi_spec_dst.s_addr = meta->pi_dst;
			pi.ipi_addr.s_addr = meta->pi_dst;
			cmsg_put(o, IPPROTO_IP, IP_PKTINFO, &pi, sizeof pi);
		}
		if (sk->recvtos && meta->tos >= 0) {
			unsigned char v = (unsigned char)meta->tos;
			cmsg_put(o, IPPROTO_IP, IP_TOS, &v, sizeof v);
		}
	}
	if (sk->family == AF_INET6 && sk->recvhoplimit && meta->ttl >= 0) {
		int v = meta->ttl;
		cmsg_put(o, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof v);
	}
	if (meta->have_cred)
		cmsg_put(o, SOL_SOCKET, SCM_CREDENTIALS, &meta->cred, sizeof meta->cred);
	if (meta->have_ee) {
		/* struct sock_extended_err, then SO_EE_OFFENDER's address right after it */
		char eb[sizeof meta->ee + sizeof(struct sockaddr_in6)];
		memset(eb, 0, sizeof eb);
		memcpy(eb, &meta->ee, sizeof meta->ee);
		size_t ol = meta->ee_offlen < sizeof(struct sockaddr_in6) ? meta->ee_offlen : sizeof(struct sockaddr_in6);
		memcpy(eb + sizeof meta->ee, &meta->ee_offender, ol);
		if (meta->ee_v6 || sk->family == AF_INET6)
			cmsg_put(o, IPPROTO_IPV6, IPV6_RECVERR, eb, sizeof meta->ee + sizeof(struct sockaddr_in6));
		else
			cmsg_put(o, IPPROTO_IP, IP_RECVERR, eb, sizeof meta->ee + sizeof(struct sockaddr_in));
	}
	if (meta->nfiles) {
		int fds[256];
		int n = 0;
		size_t room = o->cap > o->used + CMSG_LEN(0) ? (o->cap - o->used - CMSG_LEN(0)) / sizeof(int) : 0;
		for (int i = 0; i < meta->nfiles; i++) {
			if ((size_t)n < room) {
				int fd = dce_fd_install(t->proc, meta->files[i], 0, (flags & MSG_CMSG_CLOEXEC) != 0);
				if (fd >= 0)
					fds[n++] = fd;
			} else {
				dce_file_put(meta->files[i]);
				o->truncated = 1;
			}
		}
		meta->nfiles = 0;
		if (n)
			cmsg_put(o, SOL_SOCKET, SCM_RIGHTS, fds, sizeof(int) * (size_t)n);
	}
}

static long do_recvmsg(struct dce_thread *t, long fd, struct msghdr *m, int flags)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	if ((flags & MSG_ERRQUEUE) && !sk->ops->recverr)
		return -EAGAIN; /* this family never queues errors */
	if (flags & MSG_OOB)
		return -EINVAL;
	size_t len = iov_total(m, &err);
	if (err)
		return err;
	char *buf = malloc(len + 1);
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	memset(&ss, 0, sizeof ss);
	struct dce_rxmeta meta = { 0 };
	meta.ttl = meta.tos = -1;
	dce_uaccess_allow(t, buf, len); /* filled for the iovecs, as a user buffer */
	long r = (flags & MSG_ERRQUEUE) ? sk->ops->recverr(t, sk, buf, len, &ss, &sl, &meta)
	                                : sk->ops->recv(t, sk, buf, len, flags, &ss, &sl, &meta);
	dce_uaccess_allow(t, NULL, 0);
	if (r < 0) {
		free(buf);
		free(meta.files);
		return r;
	}
	if ((err = iov_scatter(m, buf, (size_t)r))) {
		free(buf);
		return err;
	}
	free(buf);
	m->msg_flags = 0;
	if (m->msg_name) {
		socklen_t n = sl < m->msg_namelen ? sl : m->msg_namelen;
		if (n && dce_copy_to_user((uint64_t)m->msg_name, &ss, n))
			return -EFAULT;
		m->msg_namelen = sl;
	}
	if (sk->type != SOCK_STREAM && meta.full_len > (size_t)r)
		m->msg_flags |= MSG_TRUNC;
	if (flags & MSG_ERRQUEUE)
		m->msg_flags |= MSG_ERRQUEUE;
	struct cmsg_out o = { 0 };
	if (m->msg_control && m->msg_controllen) {
		o.cap = m->msg_controllen > 65536 ? 65536 : m->msg_controllen;
		o.buf = calloc(1, o.cap);
	}
	cmsg_build(t, sk, &meta, &o, flags);
	free(meta.files);
	if (o.buf) {
		if (o.used && dce_copy_to_user((uint64_t)m->msg_control, o.buf, o.used)) {
			free(o.buf);
			return -EFAULT;
		}
		free(o.buf);
	}
	m->msg_controllen = o.used;
	if (o.truncated)
		m->msg_flags |= MSG_CTRUNC;
	if ((flags & MSG_TRUNC) && sk->type != SOCK_STREAM && meta.full_len > (size_t)r)
		return (long)meta.full_len;
	return r;
}

long sys_recvmsg(struct dce_thread *t, long fd, uint64_t msgp, long flags)
{
	struct msghdr m;
	if (dce_copy_from_user(&m, msgp, sizeof m))
		return -EFAULT;
	long r = do_recvmsg(t, fd, &m, (int)flags);
	if (r >= 0 && dce_copy_to_user(msgp, &m, sizeof m))
		return -EFAULT;
	return r;
}

long sys_sendmmsg(struct dce_thread *t, long fd, uint64_t vecp, long vlen, long flags)
{
	if (vlen > 1024)
		vlen = 1024;
	long i;
	for (i = 0; i < vlen; i++) {
		struct mmsghdr mm;
		uint64_t p = vecp + (uint64_t)i * sizeof mm;
		if (dce_copy_from_user(&mm, p, sizeof mm))
			return i ? i : -EFAULT;
		long r = do_sendmsg(t, fd, &mm.msg_hdr, (int)flags);
		if (r < 0)
			return i ? i : r;
		mm.msg_len = (unsigned)r;
		if (dce_copy_to_user(p + offsetof(struct mmsghdr, msg_len), &mm.msg_len, sizeof mm.msg_len))
			return i ? i : -EFAULT;
	}
	return i;
}

long sys_recvmmsg(struct dce_thread *t, long fd, uint64_t vecp, long vlen, long flags, uint64_t tsp)
{
	struct timespec ts;
	uint64_t deadline = 0;
	if (tsp) {
		if (dce_copy_from_user(&ts, tsp, sizeof ts))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		deadline = dce_sim_now() + (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	}
	if (vlen > 1024)
		vlen = 1024;
	long i;
	for (i = 0; i < vlen; i++) {
		struct mmsghdr mm;
		uint64_t p = vecp + (uint64_t)i * sizeof mm;
		if (dce_copy_from_user(&mm, p, sizeof mm))
			return i ? i : -EFAULT;
		int f = (int)flags & ~MSG_WAITFORONE;
		if (i && (flags & MSG_WAITFORONE))
			f |= MSG_DONTWAIT;
		long r = do_recvmsg(t, fd, &mm.msg_hdr, f);
		if (r < 0)
			return i ? i : r;
		mm.msg_len = (unsigned)r;
		if (dce_copy_to_user(p, &mm, sizeof mm))
			return i ? i : -EFAULT;
		if (deadline && dce_sim_now() >= deadline)
			return i + 1;
	}
	return i;
}

/* ---- options ---- */

static long opt_int(const void *val, socklen_t len, int *out)
{
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(out, val, sizeof(int));
	return 0;
}

static long timeo_set(int64_t *timeo, const void *val, socklen_t len)
{
	struct timeval tv;
	if (len < sizeof tv)
		return -EINVAL;
	memcpy(&tv, val, sizeof tv);
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*timeo = 0; /* Linux: a negative timeout returns at once... as 0: wait forever */
		return 0;
	}
	int64_t ns = (int64_t)tv.tv_sec * 1000000000LL + (int64_t)tv.tv_usec * 1000LL;
	*timeo = ns ? ns : -1;
	return 0;
}

/* a PACKET_MMAP ring's feed (pring.c): the socket's next queued frame, without blocking */
static long ring_recv(void *ctx, void *buf, size_t len, struct sockaddr_ll *ll)
{
	struct dce_sock *sk = ctx;
	struct dce_rxmeta meta;
	memset(&meta, 0, sizeof meta);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	long r = sk->ops->recv(NULL, sk, buf, len, MSG_DONTWAIT, &ss, &sl, &meta);
	if (r < 0)
		return r;
	memcpy(ll, &ss, sizeof *ll);
	return (long)(meta.full_len > (size_t)r ? meta.full_len : (size_t)r);
}

long sys_setsockopt(struct dce_thread *t, long fd, long level, long opt, uint64_t valp, long len)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	if (len < 0)
		return -EINVAL;
	char val[256];
	if (len > (long)sizeof val)
		len = sizeof val;
	if (len && dce_copy_from_user(val, valp, (size_t)len))
		return -EFAULT;
	socklen_t l = (socklen_t)len;
	int v = 0;
	if (level == SOL_PACKET && sk->family == AF_PACKET && dce_pring_owns((int)opt)) {
		long r = dce_pring_setsockopt(&sk->pring, sk->file, sk->node, sk->type, ring_recv, sk, (int)opt,
		                              val, l);
		if (r == -EOPNOTSUPP)
			dce_report_unsupported(t->proc, "setsockopt SOL_PACKET option %ld (returned EOPNOTSUPP)", opt);
		return r;
	}
	if (level == SOL_SOCKET) {
		switch (opt) {
		case SO_RCVTIMEO_OLD:
			return timeo_set(&sk->rcvtimeo, val, l);
		case SO_SNDTIMEO_OLD:
			return timeo_set(&sk->sndtimeo, val, l);
		case SO_REUSEADDR:
		case SO_REUSEPORT:
		case SO_TIMESTAMP_OLD:
		case SO_TIMESTAMPNS_OLD:
		case SO_PASSCRED:
		case SO_DEBUG:
		case SO_DONTROUTE:
		case SO_OOBINLINE:
		case SO_PRIORITY:
		case SO_RCVLOWAT:
		case SO_SNDLOWAT:
		case SO_MARK:
		case SO_ZEROCOPY:
		case SO_BUSY_POLL:
		case SO_SNDBUFFORCE:
		case SO_RCVBUFFORCE:
			if ((err = opt_int(val, l, &v)))
				return err;
			if (opt == SO_REUSEADDR)
				sk->reuseaddr = v != 0;
			else if (opt == SO_REUSEPORT)
				sk->reuseport = v != 0;
			else if (opt == SO_TIMESTAMP_OLD)
				sk->timestamp = v != 0;
			else if (opt == SO_TIMESTAMPNS_OLD)
				sk->timestampns = v != 0;
			else if (opt == SO_PASSCRED)
				sk->passcred = v != 0;
			return 0;
		case SO_LINGER: {
			struct linger lg;
			if (l < sizeof lg)
				return -EINVAL;
			memcpy(&lg, val, sizeof lg);
			sk->linger_on = lg.l_onoff != 0;
			sk->linger_s = lg.l_linger;
			return 0;
		}
		case SO_ATTACH_FILTER:
		case SO_DETACH_FILTER:
			if (sk->family == AF_PACKET)
				break; /* packet.c runs them */
			return 0;
		case SO_BINDTODEVICE:
			return 0;
		case SO_TYPE:
		case SO_PROTOCOL:
		case SO_DOMAIN:
		case SO_ERROR:
		case SO_ACCEPTCONN:
		case SO_PEERCRED:
			return -ENOPROTOOPT;
		}
	}
	long r = sk->ops->setsockopt ? sk->ops->setsockopt(sk, (int)level, (int)opt, val, l) : -ENOPROTOOPT;
	if (r == -ENOPROTOOPT)
		dce_report_unsupported(t->proc, "setsockopt family %d level %ld option %ld (returned ENOPROTOOPT)",
		                       sk->family, level, opt);
	return r;
}

long sys_getsockopt(struct dce_thread *t, long fd, long level, long opt, uint64_t valp, uint64_t lenp)
{
	long err = 0;
	struct dce_sock *sk = dce_sock_of(t->proc, (int)fd, &err);
	if (!sk)
		return err;
	int ulen;
	if (!lenp || dce_copy_from_user(&ulen, lenp, sizeof ulen))
		return -EFAULT;
	if (ulen < 0)
		return -EINVAL;
	char val[512];
	memset(val, 0, sizeof val);
	socklen_t l = sizeof(int);
	int *iv = (int *)val;
	long r = 1; /* 1: not handled here */
	if (level == SOL_PACKET && sk->family == AF_PACKET &&
	    (dce_pring_owns((int)opt) || opt == PACKET_STATISTICS)) {
		l = (socklen_t)(ulen < (int)sizeof val ? ulen : (int)sizeof val);
		if (l && dce_copy_from_user(val, valp, l))
			return -EFAULT;
		r = dce_pring_getsockopt(sk->pring, (int)opt, val, &l);
		if (r < 0)
			return r;
	}
	if (level == SOL_SOCKET) {
		r = 0;
		switch (opt) {
		case SO_TYPE: *iv = sk->type; break;
		case SO_DOMAIN: *iv = sk->family; break;
		case SO_PROTOCOL: *iv = sk->protocol; break;
		case SO_REUSEADDR: *iv = sk->reuseaddr; break;
		case SO_REUSEPORT: *iv = sk->reuseport; break;
		case SO_TIMESTAMP_OLD: *iv = sk->timestamp; break;
		case SO_TIMESTAMPNS_OLD: *iv = sk->timestampns; break;
		case SO_PASSCRED: *iv = sk->passcred; break;
		case SO_RCVLOWAT: case SO_SNDLOWAT: *iv = 1; break;
		case SO_PRIORITY: case SO_DEBUG: case SO_DONTROUTE: case SO_OOBINLINE: case SO_MARK:
			*iv = 0;
			break;
		case SO_LINGER: {
			struct linger lg = { sk->linger_on, sk->linger_s };
			memcpy(val, &lg, sizeof lg);
			l = sizeof lg;
			break;
		}
		case SO_RCVTIMEO_OLD:
		case SO_SNDTIMEO_OLD: {
			int64_t ns = opt == SO_RCVTIMEO_OLD ? sk->rcvtimeo : sk->sndtimeo;
			struct timeval tv = { 0, 0 };
			if (ns > 0) {
				tv.tv_sec = ns / 1000000000LL;
				tv.tv_usec = ns % 1000000000LL / 1000;
			}
			memcpy(val, &tv, sizeof tv);
			l = sizeof tv;
			break;
		}
		default:
			r = 1;
		}
	}
	if (r == 1) {
		if (!sk->ops->getsockopt)
			return -ENOPROTOOPT;
		l = sizeof val;
		r = sk->ops->getsockopt(sk, (int)level, (int)opt, val, &l);
		if (r < 0)
			return r;
	}
	socklen_t n = (socklen_t)ulen < l ? (socklen_t)ulen : l;
	if (n && dce_copy_to_user(valp, val, n))
		return -EFAULT;
	int nl = (int)n;
	return dce_copy_to_user(lenp, &nl, sizeof nl) ? -EFAULT : 0;
}

/* ---- ioctl on sockets ---- */

/* Called for every ioctl: the socket ones are served here, the rest by sys_ioctl. */
long sys_ioctl_any(struct dce_thread *t, long fd, long req, uint64_t arg)
{
	struct dce_file *f = dce_fd_lookup(t->proc, (int)fd);
	if (!f || f->ops != &dce_sock_file_ops)
		return sys_ioctl(t, fd, req, arg);
	struct dce_sock *sk = f->priv;
	unsigned long r = (unsigned long)req;
	if (r == FIONREAD || r == SIOCOUTQ || r == SIOCATMARK || r == SIOCGSTAMP_OLD) {
		if (!sk->ops->ioctl)
			return -ENOTTY;
		return sk->ops->ioctl(t, sk, r, arg);
	}
	if ((r >= 0x8900 && r <= 0x89ff) && r != SIOCGSTAMP_OLD && r != SIOCGSTAMPNS_OLD)
		return dce_net_ifioctl(t, r, arg);
	if (r == SIOCGSTAMPNS_OLD)
		return -ENOENT;
	return sys_ioctl(t, fd, req, arg);
}
