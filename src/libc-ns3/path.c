/* path.c - resolving a program's paths inside its node's root (files-N).
 *
 * The kernel does the containment: openat2(RESOLVE_IN_ROOT) on the node's root
 * directory resolves "..", absolute and relative symlinks as if files-N were "/".
 * Paths not present in the node fall back, read-only, to the host paths mapped
 * with dce_map_host_path (the program's binary, libraries, zoneinfo, ...); the
 * final host file must itself lie under a mapped prefix.
 *
 * Shared files (dce_share_file: /etc/hosts, ...) are the one exception to "a
 * node's files are under files-N": a node without files-N<vpath> sees the single
 * OUT/shared<vpath> there, read-only, as its own regular file; the first change a
 * program of the node makes (open for writing, truncate, rename, unlink, link,
 * chmod, chown, utimes) copies it into files-N<vpath> first, and from then on
 * the node's own copy is an ordinary node file. All of it is decided here:
 * dce_path_open (opens), dce_path_parent[_change] (calls on the entry). */
#include "../core/kernel.h"
#include "path.h"
#include "hook.h"
#include "creds.h"
#include "fsmeta.h"
#include "syscalls.h"
#include "uaccess.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct open_how how = { .flags = flags, .mode = mode, .resolve = resolve };
	long r = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
	return r < 0 ? -errno : (int)r;
}

/* Lexical normalisation of an absolute path: removes ".", "..", duplicate slashes. */
void dce_path_normalize(const char *in, char *out)
{
	char *o = out;
	*o = 0;
	const char *s = in;
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash = strrchr(out, '/');
			if (slash)
				*slash = 0;
			o = out + strlen(out);
		} else if ((size_t)(o - out) + n + 2 < PATH_MAX) {
			*o++ = '/';
			memcpy(o, s, n);
			o += n;
			*o = 0;
		}
		s = e;
	}
	if (out[0] == 0)
		strcpy(out, "/");
}

/* /proc/self/root and /proc/self/cwd are the node's root and the cwd: rewritten
 * here, so the magic links are never followed on the host. */
static int proc_self_alias(struct dce_process *p, char *abs)
{
	static const char *const pre[] = { "/proc/self/", "/proc/thread-self/" };
	char pidpre[32], tmp[PATH_MAX];
	snprintf(pidpre, sizeof pidpre, "/proc/%d/", p->pid);
	const char *s = NULL;
	for (int i = 0; i < 3 && !s; i++) {
		const char *x = i < 2 ? pre[i] : pidpre;
		if (!strncmp(abs, x, strlen(x)))
			s = abs + strlen(x);
	}
	while (s && *s == '/')
		s++;
	if (!s)
		return 0;
	const char *base;
	if (!strncmp(s, "root", 4) && (s[4] == '/' || !s[4]))
		base = "", s += 4;
	else if (!strncmp(s, "cwd", 3) && (s[3] == '/' || !s[3]))
		base = strcmp(p->cwd, "/") ? p->cwd : "", s += 3;
	else
		return 0;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/%s", base, *s == '/' ? s + 1 : s) >= sizeof tmp)
		return -ENAMETOOLONG;
	memcpy(abs, tmp, strlen(tmp) + 1);
	return 0;
}

static int path_absolute(struct dce_process *p, int dirfd, const char *path, char *out, int alias);

int dce_path_absolute(struct dce_process *p, int dirfd, const char *path, char *out)
{
	return path_absolute(p, dirfd, path, out, 1);
}

int dce_path_absolute_nofollow(struct dce_process *p, int dirfd, const char *path, char *out)
{
	return path_absolute(p, dirfd, path, out, 0);
}

static int path_absolute(struct dce_process *p, int dirfd, const char *path, char *out, int alias)
{
	if (!path)
		return -EFAULT;
	size_t len = strnlen(path, PATH_MAX);
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (path[0] == '/') {
		memcpy(out, path, len + 1);
		return alias ? proc_self_alias(p, out) : 0;
	}
	const char *base = p->cwd;
	if (dirfd != AT_FDCWD) {
		struct dce_file *f = dce_fd_lookup(p, dirfd);
		if (!f)
			return -EBADF;
		if (!f->vpath)
			return -ENOTDIR;
		base = f->vpath;
	}
	if (strlen(base) + 1 + len >= PATH_MAX)
		return -ENAMETOOLONG;
	snprintf(out, PATH_MAX, "%s/%s", strcmp(base, "/") ? base : "", path);
	return alias ? proc_self_alias(p, out) : 0;
}

