/* file.c - file and directory system calls over the node's root (see path.c). */
#include "../core/kernel.h"
#include "path.h"
#include "syscalls.h"
#include "fs-extra.h"
#include "fsmeta.h"
#include "uaccess.h"
#include "creds.h"
#include "locks.h"
#include <limits.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

static struct dce_file *lookup(struct dce_thread *t, long fd)
{
	return dce_fd_lookup(t->proc, (int)fd);
}

long sys_read(struct dce_thread *t, long fd, uint64_t buf, uint64_t len)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_PATH))
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(t, f, DCE_USER(buf), len);
}

long sys_write(struct dce_thread *t, long fd, uint64_t buf, uint64_t len)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(t, f, DCE_USER(buf), len);
}

/* The program's iovec array, copied: at most IOV_MAX entries. */
static long iov_from_user(struct iovec *iov, uint64_t iovp, long cnt)
{
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	if (dce_copy_from_user(iov, iovp, sizeof *iov * (size_t)cnt))
		return -EFAULT;
	return 0;
}

/* readv/writev one buffer at a time, stopping at a short transfer, as Linux does for
 * files without a vectored operation. */
static long iov_each(struct dce_thread *t, long fd, const struct iovec *iov, long cnt,
                     long (*op)(struct dce_thread *, long, uint64_t, uint64_t))
{
	long total = 0;
	for (long i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		/* as the entry does for read's buffer: the caller's memory, cut to what is there */
		size_t len = dce_user_extent(t->proc, (uint64_t)iov[i].iov_base, iov[i].iov_len);
		long r = len ? op(t, fd, (uint64_t)iov[i].iov_base, len) : -EFAULT;
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}

long sys_readv(struct dce_thread *t, long fd, uint64_t iovp, long cnt)
{
	struct iovec iov[IOV_MAX];
	long r = iov_from_user(iov, iovp, cnt);
	if (r)
		return r;
	return iov_each(t, fd, iov, cnt, sys_read);
}

static int is_node_file(struct dce_thread *t, struct dce_file *f)
{
	return f->ops == &dce_hostfile_ops && dce_fs_kind(t->proc, f) == DCE_FS_NODE;
}

long sys_writev(struct dce_thread *t, long fd, uint64_t iovp, long cnt)
{
	struct iovec iov[IOV_MAX];
	long r = iov_from_user(iov, iovp, cnt);
	if (r)
		return r;
	struct dce_file *f = lookup(t, fd);
	if (f && f->ops == &dce_hostfile_ops && (f->flags & O_ACCMODE) != O_RDONLY && !(f->flags & O_PATH)) {
		ssize_t w = writev(dce_file_hostfd(f), iov, (int)cnt); /* one atomic write, as on Linux */
		if (w < 0)
			return -errno;
		if (is_node_file(t, f))
			dce_fs_touch_fd(dce_file_hostfd(f));
		return w;
	}
	return iov_each(t, fd, iov, cnt, sys_write);
}

static int host_fd_of(struct dce_thread *t, long fd, struct dce_file **fp)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	if (fp)
		*fp = f;
	if (dce_file_hostfd(f) < 0)
		return -ESPIPE;
	return dce_file_hostfd(f);
}

