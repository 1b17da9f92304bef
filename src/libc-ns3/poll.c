/* poll.c - poll, select and epoll over every kind of file: readiness comes from
 * each file's poll op; waiting registers the thread on the files' wait queues. */
#include "../core/kernel.h"
#include "../core/sim.h"
#include "syscalls.h"
#include "uaccess.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>

static int file_ready(struct dce_file *f)
{
	return f->ops->poll ? f->ops->poll(f) : (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

/* Block until one of files[0..n) notifies, the timeout passes or a signal arrives. */
static int wait_files(struct dce_thread *t, struct dce_file **files, int n, int64_t timeout)
{
	if (dce_signal_pending(t))
		return -EINTR;
	struct dce_waiter *w = calloc((size_t)n * 2 + 1, sizeof *w);
	for (int i = 0; i < n; i++) {
		dce_waitq_add(&files[i]->readq, &w[2 * i], t);
		dce_waitq_add(&files[i]->writeq, &w[2 * i + 1], t);
	}
	int r = dce_thread_block(t, timeout);
	for (int i = 0; i < 2 * n; i++)
		dce_waitq_del(&w[i]);
	free(w);
	if (r == 0 && dce_signal_pending(t))
		return -EINTR;
	return r;
}

static int64_t ts_timeout(const struct timespec *ts)
{
	if (!ts)
		return -1;
	return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long do_poll(struct dce_thread *t, struct pollfd *fds, unsigned long n, int64_t timeout)
{
	if (n > 1024)
		return -EINVAL;
	uint64_t deadline = timeout >= 0 ? dce_sim_now() + (uint64_t)timeout : 0;
	struct dce_file **files = calloc(n + 1, sizeof *files);
	long ready;
	int waited = 0;
	for (;;) {
		int nf = 0;
		ready = 0;
		for (unsigned long i = 0; i < n; i++) {
			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			struct dce_file *f = dce_fd_lookup(t->proc, fds[i].fd);
			if (!f) {
				fds[i].revents = POLLNVAL;
				ready++;
				continue;
			}
			int m = file_ready(f) & (fds[i].events | POLLERR | POLLHUP | POLLNVAL);
			fds[i].revents = (short)m;
			if (m)
				ready++;
			files[nf++] = f;
		}
		if (ready || timeout == 0)
			break;
		int64_t left = -1;
		if (timeout > 0) {
			uint64_t now = dce_sim_now();
			if (now >= deadline)
				break;
			left = (int64_t)(deadline - now);
		}
		int r = wait_files(t, files, nf, left);
		waited = 1;
		if (r == -EINTR) {
			ready = -EINTR;
			break;
		}
		if (r == -ETIMEDOUT)
			timeout = 0; /* one last look */
	}
	free(files);
	if (ready > 0 && !waited)
		dce_time_busy_tick(t); /* select/poll in a loop on ready fds costs time, as on a CPU */
	for (unsigned long i = 0; ready > 0 && i < n; i++)
		if (fds[i].revents & POLLIN)
			dce_file_want_ahead(t, dce_fd_lookup(t->proc, fds[i].fd));
	return ready;
}

long sys_poll(struct dce_thread *t, uint64_t fdsp, long n, long ms)
{
	if (n < 0)
		return -EINVAL;
	return do_poll(t, DCE_USER(fdsp), (unsigned long)n, ms < 0 ? -1 : ms * 1000000LL);
}

long sys_ppoll(struct dce_thread *t, uint64_t fdsp, long n, uint64_t tsp, uint64_t maskp, uint64_t size)
{
	uint64_t saved = t->sigmask;
	if (maskp && size == 8)
		t->sigmask = *(uint64_t *)DCE_USER(maskp);
	long r = do_poll(t, DCE_USER(fdsp), (unsigned long)n, ts_timeout(DCE_USER(tsp)));
	if (maskp && size == 8) {
		if (r == -EINTR) {
			t->saved_sigmask = saved;
			t->restore_sigmask = 1;
		} else
			t->sigmask = saved;
	}
	return r;
}

static long do_select(struct dce_thread *t, int nfds, fd_set *rs, fd_set *ws, fd_set *es, int64_t timeout)
{
	if (nfds < 0 || nfds > 1024)
		return -EINVAL;
	struct pollfd *p = calloc((size_t)nfds + 1, sizeof *p);
	int n = 0;
	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;
		if (rs && FD_ISSET(fd, rs))
			ev |= POLLIN;
		if (ws && FD_ISSET(fd, ws))
			ev |= POLLOUT;
		if (es && FD_ISSET(fd, es))
			ev |= POLLPRI;
		if (!ev)
			continue;
		if (!dce_fd_lookup(t->proc, fd)) {
			free(p);
			return -EBADF;
		}
		p[n].fd = fd;
		p[n++].events = ev;
	}
	long r = do_poll(t, p, (unsigned long)n, timeout);
	if (r < 0) {
		free(p);
		return r;
	}
	/* only the nfds bits the caller passed (and the entry checked) are its memory */
	size_t bytes = ((size_t)nfds + 63) / 64 * 8;
	if (rs && bytes)
		memset(rs, 0, bytes);
	if (ws && bytes)
		memset(ws, 0, bytes);
	if (es && bytes)
		memset(es, 0, bytes);
	long count = 0;
	for (int i = 0; i < n; i++) {
		if (rs && (p[i].revents & (POLLIN | POLLHUP | POLLERR)) && (p[i].events & POLLIN)) {
			FD_SET(p[i].fd, rs);
			count++;
		}
		if (ws && (p[i].revents & (POLLOUT | POLLERR)) && (p[i].events & POLLOUT)) {
			FD_SET(p[i].fd, ws);
			count++;
		}
		if (es && (p[i].revents & POLLPRI)) {
			FD_SET(p[i].fd, es);
			count++;
		}
	}
	free(p);
	return count;
}

long sys_select(struct dce_thread *t, long nfds, uint64_t r, uint64_t w, uint64_t e, uint64_t tvp)
{
	struct timeval *tv = DCE_USER(tvp);
	int64_t timeout = -1;
	if (tv) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0)
			return -EINVAL;
		timeout = (int64_t)tv->tv_sec * 1000000000LL + (int64_t)tv->tv_usec * 1000LL;
	}
	uint64_t start = dce_sim_now();
	long ret = do_select(t, (int)nfds, DCE_USER(r), DCE_USER(w), DCE_USER(e), timeout);
	if (tv) { /* Linux updates the timeout with the time left */
		int64_t left = timeout - (int64_t)(dce_sim_now() - start);
		if (left < 0)
			left = 0;
		tv->tv_sec = left / 1000000000LL;
		tv->tv_usec = left % 1000000000LL / 1000;
	}
	return ret;
}

