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

#endif
