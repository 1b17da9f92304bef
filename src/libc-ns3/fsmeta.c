/* fsmeta.c - simulated file metadata (see fsmeta.h).
 *
 * Times: node files carry simulated times on the host (we set mtime after each
 * change); anything newer than the simulated clock is a host artefact (a file the
 * simulator made, the host updating a time by itself) and reads as the epoch.
 * ctime cannot be set on the host, so it reads as the later of mtime and atime.
 * Inodes: numbered per node in the order the program first sees them (a
 * deterministic order: directories are listed sorted by name). */
#include "../core/kernel.h"
#include "fsmeta.h"
#include "path.h"
#include <dirent.h>
#include "uaccess.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define NODE_DEV_MINOR 0xdce00 /* st_dev of node files: 0:(0xdce00 + node id) */
#define ROOT_INO 2
#define FIRST_INO 100

/* ---- per open file info ---- */

struct dce_fsent {
	char *name;
	uint64_t ino;
	unsigned char type;
};
struct dce_fsdir {
	int n, pos;
	struct dce_fsent *e;
};

static void dir_free(struct dce_fsdir *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++)
		free(d->e[i].name);
	free(d->e);
	free(d);
}

static int classify(struct dce_process *p, int hostfd)
{
	char link[64], real[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", hostfd);
	ssize_t len = readlink(link, real, sizeof real - 1);
	if (len < 0)
		return DCE_FS_SPECIAL;
	real[len] = 0;
	size_t rl = strlen(p->node->root);
	if (!strncmp(real, p->node->root, rl) && (real[rl] == '/' || !real[rl]))
		return DCE_FS_NODE;
	char vp[PATH_MAX];
	if (dce_shared_vpath(real, vp))
		return DCE_FS_NODE; /* a shared file: as the node's own (changes copy it first) */
	if (real[0] != '/' || !strncmp(real, "/dev/", 5) || !strncmp(real, "/memfd:", 7))
		return DCE_FS_SPECIAL;
	return DCE_FS_HOST;
}

struct dce_fsinfo *dce_fs_info(struct dce_process *p, struct dce_file *f)
{
	if (f->ops != &dce_hostfile_ops || dce_file_hostfd(f) < 0)
		return NULL;
	struct dce_fsinfo *i = f->priv;
	if (!i) {
		i = calloc(1, sizeof *i);
		f->priv = i;
	}
	if (!i->kind && p)
		i->kind = classify(p, dce_file_hostfd(f));
	return i;
}

int dce_fs_kind(struct dce_process *p, struct dce_file *f)
{
	struct dce_fsinfo *i = dce_fs_info(p, f);
	return i ? i->kind : DCE_FS_SPECIAL;
}

void dce_fs_set_kind(struct dce_file *f, int kind)
{
	struct dce_fsinfo *i = dce_fs_info(NULL, f);
	if (i)
		i->kind = kind;
}

void dce_fs_info_free(struct dce_file *f)
{
	struct dce_fsinfo *i = f->priv;
	if (!i)
		return;
	dir_free(i->dir);
	free(i);
	f->priv = NULL;
}

/* ---- times ---- */

static struct timespec ts_of(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ULL), .tv_nsec = (long)(ns % 1000000000ULL) };
}

void dce_fs_touch_fd(int hostfd)
{
	struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, ts_of(dce_time_realtime_ns()) };
	futimens(hostfd, ts);
}

void dce_fs_touch_new(int hostfd)
{
	struct timespec now = ts_of(dce_time_realtime_ns());
	struct timespec ts[2] = { now, now };
	futimens(hostfd, ts);
}

void dce_fs_touch_dir(int dirfd)
{
	struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, ts_of(dce_time_realtime_ns()) };
	utimensat(dirfd, "", ts, AT_EMPTY_PATH);
}

static int64_t ns_of(int64_t sec, int64_t nsec)
{
	return sec * 1000000000LL + nsec;
}

