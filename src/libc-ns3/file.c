/* file.c - file and directory system calls over the node's root (see path.c). */
#include "../core/kernel.h"
#include "path.h"
#include "syscalls.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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

long sys_readv(struct dce_thread *t, long fd, uint64_t iovp, long cnt)
{
	struct iovec *iov = DCE_USER(iovp);
	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	long total = 0;
	for (long i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		long r = sys_read(t, fd, (uint64_t)iov[i].iov_base, iov[i].iov_len);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}

long sys_writev(struct dce_thread *t, long fd, uint64_t iovp, long cnt)
{
	struct iovec *iov = DCE_USER(iovp);
	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	struct dce_file *f = lookup(t, fd);
	if (f && f->ops == &dce_hostfile_ops && (f->flags & O_ACCMODE) != O_RDONLY) {
		ssize_t r = writev(f->hostfd, iov, (int)cnt); /* one atomic write, as on Linux */
		return r < 0 ? -errno : r;
	}
	long total = 0;
	for (long i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		long r = sys_write(t, fd, (uint64_t)iov[i].iov_base, iov[i].iov_len);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}

static int host_fd_of(struct dce_thread *t, long fd, struct dce_file **fp)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	if (fp)
		*fp = f;
	if (f->hostfd < 0)
		return -ESPIPE;
	return f->hostfd;
}

long sys_pread64(struct dce_thread *t, long fd, uint64_t buf, uint64_t len, long off)
{
	int h = host_fd_of(t, fd, NULL);
	if (h < 0)
		return h;
	ssize_t r = pread(h, DCE_USER(buf), len, off);
	return r < 0 ? -errno : r;
}

long sys_pwrite64(struct dce_thread *t, long fd, uint64_t buf, uint64_t len, long off)
{
	int h = host_fd_of(t, fd, NULL);
	if (h < 0)
		return h;
	ssize_t r = pwrite(h, DCE_USER(buf), len, off);
	return r < 0 ? -errno : r;
}

long sys_lseek(struct dce_thread *t, long fd, long off, long whence)
{
	int h = host_fd_of(t, fd, NULL);
	if (h < 0)
		return h;
	off_t r = lseek(h, off, (int)whence);
	return r < 0 ? -errno : r;
}

long sys_openat(struct dce_thread *t, long dirfd, uint64_t pathp, long flags, long mode)
{
	const char *path = DCE_USER(pathp);
	if (!path)
		return -EFAULT;
	struct dce_file *f = NULL;
	int r = dce_special_open(t, (int)dirfd, path, (int)flags, &f);
	if (r < 0)
		return r;
	if (r == 0) {
		char vpath[PATH_MAX];
		int h = dce_path_open(t->proc, (int)dirfd, path, (int)flags, (mode_t)mode, vpath, NULL);
		if (h < 0)
			return h;
		f = dce_file_new(&dce_hostfile_ops, h, (int)flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | O_NOCTTY));
		f->vpath = strdup(vpath);
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
	st->st_mode = (strcmp(f->ops->name, "pipe") == 0 ? S_IFIFO : 0) | 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_ino = (ino_t)(uintptr_t)f % 100000;
}

long sys_fstat(struct dce_thread *t, long fd, uint64_t stp)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	if (f->hostfd < 0) {
		anon_stat(f, DCE_USER(stp));
		return 0;
	}
	return fstat(f->hostfd, DCE_USER(stp)) ? -errno : 0;
}

long sys_newfstatat(struct dce_thread *t, long dirfd, uint64_t pathp, uint64_t stp, long flags)
{
	const char *path = DCE_USER(pathp);
	if (!path)
		return -EFAULT;
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		if (dirfd == AT_FDCWD)
			path = ".";
		else
			return sys_fstat(t, dirfd, stp);
	}
	struct dce_file *sf = NULL;
	int r = dce_special_open(t, (int)dirfd, path, O_RDONLY, &sf);
	if (r < 0)
		return r;
	if (r > 0) {
		int fd = sf->hostfd;
		long ret = fd >= 0 ? (fstat(fd, DCE_USER(stp)) ? -errno : 0) : (anon_stat(sf, DCE_USER(stp)), 0);
		dce_file_put(sf);
		return ret;
	}
	if (flags & AT_SYMLINK_NOFOLLOW) {
		char base[NAME_MAX + 1];
		int pfd = dce_path_parent(t->proc, (int)dirfd, path, base, NULL);
		if (pfd < 0)
			return pfd;
		r = fstatat(pfd, base, DCE_USER(stp), AT_SYMLINK_NOFOLLOW) ? -errno : 0;
		close(pfd);
		return r;
	}
	int h = dce_path_open(t->proc, (int)dirfd, path, O_PATH, 0, NULL, NULL);
	if (h < 0)
		return h;
	r = fstat(h, DCE_USER(stp)) ? -errno : 0;
	close(h);
	return r;
}