/* A positioned transfer on fd: the file must be open for it (O_PATH is not). */
static int pos_fd(struct dce_thread *t, long fd, int write, struct dce_file **fp)
{
	int h = host_fd_of(t, fd, fp);
	if (h < 0)
		return h;
	int acc = (*fp)->flags & O_ACCMODE;
	if (((*fp)->flags & O_PATH) || acc == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	return h;
}

long sys_pread64(struct dce_thread *t, long fd, uint64_t buf, uint64_t len, long off)
{
	struct dce_file *f;
	int h = pos_fd(t, fd, 0, &f);
	if (h < 0)
		return h;
	ssize_t r = pread(h, DCE_USER(buf), len, off);
	return r < 0 ? -errno : r;
}

/* sendfile: from a file at *offp (or its offset) to any writable descriptor
 * (a socket, a pipe, a file), through a buffer. Stops at a short write, as
 * Linux's does; the input advances only by what was written. */
long sys_sendfile(struct dce_thread *t, long out_fd, long in_fd, uint64_t offp, uint64_t count)
{
	struct dce_file *in;
	int h = pos_fd(t, in_fd, 0, &in);
	if (h < 0)
		return h == -EBADF ? h : -EINVAL;
	struct dce_file *out = lookup(t, out_fd);
	if (!out || (out->flags & O_ACCMODE) == O_RDONLY || (out->flags & O_PATH))
		return -EBADF;
	if (!out->ops->write || (out->flags & O_APPEND))
		return -EINVAL;
	off_t pos;
	if (offp) {
		if (dce_copy_from_user(&pos, offp, sizeof pos))
			return -EFAULT;
		if (pos < 0)
			return -EINVAL;
	} else if ((pos = lseek(h, 0, SEEK_CUR)) < 0) {
		return -errno;
	}
	enum { CHUNK = 64 * 1024 };
	char *buf = malloc(CHUNK);
	if (!buf)
		return -ENOMEM;
	uint64_t done = 0;
	long err = 0;
	while (done < count) {
		size_t want = count - done < CHUNK ? (size_t)(count - done) : CHUNK;
		ssize_t n = pread(h, buf, want, pos);
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		dce_uaccess_allow(t, buf, (size_t)n); /* the file's bytes, written as a user buffer */
		ssize_t w = out->ops->write(t, out, buf, (size_t)n);
		dce_uaccess_allow(t, NULL, 0);
		if (w <= 0) {
			err = w;
			break;
		}
		done += (uint64_t)w;
		pos += w;
		if (w < n)
			break;
	}
	free(buf);
	if (offp ? dce_copy_to_user(offp, &pos, sizeof pos) != 0 : lseek(h, pos, SEEK_SET) < 0)
		return done ? (long)done : -EFAULT;
	return done ? (long)done : err;
}

long sys_pwrite64(struct dce_thread *t, long fd, uint64_t buf, uint64_t len, long off)
{
	struct dce_file *f;
	int h = pos_fd(t, fd, 1, &f);
	if (h < 0)
		return h;
	ssize_t r = pwrite(h, DCE_USER(buf), len, off);
	if (r < 0)
		return -errno;
	if (is_node_file(t, f))
		dce_fs_touch_fd(h);
	return r;
}

long sys_preadv2(struct dce_thread *t, long fd, uint64_t iovp, long cnt, long off, long flags)
{
	struct iovec iov[IOV_MAX];
	long r = iov_from_user(iov, iovp, cnt);
	if (r)
		return r;
	if (off == -1) /* preadv2: the current position */
		return sys_readv(t, fd, iovp, cnt);
	struct dce_file *f;
	int h = pos_fd(t, fd, 0, &f);
	if (h < 0)
		return h;
	ssize_t n = preadv2(h, iov, (int)cnt, off, (int)flags & ~RWF_NOWAIT);
	return n < 0 ? -errno : n;
}

long sys_pwritev2(struct dce_thread *t, long fd, uint64_t iovp, long cnt, long off, long flags)
{
	struct iovec iov[IOV_MAX];
	long r = iov_from_user(iov, iovp, cnt);
	if (r)
		return r;
	if (off == -1)
		return sys_writev(t, fd, iovp, cnt);
	struct dce_file *f;
	int h = pos_fd(t, fd, 1, &f);
	if (h < 0)
		return h;
	ssize_t n = pwritev2(h, iov, (int)cnt, off, (int)flags & ~RWF_NOWAIT);
	if (n < 0)
		return -errno;
	if (is_node_file(t, f))
		dce_fs_touch_fd(h);
	return n;
}

long sys_lseek(struct dce_thread *t, long fd, long off, long whence)
{
	struct dce_file *f;
	int h = host_fd_of(t, fd, &f);
	if (h < 0)
		return h;
	long res;
	if (dce_fs_dir_seek(f, off, (int)whence, &res))
		return res;
	off_t r = lseek(h, off, (int)whence);
	return r < 0 ? -errno : r;
}

/* A directory entry appeared or went in the directory containing vpath. */
static void touch_parent(struct dce_process *p, const char *vpath)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", vpath);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	if (slash == dir)
		slash[1] = 0;
	else
		*slash = 0;
	int d = dce_path_open(p, AT_FDCWD, dir, O_PATH | O_DIRECTORY, 0, NULL, NULL);
	if (d >= 0) {
		dce_fs_touch_dir(d);
		close(d);
	}
}

static int access_want(int flags)
{
	if (flags & O_PATH)
		return 0;
	int acc = flags & O_ACCMODE;
	int want = acc == O_RDONLY ? R_OK : acc == O_WRONLY ? W_OK : R_OK | W_OK;
	return want | ((flags & O_TRUNC) ? W_OK : 0);
}

/* Create path's last component as the program asked, after checking it may write
 * the directory; the new file belongs to the program's fs ids. */
static int create_file(struct dce_thread *t, int dirfd, const char *path, int flags, mode_t mode,
                       char *vpath, int *is_host, int excl)
{
	struct dce_process *p = t->proc;
	char base[NAME_MAX + 1];
	int ph = -1;
	if (!dce_cred_capable(p, CAP_DAC_OVERRIDE) || dce_cred(p)->fsuid || dce_cred(p)->fsgid) {
		int host = 0;
		ph = dce_path_parent(p, dirfd, path, base, &host);
		if (ph >= 0 && !host) {
			long r = dce_perm_dir_modify(p, ph);
			if (r) {
				close(ph);
				return (int)r;
			}
		}
	}
	/* without O_EXCL a dangling symlink's target is created, as on Linux */
	int h = dce_path_open(p, dirfd, path, flags | O_CREAT | (excl ? O_EXCL : 0), mode, vpath, is_host);
	if (h >= 0 && !*is_host && (ph >= 0 || dce_cred(p)->fsuid || dce_cred(p)->fsgid))
		dce_perm_new_owner(p, ph, NULL, h);
	if (ph >= 0)
		close(ph);
	return h;
}

/* Open a node or mapped file as the program's credentials allow; new files get
 * simulated times. O_TRUNC is applied once the permission is known. */
static int open_file(struct dce_thread *t, int dirfd, const char *path, int flags, mode_t mode,
                     char *vpath, int *is_host)
{
	struct dce_process *p = t->proc;
	int created = 0, h;
	int oflags = flags & ~(O_CREAT | O_EXCL | O_TRUNC);
	if ((flags & O_CREAT) && (flags & O_EXCL)) {
		h = create_file(t, dirfd, path, flags & ~(O_CREAT | O_EXCL), mode, vpath, is_host, 1);
		created = h >= 0;
	} else {
		h = dce_path_open(p, dirfd, path, oflags, mode, vpath, is_host);
		if (h == -ENOENT && (flags & O_CREAT)) {
			h = create_file(t, dirfd, path, flags & ~(O_CREAT | O_EXCL | O_TRUNC), mode, vpath, is_host, 0);
			if (h == -EEXIST) /* made by someone else meanwhile */
				h = dce_path_open(p, dirfd, path, oflags, mode, vpath, is_host);
			else
				created = h >= 0;
		}
	}
	if (h < 0)
		return h;
	if (!created) {
		long r = dce_perm_fd(p, h, *is_host ? DCE_FS_HOST : DCE_FS_NODE, access_want(flags));
		if (r) {
			close(h);
			return (int)r;
		}
	}
	if (*is_host || (flags & O_PATH))
		return h;
	if (created) {
		dce_fs_touch_new(h);
		touch_parent(p, vpath);
	} else if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
		struct stat st;
		if (fstat(h, &st) == 0 && S_ISREG(st.st_mode)) {
			if (ftruncate(h, 0)) {
				int e = errno;
				close(h);
				return -e;
			}
			dce_fs_touch_fd(h);
		}
	}
	return h;
}