/* The simulated (atime, mtime, ctime) of a file whose host times are given. */
static void sim_times(int kind, int64_t *a, int64_t *m, int64_t *c)
{
	int64_t now = (int64_t)dce_time_realtime_ns();
	if (kind == DCE_FS_SPECIAL) {
		*a = *m = *c = now;
		return;
	}
	if (kind == DCE_FS_HOST) {
		*a = *c = *m;
		return;
	}
	if (*m > now)
		*m = (int64_t)dce_world.epoch_ns;
	if (*a > now)
		*a = *m;
	*c = *a > *m ? *a : *m;
}

/* ---- inode numbers ---- */

struct vino {
	uint32_t node;
	uint64_t dev, ino, vino;
	int owned;                 /* uid and gid set by the simulation (else root's) */
	uid_t uid;
	gid_t gid;
	struct vino *next;
};
struct node_ctr {
	uint32_t node;
	uint64_t next;
};
#define VINO_BUCKETS 65536
static struct vino *vino_tab[VINO_BUCKETS]; /* one table for the run, keyed by node */
static struct node_ctr **node_ctrs; /* by node id */
static uint32_t n_node_ctrs;

static unsigned vino_hash(uint32_t node, uint64_t dev, uint64_t ino)
{
	uint64_t h = (ino * 0x9E3779B97F4A7C15ULL) ^ (dev * 0xBF58476D1CE4E5B9ULL) ^ node;
	return (unsigned)(h >> 40) % VINO_BUCKETS;
}

static struct vino *vino_find(uint32_t node, uint64_t dev, uint64_t ino)
{
	for (struct vino *v = vino_tab[vino_hash(node, dev, ino)]; v; v = v->next)
		if (v->node == node && v->dev == dev && v->ino == ino)
			return v;
	return NULL;
}

static void vino_add(uint32_t node, uint64_t dev, uint64_t ino, uint64_t num)
{
	struct vino *v = calloc(1, sizeof *v);
	unsigned h = vino_hash(node, dev, ino);
	*v = (struct vino){ .node = node, .dev = dev, .ino = ino, .vino = num, .next = vino_tab[h] };
	vino_tab[h] = v;
}

static uint64_t sim_ino(struct dce_node *n, uint64_t dev, uint64_t ino)
{
	dce_grow_by_id(&node_ctrs, &n_node_ctrs, n->id);
	struct node_ctr *c = node_ctrs[n->id];
	if (!c) { /* first use on this node: its root is inode 2 */
		c = calloc(1, sizeof *c);
		*c = (struct node_ctr){ n->id, FIRST_INO };
		node_ctrs[n->id] = c;
		struct stat rs;
		if (fstat(dce_node_root_fd(n), &rs) == 0)
			vino_add(n->id, rs.st_dev, rs.st_ino, ROOT_INO);
	}
	struct vino *v = vino_find(n->id, dev, ino);
	if (v)
		return v->vino;
	vino_add(n->id, dev, ino, c->next);
	return c->next++;
}

void dce_fs_forget_inode(struct dce_node *n, dev_t dev, ino_t ino)
{
	for (struct vino **pp = &vino_tab[vino_hash(n->id, dev, ino)]; *pp; pp = &(*pp)->next) {
		struct vino *v = *pp;
		if (v->node == n->id && v->dev == dev && v->ino == ino && v->vino != ROOT_INO) {
			*pp = v->next;
			free(v);
			return;
		}
	}
}

/* ---- owners: node files belong to root until chown or a creation says otherwise ---- */

static struct vino *vino_entry(struct dce_node *n, uint64_t dev, uint64_t ino)
{
	sim_ino(n, dev, ino);
	return vino_find(n->id, dev, ino);
}

void dce_fs_owner(struct dce_node *n, const struct stat *host, int kind, uid_t *uid, gid_t *gid)
{
	*uid = 0;
	*gid = 0;
	if (kind == DCE_FS_HOST) {
		*uid = host->st_uid;
		*gid = host->st_gid;
		return;
	}
	if (kind != DCE_FS_NODE)
		return;
	struct vino *v = vino_find(n->id, host->st_dev, host->st_ino);
	if (v && v->owned) {
		*uid = v->uid;
		*gid = v->gid;
	}
}

