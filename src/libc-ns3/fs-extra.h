/* fs-extra.h - file system calls added after syscalls.h was laid out; the dispatch
 * lines in syscall.c are listed next to each. */
#ifndef DCE_FS_EXTRA_H
#define DCE_FS_EXTRA_H
#include "../core/kernel.h"

/* case SYS_preadv: return sys_preadv2(t, I(a1), (U)a2, I(a3), a4, 0);
 * case SYS_preadv2: return sys_preadv2(t, I(a1), (U)a2, I(a3), a4, I(a6));
 * case SYS_pwritev: return sys_pwritev2(t, I(a1), (U)a2, I(a3), a4, 0);
 * case SYS_pwritev2: return sys_pwritev2(t, I(a1), (U)a2, I(a3), a4, I(a6)); */
long sys_preadv2(struct dce_thread *t, long fd, uint64_t iovp, long cnt, long off, long flags);
long sys_pwritev2(struct dce_thread *t, long fd, uint64_t iovp, long cnt, long off, long flags);
/* case SYS_fallocate: return sys_fallocate(t, I(a1), I(a2), a3, a4); */
long sys_fallocate(struct dce_thread *t, long fd, long mode, long off, long len);
/* case SYS_mknod: return sys_mknodat(t, AT_FDCWD, (U)a1, I(a2), (U)a3);
 * case SYS_mknodat: return sys_mknodat(t, I(a1), (U)a2, I(a3), (U)a4); */
long sys_mknodat(struct dce_thread *t, long dirfd, uint64_t pathp, long mode, uint64_t dev);
/* case SYS_utimes: return sys_futimesat(t, AT_FDCWD, (U)a1, (U)a2);
 * case SYS_futimesat: return sys_futimesat(t, I(a1), (U)a2, (U)a3); */
long sys_futimesat(struct dce_thread *t, long dirfd, uint64_t pathp, uint64_t tvp);

#endif