static int under_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(path, prefix, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/* Read-only everywhere: all of /usr (programs installed as links into /usr/share,
 * data of every package) and the /etc files programs read. */
static const char *const always_mapped[] = {
	"/usr", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/services",
	"/etc/protocols", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/ssl", "/etc/alternatives",
	"/etc/mime.types", "/etc/inputrc", "/etc/locale.alias", "/etc/localtime", "/etc/timezone",
	"/etc/ethertypes", "/etc/rpc", "/etc/networks", "/etc/shells", "/etc/login.defs",
	"/etc/default", "/etc/security", "/etc/pam.conf", "/etc/pam.d", "/etc/environment",
	"/etc/terminfo", "/etc/magic", "/etc/mailcap", "/etc/python3", "/etc/python3.11",
	"/etc/perl", "/etc/gai.conf", "/etc/debian_version", "/etc/os-release", "/etc/issue",
	"/etc/ssh", "/etc/nginx", "/etc/bash.bashrc", "/etc/profile", "/etc/skel", "/etc/X11",
};

int dce_path_is_mapped(const char *norm)
{
	for (size_t i = 0; i < sizeof always_mapped / sizeof always_mapped[0]; i++)
		if (under_prefix(norm, always_mapped[i]))
			return 1;
	for (int i = 0; i < dce_world.n_host_maps; i++)
		if (under_prefix(norm, dce_world.host_maps[i]))
			return 1;
	return 0;
}

/* ---- files shared by every node until one changes its copy ---- */

#define SHARED_MAX 32
static char *shared_vpath[SHARED_MAX]; /* "/etc/hosts", ... */
static int n_shared;
static char shared_dir[PATH_MAX]; /* OUT/shared */

int dce_shared_registered(const char *vpath)
{
	for (int i = 0; i < n_shared; i++)
		if (!strcmp(shared_vpath[i], vpath))
			return 1;
	return 0;
}

static int any_pending(struct dce_node *n)
{
	return n_shared && n->root[0] && n->shared_own != (n_shared >= 32 ? ~0u : (1u << n_shared) - 1);
}

/* The shared file the node sees at vpath (a path in the node, no chroot), or -1. */
static int shared_pending(struct dce_node *n, const char *vpath)
{
	if (!any_pending(n))
		return -1;
	for (int i = 0; i < n_shared; i++)
		if (!(n->shared_own & (1u << i)) && !strcmp(shared_vpath[i], vpath))
			return i;
	return -1;
}

/* The node-level path of path as the process names it (its chroot prefixed). */
static void node_level(struct dce_process *p, const char *path, char *out)
{
	const char *r = p->fsroot ? p->fsroot->vpath : "/";
	snprintf(out, PATH_MAX, "%s%s", strcmp(r, "/") ? r : "", path);
}

static int sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

void dce_shared_node_init(struct dce_node *n)
{
	struct stat st;
	for (int i = 0; i < n_shared; i++)
		if (fstatat(dce_hostfd_get(&n->rootdir), shared_vpath[i] + 1, &st, AT_SYMLINK_NOFOLLOW) == 0)
			n->shared_own |= 1u << i;
}

/* Node n gets its own copy of shared file i in files-N<vpath> (times kept). */
static int materialize(struct dce_node *n, int i)
{
	char host[PATH_MAX];
	snprintf(host, sizeof host, "%s%s", shared_dir, shared_vpath[i]);
	int in = open(host, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	int out = sys_openat2(dce_node_root_fd(n), shared_vpath[i], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	                      0644, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	int r = out < 0 ? out : 0;
	char buf[65536];
	ssize_t k;
	while (!r && (k = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)k) != k)
			r = -EIO;
	struct stat st;
	if (!r && fstat(in, &st) == 0) {
		struct timespec ts[2] = { st.st_atim, st.st_mtim };
		futimens(out, ts);
	}
	close(in);
	if (out >= 0)
		close(out);
	if (r == -EEXIST)
		r = 0; /* the node made one meanwhile: that one is its own */
	if (!r)
		n->shared_own |= 1u << i;
	return r;
}

int dce_shared_in_dir(struct dce_node *n, int dirfd, char (*names)[NAME_MAX + 1], uint64_t *inos, int max)
{
	char dvp[PATH_MAX], host[PATH_MAX];
	if (!any_pending(n) || dce_path_of_fd(n, dirfd, dvp) != 1)
		return 0;
	int k = 0;
	size_t dl = strcmp(dvp, "/") ? strlen(dvp) : 0;
	for (int i = 0; i < n_shared && k < max; i++) {
		const char *v = shared_vpath[i];
		if ((n->shared_own & (1u << i)) || strncmp(v, dvp, dl) || v[dl] != '/' || strchr(v + dl + 1, '/'))
			continue;
		struct stat st;
		snprintf(host, sizeof host, "%s%s", shared_dir, v);
		if (stat(host, &st))
			continue;
		snprintf(names[k], NAME_MAX + 1, "%s", v + dl + 1);
		inos[k++] = st.st_ino;
	}
	return k;
}

int dce_shared_vpath(const char *real, char *out)
{
	if (!shared_dir[0] || !under_prefix(real, shared_dir))
		return 0;
	const char *rest = real + strlen(shared_dir);
	snprintf(out, PATH_MAX, "%s", *rest ? rest : "/");
	return 1;
}

int dce_shared_unshare_fd(struct dce_process *p, int h)
{
	char link[64], real[PATH_MAX], vp[PATH_MAX];
	if (!n_shared)
		return -1;
	snprintf(link, sizeof link, "/proc/self/fd/%d", h);
	ssize_t len = readlink(link, real, sizeof real - 1);
	if (len < 0)
		return -1;
	real[len] = 0;
	if (!dce_shared_vpath(real, vp))
		return -1;
	int i = shared_pending(p->node, vp);
	if (i >= 0) {
		int r = materialize(p->node, i);
		if (r)
			return r;
	}
	/* the node's copy (its own now, even when it made it through another fd) */
	return sys_openat2(dce_node_root_fd(p->node), vp, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0,
	                   RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

static int mkdirs_host(char *path)
{
	for (char *s = path + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			int r = mkdir(path, 0755) && errno != EEXIST ? -errno : 0;
			*s = '/';
			if (r)
				return r;
		}
	return 0;
}

int dce_share_file(const char *vpath, const void *data, size_t len)
{
	char norm[PATH_MAX], host[PATH_MAX], tmp[PATH_MAX + 100];
	if (!vpath || vpath[0] != '/' || !dce_world.out_dir)
		return -EINVAL;
	dce_path_normalize(vpath, norm);
	if (!strcmp(norm, "/"))
		return -EINVAL;
	if (!dce_shared_registered(norm) && n_shared == SHARED_MAX)
		return -ENOSPC;
	snprintf(shared_dir, sizeof shared_dir, "%s/shared", dce_world.out_dir);
	if ((size_t)snprintf(host, sizeof host, "%s%s", shared_dir, norm) >= sizeof host)
		return -ENAMETOOLONG;
	int r = mkdirs_host(host);
	if (r)
		return r;
	/* written aside, then renamed: the ranks of a distributed run write the same
	 * bytes to the same output directory, and a reader never sees half a file */
	char me[65] = "";
	gethostname(me, sizeof me - 1); /* ranks in containers may share a pid */
	snprintf(tmp, sizeof tmp, "%s.tmp-%.64s-%d", host, me, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	r = write(fd, data, len) == (ssize_t)len ? 0 : -EIO;
	struct timespec ts[2] = { { (time_t)(dce_world.epoch_ns / 1000000000ULL), (long)(dce_world.epoch_ns % 1000000000ULL) } };
	ts[1] = ts[0];
	futimens(fd, ts); /* the simulation's epoch, not the host's clock */
	close(fd);
	if (!r && rename(tmp, host))
		r = -errno;
	if (r) {
		unlink(tmp);
		return r;
	}
	if (dce_shared_registered(norm))
		return 0;
	shared_vpath[n_shared++] = strdup(norm);
	/* nodes whose tree exists already: a file of their own stays theirs */
	for (struct dce_node *n = dce_world.nodes; n; n = n->next)
		if (n->tree && n->root[0]) {
			struct stat st;
			if (fstatat(dce_hostfd_get(&n->rootdir), norm + 1, &st, AT_SYMLINK_NOFOLLOW) == 0)
				n->shared_own |= 1u << (n_shared - 1);
		}
	return 0;
}

/* An open with O_CREAT made files-N<vpath> of a shared file (through a link the
 * lexical checks cannot see): it is the node's own copy now, with the shared
 * contents (O_EXCL: it existed, so EEXIST). */
static int created_shared(struct dce_process *p, int fd, int flags)
{
	char vp[PATH_MAX], link[64], real[PATH_MAX];
	if (dce_path_of_fd(p->node, fd, vp) != 1)
		return fd;
	int i = shared_pending(p->node, vp);
	if (i < 0)
		return fd;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t len = readlink(link, real, sizeof real - 1);
	if (len < 0)
		return fd;
	real[len] = 0;
	if (flags & O_EXCL) {
		close(fd);
		unlink(real);
		return -EEXIST;
	}
	p->node->shared_own |= 1u << i;
	if (flags & O_TRUNC)
		return fd;
	char host[PATH_MAX];
	snprintf(host, sizeof host, "%s%s", shared_dir, shared_vpath[i]);
	int in = open(host, O_RDONLY | O_CLOEXEC), out = open(real, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	char buf[65536];
	ssize_t k;
	while (in >= 0 && out >= 0 && (k = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)k) != k)
			break;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return fd;
}

/* The shared file i at norm (path as the process names it): read-only opens get the
 * shared file itself, changes the node's own copy. */
static int shared_open(struct dce_process *p, int i, const char *norm, int flags, mode_t mode, char *vpath_out)
{
	int change = (flags & DCE_O_CHANGE) || (!(flags & O_PATH) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)));
	flags &= ~DCE_O_CHANGE;
	if (change) {
		int r = materialize(p->node, i);
		if (r)
			return r;
		int fd = sys_openat2(dce_root_fd(p), norm, (uint64_t)flags, mode & 07777 & ~p->umask,
		                     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
		if (fd >= 0 && vpath_out && dce_path_of_fd_proc(p, fd, vpath_out) < 0)
			snprintf(vpath_out, PATH_MAX, "%s", norm);
		return fd;
	}
	char host[PATH_MAX];
	snprintf(host, sizeof host, "%s%s", shared_dir, shared_vpath[i]);
	int fd = open(host, (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_NOFOLLOW, 0);
	if (fd < 0)
		return -errno;
	if (vpath_out)
		snprintf(vpath_out, PATH_MAX, "%s", norm);
	return fd;
}

/* ---- chroot ---- */

struct dce_fsroot *dce_fsroot_get(struct dce_fsroot *r)
{
	if (r)
		r->refs++;
	return r;
}

void dce_fsroot_put(struct dce_fsroot *r)
{
	if (r && --r->refs == 0) {
		close(r->fd);
		free(r->vpath);
		free(r);
	}
}

int dce_root_fd(struct dce_process *p)
{
	return p->fsroot ? p->fsroot->fd : dce_node_root_fd(p->node);
}

/* A node path as the process sees it under its chroot (unchanged outside it). */
static void strip_root(struct dce_process *p, char *path)
{
	if (!p || !p->fsroot)
		return;
	const char *r = p->fsroot->vpath;
	size_t n = strlen(r);
	if (!strncmp(path, r, n) && (path[n] == '/' || !path[n]))
		memmove(path, path[n] ? path + n : "/", strlen(path[n] ? path + n : "/") + 1);
}

long sys_chroot(struct dce_thread *t, uint64_t pathp)
{
	char path[PATH_MAX], vp[PATH_MAX], node_vp[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	struct dce_process *p = t->proc;
	int is_host = 0;
	int h = dce_path_open(p, AT_FDCWD, path, O_PATH | O_DIRECTORY, 0, NULL, &is_host);
	if (h < 0)
		return h;
	r = dce_perm_fd(p, h, is_host ? DCE_FS_HOST : DCE_FS_NODE, X_OK);
	if (!r && !dce_cred_capable(p, CAP_SYS_CHROOT))
		r = -EPERM;
	if (!r && (is_host || dce_path_of_fd(p->node, h, node_vp) != 1))
		r = -EPERM; /* only directories of the node: a host directory cannot be a root */
	if (r) {
		close(h);
		return r;
	}
	struct dce_fsroot *nr = calloc(1, sizeof *nr);
	nr->refs = 1;
	nr->fd = h;
	nr->vpath = strdup(node_vp);
	/* the cwd keeps its directory when inside the new root, else it becomes "/" */
	snprintf(vp, sizeof vp, "%s", p->cwd);
	if (p->fsroot && strcmp(p->fsroot->vpath, "/")) {
		char full[PATH_MAX];
		snprintf(full, sizeof full, "%s%s", p->fsroot->vpath, strcmp(vp, "/") ? vp : "");
		snprintf(vp, sizeof vp, "%s", full);
	}
	dce_fsroot_put(p->fsroot);
	p->fsroot = nr;
	size_t n = strlen(node_vp);
	if (!strcmp(node_vp, "/"))
		;
	else if (!strncmp(vp, node_vp, n) && (vp[n] == '/' || !vp[n]))
		strip_root(p, vp);
	else
		strcpy(vp, "/");
	snprintf(p->cwd, sizeof p->cwd, "%s", vp);
	return 0;
}

/* The virtual path of an open host fd as p sees it (chroot applied). */
int dce_path_of_fd_proc(struct dce_process *p, int hostfd, char *out)
{
	int r = dce_path_of_fd(p->node, hostfd, out);
	if (r == 1)
		strip_root(p, out);
	return r;
}

/* The virtual path of an open host fd (inside the node root or a mapped host path). */
int dce_path_of_fd(struct dce_node *n, int hostfd, char *out)
{
	char link[64], real[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", hostfd);
	ssize_t len = readlink(link, real, sizeof real - 1);
	if (len < 0)
		return -errno;
	real[len] = 0;
	if (under_prefix(real, n->root)) {
		const char *rest = real + strlen(n->root);
		snprintf(out, PATH_MAX, "%s", *rest ? rest : "/");
		return 1;
	}
	if (dce_shared_vpath(real, out))
		return 1; /* the node's view of a shared file */
	snprintf(out, PATH_MAX, "%s", real);
	return 0;
}

/* The virtual path abs names once the node's own symlinks are expanded (a node link
 * may point into a mapped host path: ln -s /usr/bin/ls /tmp/ls). Components after
 * the first one missing in the node are kept as they are, for the mapped fallback. */
static int node_resolve(struct dce_process *p, const char *abs, char *out)
{
	char rest[PATH_MAX], res[PATH_MAX] = "", tgt[PATH_MAX], tmp[PATH_MAX];
	snprintf(rest, sizeof rest, "%s", abs);
	int links = 0, missing = 0;
	char *s = rest;
	while (*s) {
		while (*s == '/')
			s++;
		char *e = s;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash = strrchr(res, '/');
			if (slash)
				*slash = 0;
			missing = 0;
		} else {
			if (strlen(res) + n + 2 > sizeof res)
				return -ENAMETOOLONG;
			size_t rl = strlen(res);
			res[rl] = '/';
			memcpy(res + rl + 1, s, n);
			res[rl + 1 + n] = 0;
			int fd = missing ? -1 : sys_openat2(dce_root_fd(p), res, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0,
			                                    RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
			missing = fd < 0;
			struct stat st;
			if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
				ssize_t l = readlinkat(fd, "", tgt, sizeof tgt - 1);
				close(fd);
				if (l < 0)
					return -errno;
				tgt[l] = 0;
				if (++links > 40)
					return -ELOOP;
				res[rl] = 0; /* drop the link itself */
				if (tgt[0] == '/')
					res[0] = 0;
				if ((size_t)snprintf(tmp, sizeof tmp, "%s/%s", tgt, e) >= sizeof tmp)
					return -ENAMETOOLONG;
				snprintf(rest, sizeof rest, "%s", tmp);
				s = rest;
				continue;
			}
			if (fd >= 0)
				close(fd);
		}
		s = e;
	}
	snprintf(out, PATH_MAX, "%s", res[0] ? res : "/");
	return 0;
}

static int wants_write(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
}

int dce_path_open(struct dce_process *p, int dirfd, const char *path, int flags, mode_t mode,
                  char *vpath_out, int *is_host)
{
	char abs[PATH_MAX], norm[PATH_MAX], vp[PATH_MAX];
	int r = dce_path_absolute(p, dirfd, path, abs);
	if (r)
		return r;
	if (!path[0])
		return -ENOENT;
	int change = flags & DCE_O_CHANGE;
	flags &= ~DCE_O_CHANGE;
	flags |= O_CLOEXEC;
	if (!(flags & (O_CREAT | __O_TMPFILE)))
		mode = 0; /* openat2 refuses a mode it would not use */
	int fd = sys_openat2(dce_root_fd(p), abs, (uint64_t)flags, mode & 07777 & ~p->umask,
	                     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	if (is_host)
		*is_host = 0;
	if (fd >= 0) {
		if ((flags & O_CREAT) && any_pending(p->node) && (fd = created_shared(p, fd, flags)) < 0)
			return fd;
		if (vpath_out && dce_path_of_fd_proc(p, fd, vpath_out) < 0)
			snprintf(vpath_out, PATH_MAX, "%s", abs);
		return fd;
	}
	if (fd != -ENOENT && fd != -ENOTDIR)
		return fd;
	if (node_resolve(p, abs, norm))
		return fd;
	if (any_pending(p->node)) {
		char nl[PATH_MAX];
		node_level(p, norm, nl);
		int si = shared_pending(p->node, nl);
		if (si >= 0)
			return shared_open(p, si, norm, flags | change, mode, vpath_out);
	}
	if (strcmp(norm, abs)) { /* "..": after a link into a mapped path, back into the node */
		int nfd = sys_openat2(dce_root_fd(p), norm, (uint64_t)flags, mode & 07777 & ~p->umask,
		                      RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
		if (nfd >= 0) {
			if (vpath_out && dce_path_of_fd_proc(p, nfd, vpath_out) < 0)
				snprintf(vpath_out, PATH_MAX, "%s", norm);
			return nfd;
		}
	}
	char glibc_dce[PATH_MAX]; /* DCE_LIBC=dce: the system glibc's files are glibc-dce's */
	if (!wants_write(flags) && dce_hook_redirect(norm, glibc_dce, sizeof glibc_dce)) {
		int gfd = open(glibc_dce, flags, 0);
		if (gfd < 0)
			return -errno;
		if (vpath_out)
			snprintf(vpath_out, PATH_MAX, "%s", norm);
		if (is_host)
			*is_host = 1;
		return gfd;
	}
	if (!dce_path_is_mapped(norm))
		return fd;
	if (wants_write(flags) && !(flags & O_PATH))
		return -EROFS;
	int hfd = open(norm, flags, 0);
	if (hfd < 0)
		return -errno;
	if (dce_path_of_fd(p->node, hfd, vp) < 0 || !dce_path_is_mapped(vp)) {
		close(hfd);
		return -ENOENT; /* a host symlink leading outside the mapped paths */
	}
	if (vpath_out)
		snprintf(vpath_out, PATH_MAX, "%s", vp);
	if (is_host)
		*is_host = 1;
	return hfd;
}

static int path_parent(struct dce_process *p, int dirfd, const char *path, char *base, int *is_host, int change)
{
	char abs[PATH_MAX], dir[PATH_MAX];
	int r = dce_path_absolute(p, dirfd, path, abs);
	if (r)
		return r;
	if (!path[0])
		return -ENOENT;
	size_t len = strlen(abs);
	while (len > 1 && abs[len - 1] == '/')
		abs[--len] = 0;
	char *slash = strrchr(abs, '/');
	if (strlen(slash + 1) > NAME_MAX)
		return -ENAMETOOLONG;
	if (!strcmp(slash + 1, "..") || !strcmp(slash + 1, ".") || !slash[1]) {
		/* never hand ".." of the root to the host: name the directory itself */
		strcpy(base, ".");
		return dce_path_open(p, AT_FDCWD, abs, O_PATH | O_DIRECTORY, 0, NULL, is_host);
	}
	snprintf(base, NAME_MAX + 1, "%s", slash + 1);
	if (slash == abs)
		strcpy(dir, "/");
	else {
		*slash = 0;
		snprintf(dir, sizeof dir, "%s", abs);
	}
	if (!base[0])
		strcpy(base, ".");
	int pfd = dce_path_open(p, AT_FDCWD, dir, O_PATH | O_DIRECTORY, 0, NULL, is_host);
	if (pfd < 0 || !any_pending(p->node))
		return pfd;
	/* the entry is a shared file: looked at in the shared directory, or copied into
	 * the node before a change */
	int named = 0;
	for (int i = 0; i < n_shared && !named; i++)
		named = !strcmp(strrchr(shared_vpath[i], '/') + 1, base);
	char dvp[PATH_MAX], full[PATH_MAX + NAME_MAX + 2];
	if (!named || dce_path_of_fd(p->node, pfd, dvp) != 1)
		return pfd;
	snprintf(full, sizeof full, "%s/%s", strcmp(dvp, "/") ? dvp : "", base);
	int si = shared_pending(p->node, full);
	if (si < 0)
		return pfd;
	if (change) {
		int r = materialize(p->node, si);
		if (r) {
			close(pfd);
			return r;
		}
		return pfd;
	}
	close(pfd);
	snprintf(full, sizeof full, "%s%s", shared_dir, shared_vpath[si]);
	*strrchr(full, '/') = 0;
	pfd = open(full, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (is_host)
		*is_host = 0;
	return pfd < 0 ? -errno : pfd;
}

int dce_path_parent(struct dce_process *p, int dirfd, const char *path, char *base, int *is_host)
{
	return path_parent(p, dirfd, path, base, is_host, 0);
}

int dce_path_parent_change(struct dce_process *p, int dirfd, const char *path, char *base, int *is_host)
{
	return path_parent(p, dirfd, path, base, is_host, 1);
}

int dce_fs_open_host(struct dce_process *p, int dirfd, const char *path, int flags, mode_t mode,
                     char *vpath_out)
{
	return dce_path_open(p, dirfd, path, flags, mode, vpath_out, NULL);
}

static const char *env_get(char *const envp[], const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; envp && envp[i]; i++)
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

int dce_fs_find_program(struct dce_process *p, const char *name, char *const envp[],
                        char *vpath_out, char *err, size_t errlen)
{
	if (!name || !name[0]) {
		snprintf(err, errlen, "no program given");
		return -ENOENT;
	}
	if (strchr(name, '/')) {
		int fd = dce_path_open(p, AT_FDCWD, name, O_RDONLY, 0, vpath_out, NULL);
		if (fd < 0)
			snprintf(err, errlen, "not found: %s (%s), searched: files-%u%s%s and the mapped host paths",
			         name, strerror(-fd), p->node->id, name[0] == '/' ? "" : "/", name);
		return fd;
	}
	const char *path = env_get(envp, "PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	char cand[PATH_MAX];
	const char *s = path;
	while (1) {
		const char *e = strchr(s, ':');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		snprintf(cand, sizeof cand, "%.*s/%s", (int)n, n ? s : ".", name);
		int fd = dce_path_open(p, AT_FDCWD, cand, O_RDONLY, 0, vpath_out, NULL);
		if (fd >= 0) {
			struct stat st;
			if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
				return fd;
			close(fd);
		}
		if (!e)
			break;
		s = e + 1;
	}
	snprintf(err, errlen, "not found: %s, searched: %s (inside files-%u, then the mapped host paths)",
	         name, path, p->node->id);
	return -ENOENT;
}
