/* path.c - resolving a program's paths inside its node's root (files-N).
 *
 * The kernel does the containment: openat2(RESOLVE_IN_ROOT) on the node's root
 * directory resolves "..", absolute and relative symlinks as if files-N were "/".
 * Paths not present in the node fall back, read-only, to the host paths mapped
 * with dce_map_host_path (the program's binary, libraries, zoneinfo, ...); the
 * final host file must itself lie under a mapped prefix. */
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
	return p->fsroot ? p->fsroot->fd : dce_hostfd_get(&p->node->rootdir);
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
	flags |= O_CLOEXEC;
	if (!(flags & (O_CREAT | __O_TMPFILE)))
		mode = 0; /* openat2 refuses a mode it would not use */
	int fd = sys_openat2(dce_root_fd(p), abs, (uint64_t)flags, mode & 07777 & ~p->umask,
	                     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	if (is_host)
		*is_host = 0;
	if (fd >= 0) {
		if (vpath_out && dce_path_of_fd_proc(p, fd, vpath_out) < 0)
			snprintf(vpath_out, PATH_MAX, "%s", abs);
		return fd;
	}
	if (fd != -ENOENT && fd != -ENOTDIR)
		return fd;
	if (node_resolve(p, abs, norm))
		return fd;
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

int dce_path_parent(struct dce_process *p, int dirfd, const char *path, char *base, int *is_host)
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
	return dce_path_open(p, AT_FDCWD, dir, O_PATH | O_DIRECTORY, 0, NULL, is_host);
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
