/* ksock.c - a Linux-stack node's network system calls, served by its kernel.
 *
 * Sockets of the INET, INET6, NETLINK and PACKET families and the kernel's
 * /proc/sys/net, /proc/net, /sys/class/net files are dce files whose priv is a
 * struct kfile: a descriptor in the node's kernel (kstack.c). Calls are forwarded
 * with the program's own pointers (the kernel's copy_from_user is a memcpy) and
 * the asm-generic numbers; the structures involved have the same layout on x86_64.
 *
 * Kernel sockets are always non-blocking inside the kernel, so a forwarded call
 * never sleeps there. Blocking is dce's: a call that would block (-EAGAIN on a
 * blocking dce file) waits on the dce file's wait queues, which the kernel's
 * wakeups reach through a watch (the same hook epoll uses), honouring SO_RCVTIMEO,
 * SO_SNDTIMEO and signals like any other dce wait. AF_UNIX stays dce's. */
#include "kstack-priv.h"
#include "net.h"
#include "pring.h"
#include "../../core/sim.h"
#include "../syscalls.h"
#include "../uaccess.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/stat.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>

/* asm-generic numbers not in dce-kernel.h's list */
#define KSYS_faccessat 48
#define KSYS_readlinkat 78
#define KSYS_faccessat2 439

struct kfile {
	struct dce_kstack *ks;
	int kfd;
	int is_sock, stream;
	long watch;
	void *ref;
	int64_t rcvtimeo, sndtimeo;   /* ns, 0: none */
	int type;                     /* SOCK_* of a socket */
	int packet;                   /* an AF_PACKET socket */
	struct dce_pring *pring;      /* its PACKET_MMAP ring, kept by dce (pring.c) */
};

static const struct dce_file_ops ksock_ops, kfile_ops;

static struct kfile *kfile_of(struct dce_file *f)
{
	return f && (f->ops == &ksock_ops || f->ops == &kfile_ops) ? f->priv : NULL;
}

/* ---- waiting, dce's way (dce_file_wait, dce_sock_deadline: socket.c) ---- */

static int would_wait(struct dce_file *f, long r, int flags)
{
	/* the error queue is never waited for (Linux returns EAGAIN at once) */
	return r == -EAGAIN && !(f->flags & O_NONBLOCK) && !(flags & (MSG_DONTWAIT | MSG_ERRQUEUE));
}

static int kpoll(struct kfile *k)
{
	struct pollfd p = { .fd = k->kfd, .events = POLLIN | POLLOUT | POLLPRI | POLLRDHUP };
	struct timespec zero = { 0, 0 };
	long r = dce_kcall(k->ks, DCE_KSYS_ppoll, (long)&p, 1, (long)&zero, 0, 0, 0);
	if (r < 0)
		return POLLERR;
	return r ? p.revents : 0;
}

static void sigpipe(struct dce_thread *t, long r, int flags)
{
	if (r == -EPIPE && !(flags & MSG_NOSIGNAL))
		dce_signal_send_thread(t, SIGPIPE);
}

/* ---- the files ---- */

static long k_send(struct dce_thread *t, struct dce_file *f, uint64_t buf, size_t len, int flags,
                   uint64_t to, long tolen)
{
	struct kfile *k = f->priv;
	uint64_t deadline = dce_sock_deadline(k->sndtimeo);
	size_t done = 0;
	for (;;) {
		long r = dce_kcall(k->ks, DCE_KSYS_sendto, k->kfd, (long)(buf + done), (long)(len - done),
		                   flags, (long)to, tolen);
		if (r >= 0) {
			done += (size_t)r;
			/* a blocking stream send goes on until everything is queued */
			if (done >= len || !k->stream || (f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT))
				return (long)done;
			continue;
		}
		if (would_wait(f, r, flags)) {
			long w = dce_file_wait(t, f, 1, deadline);
			if (!w)
				continue;
			r = w;
		}
		if (done)
			return (long)done;
		sigpipe(t, r, flags);
		return r;
	}
}

