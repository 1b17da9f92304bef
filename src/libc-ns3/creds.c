/* creds.c - who a process is: real, effective, saved and filesystem user and group
 * ids, supplementary groups and capabilities, with Linux's rules for changing them
 * (credentials(7), capabilities(7)). A process starts as root with every
 * capability; fork copies its credentials, execve keeps the ids (set-user-ID bits of
 * files are ignored) and recomputes the capabilities as Linux does for a file
 * without file capabilities. */
#include "../core/kernel.h"
#include "creds.h"
#include "fsmeta.h"
#include "path.h"
#include "syscalls.h"
#include "uaccess.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAP_ALL ((1ULL << (CAP_LAST_CAP + 1)) - 1)
#define CAP_FS_MASK (CAPB(CAP_CHOWN) | CAPB(CAP_DAC_OVERRIDE) | CAPB(CAP_DAC_READ_SEARCH) | \
                     CAPB(CAP_FOWNER) | CAPB(CAP_FSETID) | CAPB(CAP_LINUX_IMMUTABLE) | CAPB(CAP_MAC_OVERRIDE) | \
                     CAPB(CAP_MKNOD))
#define NGROUPS_MAX_LINUX 65536

static const struct dce_cred root_cred = {
	.cap_eff = CAP_ALL, .cap_perm = CAP_ALL, .cap_bset = CAP_ALL,
};

struct dce_cred *dce_cred(struct dce_process *p)
{
	if (!p->cred) {
		p->cred = malloc(sizeof *p->cred);
		*p->cred = root_cred;
	}
	return p->cred;
}

void dce_cred_inherit(struct dce_process *p, struct dce_process *parent)
{
	struct dce_cred *c = malloc(sizeof *c);
	*c = parent ? *dce_cred(parent) : root_cred;
	if (c->ngroups) {
		c->groups = malloc(sizeof(gid_t) * (size_t)c->ngroups);
		memcpy(c->groups, parent->cred->groups, sizeof(gid_t) * (size_t)c->ngroups);
	}
	p->cred = c;
	p->fsroot = parent ? dce_fsroot_get(parent->fsroot) : NULL;
}

/* A process started by the scenario with these ids (ns-3-dce's SetUid/SetEuid/
 * SetGid/SetEgid), as if root had called setresgid then setresuid: a non-root
 * effective user has no effective capabilities, and none at all when no id is 0. */
void dce_cred_start_ids(struct dce_process *p, unsigned uid, unsigned euid, unsigned gid, unsigned egid)
{
	struct dce_cred *c = dce_cred(p);
	c->rgid = gid;
	c->egid = c->sgid = c->fsgid = egid;
	c->ruid = uid;
	c->euid = c->suid = c->fsuid = euid;
	if (euid != 0)
		c->cap_eff = 0;
	if (uid != 0 && euid != 0) {
		c->cap_perm = 0;
		c->cap_amb = 0;
	}
}

int dce_cred_capable(struct dce_process *p, int cap)
{
	return (dce_cred(p)->cap_eff & CAPB(cap)) != 0;
}

int dce_cred_in_group(struct dce_process *p, gid_t g)
{
	struct dce_cred *c = dce_cred(p);
	if (g == c->fsgid)
		return 1;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == g)
			return 1;
	return 0;
}

/* May the process (with its fs ids, or its real ids when `real`) access a file of
 * this owner and mode as `want` (R_OK|W_OK|X_OK)? 0 or -EACCES, as the kernel's
 * generic_permission: owner, group or other bits, then CAP_DAC_OVERRIDE (execute only
 * if some x bit is set, or a directory) and CAP_DAC_READ_SEARCH. */
int dce_cred_permission(struct dce_process *p, uid_t uid, gid_t gid, mode_t mode, int want, int real)
{
	struct dce_cred *c = dce_cred(p);
	uid_t me = real ? c->ruid : c->fsuid;
	int ingroup = real ? (gid == c->rgid || dce_cred_in_group(p, gid)) : dce_cred_in_group(p, gid);
	unsigned bits;
	if (me == uid)
		bits = (mode >> 6) & 7;
	else if (ingroup)
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	if ((bits & (unsigned)want) == (unsigned)want)
		return 0;
	/* access(2) checks with the real ids and the capabilities a root real id would have */
	uint64_t eff = real ? (c->ruid == 0 ? c->cap_perm : 0) : c->cap_eff;
	if (real && c->ruid != 0)
		eff = 0;
	int dir = S_ISDIR(mode);
	if (eff & CAPB(CAP_DAC_OVERRIDE)) {
		if (!(want & X_OK) || dir || (mode & 0111))
			return 0;
	}
	if ((eff & CAPB(CAP_DAC_READ_SEARCH)) && !(want & W_OK) && (!(want & X_OK) || dir))
		return 0;
	return -EACCES;
}