long sys_openat(struct dce_thread *t, long dirfd, uint64_t pathp, long flags, long mode)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	struct dce_file *f = NULL;
	r = dce_special_open(t, (int)dirfd, path, (int)flags, &f);
	if (r < 0)
		return r;
	if (r == 0) {
		char vpath[PATH_MAX];
		int is_host = 0;
		int h = open_file(t, (int)dirfd, path, (int)flags, (mode_t)mode, vpath, &is_host);
		if (h < 0)
			return h;
		f = dce_file_new(&dce_hostfile_ops, h, (int)flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | O_NOCTTY));
		f->vpath = strdup(vpath);
		dce_fs_set_kind(f, is_host ? DCE_FS_HOST : DCE_FS_NODE);
	}
	return dce_fd_install(t->proc, f, 0, flags & O_CLOEXEC);
}

long sys_close(struct dce_thread *t, long fd)
{
	return dce_fd_close(t->proc, (int)fd);
}

long sys_close_range(struct dce_thread *t, unsigned long first, unsigned long last, long flags)
{
	struct dce_fdtable *ft = t->proc->fds;
	for (unsigned long fd = first; fd <= last && fd < (unsigned long)ft->size; fd++) {
		if (!ft->files[fd])
			continue;
		if (flags & 4 /* CLOSE_RANGE_CLOEXEC */)
			ft->cloexec[fd] = 1;
		else
			dce_fd_close(t->proc, (int)fd);
	}
	return 0;
}

/* Fill st for a file with no host descriptor (pipes, eventfds, ...). */
static void anon_stat(struct dce_file *f, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_mode = (strcmp(f->ops->name, "pipe") == 0 ? S_IFIFO : strcmp(f->ops->name, "socket") == 0 ? S_IFSOCK : 0) | 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_ino = (ino_t)(uintptr_t)f % 100000;
}

/* stat of an open file as the program sees it. */
static long file_stat(struct dce_thread *t, struct dce_file *f, struct stat *st)
{
	if (dce_file_hostfd(f) < 0) {
		anon_stat(f, st);
		return 0;
	}
	if (fstat(dce_file_hostfd(f), st))
		return -errno;
	dce_fs_fix_stat(t->proc->node, st, dce_fs_kind(t->proc, f), f->vpath);
	return 0;
}

static long stat_out(uint64_t stp, const struct stat *st)
{
	return dce_copy_to_user(stp, st, sizeof *st);
}

long sys_fstat(struct dce_thread *t, long fd, uint64_t stp)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	struct stat st;
	long r = file_stat(t, f, &st);
	return r ? r : stat_out(stp, &st);
}

/* Resolve a stat-family path: an open special file (*sf), or a host fd h with
 * name ("" or the last component under h when the last link is not followed). */
struct stat_target {
	struct dce_file *sf;
	int h, kind;
	char name[NAME_MAX + 1];
};

static long stat_resolve(struct dce_thread *t, long dirfd, const char *path, long flags, struct stat_target *st)
{
	st->sf = NULL;
	st->h = -1;
	st->name[0] = 0;
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		if (dirfd == AT_FDCWD)
			path = ".";
		else {
			struct dce_file *f = lookup(t, dirfd);
			if (!f)
				return -EBADF;
			st->sf = dce_file_get(f);
			return 0;
		}
	}
	if (!path[0])
		return -ENOENT;
	int r = dce_special_open(t, (int)dirfd, path, O_RDONLY, &st->sf);
	if (r)
		return r < 0 ? r : 0;
	int is_host = 0;
	if (flags & AT_SYMLINK_NOFOLLOW)
		st->h = dce_path_parent(t->proc, (int)dirfd, path, st->name, &is_host);
	else
		st->h = dce_path_open(t->proc, (int)dirfd, path, O_PATH, 0, NULL, &is_host);
	if (st->h < 0)
		return st->h;
	st->kind = is_host ? DCE_FS_HOST : DCE_FS_NODE;
	return 0;
}

static void stat_release(struct stat_target *st)
{
	if (st->sf)
		dce_file_put(st->sf);
	if (st->h >= 0)
		close(st->h);
}

long sys_newfstatat(struct dce_thread *t, long dirfd, uint64_t pathp, uint64_t stp, long flags)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	struct stat_target tg;
	struct stat st;
	r = stat_resolve(t, dirfd, path, flags, &tg);
	if (r == 0) {
		if (tg.sf)
			r = file_stat(t, tg.sf, &st);
		else if (fstatat(tg.h, tg.name, &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
			r = -errno;
		else
			dce_fs_fix_stat(t->proc->node, &st, tg.kind, NULL);
	}
	stat_release(&tg);
	return r ? r : stat_out(stp, &st);
}

long sys_statx(struct dce_thread *t, long dirfd, uint64_t pathp, long flags, long mask, uint64_t bufp)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	struct stat_target tg;
	struct statx sx;
	r = stat_resolve(t, dirfd, path, flags, &tg);
	if (r == 0 && tg.sf && dce_file_hostfd(tg.sf) < 0)
		r = -ENOSYS; /* glibc falls back to fstat */
	else if (r == 0) {
		int h = tg.sf ? dce_file_hostfd(tg.sf) : tg.h;
		int kind = tg.sf ? dce_fs_kind(t->proc, tg.sf) : tg.kind;
		int sflags = ((int)flags & AT_STATX_SYNC_TYPE) | AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW;
		if (syscall(SYS_statx, h, tg.name, sflags, (unsigned)mask, &sx))
			r = -errno;
		else
			dce_fs_fix_statx(t->proc->node, &sx, kind, tg.sf ? tg.sf->vpath : NULL);
	}
	stat_release(&tg);
	return r ? r : dce_copy_to_user(bufp, &sx, sizeof sx);
}