static long k_recv(struct dce_thread *t, struct dce_file *f, uint64_t buf, size_t len, int flags,
                   uint64_t from, uint64_t fromlen)
{
	struct kfile *k = f->priv;
	uint64_t deadline = dce_sock_deadline(k->rcvtimeo);
	size_t done = 0;
	int waitall = (flags & MSG_WAITALL) && k->stream && !(flags & (MSG_PEEK | MSG_DONTWAIT));
	for (;;) {
		long r = dce_kcall(k->ks, DCE_KSYS_recvfrom, k->kfd, (long)(buf + done), (long)(len - done),
		                   flags & ~MSG_WAITALL, (long)from, (long)fromlen);
		if (r > 0 && waitall && done + (size_t)r < len && !(f->flags & O_NONBLOCK)) {
			done += (size_t)r;
			continue;
		}
		if (r >= 0)
			return (long)(done + (size_t)r);
		if (would_wait(f, r, flags)) {
			long w = dce_file_wait(t, f, 0, deadline);
			if (!w)
				continue;
			r = w;
		}
		return done ? (long)done : r;
	}
}

static ssize_t kf_read(struct dce_thread *t, struct dce_file *f, void *buf, size_t len)
{
	struct kfile *k = f->priv;
	if (k->is_sock) {
		long r = k_recv(t, f, (uint64_t)buf, len, 0, 0, 0);
		dce_ksock_charge(t, SYS_read, r);
		return r;
	}
	return dce_kcall(k->ks, DCE_KSYS_read, k->kfd, (long)buf, (long)len, 0, 0, 0);
}

static ssize_t kf_write(struct dce_thread *t, struct dce_file *f, const void *buf, size_t len)
{
	struct kfile *k = f->priv;
	if (k->is_sock) {
		long r = k_send(t, f, (uint64_t)buf, len, 0, 0, 0);
		dce_ksock_charge(t, SYS_write, r);
		return r;
	}
	return dce_kcall(k->ks, DCE_KSYS_write, k->kfd, (long)buf, (long)len, 0, 0, 0);
}

static int kf_poll(struct dce_file *f)
{
	struct kfile *k = f->priv;
	if (!k->is_sock)
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	int m = kpoll(k);
	return k->pring ? dce_pring_poll(k->pring, m) : m;
}

static void kf_release(struct dce_file *f)
{
	struct kfile *k = f->priv;
	dce_pring_free(k->pring);
	dce_kwatch_close(k->ks, k->watch, k->ref, k->kfd);
	free(k);
}

static const struct dce_file_ops ksock_ops = {
	.name = "socket", .read = kf_read, .write = kf_write, .poll = kf_poll, .release = kf_release,
};
static const struct dce_file_ops kfile_ops = {
	.name = "kernel file", .read = kf_read, .write = kf_write, .poll = kf_poll,
	.release = kf_release,
};

/* A dce descriptor for kernel descriptor kfd (which it now owns). */
static long install(struct dce_thread *t, struct dce_kstack *ks, long kfd, int is_sock, int type,
                    int fflags, int cloexec, const char *vpath)
{
	struct kfile *k = calloc(1, sizeof *k);
	k->ks = ks;
	k->kfd = (int)kfd;
	k->is_sock = is_sock;
	k->stream = type == SOCK_STREAM;
	k->type = type;
	struct dce_file *f = dce_file_new(is_sock ? &ksock_ops : &kfile_ops, -1, fflags);
	f->priv = k;
	if (vpath)
		f->vpath = strdup(vpath);
	if (is_sock) {
		k->watch = dce_kwatch(ks, k->kfd, f, &k->ref);
		if (k->watch < 0) {
			long err = k->watch;
			dce_file_put(f);
			return err;
		}
	}
	return dce_fd_install(t->proc, f, 0, cloexec);
}

static int sock_type_of(struct dce_kstack *ks, int kfd)
{
	int type = 0;
	socklen_t len = sizeof type;
	dce_kcall(ks, DCE_KSYS_getsockopt, kfd, SOL_SOCKET, SO_TYPE, (long)&type, (long)&len, 0);
	return type;
}

/* ---- sockets ---- */