/* ---- capabilities follow the uids (capabilities(7), "Effect of user ID changes") ---- */

static void caps_after_uid_change(struct dce_cred *c, uid_t or, uid_t oe, uid_t os, uid_t ofs)
{
	if (c->securebits & 1 /* SECBIT_NOROOT */)
		return;
	int had_root = or == 0 || oe == 0 || os == 0;
	int has_root = c->ruid == 0 || c->euid == 0 || c->suid == 0;
	if (had_root && !has_root && !c->keepcaps) {
		c->cap_perm = 0;
		c->cap_eff = 0;
		c->cap_amb = 0;
	}
	if (oe == 0 && c->euid != 0)
		c->cap_eff = 0;
	if (oe != 0 && c->euid == 0)
		c->cap_eff = c->cap_perm;
	if (ofs == 0 && c->fsuid != 0)
		c->cap_eff &= ~(uint64_t)CAP_FS_MASK;
	if (ofs != 0 && c->fsuid == 0)
		c->cap_eff |= c->cap_perm & CAP_FS_MASK;
}

static int one_of3(unsigned v, unsigned a, unsigned b, unsigned c)
{
	return v == a || v == b || v == c;
}

/* The common core of set*uid: -1 (as unsigned) leaves an id as it is. */
static long set_uids(struct dce_process *p, uid_t r, uid_t e, uid_t s, int fs_follow)
{
	struct dce_cred *c = dce_cred(p);
	uid_t or = c->ruid, oe = c->euid, os = c->suid, ofs = c->fsuid;
	if (r != (uid_t)-1)
		c->ruid = r;
	if (e != (uid_t)-1)
		c->euid = e;
	if (s != (uid_t)-1)
		c->suid = s;
	if (fs_follow)
		c->fsuid = c->euid;
	caps_after_uid_change(c, or, oe, os, ofs);
	return 0;
}

static long set_gids(struct dce_process *p, gid_t r, gid_t e, gid_t s)
{
	struct dce_cred *c = dce_cred(p);
	if (r != (gid_t)-1)
		c->rgid = r;
	if (e != (gid_t)-1)
		c->egid = e;
	if (s != (gid_t)-1)
		c->sgid = s;
	c->fsgid = c->egid;
	return 0;
}

long sys_setuid(T *t, long uid)
{
	struct dce_cred *c = dce_cred(t->proc);
	uid_t u = (uid_t)uid;
	if (u == (uid_t)-1)
		return -EINVAL;
	if (dce_cred_capable(t->proc, CAP_SETUID))
		return set_uids(t->proc, u, u, u, 1);
	if (u != c->ruid && u != c->suid)
		return -EPERM;
	return set_uids(t->proc, (uid_t)-1, u, (uid_t)-1, 1);
}

long sys_setgid(T *t, long gid)
{
	struct dce_cred *c = dce_cred(t->proc);
	gid_t g = (gid_t)gid;
	if (g == (gid_t)-1)
		return -EINVAL;
	if (dce_cred_capable(t->proc, CAP_SETGID))
		return set_gids(t->proc, g, g, g);
	if (g != c->rgid && g != c->sgid)
		return -EPERM;
	return set_gids(t->proc, (gid_t)-1, g, (gid_t)-1);
}

long sys_setreuid(T *t, long ruid, long euid)
{
	struct dce_cred *c = dce_cred(t->proc);
	uid_t r = (uid_t)ruid, e = (uid_t)euid;
	if (!dce_cred_capable(t->proc, CAP_SETUID)) {
		if (r != (uid_t)-1 && r != c->ruid && r != c->euid)
			return -EPERM;
		if (e != (uid_t)-1 && !one_of3(e, c->ruid, c->euid, c->suid))
			return -EPERM;
	}
	uid_t s = (uid_t)-1;
	if (r != (uid_t)-1 || (e != (uid_t)-1 && e != c->ruid))
		s = e != (uid_t)-1 ? e : c->euid;
	return set_uids(t->proc, r, e, s, 1);
}