void dce_fs_set_owner(struct dce_node *n, const struct stat *host, uid_t uid, gid_t gid)
{
	struct vino *v = vino_entry(n, host->st_dev, host->st_ino);
	if (!v->owned) {
		v->uid = 0;
		v->gid = 0;
	}
	if (uid != (uid_t)-1)
		v->uid = uid;
	if (gid != (gid_t)-1)
		v->gid = gid;
	v->owned = 1;
}

static uint64_t special_ino(const char *vpath)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *s = vpath ? vpath : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return 0x100000 + h % 0xfffff;
}

static dev_t node_dev(struct dce_node *n)
{
	return makedev(0, NODE_DEV_MINOR + (n->id & 0xff));
}

void dce_fs_fix_stat(struct dce_node *n, struct stat *st, int kind, const char *vpath)
{
	int64_t a = ns_of(st->st_atim.tv_sec, st->st_atim.tv_nsec);
	int64_t m = ns_of(st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	int64_t c;
	sim_times(kind, &a, &m, &c);
	st->st_atim = ts_of((uint64_t)a);
	st->st_mtim = ts_of((uint64_t)m);
	st->st_ctim = ts_of((uint64_t)c);
	if (kind == DCE_FS_NODE) {
		dce_fs_owner(n, st, kind, &st->st_uid, &st->st_gid);
		st->st_ino = sim_ino(n, st->st_dev, st->st_ino);
		st->st_dev = node_dev(n);
	} else if (kind == DCE_FS_SPECIAL) {
		st->st_ino = special_ino(vpath);
		st->st_dev = makedev(0, NODE_DEV_MINOR + 0x100);
	}
}

static struct statx_timestamp sx_of(int64_t ns)
{
	struct timespec t = ts_of((uint64_t)ns);
	return (struct statx_timestamp){ .tv_sec = t.tv_sec, .tv_nsec = (uint32_t)t.tv_nsec };
}

void dce_fs_fix_statx(struct dce_node *n, struct statx *st, int kind, const char *vpath)
{
	int64_t a = ns_of(st->stx_atime.tv_sec, st->stx_atime.tv_nsec);
	int64_t m = ns_of(st->stx_mtime.tv_sec, st->stx_mtime.tv_nsec);
	int64_t c;
	sim_times(kind, &a, &m, &c);
	st->stx_atime = sx_of(a);
	st->stx_mtime = sx_of(m);
	st->stx_ctime = sx_of(c);
	st->stx_btime = sx_of(m < c ? m : c);
	st->stx_mask &= ~(unsigned)STATX_BTIME; /* no birth times: they cannot be set */
	st->stx_mnt_id = 0;
	st->stx_mask &= ~(unsigned)STATX_MNT_ID;
	if (kind == DCE_FS_NODE) {
		struct stat hs = { .st_dev = makedev(st->stx_dev_major, st->stx_dev_minor), .st_ino = st->stx_ino };
		dce_fs_owner(n, &hs, kind, &st->stx_uid, &st->stx_gid);
		st->stx_ino = sim_ino(n, makedev(st->stx_dev_major, st->stx_dev_minor), st->stx_ino);
		st->stx_dev_major = 0;
		st->stx_dev_minor = NODE_DEV_MINOR + (n->id & 0xff);
	} else if (kind == DCE_FS_SPECIAL) {
		st->stx_ino = special_ino(vpath);
		st->stx_dev_major = 0;
		st->stx_dev_minor = NODE_DEV_MINOR + 0x100;
	}
}

/* ---- directories in name order ---- */

static int ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dce_fsent *)a)->name, ((const struct dce_fsent *)b)->name);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static struct dce_fsdir *dir_load(int h)
{
	if (lseek(h, 0, SEEK_SET) < 0)
		return NULL;
	struct dce_fsdir *d = calloc(1, sizeof *d);
	int cap = 0;
	char buf[32768];
	long r;
	while ((r = syscall(SYS_getdents64, h, buf, sizeof buf)) > 0) {
		for (long off = 0; off < r;) {
			struct linux_dirent64 *e = (void *)(buf + off);
			if (d->n == cap) {
				cap = cap ? cap * 2 : 32;
				d->e = realloc(d->e, sizeof *d->e * (size_t)cap);
			}
			d->e[d->n++] = (struct dce_fsent){ strdup(e->d_name), e->d_ino, e->d_type };
			off += e->d_reclen;
		}
	}
	if (r < 0) {
		int err = errno;
		dir_free(d);
		errno = err;
		return NULL;
	}
	qsort(d->e, (size_t)d->n, sizeof *d->e, ent_cmp);
	return d;
}