static long k_socket(struct dce_thread *t, struct dce_kstack *ks, long family, long type, long proto)
{
	if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	long kfd = dce_kcall(ks, DCE_KSYS_socket, family, (type & 0xf) | SOCK_NONBLOCK | SOCK_CLOEXEC,
	                     proto, 0, 0, 0);
	if (kfd < 0)
		return kfd;
	long fd = install(t, ks, kfd, 1, (int)(type & 0xf),
	                  O_RDWR | (type & SOCK_NONBLOCK ? O_NONBLOCK : 0), (type & SOCK_CLOEXEC) != 0, NULL);
	if (fd >= 0 && family == AF_PACKET)
		kfile_of(dce_fd_lookup(t->proc, (int)fd))->packet = 1;
	return fd;
}

static long k_accept(struct dce_thread *t, struct dce_file *f, uint64_t addr, uint64_t lenp, int flags)
{
	struct kfile *k = f->priv;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	for (;;) {
		long r = dce_kcall(k->ks, DCE_KSYS_accept4, k->kfd, (long)addr, (long)lenp,
		                   SOCK_NONBLOCK | SOCK_CLOEXEC, 0, 0);
		if (r >= 0)
			return install(t, k->ks, r, 1, sock_type_of(k->ks, (int)r),
			               O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0),
			               (flags & SOCK_CLOEXEC) != 0, NULL);
		if (!would_wait(f, r, 0))
			return r;
		long w = dce_file_wait(t, f, 0, dce_sock_deadline(k->rcvtimeo));
		if (w)
			return w;
	}
}

static long k_connect(struct dce_thread *t, struct dce_file *f, uint64_t addr, long len)
{
	struct kfile *k = f->priv;
	long r = dce_kcall(k->ks, DCE_KSYS_connect, k->kfd, (long)addr, len, 0, 0, 0);
	if (r != -EINPROGRESS || (f->flags & O_NONBLOCK))
		return r;
	uint64_t deadline = dce_sock_deadline(k->sndtimeo);
	while (!(kpoll(k) & (POLLOUT | POLLERR | POLLHUP))) {
		long w = dce_file_wait(t, f, 1, deadline);
		if (w)
			return w == -EAGAIN ? -EINPROGRESS : w;
	}
	/* the kernel's own end of a blocking connect: connect again, as a non-blocking
	 * program does. It reports the error once and leaves the socket unconnected (a
	 * later connect starts afresh, as after a blocking connect on Linux), where reading
	 * SO_ERROR would leave it connecting (the next connect: ECONNABORTED). */
	r = dce_kcall(k->ks, DCE_KSYS_connect, k->kfd, (long)addr, len, 0, 0, 0);
	return r == -EISCONN ? 0 : r;
}

static int64_t timeval_ns(uint64_t val, long len)
{
	struct timeval tv;
	if (len < (long)sizeof tv || dce_copy_from_user(&tv, val, sizeof tv))
		return -1;
	if (tv.tv_sec < 0)
		return 0;
	return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}

/* a PACKET_MMAP ring's feed (pring.c): the kernel socket's next queued frame */
static long ring_recv(void *ctx, void *buf, size_t len, struct sockaddr_ll *ll)
{
	struct kfile *k = ctx;
	socklen_t ll_len = sizeof *ll;
	return dce_kcall(k->ks, DCE_KSYS_recvfrom, k->kfd, (long)buf, (long)len, MSG_DONTWAIT | MSG_TRUNC,
	                 (long)ll, (long)&ll_len);
}