long sys_faccessat(struct dce_thread *t, long dirfd, uint64_t pathp, long mode, long flags)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	if (mode & ~(long)(R_OK | W_OK | X_OK))
		return -EINVAL;
	struct dce_file *sf = NULL;
	r = dce_special_open(t, (int)dirfd, path, O_RDONLY, &sf);
	if (r < 0)
		return r;
	if (r > 0) {
		dce_file_put(sf);
		return 0;
	}
	int is_host = 0;
	int h = dce_path_open(t->proc, (int)dirfd, path, O_PATH | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0, NULL, &is_host);
	if (h < 0)
		return h;
	if (is_host && (mode & W_OK)) {
		close(h);
		return -EROFS;
	}
	/* with the real ids (access(2)); a mapped host file by its host owner */
	r = 0;
	if (mode) {
		struct stat st;
		if (fstat(h, &st) == 0) {
			uid_t u;
			gid_t g;
			dce_fs_owner(t->proc->node, &st, is_host ? DCE_FS_HOST : DCE_FS_NODE, &u, &g);
			r = dce_cred_permission(t->proc, u, g, st.st_mode, (int)mode,
			                        !(flags & AT_EACCESS));
		}
	}
	close(h);
	return r;
}

long sys_readlinkat(struct dce_thread *t, long dirfd, uint64_t pathp, uint64_t buf, long len)
{
	char path[PATH_MAX], out[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	if (len <= 0)
		return -EINVAL;
	size_t n = len > PATH_MAX ? PATH_MAX : (size_t)len;
	r = dce_special_readlink(t, (int)dirfd, path, out, n);
	if (r == -ENOSYS) {
		char base[NAME_MAX + 1];
		int pfd = dce_path_parent(t->proc, (int)dirfd, path, base, NULL);
		if (pfd < 0)
			return pfd;
		r = readlinkat(pfd, base, out, n);
		r = r < 0 ? -errno : r;
		close(pfd);
	}
	if (r > 0 && dce_copy_to_user(buf, out, (size_t)r))
		return -EFAULT;
	return r;
}

long sys_getcwd(struct dce_thread *t, uint64_t buf, uint64_t size)
{
	size_t n = strlen(t->proc->cwd) + 1;
	if (size < n)
		return -ERANGE;
	if (dce_copy_to_user(buf, t->proc->cwd, n))
		return -EFAULT;
	return (long)n;
}

static long chdir_to(struct dce_thread *t, int h)
{
	struct stat st;
	if (fstat(h, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	char vp[PATH_MAX];
	if (dce_path_of_fd_proc(t->proc, h, vp) < 0)
		return -ENOENT;
	snprintf(t->proc->cwd, sizeof t->proc->cwd, "%s", vp);
	return 0;
}

long sys_chdir(struct dce_thread *t, uint64_t pathp)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	int h = dce_path_open(t->proc, AT_FDCWD, path, O_PATH | O_DIRECTORY, 0, NULL, NULL);
	if (h < 0)
		return h;
	r = chdir_to(t, h);
	close(h);
	return r;
}

long sys_fchdir(struct dce_thread *t, long fd)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	if (dce_file_hostfd(f) < 0)
		return -ENOTDIR;
	return chdir_to(t, dce_file_hostfd(f));
}

long sys_getdents64(struct dce_thread *t, long fd, uint64_t buf, long len)
{
	struct dce_file *f = lookup(t, fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (dce_file_hostfd(f) < 0 || f->ops != &dce_hostfile_ops)
		return -ENOTDIR;
	struct stat st;
	if (fstat(dce_file_hostfd(f), &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (len < 0)
		return -EINVAL;
	return dce_fs_getdents(t->proc, f, buf, (size_t)len);
}

long sys_dup(struct dce_thread *t, long fd)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	return dce_fd_install(t->proc, dce_file_get(f), 0, 0);
}

long sys_dup3(struct dce_thread *t, long oldfd, long newfd, long flags)
{
	if (oldfd == newfd)
		return -EINVAL;
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	struct dce_file *f = lookup(t, oldfd);
	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= 1024)
		return -EBADF;
	return dce_fd_install_at(t->proc, dce_file_get(f), (int)newfd, flags & O_CLOEXEC);
}

long sys_dup2(struct dce_thread *t, long oldfd, long newfd)
{
	if (oldfd == newfd)
		return lookup(t, oldfd) ? newfd : -EBADF;
	return sys_dup3(t, oldfd, newfd, 0);
}

/* F_SETOWN and FIOSETOWN: a pid (> 0) or process group (< 0) of the node, 0 none. */
static long set_owner(struct dce_thread *t, struct dce_file *f, int who)
{
	struct dce_process *p = t->proc;
	if (who > 0 && !dce_process_find(p->node, who))
		return -ESRCH;
	f->owner = who;
	f->owner_node = p->node;
	return 0;
}

struct owner_ex {
	int type; /* F_OWNER_TID 0, F_OWNER_PID 1, F_OWNER_PGRP 2 */
	int pid;
};

long sys_fcntl(struct dce_thread *t, long fd, long cmd, long arg)
{
	struct dce_process *p = t->proc;
	struct dce_file *f = lookup(t, fd);
	int iarg = (int)arg; /* an int for every command but the ones taking a pointer */
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (iarg < 0 || iarg >= 1024)
			return -EINVAL;
		return dce_fd_install(p, dce_file_get(f), iarg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return p->fds->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		p->fds->cloexec[fd] = (iarg & FD_CLOEXEC) ? 1 : 0;
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL: {
		int settable = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
		f->flags = (f->flags & ~settable) | (iarg & settable);
		if (dce_file_hostfd(f) >= 0 && f->ops == &dce_hostfile_ops)
			fcntl(dce_file_hostfd(f), F_SETFL, iarg & (O_APPEND | O_NOATIME));
		return 0;
	}
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return dce_locks_fcntl(t, f, (int)cmd, (uint64_t)arg);
	case F_SETOWN:
		return set_owner(t, f, iarg);
	case F_GETOWN:
		return f->owner;
	case F_SETOWN_EX: {
		struct owner_ex ox;
		if (dce_copy_from_user(&ox, (uint64_t)arg, sizeof ox))
			return -EFAULT;
		if (ox.type < 0 || ox.type > 2 || ox.pid < 0)
			return -EINVAL;
		return set_owner(t, f, ox.type == 2 ? -ox.pid : ox.pid); /* a thread: its process */
	}
	case F_GETOWN_EX: {
		struct owner_ex ox = { f->owner < 0 ? 2 : 1, f->owner < 0 ? -f->owner : f->owner };
		return dce_copy_to_user((uint64_t)arg, &ox, sizeof ox);
	}
	case F_SETSIG:
		if (iarg < 0 || iarg >= DCE_NSIG)
			return -EINVAL;
		f->sigio = iarg;
		return 0;
	case F_GETSIG:
		return f->sigio;
	case F_GETPIPE_SZ:
		return 65536;
	case F_SETPIPE_SZ:
		return iarg < 65536 ? 65536 : iarg;
	case F_SETLEASE:
	case F_GETLEASE:
	case F_NOTIFY:
		return -EINVAL; /* no leases or directory notification in a node's filesystem */
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

long sys_flock(struct dce_thread *t, long fd, long op)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	return dce_locks_flock(t, f, (int)op);
}

long sys_ioctl(struct dce_thread *t, long fd, long req, uint64_t arg)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	int v = 0;
	switch (req) {
	case FIONBIO:
		if (dce_copy_from_user(&v, arg, sizeof v))
			return -EFAULT;
		if (v)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	case FIOASYNC:
		if (dce_copy_from_user(&v, arg, sizeof v))
			return -EFAULT;
		if (v)
			f->flags |= O_ASYNC;
		else
			f->flags &= ~O_ASYNC;
		return 0;
	case FIOSETOWN:
	case SIOCSPGRP:
		if (dce_copy_from_user(&v, arg, sizeof v))
			return -EFAULT;
		return set_owner(t, f, v);
	case FIOGETOWN:
	case SIOCGPGRP:
		v = f->owner;
		return dce_copy_to_user(arg, &v, sizeof v);
	case FIOCLEX:
		t->proc->fds->cloexec[fd] = 1;
		return 0;
	case FIONCLEX:
		t->proc->fds->cloexec[fd] = 0;
		return 0;
	case FIONREAD: {
		long r;
		if (dce_file_hostfd(f) >= 0)
			r = ioctl(dce_file_hostfd(f), FIONREAD, &v) < 0 ? -errno : 0;
		else
			r = dce_file_fionread(f, &v);
		if (r < 0)
			return r;
		return dce_copy_to_user(arg, &v, sizeof v) ? -EFAULT : r;
	}
	default:
		return -ENOTTY; /* no terminals in a simulation */
	}
}

/* The directory holding path's last component, which must be in the node (a mapped
 * host path is read-only); *pfd is an O_PATH fd of it, base the component. */
static long at_parent_path(struct dce_thread *t, long dirfd, const char *path, char *base, int *pfd)
{
	int is_host = 0;
	*pfd = dce_path_parent_change(t->proc, (int)dirfd, path, base, &is_host);
	if (*pfd < 0)
		return *pfd;
	if (is_host) {
		close(*pfd);
		return -EROFS;
	}
	return 0;
}

static long at_parent(struct dce_thread *t, long dirfd, uint64_t pathp, char *base, int *pfd)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	r = at_parent_path(t, dirfd, path, base, pfd);
	if (r)
		return r;
	r = dce_perm_dir_modify(t->proc, *pfd); /* an entry is added or removed: w and x */
	if (r)
		close(*pfd);
	return r;
}

/* Before an entry is removed or replaced: its host inode, if this was its last name. */
struct dying {
	int set;
	dev_t dev;
	ino_t ino;
};

static void dying_check(int pfd, const char *base, struct dying *d)
{
	struct stat st;
	d->set = fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_nlink <= 1 || S_ISDIR(st.st_mode));
	if (d->set) {
		d->dev = st.st_dev;
		d->ino = st.st_ino;
	}
}

