/* fd.c - per-process file descriptor tables and open file descriptions. */
#include "../core/kernel.h"
#include "fsmeta.h"
#include "locks.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DCE_FD_MAX 1024 /* RLIMIT_NOFILE each process sees */

struct dce_fdtable *dce_fdtable_new(void)
{
	struct dce_fdtable *t = calloc(1, sizeof *t);
	t->refs = 1;
	return t;
}

static int grow(struct dce_fdtable *t, int need)
{
	if (need <= t->size)
		return 0;
	int n = t->size ? t->size : 16;
	while (n < need)
		n *= 2;
	struct dce_file **f = realloc(t->files, sizeof *f * (size_t)n);
	unsigned char *c = realloc(t->cloexec, (size_t)n);
	if (!f || !c)
		return -ENOMEM;
	memset(f + t->size, 0, sizeof *f * (size_t)(n - t->size));
	memset(c + t->size, 0, (size_t)(n - t->size));
	t->files = f;
	t->cloexec = c;
	t->size = n;
	return 0;
}

struct dce_fdtable *dce_fdtable_dup(struct dce_fdtable *src)
{
	struct dce_fdtable *t = dce_fdtable_new();
	grow(t, src->size);
	for (int i = 0; i < src->size; i++) {
		if (src->files[i])
			t->files[i] = dce_file_get(src->files[i]);
		t->cloexec[i] = src->cloexec[i];
	}
	return t;
}

void dce_fdtable_put(struct dce_fdtable *t)
{
	if (--t->refs > 0)
		return;
	dce_locks_fdtable_gone(t);
	for (int i = 0; i < t->size; i++)
		if (t->files[i])
			dce_file_put(t->files[i]);
	free(t->files);
	free(t->cloexec);
	free(t);
}

struct dce_file *dce_file_new(const struct dce_file_ops *ops, int hostfd, int flags)
{
	struct dce_file *f = calloc(1, sizeof *f);
	f->refs = 1;
	f->ops = ops;
	f->hostfd = hostfd;
	f->flags = flags;
	return f;
}

struct dce_file *dce_file_get(struct dce_file *f)
{
	f->refs++;
	return f;
}

void dce_file_put(struct dce_file *f)
{
	if (--f->refs > 0)
		return;
	dce_locks_file_gone(f);
	if (f->ops->release)
		f->ops->release(f);
	if (f->reopen) {
		dce_hostfd_release(f->reopen);
		free(f->reopen);
	} else if (f->hostfd >= 0)
		close(f->hostfd);
	free(f->vpath);
	free(f);
}

int dce_fd_install_at(struct dce_process *p, struct dce_file *f, int fd, int cloexec)
{
	struct dce_fdtable *t = p->fds;
	if (fd < 0 || fd >= DCE_FD_MAX) {
		dce_file_put(f);
		return -EBADF;
	}
	if (grow(t, fd + 1)) {
		dce_file_put(f);
		return -ENOMEM;
	}
	if (t->files[fd])
		dce_file_put(t->files[fd]);
	t->files[fd] = f;
	t->cloexec[fd] = (unsigned char)!!cloexec;
	return fd;
}

int dce_fd_install(struct dce_process *p, struct dce_file *f, int minfd, int cloexec)
{
	struct dce_fdtable *t = p->fds;
	for (int fd = minfd; fd < DCE_FD_MAX; fd++)
		if (fd >= t->size || !t->files[fd])
			return dce_fd_install_at(p, f, fd, cloexec);
	dce_file_put(f);
	return -EMFILE;
}

struct dce_file *dce_fd_lookup(struct dce_process *p, int fd)
{
	struct dce_fdtable *t = p->fds;
	if (!t || fd < 0 || fd >= t->size)
		return NULL;
	return t->files[fd];
}

int dce_fd_close(struct dce_process *p, int fd)
{
	struct dce_fdtable *t = p->fds;
	if (fd < 0 || fd >= t->size || !t->files[fd])
		return -EBADF;
	struct dce_file *f = t->files[fd];
	t->files[fd] = NULL;
	t->cloexec[fd] = 0;
	dce_locks_close(t, f);
	dce_file_put(f);
	return 0;
}

void dce_fd_close_on_exec(struct dce_process *p)
{
	if (p->fds->refs > 1) { /* shared with a vfork parent: unshare first */
		struct dce_fdtable *n = dce_fdtable_dup(p->fds);
		dce_fdtable_put(p->fds);
		p->fds = n;
	}
	for (int fd = 0; fd < p->fds->size; fd++)
		if (p->fds->files[fd] && p->fds->cloexec[fd])
			dce_fd_close(p, fd);
}