long sys_setregid(T *t, long rgid, long egid)
{
	struct dce_cred *c = dce_cred(t->proc);
	gid_t r = (gid_t)rgid, e = (gid_t)egid;
	if (!dce_cred_capable(t->proc, CAP_SETGID)) {
		if (r != (gid_t)-1 && r != c->rgid && r != c->egid)
			return -EPERM;
		if (e != (gid_t)-1 && !one_of3(e, c->rgid, c->egid, c->sgid))
			return -EPERM;
	}
	gid_t s = (gid_t)-1;
	if (r != (gid_t)-1 || (e != (gid_t)-1 && e != c->rgid))
		s = e != (gid_t)-1 ? e : c->egid;
	return set_gids(t->proc, r, e, s);
}

long sys_setresuid(T *t, long ruid, long euid, long suid)
{
	struct dce_cred *c = dce_cred(t->proc);
	uid_t v[3] = { (uid_t)ruid, (uid_t)euid, (uid_t)suid };
	if (!dce_cred_capable(t->proc, CAP_SETUID))
		for (int i = 0; i < 3; i++)
			if (v[i] != (uid_t)-1 && !one_of3(v[i], c->ruid, c->euid, c->suid))
				return -EPERM;
	return set_uids(t->proc, v[0], v[1], v[2], 1);
}

long sys_setresgid(T *t, long rgid, long egid, long sgid)
{
	struct dce_cred *c = dce_cred(t->proc);
	gid_t v[3] = { (gid_t)rgid, (gid_t)egid, (gid_t)sgid };
	if (!dce_cred_capable(t->proc, CAP_SETGID))
		for (int i = 0; i < 3; i++)
			if (v[i] != (gid_t)-1 && !one_of3(v[i], c->rgid, c->egid, c->sgid))
				return -EPERM;
	return set_gids(t->proc, v[0], v[1], v[2]);
}

long sys_setfsuid(T *t, long fsuid)
{
	struct dce_cred *c = dce_cred(t->proc);
	uid_t old = c->fsuid, u = (uid_t)fsuid;
	if (u != (uid_t)-1 && (one_of3(u, c->ruid, c->euid, c->suid) || u == c->fsuid ||
	                       dce_cred_capable(t->proc, CAP_SETUID))) {
		c->fsuid = u;
		caps_after_uid_change(c, c->ruid, c->euid, c->suid, old);
	}
	return old;
}

long sys_setfsgid(T *t, long fsgid)
{
	struct dce_cred *c = dce_cred(t->proc);
	gid_t old = c->fsgid, g = (gid_t)fsgid;
	if (g != (gid_t)-1 && (one_of3(g, c->rgid, c->egid, c->sgid) || g == c->fsgid ||
	                       dce_cred_capable(t->proc, CAP_SETGID)))
		c->fsgid = g;
	return old;
}

static long put_ids(U a, U b, U c3, unsigned x, unsigned y, unsigned z)
{
	if (dce_copy_to_user(a, &x, sizeof x) || dce_copy_to_user(b, &y, sizeof y) ||
	    dce_copy_to_user(c3, &z, sizeof z))
		return -EFAULT;
	return 0;
}

long sys_getresuid(T *t, U r, U e, U s)
{
	struct dce_cred *c = dce_cred(t->proc);
	return put_ids(r, e, s, c->ruid, c->euid, c->suid);
}

long sys_getresgid(T *t, U r, U e, U s)
{
	struct dce_cred *c = dce_cred(t->proc);
	return put_ids(r, e, s, c->rgid, c->egid, c->sgid);
}

long sys_getid(T *t, long which)
{
	struct dce_cred *c = dce_cred(t->proc);
	switch (which) {
	case 0: return c->ruid;
	case 1: return c->euid;
	case 2: return c->rgid;
	default: return c->egid;
	}
}

long sys_getgroups(T *t, long size, U list)
{
	struct dce_cred *c = dce_cred(t->proc);
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (c->ngroups && dce_copy_to_user(list, c->groups, sizeof(gid_t) * (size_t)c->ngroups))
		return -EFAULT;
	return c->ngroups;
}

static int gid_cmp(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;
	return x < y ? -1 : x > y;
}