static void dying_done(struct dce_thread *t, struct dying *d)
{
	if (d->set)
		dce_fs_forget_inode(t->proc->node, d->dev, d->ino);
}

/* The times a program asks for, with "now" meaning the simulated now. */
static long sim_utimes(uint64_t times, struct timespec ts[2])
{
	uint64_t now = dce_time_realtime_ns();
	struct timespec n = { .tv_sec = (time_t)(now / 1000000000ULL), .tv_nsec = (long)(now % 1000000000ULL) };
	if (!times) {
		ts[0] = ts[1] = n;
		return 0;
	}
	if (dce_copy_from_user(ts, times, sizeof(struct timespec) * 2))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (ts[i].tv_nsec == UTIME_NOW)
			ts[i] = n;
		else if (ts[i].tv_nsec != UTIME_OMIT && (ts[i].tv_nsec < 0 || ts[i].tv_nsec > 999999999))
			return -EINVAL;
	}
	return 0;
}

long sys_mkdirat(struct dce_thread *t, long dirfd, uint64_t pathp, long mode)
{
	char base[NAME_MAX + 1];
	int pfd;
	long r = at_parent(t, dirfd, pathp, base, &pfd);
	if (r)
		return r;
	r = mkdirat(pfd, base, (mode_t)mode & 07777 & ~t->proc->umask) ? -errno : 0;
	if (r == 0) {
		dce_perm_new_owner(t->proc, pfd, base, -1);
		int d = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d >= 0) {
			dce_fs_touch_new(d);
			close(d);
		}
		dce_fs_touch_dir(pfd);
	}
	close(pfd);
	return r;
}