long sys_pselect6(struct dce_thread *t, long nfds, uint64_t r, uint64_t w, uint64_t e, uint64_t tsp, uint64_t sigp)
{
	/* the sixth argument points at { const sigset_t *mask; size_t size; } */
	struct { uint64_t mask, size; } sdata = { 0, 0 }, *sd = sigp ? &sdata : NULL;
	uint64_t saved = t->sigmask, newmask;
	if (sd && dce_copy_from_user(&sdata, sigp, sizeof sdata))
		return -EFAULT;
	if (sd && sd->mask && sd->size == 8) {
		if (dce_copy_from_user(&newmask, sd->mask, sizeof newmask))
			return -EFAULT;
		t->sigmask = newmask;
	}
	struct timespec *ts = DCE_USER(tsp);
	int64_t timeout = ts_timeout(ts);
	uint64_t start = dce_sim_now();
	long ret = do_select(t, (int)nfds, DCE_USER(r), DCE_USER(w), DCE_USER(e), timeout);
	if (sd && sd->mask && sd->size == 8) {
		if (ret == -EINTR) { /* the handler runs with the caller's mask restored after */
			t->saved_sigmask = saved;
			t->restore_sigmask = 1;
		} else
			t->sigmask = saved;
	}
	if (ts) { /* like Linux (and glibc's select over pselect6): the time left */
		int64_t left = timeout - (int64_t)(dce_sim_now() - start);
		if (left < 0)
			left = 0;
		ts->tv_sec = left / 1000000000LL;
		ts->tv_nsec = left % 1000000000LL;
	}
	return ret;
}

