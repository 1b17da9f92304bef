/* kstack-priv.h - inside dce: a node's kernel instance (kstack.c) as the socket
 * forwarding (ksock.c) uses it. */
#ifndef DCE_KSTACK_PRIV_H
#define DCE_KSTACK_PRIV_H
#include "../../core/kernel.h"
#include "../../kernel/dce-kernel.h"
#include "kstack.h"

struct dce_kstack;

/* Run system call nr (DCE_KSYS_*) in node's kernel, in a task of its shared file
 * table. Completes at once for anything that does not sleep in the kernel; else
 * the calling simulated thread waits (not interruptibly) and, outside any thread,
 * the call goes on alone and -EINPROGRESS is returned. Pointers are the caller's. */
long dce_kcall(struct dce_kstack *ks, long nr, long a0, long a1, long a2, long a3, long a4,
               long a5);
/* Report wakeups of the kernel file kfd to f (dce_file_notify) until unwatched.
 * Returns a watch handle (> 0) or -errno; *ref is what dce_kwatch_close needs. */
long dce_kwatch(struct dce_kstack *ks, int kfd, struct dce_file *f, void **ref);
/* Stop a watch (f is not notified any more from now) and close kfd; never waits. */
void dce_kwatch_close(struct dce_kstack *ks, long watch, void *ref, int kfd);

/* An interface ioctl (SIOCGIFINDEX, SIOCGIFFLAGS, SIOCSIFMTU, SIOCGIFCONF, SIOCETHTOOL,
 * ...) made on a socket dce serves itself (AF_UNIX on a Linux-stack node): answered by
 * the node's kernel, as Linux's dev_ioctl answers it for every family. arg is the
 * program's pointer. */
long dce_kstack_ifioctl(struct dce_kstack *ks, unsigned long req, uint64_t arg);

/* ksock.c: take the system call if it belongs to the node's kernel (a socket of a
 * forwarded family, a file of the kernel's /proc/sys, /proc/net or /sys); returns
 * 1 with the result in *ret, or 0 to let dce serve it. */
int dce_ksock_syscall(struct dce_thread *t, struct dce_kstack *ks, long nr, const long *a,
                      long *ret);

/* Simulated CPU time for the bytes a forwarded call moved (result r of call nr):
 * copying costs time at $DCE_LINUX_COPY_GBPS (default 10 Gbit/s; 0: free), so two
 * programs talking over loopback, which never wait for a link, still see time
 * pass. The debt is slept off in steps of at least 20 us. */
void dce_ksock_charge(struct dce_thread *t, long nr, long r);

#endif
