/* creds.h - process credentials (creds.c) and a process's root directory (path.c). */
#ifndef DCE_CREDS_H
#define DCE_CREDS_H
#include "../core/kernel.h"
#include "syscalls.h"
#include <linux/capability.h>

#define CAPB(c) (1ULL << (c))

struct dce_cred {
	uid_t ruid, euid, suid, fsuid;
	gid_t rgid, egid, sgid, fsgid;
	int ngroups;
	gid_t *groups;           /* sorted */
	uint64_t cap_eff, cap_perm, cap_inh, cap_bset, cap_amb;
	int keepcaps, no_new_privs;
	unsigned securebits;
};

/* A chroot: the host directory (O_PATH) paths resolve in, and its path in the node. */
struct dce_fsroot {
	int refs;
	int fd;
	char *vpath;
};

struct dce_cred *dce_cred(struct dce_process *p);
int dce_cred_capable(struct dce_process *p, int cap);
int dce_cred_in_group(struct dce_process *p, gid_t g);
/* 0 or -EACCES: may p access a file (owner, group, mode) for want (R_OK|W_OK|X_OK)?
 * real: with the real ids, as access(2). */
int dce_cred_permission(struct dce_process *p, uid_t uid, gid_t gid, mode_t mode, int want, int real);
int dce_cred_prctl(T *t, long op, U a2, U a3, U a4, U a5, long *res);
void dce_cred_exec(struct dce_process *p);
int dce_cred_status(struct dce_process *p, char *buf, size_t len);

/* File permission checks: 0, -EACCES or -EPERM. kind: DCE_FS_NODE/HOST (fsmeta.h). */
long dce_perm_fd(struct dce_process *p, int h, int kind, int want);
long dce_perm_dir_modify(struct dce_process *p, int pfd);
long dce_perm_sticky(struct dce_process *p, int pfd, const char *base);
void dce_perm_new_owner(struct dce_process *p, int pfd, const char *base, int h);
long dce_perm_exec(struct dce_process *p, const char *path);

struct dce_fsroot *dce_fsroot_get(struct dce_fsroot *r);
void dce_fsroot_put(struct dce_fsroot *r);
/* The host directory a process's paths resolve in (its chroot or the node root). */
int dce_root_fd(struct dce_process *p);

long sys_setuid(T *, long);
long sys_setgid(T *, long);
long sys_setreuid(T *, long, long);
long sys_setregid(T *, long, long);
long sys_setresuid(T *, long, long, long);
long sys_setresgid(T *, long, long, long);
long sys_setfsuid(T *, long);
long sys_setfsgid(T *, long);
long sys_getresuid(T *, U, U, U);
long sys_getresgid(T *, U, U, U);
long sys_getid(T *, long which); /* 0 uid, 1 euid, 2 gid, 3 egid */
long sys_getgroups(T *, long, U);
long sys_setgroups(T *, long, U);
long sys_capget(T *, U, U);
long sys_capset(T *, U, U);
long sys_chroot(T *, U);
#endif