long sys_mknodat(struct dce_thread *t, long dirfd, uint64_t pathp, long mode, uint64_t dev)
{
	char base[NAME_MAX + 1];
	int pfd;
	long r = at_parent(t, dirfd, pathp, base, &pfd);
	if (r)
		return r;
	mode_t type = (mode_t)mode & S_IFMT;
	if (type != 0 && type != S_IFREG && type != S_IFIFO && type != S_IFSOCK)
		r = -EPERM; /* no device nodes in a node's root */
	else
		r = mknodat(pfd, base, (mode_t)mode & ~t->proc->umask, (dev_t)dev) ? -errno : 0;
	if (r == 0) {
		dce_perm_new_owner(t->proc, pfd, base, -1);
		dce_fs_touch_dir(pfd);
	}
	close(pfd);
	return r;
}

long sys_unlinkat(struct dce_thread *t, long dirfd, uint64_t pathp, long flags)
{
	char base[NAME_MAX + 1];
	int pfd;
	if (flags & ~(long)AT_REMOVEDIR)
		return -EINVAL;
	long r = at_parent(t, dirfd, pathp, base, &pfd);
	if (r)
		return r;
	struct dying d;
	dying_check(pfd, base, &d);
	r = dce_perm_sticky(t->proc, pfd, base);
	if (!r)
		r = unlinkat(pfd, base, (int)flags) ? -errno : 0;
	if (r == 0) {
		dying_done(t, &d);
		dce_fs_touch_dir(pfd);
	}
	close(pfd);
	return r;
}

long sys_symlinkat(struct dce_thread *t, uint64_t targetp, long dirfd, uint64_t pathp)
{
	char target[PATH_MAX], base[NAME_MAX + 1];
	int pfd;
	long r = dce_path_from_user(target, targetp);
	if (r)
		return r;
	r = at_parent(t, dirfd, pathp, base, &pfd);
	if (r)
		return r;
	r = symlinkat(target, pfd, base) ? -errno : 0;
	if (r == 0) {
		dce_perm_new_owner(t->proc, pfd, base, -1);
		struct timespec ts[2];
		sim_utimes(0, ts);
		utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
		dce_fs_touch_dir(pfd);
	}
	close(pfd);
	return r;
}

long sys_renameat2(struct dce_thread *t, long olddir, uint64_t oldp, long newdir, uint64_t newp, long flags)
{
	char ob[NAME_MAX + 1], nb[NAME_MAX + 1];
	int opfd, npfd;
	long r = at_parent(t, olddir, oldp, ob, &opfd);
	if (r)
		return r;
	r = at_parent(t, newdir, newp, nb, &npfd);
	if (r) {
		close(opfd);
		return r;
	}
	struct dying d = { 0 };
	struct stat os;
	if (!(flags & RENAME_EXCHANGE)) {
		dying_check(npfd, nb, &d);
		if (d.set && fstatat(opfd, ob, &os, AT_SYMLINK_NOFOLLOW) == 0 && os.st_ino == d.ino && os.st_dev == d.dev)
			d.set = 0; /* renaming a file onto itself */
	}
	r = dce_perm_sticky(t->proc, opfd, ob);
	if (!r)
		r = dce_perm_sticky(t->proc, npfd, nb);
	if (!r)
		r = syscall(SYS_renameat2, opfd, ob, npfd, nb, (unsigned)flags) ? -errno : 0;
	if (r == 0) {
		dying_done(t, &d);
		dce_fs_touch_dir(opfd);
		dce_fs_touch_dir(npfd);
	}
	close(opfd);
	close(npfd);
	return r;
}

