/* special.c - the virtual files of /dev and /proc a program sees.
 * Contents are generated per process and are deterministic (no host values). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "../core/kernel.h"
#include "../core/sim.h"
#include "path.h"
#include "creds.h"
#include "syscalls.h"
#include "net/kstack.h"
#include "uaccess.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static ssize_t urandom_read(struct dce_thread *t, struct dce_file *f, void *buf, size_t len)
{
	(void)f;
	unsigned char tmp[4096];
	size_t done = 0;
	while (done < len) { /* through a copy: buf is the program's, maybe bad */
		size_t n = len - done < sizeof tmp ? len - done : sizeof tmp;
		dce_random_fill(t->proc->node, tmp, n);
		if (dce_copy_to_user((uint64_t)(uintptr_t)buf + done, tmp, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return (ssize_t)len;
}

static ssize_t sink_write(struct dce_thread *t, struct dce_file *f, const void *buf, size_t len)
{
	(void)t, (void)f, (void)buf;
	return (ssize_t)len;
}

static int always_ready(struct dce_file *f)
{
	(void)f;
	return 0x1 | 0x4 | 0x40 | 0x100; /* POLLIN|POLLOUT|POLLRDNORM|POLLWRNORM */
}

static const struct dce_file_ops urandom_ops = {
	.name = "urandom", .read = urandom_read, .write = sink_write, .poll = always_ready,
};

/* A read-only file with fixed contents, backed by a host memfd. */
static struct dce_file *memfile(const char *content, size_t len, const char *vpath)
{
	int fd = memfd_create("dce", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (write(fd, content, len) != (ssize_t)len) {
		close(fd);
		return NULL;
	}
	lseek(fd, 0, SEEK_SET);
	struct dce_file *f = dce_file_new(&dce_hostfile_ops, fd, O_RDONLY);
	f->vpath = strdup(vpath);
	return f;
}

static char *proc_stat_line(struct dce_process *p)
{
	char *s = NULL;
	const char *comm = p->exe ? strrchr(p->exe, '/') : NULL;
	comm = comm ? comm + 1 : "?";
	if (asprintf(&s, "%d (%.15s) R %d %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 %d 0 %llu 0 0 "
	             "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
	             p->pid, comm, p->ppid, p->pgid, p->sid, p->nthreads,
	             (unsigned long long)(p->start_ns / 10000000ULL)) < 0)
		return NULL;
	return s;
}

static char *proc_status(struct dce_process *p)
{
	char *s = NULL;
	const char *comm = p->exe ? strrchr(p->exe, '/') : NULL;
	comm = comm ? comm + 1 : "?";
	char ids[1024];
	dce_cred_status(p, ids, sizeof ids);
	if (asprintf(&s, "Name:\t%.15s\nUmask:\t%04o\nState:\tR (running)\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
	             "%sThreads:\t%d\nVmRSS:\t0 kB\n"
	             "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n",
	             comm, p->umask, p->pid, p->pid, p->ppid, ids, p->nthreads) < 0)
		return NULL;
	return s;
}

/* Content of a generated /proc file, or NULL if `rest` is not one. */
static char *proc_file(struct dce_process *p, const char *rest)
{
	char *s = NULL;
	if (!strcmp(rest, "cmdline")) {
		/* NUL-separated argv: the stored command line has spaces */
		s = strdup(p->cmdline ? p->cmdline : "");
		for (char *c = s; *c; c++)
			if (*c == ' ')
				*c = 0;
		return s;
	}
	if (!strcmp(rest, "stat"))
		return proc_stat_line(p);
	if (!strcmp(rest, "status"))
		return proc_status(p);
	if (!strcmp(rest, "comm")) {
		const char *comm = p->exe ? strrchr(p->exe, '/') : NULL;
		asprintf(&s, "%.15s\n", comm ? comm + 1 : "?");
		return s;
	}
	if (!strcmp(rest, "maps") || !strcmp(rest, "mounts") || !strcmp(rest, "mountinfo") ||
	    !strcmp(rest, "environ"))
		return strdup("");
	if (!strcmp(rest, "limits"))
		return strdup("Limit                     Soft Limit           Hard Limit           Units\n"
		              "Max open files            1024                 1024                 files\n");
	return NULL;
}

static char *sys_file(struct dce_node *n, const char *path)
{
	char *s = NULL;
	uint64_t now = dce_sim_now();
	if (!strcmp(path, "/proc/meminfo"))
		return strdup("MemTotal:        4194304 kB\nMemFree:         3145728 kB\nMemAvailable:    3145728 kB\n"
		              "Buffers:               0 kB\nCached:                0 kB\nSwapTotal:             0 kB\n"
		              "SwapFree:              0 kB\n");
	if (!strcmp(path, "/proc/cpuinfo"))
		return strdup("processor\t: 0\nvendor_id\t: dce\nmodel name\t: dce simulated CPU\ncpu MHz\t\t: 1000.000\n\n");
	if (!strcmp(path, "/proc/stat"))
		return strdup("cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\nbtime 1262304000\n");
	if (!strcmp(path, "/proc/uptime")) {
		asprintf(&s, "%llu.%02llu 0.00\n", (unsigned long long)(now / 1000000000ULL),
		         (unsigned long long)(now % 1000000000ULL / 10000000ULL));
		return s;
	}
	if (!strcmp(path, "/proc/loadavg"))
		return strdup("0.00 0.00 0.00 1/1 1\n");
	if (!strcmp(path, "/proc/version") || !strcmp(path, "/proc/sys/kernel/osrelease") ||
	    !strcmp(path, "/proc/sys/kernel/ostype")) {
		if (!strcmp(path, "/proc/sys/kernel/ostype"))
			return strdup("Linux\n");
		const char *krel = dce_kstack_release(n->id); /* the node's Linux, if any */
		if (!krel)
			krel = DCE_UNAME_RELEASE;
		if (!strcmp(path, "/proc/sys/kernel/osrelease"))
			asprintf(&s, "%s\n", krel);
		else
			asprintf(&s, "Linux version %s (dce) #1 SMP\n", krel);
		return s;
	}
	if (!strcmp(path, "/proc/sys/kernel/hostname")) {
		asprintf(&s, "%s\n", n->hostname);
		return s;
	}
	if (!strcmp(path, "/proc/sys/kernel/random/boot_id") || !strcmp(path, "/proc/sys/kernel/random/uuid")) {
		unsigned char r[16];
		dce_random_fill(n, r, sizeof r);
		asprintf(&s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\n",
		         r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
		         r[13], r[14], r[15]);
		return s;
	}
	if (!strcmp(path, "/proc/sys/vm/overcommit_memory"))
		return strdup("0\n");
	if (!strcmp(path, "/proc/filesystems"))
		return strdup("nodev\tproc\nnodev\ttmpfs\n\text4\n");
	if (!strcmp(path, "/sys/devices/system/cpu/online") || !strcmp(path, "/sys/devices/system/cpu/possible"))
		return strdup("0\n");
	return NULL;
}

/* /proc/self/... and /proc/<pid>/...: returns the process and the rest, or NULL. */
static struct dce_process *proc_target(struct dce_thread *t, const char *norm, const char **rest)
{
	const char *s;
	struct dce_process *p = NULL;
	if (!strncmp(norm, "/proc/self", 10) && (norm[10] == '/' || !norm[10])) {
		p = t->proc;
		s = norm + 10;
	} else if (!strncmp(norm, "/proc/thread-self", 17) && (norm[17] == '/' || !norm[17])) {
		p = t->proc;
		s = norm + 17;
	} else if (!strncmp(norm, "/proc/", 6) && norm[6] >= '0' && norm[6] <= '9') {
		char *e;
		long pid = strtol(norm + 6, &e, 10);
		if (*e && *e != '/')
			return NULL;
		p = dce_process_find(t->proc->node, (int)pid);
		if (!p) {
			for (struct dce_thread *th = t->proc->threads; th; th = th->next)
				if (th->tid == pid)
					p = t->proc;
		}
		if (!p)
			return NULL;
		s = e;
		if (!strncmp(s, "/task/", 6)) { /* /proc/pid/task/tid/... */
			strtol(s + 6, &e, 10);
			s = e;
		}
	} else
		return NULL;
	*rest = *s == '/' ? s + 1 : s;
	return p;
}

int dce_special_open(struct dce_thread *t, int dirfd, const char *path, int flags, struct dce_file **out)
{
	char abs[PATH_MAX], norm[PATH_MAX];
	if (!path[0])
		return 0;
	int r = dce_path_absolute(t->proc, dirfd, path, abs);
	if (r)
		return r;
	dce_path_normalize(abs, norm);
	if (strncmp(norm, "/dev/", 5) && strncmp(norm, "/proc", 5) && strncmp(norm, "/sys/", 5))
		return 0;
	struct dce_process *p = t->proc;
	if (!strcmp(norm, "/dev/null") || !strcmp(norm, "/dev/zero") || !strcmp(norm, "/dev/full")) {
		int h = open(norm, (flags & O_ACCMODE) | O_CLOEXEC);
		if (h < 0)
			return -errno;
		*out = dce_file_new(&dce_hostfile_ops, h, flags & O_ACCMODE);
		(*out)->vpath = strdup(norm);
		return 1;
	}
	if (!strcmp(norm, "/dev/urandom") || !strcmp(norm, "/dev/random")) {
		*out = dce_file_new(&urandom_ops, -1, flags & O_ACCMODE);
		(*out)->vpath = strdup(norm);
		return 1;
	}
	int fdnum = -1;
	if (!strcmp(norm, "/dev/stdin"))
		fdnum = 0;
	else if (!strcmp(norm, "/dev/stdout"))
		fdnum = 1;
	else if (!strcmp(norm, "/dev/stderr"))
		fdnum = 2;
	else if (!strncmp(norm, "/dev/fd/", 8))
		fdnum = atoi(norm + 8);
	else if (!strncmp(norm, "/proc/self/fd/", 14))
		fdnum = atoi(norm + 14);
	if (fdnum >= 0) {
		struct dce_file *f = dce_fd_lookup(p, fdnum);
		if (!f)
			return -ENOENT;
		*out = dce_file_get(f);
		return 1;
	}
	if (!strcmp(norm, "/dev/tty"))
		return -ENXIO;
	const char *rest;
	struct dce_process *target = proc_target(t, norm, &rest);
	char *content = target ? proc_file(target, rest) : sys_file(p->node, norm);
	if (!content)
		return 0; /* fall through to files-N (e.g. files-N/proc written by the user) */
	if ((flags & O_ACCMODE) != O_RDONLY) {
		free(content);
		return -EACCES;
	}
	size_t len = strlen(content);
	if (target && !strcmp(rest, "cmdline")) /* NUL-separated, NUL-terminated */
		len = strlen(target->cmdline ? target->cmdline : "") + 1;
	*out = memfile(content, len, norm);
	free(content);
	return *out ? 1 : -ENOMEM;
}

long dce_special_readlink(struct dce_thread *t, int dirfd, const char *path, char *buf, size_t len)
{
	char abs[PATH_MAX], norm[PATH_MAX];
	if (!path[0])
		return -ENOENT;
	int r = dce_path_absolute_nofollow(t->proc, dirfd, path, abs);
	if (r)
		return r;
	dce_path_normalize(abs, norm);
	const char *rest;
	struct dce_process *p = proc_target(t, norm, &rest);
	if (!p)
		return -ENOSYS;
	const char *v = NULL;
	char tmp[PATH_MAX];
	if (!strcmp(rest, "exe"))
		v = p->exe ? p->exe : "";
	else if (!strcmp(rest, "cwd"))
		v = p->cwd;
	else if (!strcmp(rest, "root"))
		v = "/";
	else if (!strncmp(rest, "fd/", 3)) {
		struct dce_file *f = dce_fd_lookup(p, atoi(rest + 3));
		if (!f)
			return -ENOENT;
		if (f->vpath)
			v = f->vpath;
		else if (dce_file_hostfd(f) >= 0 && dce_path_of_fd_proc(p, dce_file_hostfd(f), tmp) >= 0)
			v = tmp; /* the standard streams dce opened itself */
		else {
			/* no address in it: the same run twice must read the same */
			snprintf(tmp, sizeof tmp, "%s:[%d]", f->ops->name, 4026531840u + p->pid * 1024 + atoi(rest + 3));
			v = tmp;
		}
	} else
		return -ENOSYS;
	size_t n = strlen(v);
	if (n > len)
		n = len;
	memcpy(buf, v, n);
	return (long)n;
}