long sys_statx(struct dce_thread *t, long dirfd, uint64_t pathp, long flags, long mask, uint64_t bufp)
{
	const char *path = DCE_USER(pathp);
	if (!path)
		return -EFAULT;
	int h;
	const char *name = "";
	int own = 1, pfd = -1;
	char base[NAME_MAX + 1];
	if (!path[0] && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		struct dce_file *f = lookup(t, dirfd);
		if (!f)
			return -EBADF;
		if (f->hostfd < 0)
			return -ENOSYS; /* glibc falls back to fstat */
		h = f->hostfd;
		own = 0;
	} else if (flags & AT_SYMLINK_NOFOLLOW) {
		pfd = dce_path_parent(t->proc, (int)dirfd, path[0] ? path : ".", base, NULL);
		if (pfd < 0)
			return pfd;
		h = pfd;
		name = base;
		own = 0;
	} else {
		h = dce_path_open(t->proc, (int)dirfd, path[0] ? path : ".", O_PATH, 0, NULL, NULL);
		if (h < 0)
			return h;
	}
	long r = syscall(SYS_statx, h, name, (int)((flags & ~AT_SYMLINK_NOFOLLOW & ~AT_EMPTY_PATH) |
	                 (name[0] ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH)), (unsigned)mask, DCE_USER(bufp));
	r = r < 0 ? -errno : 0;
	if (own)
		close(h);
	if (pfd >= 0)
		close(pfd);
	return r;
}

long sys_faccessat(struct dce_thread *t, long dirfd, uint64_t pathp, long mode, long flags)
{
	const char *path = DCE_USER(pathp);
	if (!path)
		return -EFAULT;
	struct dce_file *sf = NULL;
	int r = dce_special_open(t, (int)dirfd, path, O_RDONLY, &sf);
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
	/* programs run as root: only the execute bits matter */
	r = 0;
	if (mode & X_OK) {
		struct stat st;
		if (fstat(h, &st) == 0 && !S_ISDIR(st.st_mode) && !(st.st_mode & 0111))
			r = -EACCES;
	}
	close(h);
	return r;
}

long sys_readlinkat(struct dce_thread *t, long dirfd, uint64_t pathp, uint64_t buf, long len)
{
	const char *path = DCE_USER(pathp);
	if (!path)
		return -EFAULT;
	if (len <= 0)
		return -EINVAL;
	long r = dce_special_readlink(t, (int)dirfd, path, DCE_USER(buf), (size_t)len);
	if (r != -ENOSYS)
		return r;
	char base[NAME_MAX + 1];
	int pfd = dce_path_parent(t->proc, (int)dirfd, path, base, NULL);
	if (pfd < 0)
		return pfd;
	r = readlinkat(pfd, base, DCE_USER(buf), (size_t)len);
	r = r < 0 ? -errno : r;
	close(pfd);
	return r;
}

long sys_getcwd(struct dce_thread *t, uint64_t buf, uint64_t size)
{
	size_t n = strlen(t->proc->cwd) + 1;
	if (size < n)
		return -ERANGE;
	memcpy(DCE_USER(buf), t->proc->cwd, n);
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
	if (dce_path_of_fd(t->proc->node, h, vp) < 0)
		return -ENOENT;
	snprintf(t->proc->cwd, sizeof t->proc->cwd, "%s", vp);
	return 0;
}

long sys_chdir(struct dce_thread *t, uint64_t pathp)
{
	const char *path = DCE_USER(pathp);
	if (!path)
		return -EFAULT;
	int h = dce_path_open(t->proc, AT_FDCWD, path, O_PATH | O_DIRECTORY, 0, NULL, NULL);
	if (h < 0)
		return h;
	long r = chdir_to(t, h);
	close(h);
	return r;
}

long sys_fchdir(struct dce_thread *t, long fd)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	if (f->hostfd < 0)
		return -ENOTDIR;
	return chdir_to(t, f->hostfd);
}

long sys_getdents64(struct dce_thread *t, long fd, uint64_t buf, long len)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	if (f->hostfd < 0)
		return -ENOTDIR;
	long r = syscall(SYS_getdents64, f->hostfd, DCE_USER(buf), len);
	return r < 0 ? -errno : r;
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

