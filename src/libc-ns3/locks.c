/* locks.c - advisory file locks between the processes of a node: POSIX record
 * locks (fcntl F_GETLK/F_SETLK/F_SETLKW, owned by a process's fd table as on
 * Linux, released by any close of the file), open file description locks
 * (F_OFD_*, owned by the open file) and flock(2) (a separate kind, also owned by
 * the open file). A blocked F_SETLKW/flock waits in simulated time on the node's
 * lock queue; a POSIX wait that would close a cycle of waiting owners fails with
 * EDEADLK. Files are named by their host inode. */
#include "../core/kernel.h"
#include "locks.h"
#include "uaccess.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CLS_RECORD, CLS_FLOCK };
#define OFF_MAX INT64_MAX

struct lk {
	int cls;
	int posix;             /* owner is an fd table (else an open file) */
	const void *owner;
	int pid;               /* who took it (F_GETLK reports it; -1 for OFD) */
	dev_t dev;
	ino_t ino;
	short type;            /* F_RDLCK or F_WRLCK */
	int64_t start, end;    /* inclusive */
	struct lk *next;
};

struct dce_locks {
	struct lk *held;
	struct lk *waiting;    /* requests blocked in F_SETLKW (deadlock detection) */
	struct dce_waitq wq;
};

static struct dce_locks *node_locks(struct dce_node *n)
{
	if (!n->locks)
		n->locks = calloc(1, sizeof *n->locks);
	return n->locks;
}

static int overlaps(const struct lk *a, const struct lk *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->cls == b->cls && a->start <= b->end && b->start <= a->end;
}

static int conflicts(const struct lk *held, const struct lk *req)
{
	return overlaps(held, req) && held->owner != req->owner && (held->type == F_WRLCK || req->type == F_WRLCK);
}

static long nheld; /* locks held on all nodes: closes skip the walk when none */

static struct lk *find_conflict(struct dce_locks *L, const struct lk *req)
{
	for (struct lk *l = L->held; l; l = l->next)
		if (conflicts(l, req))
			return l;
	return NULL;
}

/* Remove owner's part of [start, end] of the file, splitting locks that stick out. */
static void unlock_range(struct dce_locks *L, const struct lk *req)
{
	for (struct lk **pp = &L->held; *pp;) {
		struct lk *l = *pp;
		if (l->owner != req->owner || !overlaps(l, req)) {
			pp = &l->next;
			continue;
		}
		if (l->start < req->start && l->end > req->end) { /* a hole in the middle */
			struct lk *tail = malloc(sizeof *tail);
			*tail = *l;
			tail->start = req->end + 1;
			l->end = req->start - 1;
			tail->next = l->next;
			l->next = tail;
			nheld++;
			pp = &tail->next;
		} else if (l->start < req->start) {
			l->end = req->start - 1;
			pp = &l->next;
		} else if (l->end > req->end) {
			l->start = req->end + 1;
			pp = &l->next;
		} else {
			*pp = l->next;
			free(l);
			nheld--;
		}
	}
}

static void set_lock(struct dce_locks *L, const struct lk *req)
{
	unlock_range(L, req);
	if (req->type != F_UNLCK) {
		struct lk *n = malloc(sizeof *n);
		*n = *req;
		n->next = L->held;
		L->held = n;
		nheld++;
	}
	dce_waitq_wake_all(&L->wq);
}

/* Would owner waiting for `req` close a cycle? Follows holder -> its own blocked
 * request -> that request's holder, as Linux's posix_locks_deadlock. */
static int would_deadlock(struct dce_locks *L, const struct lk *req)
{
	const struct lk *want = req;
	for (int steps = 0; steps < 64; steps++) {
		struct lk *h = find_conflict(L, want);
		if (!h || !h->posix)
			return 0;
		if (h->owner == req->owner)
			return 1;
		const struct lk *next = NULL;
		for (struct lk *w = L->waiting; w; w = w->next)
			if (w->owner == h->owner)
				next = w;
		if (!next)
			return 0;
		want = next;
	}
	return 0;
}