long sys_setgroups(T *t, long size, U list)
{
	if (!dce_cred_capable(t->proc, CAP_SETGID))
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX_LINUX)
		return -EINVAL;
	gid_t *g = NULL;
	if (size) {
		g = malloc(sizeof *g * (size_t)size);
		if (dce_copy_from_user(g, list, sizeof *g * (size_t)size)) {
			free(g);
			return -EFAULT;
		}
		qsort(g, (size_t)size, sizeof *g, gid_cmp);
	}
	struct dce_cred *c = dce_cred(t->proc);
	free(c->groups);
	c->groups = g;
	c->ngroups = (int)size;
	return 0;
}

/* ---- capget / capset ---- */

struct cap_header {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};

static int cap_words(uint32_t version)
{
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1: return 1;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3: return 2;
	default: return 0;
	}
}

/* 0 with the number of data words, or an error (an unknown version is rewritten to
 * the one the kernel prefers, as libcap probes with it). */
static long cap_header_in(U hdrp, int data_null, struct cap_header *h, int *words)
{
	if (dce_copy_from_user(h, hdrp, sizeof *h))
		return -EFAULT;
	*words = cap_words(h->version);
	if (!*words) {
		h->version = _LINUX_CAPABILITY_VERSION_3;
		if (dce_copy_to_user(hdrp, h, sizeof *h))
			return -EFAULT;
		return data_null ? 0 : -EINVAL;
	}
	if (h->pid < 0)
		return -EINVAL;
	return 1;
}

long sys_capget(T *t, U hdrp, U datap)
{
	struct cap_header h;
	int words;
	long r = cap_header_in(hdrp, !datap, &h, &words);
	if (r <= 0)
		return r;
	struct dce_process *p = t->proc;
	if (h.pid && h.pid != p->pid) {
		p = dce_process_find(t->proc->node, h.pid);
		if (!p)
			return -ESRCH;
	}
	if (!datap)
		return 0;
	struct dce_cred *c = dce_cred(p);
	struct cap_data d[2];
	for (int i = 0; i < 2; i++)
		d[i] = (struct cap_data){ (uint32_t)(c->cap_eff >> (32 * i)), (uint32_t)(c->cap_perm >> (32 * i)),
		                          (uint32_t)(c->cap_inh >> (32 * i)) };
	return dce_copy_to_user(datap, d, sizeof d[0] * (size_t)words);
}

long sys_capset(T *t, U hdrp, U datap)
{
	struct cap_header h;
	int words;
	long r = cap_header_in(hdrp, 0, &h, &words);
	if (r <= 0)
		return r;
	if (h.pid && h.pid != t->proc->pid)
		return -EPERM;
	struct cap_data d[2] = { { 0 } };
	if (dce_copy_from_user(d, datap, sizeof d[0] * (size_t)words))
		return -EFAULT;
	uint64_t eff = d[0].effective | (uint64_t)d[1].effective << 32;
	uint64_t perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	uint64_t inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	struct dce_cred *c = dce_cred(t->proc);
	if (words == 1) { /* version 1 leaves the upper capabilities as they are */
		eff |= c->cap_eff & ~0xffffffffULL;
		perm |= c->cap_perm & ~0xffffffffULL;
		inh |= c->cap_inh & ~0xffffffffULL;
	}
	uint64_t inh_limit = c->cap_inh | (c->cap_eff & CAPB(CAP_SETPCAP) ? c->cap_bset : c->cap_perm);
	if ((inh & ~inh_limit) || (inh & ~(c->cap_inh | c->cap_bset)) || (perm & ~c->cap_perm) || (eff & ~perm))
		return -EPERM;
	c->cap_eff = eff & CAP_ALL;
	c->cap_perm = perm & CAP_ALL;
	c->cap_inh = inh & CAP_ALL;
	c->cap_amb &= c->cap_perm & c->cap_inh;
	return 0;
}