/* The shared files the node sees in this directory are listed in it (path.c). */
static void add_shared(struct dce_node *n, int h, struct dce_fsdir *d)
{
	char names[8][NAME_MAX + 1];
	uint64_t inos[8];
	int k = dce_shared_in_dir(n, h, names, inos, 8), added = 0;
	for (int i = 0; i < k; i++) {
		int have = 0;
		for (int j = 0; j < d->n && !have; j++)
			have = !strcmp(d->e[j].name, names[i]);
		if (have)
			continue;
		d->e = realloc(d->e, sizeof *d->e * (size_t)(d->n + 1));
		d->e[d->n++] = (struct dce_fsent){ strdup(names[i]), inos[i], DT_REG };
		added = 1;
	}
	if (added)
		qsort(d->e, (size_t)d->n, sizeof *d->e, ent_cmp);
}

long dce_fs_getdents(struct dce_process *p, struct dce_file *f, uint64_t ubuf, size_t len)
{
	struct dce_fsinfo *info = dce_fs_info(p, f);
	if (!info)
		return -ENOTDIR;
	if (!info->dir) {
		info->dir = dir_load(dce_file_hostfd(f));
		if (!info->dir)
			return -errno;
		if (info->kind == DCE_FS_NODE)
			add_shared(p->node, dce_file_hostfd(f), info->dir);
	}
	struct dce_fsdir *d = info->dir;
	struct stat dst, pst;
	int node = info->kind == DCE_FS_NODE;
	if (node && fstat(dce_file_hostfd(f), &dst))
		return -errno;
	int is_root = node && fstat(dce_node_root_fd(p->node), &pst) == 0 && pst.st_ino == dst.st_ino && pst.st_dev == dst.st_dev;
	if (len > 65536)
		len = 65536;
	char out[65536];
	size_t used = 0;
	int start = d->pos;
	while (d->pos < d->n) {
		struct dce_fsent *e = &d->e[d->pos];
		size_t nl = strlen(e->name);
		size_t rec = (offsetof(struct linux_dirent64, d_name) + nl + 1 + 7) & ~(size_t)7;
		if (used + rec > len)
			break;
		struct linux_dirent64 *o = (void *)(out + used);
		memset(o, 0, rec);
		o->d_ino = e->ino;
		if (node) {
			if (!strcmp(e->name, "..") && is_root)
				o->d_ino = ROOT_INO;
			else
				o->d_ino = sim_ino(p->node, dst.st_dev, e->ino);
		}
		o->d_off = d->pos + 1;
		o->d_reclen = (unsigned short)rec;
		o->d_type = e->type;
		memcpy(o->d_name, e->name, nl + 1);
		used += rec;
		d->pos++;
	}
	if (!used && d->pos < d->n)
		return -EINVAL;
	if (dce_copy_to_user(ubuf, out, used)) {
		d->pos = start;
		return -EFAULT;
	}
	return (long)used;
}

int dce_fs_dir_seek(struct dce_file *f, long off, int whence, long *res)
{
	struct dce_fsinfo *i = f->ops == &dce_hostfile_ops ? f->priv : NULL;
	if (!i || !i->dir)
		return 0;
	if (whence == SEEK_CUR && off == 0) {
		*res = i->dir->pos;
		return 1;
	}
	if (whence != SEEK_SET || off < 0) {
		*res = -EINVAL;
		return 1;
	}
	if (off == 0) { /* rewinddir: list again, seeing changes */
		dir_free(i->dir);
		i->dir = NULL;
	} else
		i->dir->pos = off > i->dir->n ? i->dir->n : (int)off;
	*res = off;
	return 1;
}