/* SOL_PACKET ring options: dce's ring, the kernel's socket unaware (1: served) */
static int k_ring_opt(struct dce_thread *t, struct dce_file *f, int set, long opt, uint64_t val,
                      uint64_t lenarg, long *ret)
{
	struct kfile *k = f->priv;
	if (!k->packet || !(dce_pring_owns((int)opt) || (!set && opt == PACKET_STATISTICS && k->pring)))
		return 0;
	char buf[64];
	memset(buf, 0, sizeof buf);
	if (set) {
		long len = (long)lenarg;
		if (len < 0)
			return *ret = -EINVAL, 1;
		socklen_t l = (socklen_t)(len < (long)sizeof buf ? len : (long)sizeof buf);
		if (l && dce_copy_from_user(buf, val, l))
			return *ret = -EFAULT, 1;
		*ret = dce_pring_setsockopt(&k->pring, f, t->proc->node, k->type, ring_recv, k, (int)opt, buf, l);
		if (*ret == -EOPNOTSUPP)
			dce_report_unsupported(t->proc, "setsockopt SOL_PACKET option %ld (returned EOPNOTSUPP)", opt);
		return 1;
	}
	int ulen;
	if (!lenarg || dce_copy_from_user(&ulen, lenarg, sizeof ulen))
		return *ret = -EFAULT, 1;
	if (ulen < 0)
		return *ret = -EINVAL, 1;
	socklen_t l = (socklen_t)(ulen < (int)sizeof buf ? ulen : (int)sizeof buf);
	if (l && dce_copy_from_user(buf, val, l))
		return *ret = -EFAULT, 1;
	*ret = dce_pring_getsockopt(k->pring, (int)opt, buf, &l);
	if (*ret == 0 && opt == PACKET_STATISTICS) { /* and what the kernel's queue dropped */
		struct tpacket_stats ks = { 0, 0 };
		socklen_t kl = sizeof ks;
		if (dce_kcall(k->ks, DCE_KSYS_getsockopt, k->kfd, SOL_PACKET, PACKET_STATISTICS, (long)&ks,
		              (long)&kl, 0) == 0) {
			struct tpacket_stats *st = (void *)buf;
			st->tp_packets += ks.tp_drops;
			st->tp_drops += ks.tp_drops;
		}
	}
	if (*ret == 0) {
		int nl = (int)l;
		if ((l && dce_copy_to_user(val, buf, l)) || dce_copy_to_user(lenarg, &nl, sizeof nl))
			*ret = -EFAULT;
	}
	return 1;
}

static long k_setsockopt(struct dce_file *f, long level, long opt, uint64_t val, long len)
{
	struct kfile *k = f->priv;
	long r = dce_kcall(k->ks, DCE_KSYS_setsockopt, k->kfd, level, opt, (long)val, len, 0);
	if (r == 0 && level == SOL_SOCKET) {
		if (opt == SO_RCVTIMEO_OLD || opt == SO_RCVTIMEO_NEW)
			k->rcvtimeo = timeval_ns(val, len);
		else if (opt == SO_SNDTIMEO_OLD || opt == SO_SNDTIMEO_NEW)
			k->sndtimeo = timeval_ns(val, len);
	}
	return r;
}

/* sendmsg: a blocking stream send queues everything, advancing a private copy of
 * the program's iovecs; ancillary data goes with the first part only. */