long sys_linkat(struct dce_thread *t, long olddir, uint64_t oldp, long newdir, uint64_t newp, long flags)
{
	char ob[NAME_MAX + 1], nb[NAME_MAX + 1], old[PATH_MAX];
	int opfd, npfd;
	if (flags & ~(long)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	long r = dce_path_from_user(old, oldp);
	if (r)
		return r;
	if (flags & AT_SYMLINK_FOLLOW) {
		/* resolve the link inside the node, never on the host */
		int is_host = 0;
		opfd = dce_path_open(t->proc, (int)olddir, old, O_PATH | DCE_O_CHANGE, 0, NULL, &is_host);
		if (opfd >= 0 && is_host) {
			close(opfd);
			opfd = -EXDEV;
		}
		snprintf(ob, sizeof ob, "%s", "");
	} else
		r = at_parent_path(t, olddir, old, ob, &opfd);
	if (opfd < 0)
		return opfd;
	if (r)
		return r;
	r = at_parent(t, newdir, newp, nb, &npfd);
	if (r) {
		close(opfd);
		return r;
	}
	if (ob[0])
		r = linkat(opfd, ob, npfd, nb, 0) ? -errno : 0;
	else {
		char proc[64];
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", opfd);
		r = linkat(AT_FDCWD, proc, npfd, nb, AT_SYMLINK_FOLLOW) ? -errno : 0;
	}
	if (r == 0)
		dce_fs_touch_dir(npfd);
	close(opfd);
	close(npfd);
	return r;
}

long sys_ftruncate(struct dce_thread *t, long fd, long len)
{
	struct dce_file *f;
	int h = host_fd_of(t, fd, &f);
	if (h < 0)
		return h == -ESPIPE ? -EINVAL : h;
	if (ftruncate(h, len))
		return -errno;
	if (is_node_file(t, f))
		dce_fs_touch_fd(h);
	return 0;
}

long sys_truncate(struct dce_thread *t, uint64_t pathp, long len)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	int is_host = 0;
	int h = dce_path_open(t->proc, AT_FDCWD, path, O_WRONLY, 0, NULL, &is_host);
	if (h < 0)
		return h;
	r = ftruncate(h, len) ? -errno : 0;
	if (r == 0)
		dce_fs_touch_fd(h);
	close(h);
	return r;
}

long sys_fallocate(struct dce_thread *t, long fd, long mode, long off, long len)
{
	struct dce_file *f;
	int h = pos_fd(t, fd, 1, &f);
	if (h < 0)
		return h == -ESPIPE ? -ESPIPE : h;
	if (fallocate(h, (int)mode, off, len))
		return -errno;
	if (is_node_file(t, f))
		dce_fs_touch_fd(h);
	return 0;
}

long sys_fsync(struct dce_thread *t, long fd)
{
	return lookup(t, fd) ? 0 : -EBADF; /* durability is the host's business */
}

long sys_umask(struct dce_thread *t, long mask)
{
	mode_t old = t->proc->umask;
	t->proc->umask = (mode_t)mask & 0777;
	return old;
}

/* A node file for a metadata change, following the last link inside the node. */
static int meta_target(struct dce_thread *t, long dirfd, uint64_t pathp)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return (int)r;
	struct dce_file *sf = NULL;
	r = dce_special_open(t, (int)dirfd, path, O_RDONLY, &sf);
	if (r < 0)
		return (int)r;
	if (r > 0) { /* /proc/self/fd/N (glibc's fchmodat AT_SYMLINK_NOFOLLOW) or /dev */
		int kind = dce_fs_kind(t->proc, sf);
		int h = kind == DCE_FS_NODE ? fcntl(dce_file_hostfd(sf), F_DUPFD_CLOEXEC, 0) : -1;
		dce_file_put(sf);
		return kind == DCE_FS_NODE ? (h < 0 ? -errno : h) : kind == DCE_FS_HOST ? -EROFS : -EPERM;
	}
	int is_host = 0;
	int h = dce_path_open(t->proc, (int)dirfd, path, O_PATH | DCE_O_CHANGE, 0, NULL, &is_host);
	if (h >= 0 && is_host) {
		close(h);
		return -EROFS;
	}
	return h;
}

static long chmod_fd(int h, long mode)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", h);
	return fchmodat(AT_FDCWD, proc, (mode_t)mode & 07777, 0) ? -errno : 0;
}

/* chmod as Linux allows it: the owner or CAP_FOWNER; the set-group-ID bit is dropped
 * for a file of a group the caller is not in (without CAP_FSETID). */
static long chmod_checked(struct dce_thread *t, int h, long mode)
{
	struct stat st;
	uid_t u;
	gid_t g;
	if (fstat(h, &st))
		return -errno;
	dce_fs_owner(t->proc->node, &st, DCE_FS_NODE, &u, &g);
	if (u != dce_cred(t->proc)->fsuid && !dce_cred_capable(t->proc, CAP_FOWNER))
		return -EPERM;
	if ((mode & S_ISGID) && !S_ISDIR(st.st_mode) && !dce_cred_in_group(t->proc, g) &&
	    !dce_cred_capable(t->proc, CAP_FSETID))
		mode &= ~(long)S_ISGID;
	return chmod_fd(h, mode);
}

long sys_fchmodat(struct dce_thread *t, long dirfd, uint64_t pathp, long mode)
{
	int h = meta_target(t, dirfd, pathp);
	if (h < 0)
		return h;
	long r = chmod_checked(t, h, mode);
	close(h);
	return r;
}

long sys_fchmod(struct dce_thread *t, long fd, long mode)
{
	struct dce_file *f;
	int h = host_fd_of(t, fd, &f);
	if (h < 0)
		return h == -ESPIPE ? 0 : h;
	switch (dce_fs_kind(t->proc, f)) {
	case DCE_FS_NODE: {
		int own = dce_shared_unshare_fd(t->proc, h); /* a shared file: the node's copy */
		if (own < -1)
			return own;
		long r = chmod_checked(t, own >= 0 ? own : h, mode);
		if (own >= 0)
			close(own);
		return r;
	}
	case DCE_FS_HOST:
		return -EROFS;
	default:
		return 0; /* /dev and /proc: accepted, nothing changes */
	}
}

