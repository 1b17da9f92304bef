/* socket-syscalls.h - the socket system calls (socket.c), for the syscall table. */
#ifndef DCE_SOCKET_SYSCALLS_H
#define DCE_SOCKET_SYSCALLS_H
#include "../../core/kernel.h"

long sys_socket(struct dce_thread *, long family, long type, long protocol);
long sys_socketpair(struct dce_thread *, long family, long type, long protocol, uint64_t sv);
long sys_bind(struct dce_thread *, long fd, uint64_t addr, long len);
long sys_connect(struct dce_thread *, long fd, uint64_t addr, long len);
long sys_listen(struct dce_thread *, long fd, long backlog);
long sys_accept4(struct dce_thread *, long fd, uint64_t addr, uint64_t lenp, long flags);
long sys_getsockname(struct dce_thread *, long fd, uint64_t addr, uint64_t lenp);
long sys_getpeername(struct dce_thread *, long fd, uint64_t addr, uint64_t lenp);
long sys_shutdown(struct dce_thread *, long fd, long how);
long sys_sendto(struct dce_thread *, long fd, uint64_t buf, uint64_t len, long flags, uint64_t addr, long alen);
long sys_recvfrom(struct dce_thread *, long fd, uint64_t buf, uint64_t len, long flags, uint64_t addr, uint64_t lenp);
long sys_sendmsg(struct dce_thread *, long fd, uint64_t msg, long flags);
long sys_recvmsg(struct dce_thread *, long fd, uint64_t msg, long flags);
long sys_sendmmsg(struct dce_thread *, long fd, uint64_t vec, long vlen, long flags);
long sys_recvmmsg(struct dce_thread *, long fd, uint64_t vec, long vlen, long flags, uint64_t timeout);
long sys_setsockopt(struct dce_thread *, long fd, long level, long opt, uint64_t val, long len);
long sys_getsockopt(struct dce_thread *, long fd, long level, long opt, uint64_t val, uint64_t lenp);
/* ioctl: sockets' requests here, every other file's to sys_ioctl */
long sys_ioctl_any(struct dce_thread *, long fd, long req, uint64_t arg);

#endif
