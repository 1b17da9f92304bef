/* unix.c - AF_UNIX sockets inside a node, in memory (like pipe.c): SOCK_STREAM,
 * SOCK_DGRAM and SOCK_SEQPACKET; socketpair; path names (a socket file is created
 * in the node's files-N with mknod, and a connect finds the bound socket by the
 * file's device and inode) and abstract names (per node); SCM_RIGHTS and
 * SCM_CREDENTIALS; SO_PEERCRED; Linux's errno values and poll readiness.
 *
 * A message is queued on the receiver's socket. Stream senders block while their
 * peer's queue holds UNIX_BUF bytes; datagram senders while the receiver holds
 * UNIX_DGRAM_QLEN messages. Each socket knows its peer (connection-oriented: the
 * other end; datagram: the default destination); releasing a socket detaches every
 * socket that points at it. */
#include "net.h"
#include "../path.h"
#include "../../core/sim.h"
#include "../uaccess.h"
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/sockios.h>
#include <unistd.h>

#define UNIX_BUF 212992        /* Linux's default net.core.wmem_default */
#define UNIX_DGRAM_QLEN 512    /* net.unix.max_dgram_qlen */

enum { U_UNCONN, U_LISTEN, U_CONNECTED };
#define RCV_SHUT 1
#define SND_SHUT 2

struct umsg {
	struct umsg *next;
	size_t len, off;           /* bytes, bytes already read (stream) */
	struct dce_file **files;   /* SCM_RIGHTS */
	int nfiles;
	struct ucred cred;
	struct sockaddr_un from;   /* sender's name (datagram) */
	socklen_t fromlen;
	unsigned char data[];
};

struct usock {
	struct dce_sock *sk;
	int state;
	int shut;                  /* RCV_SHUT | SND_SHUT, own and from the peer */
	int err;                   /* pending error (positive errno) */
	struct usock *peer;
	int peer_died;             /* datagram: the connected peer was closed (next send: ECONNREFUSED) */
	struct umsg *rxh, *rxt;
	size_t rxbytes;
	int rxcount;
	/* name */
	struct sockaddr_un addr;
	socklen_t addrlen;         /* 0: unbound */
	int abstract;
	dev_t dev;
	ino_t ino;
	/* listening */
	int backlog;
	struct usock *acch, *acct, *accnext;
	struct usock *listener;    /* a connection waiting in this listener's queue */
	struct ucred peercred;
	int sndbuf, rcvbuf;
	struct usock *next, *prev; /* every AF_UNIX socket */
};

static struct usock *all;
static unsigned autobind_seq;
static const struct dce_sock_ops unix_ops;

static struct usock *U(struct dce_sock *sk)
{
	return sk->priv;
}

static void notify(struct usock *u)
{
	if (u && u->sk->file)
		dce_file_notify(u->sk->file);
}

static struct usock *usock_new(struct dce_node *n, int type)
{
	struct dce_sock *sk = dce_sock_alloc(n, &unix_ops, AF_UNIX, type, 0);
	struct usock *u = calloc(1, sizeof *u);
	u->sk = sk;
	u->sndbuf = u->rcvbuf = UNIX_BUF;
	sk->priv = u;
	sk->file = dce_file_new(&dce_sock_file_ops, -1, O_RDWR);
	sk->file->priv = sk;
	u->next = all;
	if (all)
		all->prev = u;
	all = u;
	return u;
}

static struct ucred cred_of(struct dce_thread *t)
{
	struct ucred c = { t->proc->pid, 0, 0 };
	return c;
}

long dce_unix_create(struct dce_thread *t, int type, int protocol, struct dce_sock **out)
{
	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET)
		return type == SOCK_RAW ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT;
	if (protocol != 0 && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	struct usock *u = usock_new(t->proc->node, type);
	*out = u->sk;
	return 0;
}

long dce_unix_pair(struct dce_thread *t, int type, int protocol, struct dce_sock **a, struct dce_sock **b)
{
	long r = dce_unix_create(t, type, protocol, a);
	if (r)
		return r;
	struct usock *x = U(*a), *y = usock_new(t->proc->node, type);
	*b = y->sk;
	x->peer = y;
	y->peer = x;
	x->state = y->state = U_CONNECTED;
	x->peercred = y->peercred = cred_of(t);
	return 0;
}