/* O_ASYNC: readiness changed, so the owner gets SIGIO (or its F_SETSIG signal). */
static void send_sigio(struct dce_file *f)
{
	int sig = f->sigio ? f->sigio : SIGIO;
	if (f->owner > 0) {
		struct dce_process *p = dce_process_find(f->owner_node, f->owner);
		if (p && p->state == DCE_P_RUNNING)
			dce_signal_send_proc(p, sig);
		return;
	}
	for (struct dce_process *p = dce_world.procs; p; p = p->next_all)
		if (p->node == f->owner_node && p->pgid == -f->owner && p->state == DCE_P_RUNNING)
			dce_signal_send_proc(p, sig);
}

void dce_file_notify(struct dce_file *f)
{
	f->events++;
	f->again_at = 0; /* no entry has number 0 */
	if ((f->flags & O_ASYNC) && f->owner && f->owner_node)
		send_sigio(f);
	dce_waitq_wake_all(&f->readq);
	dce_waitq_wake_all(&f->writeq);
}

void dce_file_again(struct dce_thread *t, struct dce_file *f, int write, long nr)
{
	/* only the calls fastcall.c repeats */
	if (nr < 0)
		nr = t->last_nr;
	if (!t->uc || (write ? nr != SYS_write && nr != SYS_sendto : nr != SYS_read && nr != SYS_recvfrom))
		return;
	long a[3] = { 0, 0, 0 };
	if (nr == SYS_sendto || nr == SYS_recvfrom) {
		if (nr != t->last_nr)
			return;
		const greg_t *g = t->uc->uc_mcontext.gregs;
		if (nr == SYS_sendto && g[REG_R8])
			return; /* a destination: what it points to can change */
		a[0] = g[REG_R10], a[1] = g[REG_R8], a[2] = g[REG_R9];
	}
	f->again_at = dce_slow_entries;
	f->again_nr = nr;
	memcpy(f->again_args, a, sizeof a);
}

struct dce_ahead *dce_ahead_pending[DCE_AHEAD_PENDING];
int dce_n_ahead_pending;

void dce_ahead_sync(void)
{
	for (int i = 0; i < dce_n_ahead_pending; i++)
		dce_ahead_pending[i]->take(dce_ahead_pending[i]);
	dce_n_ahead_pending = 0;
}

void dce_ahead_forget(struct dce_ahead *a)
{
	for (int i = 0; i < dce_n_ahead_pending; i++)
		if (dce_ahead_pending[i] == a) {
			a->take(a);
			dce_ahead_pending[i] = dce_ahead_pending[--dce_n_ahead_pending];
			return;
		}
}

void dce_file_want_ahead(struct dce_thread *t, struct dce_file *f)
{
	if (!f->ops->read_ahead || t->n_ahead_want == 4 || !dce_fastcall_on())
		return;
	for (int i = 0; i < t->n_ahead_want; i++)
		if (t->ahead_want[i] == f)
			return;
	t->ahead_want[t->n_ahead_want++] = f;
}

/* At the end of the call that wanted it (dce_trap), at the simulated time the
 * program's read would come: not when the call's cost is about to be slept off
 * (time would pass before the read). */
void dce_file_read_ahead(struct dce_thread *t)
{
	int sleeps = dce_world.syscall_cost && t->cpu_debt_ns + dce_world.syscall_cost >= dce_world.cost_slice;
	for (int i = 0; i < t->n_ahead_want && !sleeps; i++)
		t->ahead_want[i]->ops->read_ahead(t, t->ahead_want[i]);
	t->n_ahead_want = 0;
}

/* Files backed by a host descriptor: regular files, directories, devices we pass. */
static ssize_t host_read(struct dce_thread *t, struct dce_file *f, void *buf, size_t len)
{
	(void)t;
	ssize_t r = read(dce_file_hostfd(f), buf, len);
	return r < 0 ? -errno : r;
}

static ssize_t host_write(struct dce_thread *t, struct dce_file *f, const void *buf, size_t len)
{
	ssize_t r = write(dce_file_hostfd(f), buf, len);
	if (r < 0)
		return -errno;
	if (dce_fs_kind(t->proc, f) == DCE_FS_NODE)
		dce_fs_touch_fd(dce_file_hostfd(f));
	return r;
}

static int host_poll(struct dce_file *f)
{
	(void)f;
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM; /* files are always ready */
}

static void host_release(struct dce_file *f)
{
	dce_fs_info_free(f);
}

const struct dce_file_ops dce_hostfile_ops = {
	.name = "file", .read = host_read, .write = host_write, .poll = host_poll,
	.release = host_release,
};