static long k_sendmsg(struct dce_thread *t, struct dce_file *f, uint64_t umsg, int flags)
{
	struct kfile *k = f->priv;
	struct msghdr m;
	if (dce_copy_from_user(&m, umsg, sizeof m))
		return -EFAULT;
	if (m.msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	struct iovec *iov = malloc(sizeof *iov * (m.msg_iovlen ? m.msg_iovlen : 1));
	if (m.msg_iovlen && dce_copy_from_user(iov, (uint64_t)m.msg_iov, sizeof *iov * m.msg_iovlen)) {
		free(iov);
		return -EFAULT;
	}
	m.msg_iov = iov;
	size_t total = 0, done = 0;
	for (size_t i = 0; i < m.msg_iovlen; i++)
		total += iov[i].iov_len;
	uint64_t deadline = dce_sock_deadline(k->sndtimeo);
	long r;
	for (;;) {
		r = dce_kcall(k->ks, DCE_KSYS_sendmsg, k->kfd, (long)&m, flags, 0, 0, 0);
		if (r >= 0) {
			done += (size_t)r;
			if (done >= total || !k->stream || (f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT))
				break;
			size_t skip = (size_t)r;
			while (m.msg_iovlen && skip >= m.msg_iov->iov_len) {
				skip -= m.msg_iov->iov_len;
				m.msg_iov++;
				m.msg_iovlen--;
			}
			if (m.msg_iovlen) {
				m.msg_iov->iov_base = (char *)m.msg_iov->iov_base + skip;
				m.msg_iov->iov_len -= skip;
			}
			m.msg_control = NULL;
			m.msg_controllen = 0;
			continue;
		}
		if (would_wait(f, r, flags)) {
			long w = dce_file_wait(t, f, 1, deadline);
			if (!w)
				continue;
			r = w;
		}
		break;
	}
	free(iov);
	if (done)
		return (long)done;
	sigpipe(t, r, flags);
	return r;
}

static long k_recvmsg(struct dce_thread *t, struct dce_file *f, uint64_t umsg, int flags)
{
	struct kfile *k = f->priv;
	uint64_t deadline = dce_sock_deadline(k->rcvtimeo);
	for (;;) {
		long r = dce_kcall(k->ks, DCE_KSYS_recvmsg, k->kfd, (long)umsg, flags, 0, 0, 0);
		if (!would_wait(f, r, flags))
			return r;
		long w = dce_file_wait(t, f, 0, deadline);
		if (w)
			return w;
	}
}

/* readv/writev on a socket: one message, not one per buffer. */
static long k_rwv(struct dce_thread *t, struct dce_file *f, uint64_t iov, long cnt, int write)
{
	struct kfile *k = f->priv;
	if (!k->is_sock)
		return dce_kcall(k->ks, write ? DCE_KSYS_writev : DCE_KSYS_readv, k->kfd, (long)iov, cnt,
		                 0, 0, 0);
	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	struct msghdr *m = calloc(1, sizeof *m);
	m->msg_iov = (struct iovec *)iov;
	m->msg_iovlen = (size_t)cnt;
	dce_uaccess_allow(t, m, sizeof *m); /* our msghdr, read as the program's */
	long r = write ? k_sendmsg(t, f, (uint64_t)m, 0) : k_recvmsg(t, f, (uint64_t)m, 0);
	dce_uaccess_allow(t, NULL, 0);
	free(m);
	return r;
}

static long k_blocking_mmsg(struct dce_thread *t, struct dce_file *f, long nr, uint64_t vec,
                            long vlen, int flags, uint64_t timeout)
{
	struct kfile *k = f->priv;
	int write = nr == DCE_KSYS_sendmmsg;
	uint64_t deadline = dce_sock_deadline(write ? k->sndtimeo : k->rcvtimeo);
	for (;;) {
		long r = dce_kcall(k->ks, nr, k->kfd, (long)vec, vlen, flags, (long)timeout, 0);
		if (!would_wait(f, r, flags))
			return r;
		long w = dce_file_wait(t, f, write, deadline);
		if (w)
			return w;
	}
}

/* ---- files ---- */

static long stat_to_user(const struct statx *x, uint64_t ubuf)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_dev = makedev(x->stx_dev_major, x->stx_dev_minor);
	st.st_ino = x->stx_ino;
	st.st_nlink = x->stx_nlink;
	st.st_mode = x->stx_mode;
	st.st_uid = x->stx_uid;
	st.st_gid = x->stx_gid;
	st.st_rdev = makedev(x->stx_rdev_major, x->stx_rdev_minor);
	st.st_size = (off_t)x->stx_size;
	st.st_blksize = x->stx_blksize;
	st.st_blocks = (blkcnt_t)x->stx_blocks;
	st.st_atim.tv_sec = x->stx_atime.tv_sec;
	st.st_atim.tv_nsec = x->stx_atime.tv_nsec;
	st.st_mtim.tv_sec = x->stx_mtime.tv_sec;
	st.st_mtim.tv_nsec = x->stx_mtime.tv_nsec;
	st.st_ctim.tv_sec = x->stx_ctime.tv_sec;
	st.st_ctim.tv_nsec = x->stx_ctime.tv_nsec;
	return dce_copy_to_user(ubuf, &st, sizeof st) ? -EFAULT : 0;
}