/* ---- names ---- */

/* Check and normalise a sockaddr_un; *len becomes Linux's stored length.
 * Returns 1 for a path name, 2 for an abstract one, 0 for "autobind" (family only). */
static int mkname(const struct sockaddr *sa, socklen_t *len, struct sockaddr_un *out)
{
	if (*len < offsetof(struct sockaddr_un, sun_path) || *len > sizeof(struct sockaddr_un) ||
	    sa->sa_family != AF_UNIX)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	memcpy(out, sa, *len);
	if (*len == offsetof(struct sockaddr_un, sun_path))
		return 0;
	if (out->sun_path[0] == 0)
		return 2;
	size_t max = *len - offsetof(struct sockaddr_un, sun_path);
	size_t n = strnlen(out->sun_path, max);
	if (n == sizeof out->sun_path)
		n--; /* Linux terminates a full-length path itself */
	out->sun_path[n] = 0;
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 1;
}

static struct usock *find_abstract(struct dce_node *n, const struct sockaddr_un *a, socklen_t len)
{
	for (struct usock *u = all; u; u = u->next)
		if (u->abstract && u->sk->node == n && u->addrlen == len && !memcmp(&u->addr, a, len))
			return u;
	return NULL;
}

static struct usock *find_inode(dev_t dev, ino_t ino)
{
	for (struct usock *u = all; u; u = u->next)
		if (u->addrlen && !u->abstract && u->dev == dev && u->ino == ino)
			return u;
	return NULL;
}

static int do_autobind(struct usock *u)
{
	struct sockaddr_un a;
	for (int tries = 0; tries < 0x100000; tries++) {
		memset(&a, 0, sizeof a);
		a.sun_family = AF_UNIX;
		snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "%05x", (autobind_seq++) & 0xfffff);
		socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 6);
		if (!find_abstract(u->sk->node, &a, len)) {
			u->addr = a;
			u->addrlen = len;
			u->abstract = 1;
			return 0;
		}
	}
	return -ENOSPC;
}

static int unix_bind(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	struct usock *u = U(sk);
	struct sockaddr_un a;
	int kind = mkname(sa, &len, &a);
	if (kind < 0)
		return kind;
	if (u->addrlen)
		return -EINVAL;
	if (kind == 0)
		return do_autobind(u);
	if (kind == 2) {
		if (find_abstract(sk->node, &a, len))
			return -EADDRINUSE;
		u->addr = a;
		u->addrlen = len;
		u->abstract = 1;
		return 0;
	}
	char base[NAME_MAX + 1];
	int is_host = 0;
	int pfd = dce_path_parent(t->proc, AT_FDCWD, a.sun_path, base, &is_host);
	if (pfd < 0)
		return pfd;
	int r = 0;
	if (is_host)
		r = -EROFS;
	else if (mknodat(pfd, base, S_IFSOCK | (0777 & ~t->proc->umask), 0))
		r = errno == EEXIST ? -EADDRINUSE : -errno;
	struct stat st;
	if (!r && fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW))
		r = -errno;
	close(pfd);
	if (r)
		return r;
	u->addr = a;
	u->addrlen = len;
	u->dev = st.st_dev;
	u->ino = st.st_ino;
	return 0;
}

/* The bound socket a name designates (for connect and sendto). */
static int lookup(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len,
                  struct usock **out)
{
	struct sockaddr_un a;
	int kind = mkname(sa, &len, &a);
	if (kind < 0)
		return kind;
	if (kind == 0)
		return -EINVAL;
	struct usock *o;
	if (kind == 2) {
		o = find_abstract(sk->node, &a, len);
		if (!o)
			return -ECONNREFUSED;
	} else {
		int fd = dce_path_open(t->proc, AT_FDCWD, a.sun_path, O_PATH, 0, NULL, NULL);
		if (fd < 0)
			return fd;
		struct stat st;
		int r = fstat(fd, &st) ? -errno : 0;
		close(fd);
		if (r)
			return r;
		if (!S_ISSOCK(st.st_mode))
			return -ECONNREFUSED;
		o = find_inode(st.st_dev, st.st_ino);
		if (!o || o->sk->node != sk->node)
			return -ECONNREFUSED;
	}
	if (o->sk->type != sk->type)
		return -EPROTOTYPE;
	*out = o;
	return 0;
}

