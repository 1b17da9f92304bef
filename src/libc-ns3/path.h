/* path.h - path resolution inside a node's root; see path.c. */
#ifndef DCE_PATH_H
#define DCE_PATH_H
#include "../core/kernel.h"

void dce_path_normalize(const char *in, char *out);
int dce_path_absolute(struct dce_process *p, int dirfd, const char *path, char *out);
/* The same without rewriting /proc/self/{root,cwd} (for readlink of those links). */
int dce_path_absolute_nofollow(struct dce_process *p, int dirfd, const char *path, char *out);
int dce_path_is_mapped(const char *norm);
int dce_path_of_fd(struct dce_node *n, int hostfd, char *out);
/* The same as process p sees it under its chroot. */
int dce_path_of_fd_proc(struct dce_process *p, int hostfd, char *out);
/* Open path (relative to dirfd) as the program would; returns a host fd or -errno.
 * vpath_out (PATH_MAX, may be NULL) receives the resolved virtual path; *is_host
 * tells whether it came from a mapped host path (read-only). */
int dce_path_open(struct dce_process *p, int dirfd, const char *path, int flags, mode_t mode,
                  char *vpath_out, int *is_host);
/* Open the directory containing path's last component (O_PATH); base receives that
 * component (NAME_MAX+1 bytes). For *at calls that must not follow the last link. */
int dce_path_parent(struct dce_process *p, int dirfd, const char *path, char *base, int *is_host);
/* The same for a call that changes that entry or its metadata (unlink, rename,
 * link, mkdir, utimes of a link): a shared file becomes the node's own first. */
int dce_path_parent_change(struct dce_process *p, int dirfd, const char *path, char *base, int *is_host);
/* With dce_path_open's flags: the caller changes the file's metadata through the
 * O_PATH fd it gets (chmod, chown, utimes, link): a shared file is copied first. */
#define DCE_O_CHANGE (1 << 30)

/* Files shared by every node (dce_share_file): OUT/shared<vpath> is what a node
 * sees at vpath until a program of the node changes it. */
/* The node's tree was just made: the shared files it has its own copy of. */
void dce_shared_node_init(struct dce_node *n);
int dce_shared_registered(const char *vpath);
/* hostfd is a shared file or directory: 1 and its vpath (PATH_MAX) in out, else 0. */
int dce_shared_vpath(const char *real, char *out);
/* The shared files node n sees in the directory open as dirfd (names, host inodes),
 * for its listing; returns how many (at most max). */
int dce_shared_in_dir(struct dce_node *n, int dirfd, char (*names)[NAME_MAX + 1], uint64_t *inos, int max);
/* h (a host fd of the process's node) is a shared file: the node gets its own copy
 * and an O_PATH fd of that copy is returned (the caller closes it); -1 when h is
 * not a shared file, or -errno. For fchmod, fchown, futimens. */
int dce_shared_unshare_fd(struct dce_process *p, int h);

#endif
