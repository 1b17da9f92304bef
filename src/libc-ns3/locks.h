/* locks.h - advisory file locks between processes of a node (locks.c). */
#ifndef DCE_LOCKS_H
#define DCE_LOCKS_H
#include "../core/kernel.h"

/* fcntl F_GETLK/F_SETLK/F_SETLKW and the F_OFD_ ones; arg points to a struct flock. */
long dce_locks_fcntl(struct dce_thread *t, struct dce_file *f, int cmd, uint64_t arg);
long dce_locks_flock(struct dce_thread *t, struct dce_file *f, int op);
/* fd table `owner` closed an fd of f: its record locks on that file go. */
void dce_locks_close(struct dce_fdtable *owner, struct dce_file *f);
/* The fd table is freed: all its record locks go. */
void dce_locks_fdtable_gone(struct dce_fdtable *owner);
/* The open file is freed: its OFD and flock locks go. */
void dce_locks_file_gone(struct dce_file *f);
#endif