static long k_stat(struct dce_kstack *ks, long kdirfd, const char *path, int flags, uint64_t ubuf)
{
	struct statx x;
	long r = dce_kcall(ks, DCE_KSYS_statx, kdirfd, (long)path, flags, STATX_BASIC_STATS, (long)&x, 0);
	return r < 0 ? r : stat_to_user(&x, ubuf);
}

/* Is this path one of the kernel's (absolute, or relative to a kernel directory)?
 * Sets *kdirfd to the kernel descriptor to resolve it from. All of /proc/sys is
 * the kernel's, except what dce answers itself so that it agrees with uname and
 * dce's memory (special.c). */
static int kernel_path(struct dce_thread *t, long dirfd, const char *path, long *kdirfd)
{
	static const char *const roots[] = { "/proc/sys", "/proc/net", "/sys/class/net",
	                                     "/sys/devices/virtual/net", "/proc/sysrq-trigger" };
	static const char *const dce_own[] = { "/proc/sys/kernel/osrelease", "/proc/sys/kernel/ostype",
	                                       "/proc/sys/kernel/hostname", "/proc/sys/kernel/random",
	                                       "/proc/sys/vm/overcommit_memory" };
	if (path[0] != '/') {
		struct kfile *k = dirfd == AT_FDCWD ? NULL : kfile_of(dce_fd_lookup(t->proc, (int)dirfd));
		if (!k || k->is_sock)
			return 0;
		*kdirfd = k->kfd;
		return 1;
	}
	for (size_t i = 0; i < sizeof dce_own / sizeof dce_own[0]; i++) {
		size_t l = strlen(dce_own[i]);
		if (!strncmp(path, dce_own[i], l) && (path[l] == 0 || path[l] == '/'))
			return 0;
	}
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		size_t l = strlen(roots[i]);
		if (!strncmp(path, roots[i], l) && (path[l] == 0 || path[l] == '/')) {
			*kdirfd = AT_FDCWD;
			return 1;
		}
	}
	return 0;
}

/* The path-based calls; 1 if the path is the kernel's. */
static int k_path_call(struct dce_thread *t, struct dce_kstack *ks, long nr, const long *a, long *ret)
{
	long dirfd = AT_FDCWD;
	uint64_t up;
	switch (nr) {
	case SYS_open: case SYS_stat: case SYS_lstat: case SYS_access: case SYS_readlink:
		up = (uint64_t)a[0];
		break;
	case SYS_openat: case SYS_newfstatat: case SYS_statx: case SYS_faccessat:
	case SYS_faccessat2: case SYS_readlinkat:
		dirfd = (int)a[0];
		up = (uint64_t)a[1];
		break;
	default:
		return 0;
	}
	char path[PATH_MAX];
	long kdirfd;
	if (!up || dce_path_from_user(path, up) || !kernel_path(t, dirfd, path, &kdirfd))
		return 0;
	switch (nr) {
	case SYS_open:
	case SYS_openat: {
		int flags = (int)(nr == SYS_open ? a[1] : a[2]);
		long mode = nr == SYS_open ? a[2] : a[3];
		long kfd = dce_kcall(ks, DCE_KSYS_openat, kdirfd, (long)path, flags | O_CLOEXEC, mode, 0, 0);
		*ret = kfd < 0 ? kfd : install(t, ks, kfd, 0, 0, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC),
		                               (flags & O_CLOEXEC) != 0, path);
		return 1;
	}
	case SYS_stat:
		*ret = k_stat(ks, kdirfd, path, 0, (uint64_t)a[1]);
		return 1;
	case SYS_lstat:
		*ret = k_stat(ks, kdirfd, path, AT_SYMLINK_NOFOLLOW, (uint64_t)a[1]);
		return 1;
	case SYS_newfstatat:
		*ret = k_stat(ks, kdirfd, path, (int)a[3], (uint64_t)a[2]);
		return 1;
	case SYS_statx:
		*ret = dce_kcall(ks, DCE_KSYS_statx, kdirfd, (long)path, (int)a[2], (unsigned)a[3], a[4], 0);
		return 1;
	case SYS_access:
		*ret = dce_kcall(ks, KSYS_faccessat, kdirfd, (long)path, (int)a[1], 0, 0, 0);
		return 1;
	case SYS_faccessat:
		*ret = dce_kcall(ks, KSYS_faccessat, kdirfd, (long)path, (int)a[2], 0, 0, 0);
		return 1;
	case SYS_faccessat2:
		*ret = dce_kcall(ks, KSYS_faccessat2, kdirfd, (long)path, (int)a[2], (int)a[3], 0, 0);
		return 1;
	case SYS_readlink:
		*ret = dce_kcall(ks, KSYS_readlinkat, kdirfd, (long)path, a[1], (int)a[2], 0, 0);
		return 1;
	case SYS_readlinkat:
		*ret = dce_kcall(ks, KSYS_readlinkat, kdirfd, (long)path, a[2], (int)a[3], 0, 0);
		return 1;
	}
	return 0;
}