/* chown of the node file st (h: an fd of it, or -1 for a symlink itself). */
static long chown_node(struct dce_thread *t, int h, const struct stat *st, long uid, long gid)
{
	struct dce_process *p = t->proc;
	uid_t nu = (uid_t)uid, ou;
	gid_t ng = (gid_t)gid, og;
	dce_fs_owner(p->node, st, DCE_FS_NODE, &ou, &og);
	if (!dce_cred_capable(p, CAP_CHOWN)) {
		if (nu != (uid_t)-1 && nu != ou)
			return -EPERM;
		if (ng != (gid_t)-1 && ng != og && (dce_cred(p)->fsuid != ou || !dce_cred_in_group(p, ng)))
			return -EPERM;
		if (dce_cred(p)->fsuid != ou && (nu != (uid_t)-1 || ng != (gid_t)-1))
			return -EPERM;
	}
	dce_fs_set_owner(p->node, st, nu, ng);
	/* a changed owner drops set-user-ID (and set-group-ID with group execute) */
	if (h >= 0 && S_ISREG(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)) &&
	    (nu != (uid_t)-1 || ng != (gid_t)-1)) {
		mode_t m = st->st_mode & 07777 & ~(mode_t)S_ISUID;
		if (m & S_IXGRP)
			m &= ~(mode_t)S_ISGID;
		chmod_fd(h, m);
	}
	return 0;
}

long sys_fchownat(struct dce_thread *t, long dirfd, uint64_t pathp, long uid, long gid, long flags)
{
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	if (!path[0] && (flags & AT_EMPTY_PATH))
		return sys_fchown(t, dirfd, uid, gid);
	struct stat st;
	if (flags & AT_SYMLINK_NOFOLLOW) {
		char base[NAME_MAX + 1];
		int pfd;
		r = at_parent_path(t, dirfd, path, base, &pfd);
		if (r)
			return r;
		r = fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
		if (!r && !S_ISLNK(st.st_mode)) {
			int h = openat(pfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			r = h < 0 ? -errno : chown_node(t, h, &st, uid, gid);
			if (h >= 0)
				close(h);
		} else if (!r)
			r = chown_node(t, -1, &st, uid, gid);
		close(pfd);
		return r;
	}
	int h = meta_target(t, dirfd, pathp);
	if (h < 0)
		return h;
	r = fstat(h, &st) ? -errno : chown_node(t, h, &st, uid, gid);
	close(h);
	return r;
}

long sys_fchown(struct dce_thread *t, long fd, long uid, long gid)
{
	struct dce_file *f;
	int h = host_fd_of(t, fd, &f);
	if (h < 0)
		return h == -ESPIPE ? 0 : h;
	struct stat st;
	switch (dce_fs_kind(t->proc, f)) {
	case DCE_FS_NODE: {
		int own = dce_shared_unshare_fd(t->proc, h); /* a shared file: the node's copy */
		if (own < -1)
			return own;
		if (own >= 0)
			h = own;
		long r = fstat(h, &st) ? -errno : chown_node(t, h, &st, uid, gid);
		if (own >= 0)
			close(own);
		return r;
	}
	case DCE_FS_HOST:
		return -EROFS;
	default:
		return 0;
	}
}

long sys_utimensat(struct dce_thread *t, long dirfd, uint64_t pathp, uint64_t times, long flags)
{
	struct timespec ts[2];
	long r = sim_utimes(times, ts);
	if (r)
		return r;
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!pathp) { /* futimens */
		struct dce_file *f;
		int h = host_fd_of(t, dirfd, &f);
		if (h < 0)
			return h == -ESPIPE ? 0 : h;
		int kind = dce_fs_kind(t->proc, f);
		if (kind == DCE_FS_HOST)
			return -EROFS;
		if (kind != DCE_FS_NODE)
			return 0;
		int own = dce_shared_unshare_fd(t->proc, h); /* a shared file: the node's copy */
		if (own < -1)
			return own;
		r = utimensat(own >= 0 ? own : h, "", ts, AT_EMPTY_PATH) ? -errno : 0;
		if (own >= 0)
			close(own);
		return r;
	}
	if (flags & AT_SYMLINK_NOFOLLOW) {
		char base[NAME_MAX + 1];
		int pfd;
		r = at_parent(t, dirfd, pathp, base, &pfd);
		if (r)
			return r;
		r = utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
		close(pfd);
		return r;
	}
	int h = meta_target(t, dirfd, pathp);
	if (h == -EPERM)
		return 0; /* /dev/null and friends */
	if (h < 0)
		return h;
	r = utimensat(h, "", ts, AT_EMPTY_PATH) ? -errno : 0;
	close(h);
	return r;
}

long sys_futimesat(struct dce_thread *t, long dirfd, uint64_t pathp, uint64_t tvp)
{
	struct timeval tv[2];
	struct timespec ts[2];
	if (!tvp)
		return sys_utimensat(t, dirfd, pathp, 0, 0);
	if (dce_copy_from_user(tv, tvp, sizeof tv))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	int h = meta_target(t, dirfd, pathp);
	if (h == -EPERM)
		return 0;
	if (h < 0)
		return h;
	long r = utimensat(h, "", ts, AT_EMPTY_PATH) ? -errno : 0;
	close(h);
	return r;
}

long sys_fstatfs(struct dce_thread *t, long fd, uint64_t bufp)
{
	struct statfs sb;
	memset(&sb, 0, sizeof sb);
	int h = host_fd_of(t, fd, NULL);
	if (h < 0 && h != -ESPIPE)
		return h;
	if (h >= 0 && fstatfs(h, &sb))
		return -errno;
	return dce_copy_to_user(bufp, &sb, sizeof sb);
}

long sys_statfs(struct dce_thread *t, uint64_t pathp, uint64_t bufp)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	int h = dce_path_open(t->proc, AT_FDCWD, path, O_PATH, 0, NULL, NULL);
	if (h < 0)
		return h;
	struct statfs sb;
	r = fstatfs(h, &sb) ? -errno : 0;
	close(h);
	return r ? r : dce_copy_to_user(bufp, &sb, sizeof sb);
}
