/* fsmeta.h - what a program sees of file metadata: simulated times, stable inode
 * numbers, directories listed in name order. The host's own values (real mtimes,
 * inode numbers that differ between runs, directory order of the host filesystem)
 * would make two runs of one scenario differ. */
#ifndef DCE_FSMETA_H
#define DCE_FSMETA_H
#include "../core/kernel.h"
#include <linux/stat.h>
#include <sys/stat.h>

enum dce_fs_kind {
	DCE_FS_UNKNOWN = 0,
	DCE_FS_NODE,    /* a file under files-N: writable, simulated metadata */
	DCE_FS_HOST,    /* a mapped host path: read-only, host metadata without access times */
	DCE_FS_SPECIAL, /* /dev and /proc files: generated metadata */
};

/* Per open file state of host-backed files (f->priv of dce_hostfile_ops files). */
struct dce_fsdir;
struct dce_fsinfo {
	int kind;
	struct dce_fsdir *dir;     /* sorted listing being read by getdents64 */
};

struct dce_fsinfo *dce_fs_info(struct dce_process *p, struct dce_file *f);
int dce_fs_kind(struct dce_process *p, struct dce_file *f);
void dce_fs_set_kind(struct dce_file *f, int kind);
void dce_fs_info_free(struct dce_file *f);

/* The file was modified now (simulated): its mtime becomes the simulated time. */
void dce_fs_touch_fd(int hostfd);
/* Set atime and mtime of a new file. */
void dce_fs_touch_new(int hostfd);
/* A directory entry changed in the directory open (O_PATH allowed) as dirfd. */
void dce_fs_touch_dir(int dirfd);

/* Rewrite host metadata into what the program sees. vpath names SPECIAL files. */
void dce_fs_fix_stat(struct dce_node *n, struct stat *st, int kind, const char *vpath);
void dce_fs_fix_statx(struct dce_node *n, struct statx *st, int kind, const char *vpath);
/* The host inode (dev, ino) is gone: its simulated number may be given again. */
void dce_fs_forget_inode(struct dce_node *n, dev_t dev, ino_t ino);
/* The owner a program sees of a file (host stat given): node files are root's
 * until chown or a creation by another user (kept per node for the run); mapped
 * host files have the host's owner. */
void dce_fs_owner(struct dce_node *n, const struct stat *host, int kind, uid_t *uid, gid_t *gid);
/* Record a node file's owner; -1 leaves one of them as it is. */
void dce_fs_set_owner(struct dce_node *n, const struct stat *host, uid_t uid, gid_t gid);
/* getdents64 over a host directory fd, in name order with simulated inode numbers. */
long dce_fs_getdents(struct dce_process *p, struct dce_file *f, uint64_t ubuf, size_t len);
/* lseek on a directory being listed: returns 1 if handled (result in *res). */
int dce_fs_dir_seek(struct dce_file *f, long off, int whence, long *res);

#endif