/* ---- the dispatcher ---- */

int dce_ksock_syscall(struct dce_thread *t, struct dce_kstack *ks, long nr, const long *a, long *ret)
{
	typedef uint64_t U;
	switch (nr) {
	case SYS_socket: {
		long family = (int)a[0];
		if (family != AF_INET && family != AF_INET6 && family != AF_NETLINK && family != AF_PACKET)
			return 0;
		*ret = k_socket(t, ks, family, (int)a[1], (int)a[2]);
		return 1;
	}
	case SYS_open: case SYS_openat: case SYS_stat: case SYS_lstat: case SYS_newfstatat:
	case SYS_statx: case SYS_access: case SYS_faccessat: case SYS_faccessat2:
	case SYS_readlink: case SYS_readlinkat:
		return k_path_call(t, ks, nr, a, ret);
	case SYS_bind: case SYS_connect: case SYS_listen: case SYS_accept: case SYS_accept4:
	case SYS_getsockname: case SYS_getpeername: case SYS_shutdown: case SYS_sendto:
	case SYS_recvfrom: case SYS_sendmsg: case SYS_recvmsg: case SYS_sendmmsg: case SYS_recvmmsg:
	case SYS_setsockopt: case SYS_getsockopt: case SYS_ioctl: case SYS_readv: case SYS_writev:
	case SYS_fstat: case SYS_lseek: case SYS_getdents64: case SYS_pread64: case SYS_pwrite64:
		break;
	default:
		return 0;
	}
	struct dce_file *f = dce_fd_lookup(t->proc, (int)a[0]);
	struct kfile *k = kfile_of(f);
	if (!k)
		return 0;
	long fd = k->kfd;
	switch (nr) {
	case SYS_fstat: {
		struct statx x;
		long r = dce_kcall(ks, DCE_KSYS_statx, fd, (long)"", AT_EMPTY_PATH, STATX_BASIC_STATS,
		                   (long)&x, 0);
		*ret = r < 0 ? r : stat_to_user(&x, (U)a[1]);
		return 1;
	}
	case SYS_readv:
		*ret = k_rwv(t, f, (U)a[1], (int)a[2], 0);
		return 1;
	case SYS_writev:
		*ret = k_rwv(t, f, (U)a[1], (int)a[2], 1);
		return 1;
	case SYS_lseek:
		*ret = dce_kcall(ks, DCE_KSYS_lseek, fd, a[1], (int)a[2], 0, 0, 0);
		return 1;
	case SYS_getdents64:
		*ret = dce_kcall(ks, DCE_KSYS_getdents64, fd, a[1], (unsigned)a[2], 0, 0, 0);
		return 1;
	case SYS_pread64:
		*ret = dce_kcall(ks, DCE_KSYS_pread64, fd, a[1], a[2], a[3], 0, 0);
		return 1;
	case SYS_pwrite64:
		*ret = dce_kcall(ks, DCE_KSYS_pwrite64, fd, a[1], a[2], a[3], 0, 0);
		return 1;
	case SYS_ioctl: {
		unsigned long req = (unsigned)a[1];
		if (req == FIONBIO || req == FIOCLEX || req == FIONCLEX || req == FIOASYNC)
			return 0; /* the dce file's flags */
		*ret = dce_kcall(ks, DCE_KSYS_ioctl, fd, (long)req, a[2], 0, 0, 0);
		return 1;
	}
	}
	if (!k->is_sock) {
		*ret = -ENOTSOCK;
		return 1;
	}
	switch (nr) {
	case SYS_bind:
		*ret = dce_kcall(ks, DCE_KSYS_bind, fd, a[1], (int)a[2], 0, 0, 0);
		break;
	case SYS_connect:
		*ret = k_connect(t, f, (U)a[1], (int)a[2]);
		break;
	case SYS_listen:
		*ret = dce_kcall(ks, DCE_KSYS_listen, fd, (int)a[1], 0, 0, 0, 0);
		break;
	case SYS_accept:
		*ret = k_accept(t, f, (U)a[1], (U)a[2], 0);
		break;
	case SYS_accept4:
		*ret = k_accept(t, f, (U)a[1], (U)a[2], (int)a[3]);
		break;
	case SYS_getsockname:
		*ret = dce_kcall(ks, DCE_KSYS_getsockname, fd, a[1], a[2], 0, 0, 0);
		break;
	case SYS_getpeername:
		*ret = dce_kcall(ks, DCE_KSYS_getpeername, fd, a[1], a[2], 0, 0, 0);
		break;
	case SYS_shutdown:
		*ret = dce_kcall(ks, DCE_KSYS_shutdown, fd, (int)a[1], 0, 0, 0, 0);
		break;
	case SYS_sendto:
		*ret = k_send(t, f, (U)a[1], (U)a[2], (int)a[3], (U)a[4], (int)a[5]);
		break;
	case SYS_recvfrom:
		*ret = k_recv(t, f, (U)a[1], (U)a[2], (int)a[3], (U)a[4], (U)a[5]);
		break;
	case SYS_sendmsg:
		*ret = k_sendmsg(t, f, (U)a[1], (int)a[2]);
		break;
	case SYS_recvmsg:
		*ret = k_recvmsg(t, f, (U)a[1], (int)a[2]);
		break;
	case SYS_sendmmsg:
		*ret = k_blocking_mmsg(t, f, DCE_KSYS_sendmmsg, (U)a[1], (int)a[2], (int)a[3], 0);
		break;
	case SYS_recvmmsg:
		*ret = k_blocking_mmsg(t, f, DCE_KSYS_recvmmsg, (U)a[1], (int)a[2], (int)a[3], (U)a[4]);
		break;
	case SYS_setsockopt:
		if ((int)a[1] == SOL_PACKET && k_ring_opt(t, f, 1, (int)a[2], (U)a[3], (U)(int)a[4], ret))
			break;
		*ret = k_setsockopt(f, (int)a[1], (int)a[2], (U)a[3], (int)a[4]);
		break;
	case SYS_getsockopt:
		if ((int)a[1] == SOL_PACKET && k_ring_opt(t, f, 0, (int)a[2], (U)a[3], (U)a[4], ret))
			break;
		*ret = dce_kcall(ks, DCE_KSYS_getsockopt, fd, (int)a[1], (int)a[2], a[3], a[4], 0);
		break;
	default:
		return 0;
	}
	return 1;
}

void dce_ksock_charge(struct dce_thread *t, long nr, long r)
{
	static long gbps = -1;
	if (r <= 0)
		return;
	switch (nr) {
	case SYS_read: case SYS_write: case SYS_readv: case SYS_writev: case SYS_sendto:
	case SYS_recvfrom: case SYS_sendmsg: case SYS_recvmsg:
		break;
	default:
		return;
	}
	if (gbps < 0) {
		const char *e = getenv("DCE_LINUX_COPY_GBPS");
		gbps = e && *e ? atol(e) : 10;
	}
	if (gbps <= 0)
		return;
	t->copy_debt_ps += (uint64_t)r * 8000 / (uint64_t)gbps; /* bits / (Gbit/s) = ns; in ps */
	if (t->copy_debt_ps >= 20000000) {
		uint64_t ns = t->copy_debt_ps / 1000;
		t->copy_debt_ps %= 1000;
		dce_thread_block(t, (int64_t)ns);
	}
}