/* prctl options about credentials; returns 1 when op was one of them (*res set). */
int dce_cred_prctl(T *t, long op, U a2, U a3, U a4, U a5, long *res)
{
	struct dce_cred *c = dce_cred(t->proc);
	switch (op) {
	case PR_CAPBSET_READ:
		*res = a2 > CAP_LAST_CAP ? -EINVAL : (long)((c->cap_bset >> a2) & 1);
		return 1;
	case PR_CAPBSET_DROP:
		if (a2 > CAP_LAST_CAP)
			*res = -EINVAL;
		else if (!(c->cap_eff & CAPB(CAP_SETPCAP)))
			*res = -EPERM;
		else {
			c->cap_bset &= ~CAPB(a2);
			*res = 0;
		}
		return 1;
	case PR_SET_KEEPCAPS:
		*res = a2 > 1 ? -EINVAL : 0;
		if (a2 <= 1)
			c->keepcaps = (int)a2;
		return 1;
	case PR_GET_KEEPCAPS:
		*res = c->keepcaps;
		return 1;
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || a3 || a4 || a5)
			*res = -EINVAL;
		else {
			c->no_new_privs = 1;
			*res = 0;
		}
		return 1;
	case PR_GET_NO_NEW_PRIVS:
		*res = a2 || a3 || a4 || a5 ? -EINVAL : c->no_new_privs;
		return 1;
	case PR_GET_SECUREBITS:
		*res = c->securebits;
		return 1;
	case PR_SET_SECUREBITS:
		if (!(c->cap_eff & CAPB(CAP_SETPCAP)))
			*res = -EPERM;
		else {
			c->securebits = (unsigned)a2 & 0xff;
			*res = 0;
		}
		return 1;
	case PR_CAP_AMBIENT:
		if (a2 == PR_CAP_AMBIENT_CLEAR_ALL) {
			c->cap_amb = 0;
			*res = a3 || a4 || a5 ? -EINVAL : 0;
		} else if (a3 > CAP_LAST_CAP || a4 || a5)
			*res = -EINVAL;
		else if (a2 == PR_CAP_AMBIENT_IS_SET)
			*res = (long)((c->cap_amb >> a3) & 1);
		else if (a2 == PR_CAP_AMBIENT_RAISE) {
			if (!(c->cap_perm & c->cap_inh & CAPB(a3)))
				*res = -EPERM;
			else {
				c->cap_amb |= CAPB(a3);
				*res = 0;
			}
		} else if (a2 == PR_CAP_AMBIENT_LOWER) {
			c->cap_amb &= ~CAPB(a3);
			*res = 0;
		} else
			*res = -EINVAL;
		return 1;
	}
	return 0;
}

/* execve of a file without file capabilities or set-id bits honoured: the ids stay,
 * saved ids become the effective ones; root gets its bounding set (plus inheritable),
 * others keep only their ambient capabilities. */
void dce_cred_exec(struct dce_process *p)
{
	struct dce_cred *c = dce_cred(p);
	c->suid = c->euid;
	c->sgid = c->egid;
	c->fsuid = c->euid;
	c->fsgid = c->egid;
	c->keepcaps = 0;
	if (!(c->securebits & 1) && (c->euid == 0 || c->ruid == 0)) {
		c->cap_perm = (c->cap_inh | c->cap_bset) & CAP_ALL;
		c->cap_eff = c->euid == 0 ? c->cap_perm : 0;
	} else {
		c->cap_perm = c->cap_amb;
		c->cap_eff = c->cap_amb;
	}
}

/* /proc/<pid>/status lines: Uid, Gid, Groups, Cap*. */
int dce_cred_status(struct dce_process *p, char *buf, size_t len)
{
	struct dce_cred *c = dce_cred(p);
	size_t n = (size_t)snprintf(buf, len, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nGroups:\t", c->ruid, c->euid,
	                            c->suid, c->fsuid, c->rgid, c->egid, c->sgid, c->fsgid);
	for (int i = 0; i < c->ngroups && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%u ", c->groups[i]);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n,
		                      "\nCapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\nCapAmb:\t%016llx\n"
		                      "NoNewPrivs:\t%d\n",
		                      (unsigned long long)c->cap_inh, (unsigned long long)c->cap_perm,
		                      (unsigned long long)c->cap_eff, (unsigned long long)c->cap_bset,
		                      (unsigned long long)c->cap_amb, c->no_new_privs);
	return n < len ? (int)n : (int)len - 1;
}

/* ---- the node's users and groups ---- */

/* The host's /etc/NAME (so the system users and groups Debian packages create
 * exist in every node), else the fallback; *len its size. Freed by the caller. */
static char *host_or_default(const char *name, const char *fallback, size_t *len)
{
	char src[PATH_MAX];
	snprintf(src, sizeof src, "/etc/%s", name);
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	int in = open(src, O_RDONLY | O_CLOEXEC);
	ssize_t k;
	while (buf && in >= 0 && (k = read(in, buf + n, cap - n)) > 0) {
		n += (size_t)k;
		if (n == cap) {
			char *b = realloc(buf, cap *= 2);
			if (!b)
				break;
			buf = b;
		}
	}
	if (in >= 0)
		close(in);
	if (buf && !n) {
		free(buf);
		buf = strdup(fallback);
		n = buf ? strlen(buf) : 0;
	}
	*len = n;
	return buf;
}