/* Wait until req can be set; 0, -EINTR or -EDEADLK. */
static long wait_for(struct dce_thread *t, struct dce_locks *L, struct lk *req)
{
	struct lk *w = malloc(sizeof *w);
	*w = *req;
	w->next = L->waiting;
	L->waiting = w;
	long r = 0;
	while (find_conflict(L, req)) {
		if (req->posix && would_deadlock(L, req)) {
			r = -EDEADLK;
			break;
		}
		r = dce_wait_on(t, &L->wq, -1);
		if (r)
			break;
	}
	for (struct lk **pp = &L->waiting; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	free(w);
	return r;
}

static long file_id(struct dce_file *f, struct lk *req)
{
	struct stat st;
	if (dce_file_hostfd(f) < 0 || f->ops != &dce_hostfile_ops || (f->flags & O_PATH))
		return -EBADF;
	if (fstat(dce_file_hostfd(f), &st))
		return -errno;
	req->dev = st.st_dev;
	req->ino = st.st_ino;
	return 0;
}

/* The struct flock range as [start, end]: 0 or -EINVAL. */
static long flock_range(struct dce_file *f, const struct flock *fl, struct lk *req)
{
	int64_t base;
	struct stat st;
	switch (fl->l_whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = lseek(dce_file_hostfd(f), 0, SEEK_CUR); break;
	case SEEK_END: base = fstat(dce_file_hostfd(f), &st) ? 0 : st.st_size; break;
	default: return -EINVAL;
	}
	int64_t start = base + fl->l_start, len = fl->l_len;
	if (len < 0) {
		start += len;
		len = -len;
	}
	if (start < 0)
		return -EINVAL;
	req->start = start;
	req->end = len == 0 ? OFF_MAX : start + len - 1;
	if (req->end < req->start)
		return -EOVERFLOW;
	return 0;
}

long dce_locks_fcntl(struct dce_thread *t, struct dce_file *f, int cmd, uint64_t arg)
{
	struct flock fl;
	if (dce_copy_from_user(&fl, arg, sizeof fl))
		return -EFAULT;
	int ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	struct lk req = { .cls = CLS_RECORD, .posix = !ofd, .pid = ofd ? -1 : t->proc->pid };
	req.owner = ofd ? (const void *)f : (const void *)t->proc->fds;
	long r = file_id(f, &req);
	if (r)
		return r;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	req.type = fl.l_type;
	r = flock_range(f, &fl, &req);
	if (r)
		return r;
	struct dce_locks *L = node_locks(t->proc->node);
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (req.type == F_UNLCK)
			return -EINVAL;
		struct lk *h = find_conflict(L, &req);
		if (!h)
			fl.l_type = F_UNLCK;
		else {
			fl.l_type = h->type;
			fl.l_whence = SEEK_SET;
			fl.l_start = h->start;
			fl.l_len = h->end == OFF_MAX ? 0 : h->end - h->start + 1;
			fl.l_pid = h->pid;
		}
		return dce_copy_to_user(arg, &fl, sizeof fl);
	}
	int acc = f->flags & O_ACCMODE;
	if ((req.type == F_RDLCK && acc == O_WRONLY) || (req.type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	if (req.type != F_UNLCK && find_conflict(L, &req)) {
		if (cmd == F_SETLK || cmd == F_OFD_SETLK)
			return -EAGAIN;
		r = wait_for(t, L, &req);
		if (r)
			return r;
	}
	set_lock(L, &req);
	return 0;
}

long dce_locks_flock(struct dce_thread *t, struct dce_file *f, int op)
{
	struct lk req = { .cls = CLS_FLOCK, .owner = f, .pid = -1, .start = 0, .end = OFF_MAX };
	long r = file_id(f, &req);
	if (r == -EBADF && dce_file_hostfd(f) >= 0 && !(f->flags & O_PATH))
		r = 0, req.dev = (dev_t)-1, req.ino = (ino_t)(uintptr_t)f; /* sockets, pipes: locks of their own */
	if (r)
		return r;
	int nb = op & LOCK_NB;
	switch (op & ~LOCK_NB) {
	case LOCK_SH: req.type = F_RDLCK; break;
	case LOCK_EX: req.type = F_WRLCK; break;
	case LOCK_UN: req.type = F_UNLCK; break;
	default: return -EINVAL;
	}
	struct dce_locks *L = node_locks(t->proc->node);
	if (req.type != F_UNLCK && find_conflict(L, &req)) {
		if (nb)
			return -EWOULDBLOCK;
		/* converting releases the old lock first, as Linux does */
		struct lk un = req;
		un.type = F_UNLCK;
		unlock_range(L, &un);
		r = wait_for(t, L, &req);
		if (r)
			return r;
	}
	set_lock(L, &req);
	return 0;
}

static void drop_owner(const void *owner, int posix, dev_t dev, ino_t ino, int any_file)
{
	for (struct dce_node *n = dce_world.nodes; n; n = n->next) {
		struct dce_locks *L = n->locks;
		if (!L)
			continue;
		int dropped = 0;
		for (struct lk **pp = &L->held; *pp;) {
			struct lk *l = *pp;
			if (l->owner == owner && l->posix == posix && (any_file || (l->dev == dev && l->ino == ino))) {
				*pp = l->next;
				free(l);
				nheld--;
				dropped = 1;
			} else
				pp = &l->next;
		}
		if (dropped)
			dce_waitq_wake_all(&L->wq);
	}
}

static int any_held(void)
{
	return nheld > 0;
}

void dce_locks_close(struct dce_fdtable *owner, struct dce_file *f)
{
	struct stat st;
	if (!any_held() || f->ops != &dce_hostfile_ops || dce_file_hostfd(f) < 0 || fstat(dce_file_hostfd(f), &st))
		return;
	drop_owner(owner, 1, st.st_dev, st.st_ino, 0);
}

void dce_locks_fdtable_gone(struct dce_fdtable *owner)
{
	if (!any_held())
		return;
	drop_owner(owner, 1, 0, 0, 1);
}

void dce_locks_file_gone(struct dce_file *f)
{
	if (!any_held())
		return;
	drop_owner(f, 0, 0, 0, 1);
}