/* Wait for room at peer o, which does not know who waits for it (a listener's
 * backlog, a datagram receiver's queue): look again after 1 ms or at the deadline.
 * 0: look again; -EAGAIN: the deadline passed; -ESRCH: o is gone; else the wait's
 * error (a signal). */
static int wait_for_peer(struct dce_thread *t, struct dce_sock *sk, uint64_t deadline, struct usock *o)
{
	uint64_t d = dce_sim_now() + 1000000;
	if (deadline && deadline < d)
		d = deadline;
	int w = dce_sock_wait(t, sk, 1, d);
	if (w == -EAGAIN && deadline && dce_sim_now() >= deadline)
		return -EAGAIN;
	if (w && w != -EAGAIN)
		return w;
	struct usock *x;
	for (x = all; x && x != o; x = x->next)
		;
	return x ? 0 : -ESRCH;
}

static int unix_connect(struct dce_thread *t, struct dce_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	struct usock *u = U(sk), *o;
	if (sk->type == SOCK_DGRAM) {
		if (len >= sizeof(sa_family_t) && sa->sa_family == AF_UNSPEC) {
			u->peer = NULL;
			return 0;
		}
		int r = lookup(t, sk, sa, len, &o);
		if (r)
			return r;
		if (sk->passcred && !u->addrlen)
			do_autobind(u);
		u->peer = o;
		u->peer_died = 0;
		u->peercred = o->peercred;
		notify(u);
		return 0;
	}
	if (u->state == U_CONNECTED)
		return -EISCONN;
	if (u->state == U_LISTEN)
		return -EINVAL;
	int r = lookup(t, sk, sa, len, &o);
	if (r)
		return r;
	if (o->state != U_LISTEN)
		return -ECONNREFUSED;
	/* the listen backlog (Linux's unix_recvq_full: more waiting than the backlog) */
	uint64_t deadline = dce_sock_deadline(sk->sndtimeo);
	for (;;) {
		int queued = 0;
		for (struct usock *q = o->acch; q; q = q->accnext)
			queued++;
		if (queued <= o->backlog)
			break;
		if (sk->file->flags & O_NONBLOCK)
			return -EAGAIN;
		int w = wait_for_peer(t, sk, deadline, o);
		if (w == -ESRCH)
			return -ECONNREFUSED;
		if (w)
			return w;
		if (o->state != U_LISTEN)
			return -ECONNREFUSED;
	}
	if (sk->passcred && !u->addrlen)
		do_autobind(u);
	/* the server's end, waiting in the listener's queue until accepted */
	struct usock *s = usock_new(o->sk->node, sk->type);
	s->addr = o->addr;
	s->addrlen = o->addrlen;
	s->abstract = 1; /* never found by name */
	s->state = U_CONNECTED;
	s->peer = u;
	s->peercred = cred_of(t);
	s->sk->passcred = o->sk->passcred;
	s->listener = o;
	s->sk->rcvtimeo = o->sk->rcvtimeo;
	s->sk->sndtimeo = o->sk->sndtimeo;
	u->peer = s;
	u->state = U_CONNECTED;
	u->peercred = o->peercred;
	if (o->acct)
		o->acct->accnext = s;
	else
		o->acch = s;
	o->acct = s;
	notify(o);
	notify(u);
	return 0;
}