long sys_fcntl(struct dce_thread *t, long fd, long cmd, long arg)
{
	struct dce_process *p = t->proc;
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= 1024)
			return -EINVAL;
		return dce_fd_install(p, dce_file_get(f), (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return p->fds->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		p->fds->cloexec[fd] = (arg & FD_CLOEXEC) ? 1 : 0;
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL: {
		int settable = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
		f->flags = (f->flags & ~settable) | ((int)arg & settable);
		if (f->hostfd >= 0 && f->ops == &dce_hostfile_ops)
			fcntl(f->hostfd, F_SETFL, (int)arg & (O_APPEND | O_NOATIME));
		return 0;
	}
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		if (f->hostfd < 0)
			return -EBADF;
		if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
			((struct flock *)DCE_USER(arg))->l_type = F_UNLCK;
		}
		return 0; /* one writer per node file in practice; locks always granted */
	case F_GETPIPE_SZ:
		return 65536;
	case F_SETPIPE_SZ:
		return arg < 65536 ? 65536 : arg;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

long sys_ioctl(struct dce_thread *t, long fd, long req, uint64_t arg)
{
	struct dce_file *f = lookup(t, fd);
	if (!f)
		return -EBADF;
	switch (req) {
	case FIONBIO:
		if (*(int *)DCE_USER(arg))
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	case FIOCLEX:
		t->proc->fds->cloexec[fd] = 1;
		return 0;
	case FIONCLEX:
		t->proc->fds->cloexec[fd] = 0;
		return 0;
	case FIONREAD:
		if (f->hostfd >= 0) {
			long r = ioctl(f->hostfd, FIONREAD, DCE_USER(arg));
			return r < 0 ? -errno : r;
		}
		return dce_file_fionread(f, DCE_USER(arg));
	default:
		return -ENOTTY; /* no terminals in a simulation */
	}
}

static long at_parent(struct dce_thread *t, long dirfd, uint64_t pathp, char *base, int *pfd)
{
	const char *path = DCE_USER(pathp);
	if (!path)
		return -EFAULT;
	int is_host = 0;
	*pfd = dce_path_parent(t->proc, (int)dirfd, path, base, &is_host);
	if (*pfd < 0)
		return *pfd;
	if (is_host) {
		close(*pfd);
		return -EROFS;
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
	close(pfd);
	return r;
}

long sys_unlinkat(struct dce_thread *t, long dirfd, uint64_t pathp, long flags)
{
	char base[NAME_MAX + 1];
	int pfd;
	long r = at_parent(t, dirfd, pathp, base, &pfd);
	if (r)
		return r;
	r = unlinkat(pfd, base, (int)flags) ? -errno : 0;
	close(pfd);
	return r;
}

long sys_symlinkat(struct dce_thread *t, uint64_t targetp, long dirfd, uint64_t pathp)
{
	char base[NAME_MAX + 1];
	int pfd;
	if (!targetp)
		return -EFAULT;
	long r = at_parent(t, dirfd, pathp, base, &pfd);
	if (r)
		return r;
	r = symlinkat(DCE_USER(targetp), pfd, base) ? -errno : 0;
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
	r = syscall(SYS_renameat2, opfd, ob, npfd, nb, (unsigned)flags) ? -errno : 0;
	close(opfd);
	close(npfd);
	return r;
}

long sys_linkat(struct dce_thread *t, long olddir, uint64_t oldp, long newdir, uint64_t newp, long flags)
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
	r = linkat(opfd, ob, npfd, nb, (int)flags & AT_SYMLINK_FOLLOW) ? -errno : 0;
	close(opfd);
	close(npfd);
	return r;
}

long sys_ftruncate(struct dce_thread *t, long fd, long len)
{
	int h = host_fd_of(t, fd, NULL);
	if (h < 0)
		return h == -ESPIPE ? -EINVAL : h;
	return ftruncate(h, len) ? -errno : 0;
}

long sys_truncate(struct dce_thread *t, uint64_t pathp, long len)
{
	int h = dce_path_open(t->proc, AT_FDCWD, DCE_USER(pathp), O_WRONLY, 0, NULL, NULL);
	if (h < 0)
		return h;
	long r = ftruncate(h, len) ? -errno : 0;
	close(h);
	return r;
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

long sys_fchmodat(struct dce_thread *t, long dirfd, uint64_t pathp, long mode)
{
	char base[NAME_MAX + 1];
	int pfd;
	long r = at_parent(t, dirfd, pathp, base, &pfd);
	if (r)
		return r;
	r = fchmodat(pfd, base, (mode_t)mode, 0) ? -errno : 0;
	close(pfd);
	return r;
}

long sys_fchmod(struct dce_thread *t, long fd, long mode)
{
	int h = host_fd_of(t, fd, NULL);
	if (h < 0)
		return h == -ESPIPE ? 0 : h;
	return fchmod(h, (mode_t)mode) ? -errno : 0;
}

long sys_utimensat(struct dce_thread *t, long dirfd, uint64_t pathp, uint64_t times, long flags)
{
	if (!pathp) {
		int h = host_fd_of(t, dirfd, NULL);
		if (h < 0)
			return h;
		return futimens(h, DCE_USER(times)) ? -errno : 0;
	}
	char base[NAME_MAX + 1];
	int pfd;
	long r = at_parent(t, dirfd, pathp, base, &pfd);
	if (r)
		return r;
	r = utimensat(pfd, base, DCE_USER(times), (int)flags & AT_SYMLINK_NOFOLLOW) ? -errno : 0;
	close(pfd);
	return r;
}

long sys_fstatfs(struct dce_thread *t, long fd, uint64_t bufp)
{
	int h = host_fd_of(t, fd, NULL);
	if (h < 0)
		return h == -ESPIPE ? (memset(DCE_USER(bufp), 0, sizeof(struct statfs)), 0) : h;
	return fstatfs(h, DCE_USER(bufp)) ? -errno : 0;
}

long sys_statfs(struct dce_thread *t, uint64_t pathp, uint64_t bufp)
{
	int h = dce_path_open(t->proc, AT_FDCWD, DCE_USER(pathp), O_PATH, 0, NULL, NULL);
	if (h < 0)
		return h;
	long r = fstatfs(h, DCE_USER(bufp)) ? -errno : 0;
	close(h);
	return r;
}