/* ---- epoll ---- */
struct epitem {
	int fd;
	struct dce_file *file; /* not a reference: removed when the fd is closed below */
	uint32_t events;
	uint64_t data;
	int disabled;          /* EPOLLONESHOT fired */
	int last;              /* readiness last reported (for EPOLLET) */
	uint64_t in_seq, out_seq; /* the file's edge counts when last reported */
	struct epitem *next;
};
struct epoll {
	struct epitem *items;
	struct dce_process *owner;
};

static void ep_release(struct dce_file *f)
{
	struct epoll *ep = f->priv;
	while (ep->items) {
		struct epitem *i = ep->items;
		ep->items = i->next;
		dce_file_put(i->file);
		free(i);
	}
	free(ep);
}

int dce_pipe_edges(struct dce_file *f, uint64_t *in, uint64_t *out);
int dce_timerfd_edges(struct dce_file *f, uint64_t *in, uint64_t *out);

/* EPOLLET: report when readiness appears, or when an event that wakes waiters
 * (new data, new room) happened on the file since the last report. */
static int ep_edge(struct epitem *i, int m)
{
	uint64_t in = 0, out = 0;
	int known = dce_pipe_edges(i->file, &in, &out) || dce_timerfd_edges(i->file, &in, &out);
	if (!known) /* other files (sockets): any change of state they notified is an edge */
		in = out = i->file->events;
	int fresh = m & ~i->last;
	if (in != i->in_seq)
		fresh |= m & (EPOLLIN | EPOLLRDNORM);
	if (out != i->out_seq)
		fresh |= m & (EPOLLOUT | EPOLLWRNORM);
	i->last = m;
	if (fresh) {
		i->in_seq = in;
		i->out_seq = out;
	}
	return fresh != 0;
}

static int ep_ready_mask(struct epitem *i)
{
	int m = file_ready(i->file);
	return m & (int)(i->events | EPOLLERR | EPOLLHUP);
}

static int ep_poll(struct dce_file *f)
{
	struct epoll *ep = f->priv;
	for (struct epitem *i = ep->items; i; i = i->next)
		if (!i->disabled && ep_ready_mask(i))
			return POLLIN | POLLRDNORM;
	return 0;
}

static const struct dce_file_ops epoll_ops = {
	.name = "anon_inode:[eventpoll]", .poll = ep_poll, .release = ep_release,
};

long sys_epoll_create1(struct dce_thread *t, long flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct epoll *ep = calloc(1, sizeof *ep);
	ep->owner = t->proc;
	struct dce_file *f = dce_file_new(&epoll_ops, -1, O_RDWR);
	f->priv = ep;
	return dce_fd_install(t->proc, f, 0, flags & EPOLL_CLOEXEC);
}