void dce_cred_node_etc(const char *etcdir)
{
	static const char *const names[2] = { "passwd", "group" };
	static const char *const fallbacks[2] = {
		"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
		"root:x:0:\nnogroup:x:65534:\n",
	};
	static int unshareable[2];
	for (int i = 0; i < 2; i++) {
		char vpath[32];
		snprintf(vpath, sizeof vpath, "/etc/%s", names[i]);
		if (dce_shared_registered(vpath))
			continue; /* one copy for every node (path.c) */
		size_t len;
		char *text = host_or_default(names[i], fallbacks[i], &len);
		if (!text)
			continue;
		if (unshareable[i] || dce_share_file(vpath, text, len)) {
			unshareable[i] = 1; /* the node's own copy then */
			char dst[PATH_MAX];
			snprintf(dst, sizeof dst, "%s/%s", etcdir, names[i]);
			int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
			if (out >= 0) {
				if (write(out, text, len) != (ssize_t)len)
					fprintf(dce_world.err, "dce: cannot write %s\n", dst);
				close(out);
			}
		}
		free(text);
	}
}

/* ---- file permissions (the checks of open, exec, mkdir, unlink, ...) ---- */

static int dac_all(struct dce_process *p)
{
	uint64_t need = CAPB(CAP_DAC_OVERRIDE) | CAPB(CAP_DAC_READ_SEARCH);
	return (dce_cred(p)->cap_eff & need) == need;
}

long dce_perm_fd(struct dce_process *p, int h, int kind, int want)
{
	if (!want || (dac_all(p) && !(want & X_OK)) || kind == DCE_FS_SPECIAL)
		return 0;
	struct stat st;
	uid_t u;
	gid_t g;
	if (fstat(h, &st))
		return 0; /* the operation itself will fail */
	dce_fs_owner(p->node, &st, kind, &u, &g);
	return dce_cred_permission(p, u, g, st.st_mode, want, 0);
}

long dce_perm_dir_modify(struct dce_process *p, int pfd)
{
	if (dce_cred_capable(p, CAP_DAC_OVERRIDE))
		return 0; /* w and x on a directory: granted (no stat needed) */
	return dce_perm_fd(p, pfd, DCE_FS_NODE, W_OK | X_OK);
}

/* Removing or replacing base in a sticky directory: only the owner of the entry or
 * of the directory, or CAP_FOWNER. */
long dce_perm_sticky(struct dce_process *p, int pfd, const char *base)
{
	struct stat d, f;
	if (dce_cred_capable(p, CAP_FOWNER) || fstat(pfd, &d) || !(d.st_mode & S_ISVTX) ||
	    fstatat(pfd, base, &f, AT_SYMLINK_NOFOLLOW))
		return 0;
	uid_t du, fu;
	gid_t dg, fg;
	dce_fs_owner(p->node, &d, DCE_FS_NODE, &du, &dg);
	dce_fs_owner(p->node, &f, DCE_FS_NODE, &fu, &fg);
	uid_t me = dce_cred(p)->fsuid;
	return me == du || me == fu ? 0 : -EPERM;
}

/* A new entry base in pfd (or the open file h when base is NULL) belongs to the
 * creating process's fs ids, or to the directory's group when it is set-group-ID. */
void dce_perm_new_owner(struct dce_process *p, int pfd, const char *base, int h)
{
	struct dce_cred *c = dce_cred(p);
	struct stat d, f;
	gid_t gid = c->fsgid;
	if (pfd >= 0 && fstat(pfd, &d) == 0 && (d.st_mode & S_ISGID)) {
		uid_t du;
		dce_fs_owner(p->node, &d, DCE_FS_NODE, &du, &gid);
	}
	int r = base ? fstatat(pfd, base, &f, AT_SYMLINK_NOFOLLOW) : fstat(h, &f);
	if (r == 0)
		dce_fs_set_owner(p->node, &f, c->fsuid, gid);
}

long dce_perm_exec(struct dce_process *p, const char *path)
{
	int is_host = 0;
	int h = dce_path_open(p, AT_FDCWD, path, O_PATH, 0, NULL, &is_host);
	if (h < 0)
		return 0; /* exec reports it */
	long r = dce_perm_fd(p, h, is_host ? DCE_FS_HOST : DCE_FS_NODE, X_OK);
	close(h);
	return r;
}