static int unix_listen(struct dce_thread *t, struct dce_sock *sk, int backlog)
{
	struct usock *u = U(sk);
	if (sk->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (u->state == U_CONNECTED || !u->addrlen)
		return -EINVAL;
	u->state = U_LISTEN;
	u->backlog = backlog < 0 || backlog > 4096 ? 4096 : backlog; /* net.core.somaxconn */
	u->peercred = cred_of(t);
	return 0;
}

static int unix_accept(struct dce_thread *t, struct dce_sock *sk, struct dce_sock **out, int nonblock)
{
	struct usock *u = U(sk);
	if (sk->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (u->state != U_LISTEN)
		return -EINVAL;
	uint64_t deadline = dce_sock_deadline(sk->rcvtimeo);
	while (!u->acch) {
		if (nonblock)
			return -EAGAIN;
		int w = dce_sock_wait(t, sk, 0, deadline);
		if (w)
			return w;
		if (u->state != U_LISTEN)
			return -EINVAL;
	}
	struct usock *s = u->acch;
	u->acch = s->accnext;
	if (!u->acch)
		u->acct = NULL;
	s->accnext = NULL;
	s->listener = NULL;
	*out = s->sk;
	return 0;
}

/* ---- data ---- */

static void msg_free(struct umsg *m)
{
	for (int i = 0; i < m->nfiles; i++)
		dce_file_put(m->files[i]);
	free(m->files);
	free(m);
}

static struct umsg *msg_new(struct dce_thread *t, struct usock *from, const void *buf, size_t len,
                            struct dce_txmeta *meta, long *err)
{
	struct umsg *m = malloc(sizeof *m + len);
	memset(m, 0, sizeof *m);
	m->len = len;
	if (len && dce_copy_from_user(m->data, (uint64_t)(uintptr_t)buf, len)) {
		free(m);
		*err = -EFAULT;
		return NULL;
	}
	m->cred = cred_of(t);
	if (from->addrlen) {
		m->from = from->addr;
		m->fromlen = from->addrlen;
	}
	if (meta && meta->nfiles) {
		m->files = malloc(sizeof *m->files * (size_t)meta->nfiles);
		for (int i = 0; i < meta->nfiles; i++)
			m->files[i] = dce_file_get(meta->files[i]);
		m->nfiles = meta->nfiles;
	}
	return m;
}

static void enqueue(struct usock *to, struct umsg *m)
{
	m->next = NULL;
	if (to->rxt)
		to->rxt->next = m;
	else
		to->rxh = m;
	to->rxt = m;
	to->rxbytes += m->len;
	to->rxcount++;
	notify(to);
}

static int dgram_full(struct usock *o)
{
	return o->rxcount >= UNIX_DGRAM_QLEN || o->rxbytes >= (size_t)o->rcvbuf;
}

static long dgram_send(struct dce_thread *t, struct dce_sock *sk, const void *buf, size_t len, int flags,
                       const struct sockaddr *to, socklen_t tolen, struct dce_txmeta *meta)
{
	struct usock *u = U(sk), *o;
	if (to) {
		int r = lookup(t, sk, to, tolen, &o);
		if (r)
			return r;
	} else {
		if (u->peer_died) {
			/* Linux: the first send after the peer closed is refused and
			 * dissolves the association; later ones find no peer */
			u->peer_died = 0;
			return -ECONNREFUSED;
		}
		if (!u->peer)
			return -ENOTCONN;
		o = u->peer;
	}
	if (u->shut & SND_SHUT)
		return -EPIPE;
	if (len > (size_t)u->sndbuf - 32)
		return -EMSGSIZE;
	if (o->peer && o->peer != u)
		return -EPERM; /* the receiver is connected to another socket */
	if (sk->passcred && !u->addrlen)
		do_autobind(u);
	uint64_t deadline = dce_sock_deadline(sk->sndtimeo);
	while (dgram_full(o)) {
		if (dce_sock_nonblock(sk, flags))
			return -EAGAIN;
		int w = wait_for_peer(t, sk, deadline, o);
		if (w == -ESRCH)
			return to ? -ECONNREFUSED : -ENOTCONN;
		if (w)
			return w;
	}
	long err = 0;
	struct umsg *m = msg_new(t, u, buf, len, meta, &err);
	if (!m)
		return err;
	enqueue(o, m);
	return (long)len;
}

static long conn_send(struct dce_thread *t, struct dce_sock *sk, const void *buf, size_t len, int flags,
                      const struct sockaddr *to, struct dce_txmeta *meta)
{
	struct usock *u = U(sk);
	if (to)
		return u->state == U_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	if (u->state != U_CONNECTED)
		return -ENOTCONN;
	if (sk->type == SOCK_SEQPACKET && len > (size_t)u->sndbuf - 32)
		return -EMSGSIZE;
	uint64_t deadline = dce_sock_deadline(sk->sndtimeo);
	size_t done = 0;
	int first = 1;
	while (first || done < len) {
		if (u->err) {
			int e = u->err;
			u->err = 0;
			return done ? (long)done : -e;
		}
		if ((u->shut & SND_SHUT) || !u->peer)
			return done ? (long)done : -EPIPE;
		struct usock *o = u->peer;
		size_t room = o->rxbytes < (size_t)u->sndbuf ? (size_t)u->sndbuf - o->rxbytes : 0;
		size_t need = sk->type == SOCK_SEQPACKET ? len : 1;
		if (room < need && !(sk->type == SOCK_SEQPACKET && o->rxbytes == 0)) {
			if (dce_sock_nonblock(sk, flags))
				return done ? (long)done : -EAGAIN;
			int w = dce_sock_wait(t, sk, 1, deadline);
			if (w)
				return done ? (long)done : w;
			continue;
		}
		size_t n = sk->type == SOCK_SEQPACKET ? len : (len - done < room ? len - done : room);
		long err = 0;
		struct umsg *m = msg_new(t, u, (const char *)buf + done, n, first ? meta : NULL, &err);
		if (!m)
			return done ? (long)done : err;
		enqueue(o, m);
		done += n;
		first = 0;
	}
	return (long)done;
}

static long unix_send(struct dce_thread *t, struct dce_sock *sk, const void *buf, size_t len, int flags,
                      const struct sockaddr *to, socklen_t tolen, struct dce_txmeta *meta)
{
	if (sk->type == SOCK_DGRAM)
		return dgram_send(t, sk, buf, len, flags, to, tolen, meta);
	return conn_send(t, sk, buf, len, flags, to, meta);
}

/* Hand a message's files to the receiver (once). */
static void take_files(struct umsg *m, struct dce_rxmeta *meta)
{
	if (!m->nfiles || !meta)
		return;
	meta->files = m->files;
	meta->nfiles = m->nfiles;
	m->files = NULL;
	m->nfiles = 0;
}

static void dequeue(struct usock *u)
{
	struct umsg *m = u->rxh;
	u->rxh = m->next;
	if (!u->rxh)
		u->rxt = NULL;
	u->rxbytes -= m->len - m->off;
	u->rxcount--;
	msg_free(m);
}

static long unix_recv(struct dce_thread *t, struct dce_sock *sk, void *buf, size_t len, int flags,
                      struct sockaddr_storage *from, socklen_t *fromlen, struct dce_rxmeta *meta)
{
	struct usock *u = U(sk);
	int peek = (flags & MSG_PEEK) != 0;
	uint64_t deadline = dce_sock_deadline(sk->rcvtimeo);
	if (sk->type != SOCK_DGRAM && u->state != U_CONNECTED)
		return -EINVAL;
	size_t done = 0;
	for (;;) {
		if (u->rxh && sk->type != SOCK_STREAM) {
			struct umsg *m = u->rxh;
			size_t n = len < m->len ? len : m->len;
			if (n && dce_copy_to_user((uint64_t)(uintptr_t)buf, m->data, n))
				return -EFAULT;
			if (meta) {
				meta->full_len = m->len;
				if (sk->passcred) {
					meta->have_cred = 1;
					meta->cred = m->cred;
				}
			}
			if (from && fromlen && m->fromlen) {
				memcpy(from, &m->from, m->fromlen);
				*fromlen = m->fromlen;
			}
			if (!peek) {
				take_files(m, meta);
				dequeue(u);
				notify(u->peer);
				notify(u);
			}
			return (long)n;
		}
		if (u->rxh) { /* stream: across messages, not past one carrying files */
			struct umsg *m = u->rxh;
			size_t off = m->off;
			while (m && done < len) {
				if (m->nfiles && done)
					break;
				size_t n = len - done < m->len - off ? len - done : m->len - off;
				if (n && dce_copy_to_user((uint64_t)(uintptr_t)buf + done, m->data + off, n))
					return done ? (long)done : -EFAULT;
				done += n;
				if (meta && sk->passcred && !meta->have_cred) {
					meta->have_cred = 1;
					meta->cred = m->cred;
				}
				if (peek) {
					m = m->next;
					off = 0;
					continue;
				}
				take_files(m, meta);
				m->off += n;
				u->rxbytes -= n;
				if (m->off == m->len) {
					m->off = m->len = 0;
					dequeue(u);
					m = u->rxh;
				}
				off = m ? m->off : 0;
				if (meta && meta->nfiles)
					break;
			}
			if (!peek) {
				notify(u->peer);
				notify(u);
			}
			if (done == len || !(flags & MSG_WAITALL) || peek)
				return (long)done;
			continue;
		}
		if (len == 0 && sk->type == SOCK_STREAM)
			return 0;
		if (u->err) {
			int e = u->err;
			u->err = 0;
			return done ? (long)done : -e;
		}
		if (u->shut & RCV_SHUT)
			return (long)done;
		if (sk->type != SOCK_DGRAM && !u->peer)
			return (long)done;
		if (dce_sock_nonblock(sk, flags))
			return done ? (long)done : -EAGAIN;
		int w = dce_sock_wait(t, sk, 0, deadline);
		if (w)
			return done ? (long)done : w;
	}
}

static int unix_shutdown(struct dce_thread *t, struct dce_sock *sk, int how)
{
	(void)t;
	struct usock *u = U(sk);
	int bits = how == SHUT_RD ? RCV_SHUT : how == SHUT_WR ? SND_SHUT : RCV_SHUT | SND_SHUT;
	u->shut |= bits;
	if (sk->type != SOCK_DGRAM && u->peer) {
		struct usock *o = u->peer;
		if (bits & RCV_SHUT)
			o->shut |= SND_SHUT;
		if (bits & SND_SHUT)
			o->shut |= RCV_SHUT;
		notify(o);
	}
	notify(u);
	return 0;
}

static int unix_getname(struct dce_sock *sk, int peer, struct sockaddr_storage *ss, socklen_t *len)
{
	struct usock *u = U(sk);
	if (peer) {
		if (!u->peer || (sk->type != SOCK_DGRAM && u->state != U_CONNECTED))
			return -ENOTCONN;
		u = u->peer;
	}
	if (!u->addrlen) {
		ss->ss_family = AF_UNIX;
		*len = sizeof(sa_family_t);
		return 0;
	}
	memcpy(ss, &u->addr, u->addrlen);
	*len = u->addrlen;
	return 0;
}

static int unix_poll(struct dce_sock *sk)
{
	struct usock *u = U(sk);
	int m = 0;
	if (u->state == U_LISTEN)
		return u->acch ? POLLIN | POLLRDNORM : 0;
	if (u->err)
		m |= POLLERR;
	if ((u->shut & (RCV_SHUT | SND_SHUT)) == (RCV_SHUT | SND_SHUT))
		m |= POLLHUP;
	if (u->shut & RCV_SHUT)
		m |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->rxh)
		m |= POLLIN | POLLRDNORM;
	if (sk->type != SOCK_DGRAM) {
		if (u->state != U_CONNECTED)
			m |= POLLHUP;
		if (u->state == U_CONNECTED && !u->peer)
			m |= POLLHUP | POLLIN | POLLRDNORM;
		if (u->peer && !(u->shut & SND_SHUT) && u->peer->rxbytes * 4 <= (size_t)u->sndbuf)
			m |= POLLOUT | POLLWRNORM;
		else if (u->state != U_CONNECTED || !u->peer)
			m |= POLLOUT | POLLWRNORM;
		return m;
	}
	if (!u->peer || !dgram_full(u->peer))
		m |= POLLOUT | POLLWRNORM;
	return m;
}

static void unix_release(struct dce_sock *sk)
{
	struct usock *u = U(sk);
	int unread = u->rxh != NULL;
	while (u->rxh)
		dequeue(u);
	/* connections nobody accepted */
	while (u->acch) {
		struct usock *s = u->acch;
		u->acch = s->accnext;
		s->listener = NULL;
		dce_file_put(s->sk->file);
	}
	if (u->listener) { /* released while queued (its listener is going away) */
		struct usock *l = u->listener, **pp = &l->acch, *prev = NULL;
		while (*pp && *pp != u) {
			prev = *pp;
			pp = &(*pp)->accnext;
		}
		if (*pp)
			*pp = u->accnext;
		if (l->acct == u)
			l->acct = prev;
	}
	for (struct usock *o = all; o; o = o->next) {
		if (o->peer != u)
			continue;
		o->peer = NULL;
		if (sk->type == SOCK_DGRAM)
			o->peer_died = 1;
		if (sk->type != SOCK_DGRAM) {
			o->shut = RCV_SHUT | SND_SHUT;
			if (unread)
				o->err = ECONNRESET;
		}
		notify(o);
	}
	if (u->prev)
		u->prev->next = u->next;
	else
		all = u->next;
	if (u->next)
		u->next->prev = u->prev;
	free(u);
}

/* ---- options, ioctl ---- */

static int unix_setsockopt(struct dce_sock *sk, int level, int opt, const void *val, socklen_t len)
{
	struct usock *u = U(sk);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	int v;
	if (len < sizeof v)
		return -EINVAL;
	memcpy(&v, val, sizeof v);
	switch (opt) {
	case SO_SNDBUF:
	case SO_RCVBUF:
		v = v < 2304 ? 4608 : (v > 0x7fffffff / 2 ? 0x7fffffff : v * 2);
		if (opt == SO_SNDBUF)
			u->sndbuf = v;
		else
			u->rcvbuf = v;
		return 0;
	case SO_KEEPALIVE:
	case SO_BROADCAST:
	case SO_PASSSEC:
		return 0;
	}
	return -ENOPROTOOPT;
}

static int unix_getsockopt(struct dce_sock *sk, int level, int opt, void *val, socklen_t *len)
{
	struct usock *u = U(sk);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	int v = 0;
	switch (opt) {
	case SO_ERROR: v = u->err; u->err = 0; break;
	case SO_ACCEPTCONN: v = u->state == U_LISTEN; break;
	case SO_SNDBUF: v = u->sndbuf; break;
	case SO_RCVBUF: v = u->rcvbuf; break;
	case SO_KEEPALIVE: case SO_BROADCAST: v = 0; break;
	case SO_PEERCRED: {
		struct ucred c = { 0, (uid_t)-1, (gid_t)-1 };
		if (u->peer || u->state == U_LISTEN || sk->type == SOCK_DGRAM)
			c = u->peercred;
		if (sk->type == SOCK_DGRAM && !u->peer)
			c = (struct ucred){ 0, (uid_t)-1, (gid_t)-1 };
		memcpy(val, &c, sizeof c);
		*len = sizeof c;
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	memcpy(val, &v, sizeof v);
	*len = sizeof v;
	return 0;
}

static long unix_ioctl(struct dce_thread *t, struct dce_sock *sk, unsigned long req, uint64_t arg)
{
	(void)t;
	struct usock *u = U(sk);
	int v;
	switch (req) {
	case FIONREAD:
		if (u->state == U_LISTEN)
			return -EINVAL;
		v = sk->type == SOCK_STREAM ? (int)u->rxbytes : (u->rxh ? (int)u->rxh->len : 0);
		break;
	case SIOCOUTQ:
		v = sk->type != SOCK_DGRAM && u->peer ? (int)u->peer->rxbytes : 0;
		break;
	default:
		return -ENOTTY;
	}
	return dce_copy_to_user(arg, &v, sizeof v) ? -EFAULT : 0;
}

static const struct dce_sock_ops unix_ops = {
	.bind = unix_bind,
	.connect = unix_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.send = unix_send,
	.recv = unix_recv,
	.shutdown = unix_shutdown,
	.getname = unix_getname,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.ioctl = unix_ioctl,
	.poll = unix_poll,
	.release = unix_release,
};
