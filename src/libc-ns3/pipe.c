/* pipe.c - pipes and eventfds: in-memory objects whose readers and writers block
 * as fibers. */
#include "../core/kernel.h"
#include "syscalls.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>

#define PIPE_CAP 65536

struct pipe {
	unsigned char buf[PIPE_CAP];
	size_t head, len;
	int readers, writers;
	struct dce_file *rf, *wf; /* for readiness notification */
	uint64_t in_seq, out_seq;  /* data written, room made: edges for EPOLLET */
};

static void notify(struct pipe *pp)
{
	if (pp->rf)
		dce_file_notify(pp->rf);
	if (pp->wf)
		dce_file_notify(pp->wf);
}

static ssize_t pipe_read(struct dce_thread *t, struct dce_file *f, void *buf, size_t len)
{
	struct pipe *pp = f->priv;
	while (pp->len == 0) {
		if (pp->writers == 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int r = dce_wait_on(t, &f->readq, -1);
		if (r == -EINTR)
			return -EINTR;
	}
	size_t n = len < pp->len ? len : pp->len;
	for (size_t i = 0; i < n; i++)
		((unsigned char *)buf)[i] = pp->buf[(pp->head + i) % PIPE_CAP];
	pp->head = (pp->head + n) % PIPE_CAP;
	pp->len -= n;
	pp->out_seq++;
	notify(pp);
	return (ssize_t)n;
}

static ssize_t pipe_write(struct dce_thread *t, struct dce_file *f, const void *buf, size_t len)
{
	struct pipe *pp = f->priv;
	size_t done = 0;
	while (done < len) {
		if (pp->readers == 0) {
			dce_signal_send_thread(t, SIGPIPE);
			return done ? (ssize_t)done : -EPIPE;
		}
		size_t room = PIPE_CAP - pp->len;
		/* writes up to PIPE_BUF are atomic */
		if (room == 0 || (len - done <= 4096 && room < len - done)) {
			if (f->flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			int r = dce_wait_on(t, &f->writeq, -1);
			if (r == -EINTR)
				return done ? (ssize_t)done : -EINTR;
			continue;
		}
		size_t n = len - done < room ? len - done : room;
		for (size_t i = 0; i < n; i++)
			pp->buf[(pp->head + pp->len + i) % PIPE_CAP] = ((const unsigned char *)buf)[done + i];
		pp->len += n;
		done += n;
		pp->in_seq++;
		notify(pp);
	}
	return (ssize_t)done;
}

static int pipe_poll(struct dce_file *f)
{
	struct pipe *pp = f->priv;
	int m = 0;
	if (f == pp->rf) {
		if (pp->len)
			m |= POLLIN | POLLRDNORM;
		if (!pp->writers)
			m |= POLLHUP;
	} else {
		if (PIPE_CAP - pp->len >= 4096)
			m |= POLLOUT | POLLWRNORM;
		if (!pp->readers)
			m |= POLLERR;
	}
	return m;
}

static void pipe_release(struct dce_file *f)
{
	struct pipe *pp = f->priv;
	if (f == pp->rf) {
		pp->readers = 0;
		pp->rf = NULL;
	} else {
		pp->writers = 0;
		pp->wf = NULL;
	}
	notify(pp);
	if (!pp->rf && !pp->wf)
		free(pp);
}

static const struct dce_file_ops pipe_ops = {
	.name = "pipe", .read = pipe_read, .write = pipe_write, .poll = pipe_poll, .release = pipe_release,
};

long sys_pipe2(struct dce_thread *t, uint64_t fdsp, long flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	int *fds = DCE_USER(fdsp);
	if (!fds)
		return -EFAULT;
	struct pipe *pp = calloc(1, sizeof *pp);
	pp->readers = pp->writers = 1;
	pp->rf = dce_file_new(&pipe_ops, -1, O_RDONLY | ((int)flags & O_NONBLOCK));
	pp->wf = dce_file_new(&pipe_ops, -1, O_WRONLY | ((int)flags & O_NONBLOCK));
	pp->rf->priv = pp->wf->priv = pp;
	struct dce_file *rf = pp->rf, *wf = pp->wf;
	int r = dce_fd_install(t->proc, rf, 0, flags & O_CLOEXEC);
	if (r < 0) {
		dce_file_put(wf);
		return r;
	}
	int w = dce_fd_install(t->proc, wf, 0, flags & O_CLOEXEC);
	if (w < 0) {
		dce_fd_close(t->proc, r);
		return w;
	}
	fds[0] = r;
	fds[1] = w;
	return 0;
}

long dce_file_fionread(struct dce_file *f, int *out)
{
	if (f->ops == &pipe_ops) {
		*out = (int)((struct pipe *)f->priv)->len;
		return 0;
	}
	return -ENOTTY;
}

/* ---- eventfd ---- */
struct efd {
	uint64_t count;
	int semaphore;
	uint64_t in_seq, out_seq;
};

static ssize_t efd_read(struct dce_thread *t, struct dce_file *f, void *buf, size_t len)
{
	struct efd *e = f->priv;
	if (len < 8)
		return -EINVAL;
	while (e->count == 0) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (dce_wait_on(t, &f->readq, -1) == -EINTR)
			return -EINTR;
	}
	uint64_t v = e->semaphore ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, 8);
	e->out_seq++;
	dce_file_notify(f);
	return 8;
}

static ssize_t efd_write(struct dce_thread *t, struct dce_file *f, const void *buf, size_t len)
{
	struct efd *e = f->priv;
	uint64_t v;
	if (len < 8)
		return -EINVAL;
	memcpy(&v, buf, 8);
	if (v == UINT64_MAX)
		return -EINVAL;
	while (UINT64_MAX - 1 - e->count < v) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (dce_wait_on(t, &f->writeq, -1) == -EINTR)
			return -EINTR;
	}
	e->count += v;
	e->in_seq++;
	dce_file_notify(f);
	return 8;
}

static int efd_poll(struct dce_file *f)
{
	struct efd *e = f->priv;
	int m = 0;
	if (e->count)
		m |= POLLIN | POLLRDNORM;
	if (e->count < UINT64_MAX - 1)
		m |= POLLOUT | POLLWRNORM;
	return m;
}

static void efd_release(struct dce_file *f)
{
	free(f->priv);
}

static const struct dce_file_ops efd_ops = {
	.name = "anon_inode:[eventfd]", .read = efd_read, .write = efd_write, .poll = efd_poll,
	.release = efd_release,
};

long sys_eventfd2(struct dce_thread *t, long initval, long flags)
{
	if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	struct efd *e = calloc(1, sizeof *e);
	e->count = (uint32_t)initval;
	e->semaphore = (flags & EFD_SEMAPHORE) != 0;
	struct dce_file *f = dce_file_new(&efd_ops, -1, O_RDWR | ((int)flags & O_NONBLOCK));
	f->priv = e;
	return dce_fd_install(t->proc, f, 0, flags & EFD_CLOEXEC);
}

/* Counts of the events that make an edge for EPOLLET (data arrived, room made);
 * 0 if f is not a pipe or an eventfd. */
int dce_pipe_edges(struct dce_file *f, uint64_t *in, uint64_t *out)
{
	if (f->ops == &pipe_ops) {
		struct pipe *pp = f->priv;
		*in = pp->in_seq;
		*out = pp->out_seq;
		return 1;
	}
	if (f->ops == &efd_ops) {
		struct efd *e = f->priv;
		*in = e->in_seq;
		*out = e->out_seq;
		return 1;
	}
	return 0;
}