long sys_epoll_ctl(struct dce_thread *t, long epfd, long op, long fd, uint64_t evp)
{
	struct dce_file *ef = dce_fd_lookup(t->proc, (int)epfd);
	struct dce_file *f = dce_fd_lookup(t->proc, (int)fd);
	if (!ef || !f)
		return -EBADF;
	if (ef->ops != &epoll_ops || ef == f)
		return -EINVAL;
	if (f->ops == &dce_hostfile_ops)
		return -EPERM; /* regular files cannot be polled with epoll, as on Linux */
	struct epoll *ep = ef->priv;
	struct epitem **pp = &ep->items;
	while (*pp && !((*pp)->fd == fd && (*pp)->file == f))
		pp = &(*pp)->next;
	struct epoll_event *ev = DCE_USER(evp);
	switch (op) {
	case EPOLL_CTL_ADD: {
		if (*pp)
			return -EEXIST;
		if (!ev)
			return -EFAULT;
		struct epitem *i = calloc(1, sizeof *i);
		i->fd = (int)fd;
		i->file = dce_file_get(f);
		i->events = ev->events;
		i->data = ev->data.u64;
		*pp = i;
		/* keep insertion order: append */
		return 0;
	}
	case EPOLL_CTL_MOD:
		if (!*pp)
			return -ENOENT;
		if (!ev)
			return -EFAULT;
		(*pp)->events = ev->events;
		(*pp)->data = ev->data.u64;
		(*pp)->disabled = 0;
		(*pp)->last = 0;
		return 0;
	case EPOLL_CTL_DEL: {
		if (!*pp)
			return -ENOENT;
		struct epitem *i = *pp;
		*pp = i->next;
		dce_file_put(i->file);
		free(i);
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int ep_collect(struct dce_thread *t, struct epoll *ep, struct epoll_event *out, int max)
{
	struct dce_process *p = t->proc;
	int n = 0;
	for (struct epitem *i = ep->items; i && n < max; i = i->next) {
		if (i->disabled)
			continue;
		/* an fd closed since it was added no longer reports (Linux: the item dies
		 * with the file description; we check the fd still maps to it) */
		if (dce_fd_lookup(p, i->fd) != i->file)
			continue;
		int m = ep_ready_mask(i);
		if ((i->events & EPOLLET) && !ep_edge(i, m))
			continue;
		if (!m)
			continue;
		out[n].events = (uint32_t)m;
		out[n].data.u64 = i->data;
		if (m & EPOLLIN)
			dce_file_want_ahead(t, i->file);
		n++;
		if (i->events & EPOLLONESHOT)
			i->disabled = 1;
	}
	return n;
}

long sys_epoll_pwait(struct dce_thread *t, long epfd, uint64_t evp, long max, long ms, uint64_t maskp, uint64_t size)
{
	struct dce_file *ef = dce_fd_lookup(t->proc, (int)epfd);
	if (!ef)
		return -EBADF;
	if (ef->ops != &epoll_ops || max <= 0)
		return -EINVAL;
	struct epoll *ep = ef->priv;
	uint64_t saved = t->sigmask;
	if (maskp && size == 8)
		t->sigmask = *(uint64_t *)DCE_USER(maskp);
	int64_t timeout = ms < 0 ? -1 : ms * 1000000LL;
	uint64_t deadline = timeout >= 0 ? dce_sim_now() + (uint64_t)timeout : 0;
	long r;
	int waited = 0;
	for (;;) {
		r = ep_collect(t, ep, DCE_USER(evp), (int)max);
		if (r > 0 && !waited)
			dce_time_busy_tick(t);
		if (r || timeout == 0)
			break;
		waited = 1;
		int nf = 0;
		for (struct epitem *i = ep->items; i; i = i->next)
			nf++;
		struct dce_file **files = calloc((size_t)nf + 1, sizeof *files);
		nf = 0;
		for (struct epitem *i = ep->items; i; i = i->next)
			files[nf++] = i->file;
		int64_t left = -1;
		if (timeout > 0) {
			uint64_t now = dce_sim_now();
			left = now >= deadline ? 0 : (int64_t)(deadline - now);
		}
		int w = left == 0 ? -ETIMEDOUT : wait_files(t, files, nf, left);
		free(files);
		if (w == -EINTR) {
			r = -EINTR;
			break;
		}
		if (w == -ETIMEDOUT)
			timeout = 0;
	}
	if (maskp && size == 8)
		t->sigmask = saved;
	return r;
}
