/* syscall.c - the system call table of the emulated kernel. Unknown calls return
 * ENOSYS and are reported once per number in the process's status file. */
#include "../core/kernel.h"
#include "syscalls.h"
#include "uaccess.h"
#include "net/socket-syscalls.h"
#include "net/kstack-priv.h"
#include "fs-extra.h"
#include "hook.h"
#include "creds.h"
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/syscall.h>

/* int arguments arrive in 64-bit registers whose upper half is not defined */
#define I(x) ((long)(int)(x))

/* Store zeros at a program address: 0 or -EFAULT. */
static long zero_user(uint64_t addr, size_t len)
{
	static const unsigned char zeros[16];
	return dce_copy_to_user(addr, zeros, len);
}

long dce_syscall(struct dce_thread *t, long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	typedef uint64_t U;
	t->last_nr = nr;
	long args[6] = { a1, a2, a3, a4, a5, a6 };
	long bad = dce_user_check_args(t, nr, args); /* pointers: the caller's memory only */
	if (bad)
		return bad;
	a1 = args[0], a2 = args[1], a3 = args[2], a4 = args[3], a5 = args[4], a6 = args[5];
	struct dce_kstack *ks = t->proc->node->kstack;
	if (ks) { /* a Linux-stack node: its kernel serves the network calls */
		long r;
		if (dce_ksock_syscall(t, ks, nr, args, &r)) {
			dce_ksock_charge(t, nr, r);
			return r;
		}
	}
	switch (nr) {
	/* files */
	case SYS_read: return sys_read(t, I(a1), (U)a2, (U)a3);
	case SYS_write: return sys_write(t, I(a1), (U)a2, (U)a3);
	case SYS_readv: return sys_readv(t, I(a1), (U)a2, I(a3));
	case SYS_writev: return sys_writev(t, I(a1), (U)a2, I(a3));
	case SYS_pread64: return sys_pread64(t, I(a1), (U)a2, (U)a3, a4);
	case SYS_pwrite64: return sys_pwrite64(t, I(a1), (U)a2, (U)a3, a4);
	case SYS_preadv: return sys_preadv2(t, I(a1), (U)a2, I(a3), a4, 0);
	case SYS_preadv2: return sys_preadv2(t, I(a1), (U)a2, I(a3), a4, I(a6));
	case SYS_pwritev: return sys_pwritev2(t, I(a1), (U)a2, I(a3), a4, 0);
	case SYS_pwritev2: return sys_pwritev2(t, I(a1), (U)a2, I(a3), a4, I(a6));
	case SYS_fallocate: return sys_fallocate(t, I(a1), I(a2), a3, a4);
	case SYS_mknod: return sys_mknodat(t, AT_FDCWD, (U)a1, I(a2), (U)a3);
	case SYS_mknodat: return sys_mknodat(t, I(a1), (U)a2, I(a3), (U)a4);
	case SYS_utimes: return sys_futimesat(t, AT_FDCWD, (U)a1, (U)a2);
	case SYS_futimesat: return sys_futimesat(t, I(a1), (U)a2, (U)a3);
	case SYS_lseek: return sys_lseek(t, I(a1), a2, I(a3));
	case SYS_open: return sys_openat(t, AT_FDCWD, (U)a1, I(a2), I(a3));
	case SYS_creat: return sys_openat(t, AT_FDCWD, (U)a1, O_CREAT | O_WRONLY | O_TRUNC, I(a2));
	case SYS_openat: return sys_openat(t, I(a1), (U)a2, I(a3), I(a4));
	case SYS_close: return sys_close(t, I(a1));
	case SYS_close_range: return sys_close_range(t, (unsigned long)a1, (unsigned long)a2, I(a3));
	case SYS_fstat: return sys_fstat(t, I(a1), (U)a2);
	case SYS_stat: return sys_newfstatat(t, AT_FDCWD, (U)a1, (U)a2, 0);
	case SYS_lstat: return sys_newfstatat(t, AT_FDCWD, (U)a1, (U)a2, AT_SYMLINK_NOFOLLOW);
	case SYS_newfstatat: return sys_newfstatat(t, I(a1), (U)a2, (U)a3, I(a4));
	case SYS_statx: return sys_statx(t, I(a1), (U)a2, I(a3), I(a4), (U)a5);
	case SYS_access: return sys_faccessat(t, AT_FDCWD, (U)a1, I(a2), 0);
	case SYS_faccessat: return sys_faccessat(t, I(a1), (U)a2, I(a3), 0);
	case SYS_faccessat2: return sys_faccessat(t, I(a1), (U)a2, I(a3), I(a4));
	case SYS_readlink: return sys_readlinkat(t, AT_FDCWD, (U)a1, (U)a2, I(a3));
	case SYS_readlinkat: return sys_readlinkat(t, I(a1), (U)a2, (U)a3, I(a4));
	case SYS_getcwd: return sys_getcwd(t, (U)a1, (U)a2);
	case SYS_chdir: return sys_chdir(t, (U)a1);
	case SYS_fchdir: return sys_fchdir(t, I(a1));
	case SYS_getdents64: return sys_getdents64(t, I(a1), (U)a2, (long)(unsigned)a3); /* count: unsigned */
	case SYS_dup: return sys_dup(t, I(a1));
	case SYS_dup2: return sys_dup2(t, I(a1), I(a2));
	case SYS_dup3: return sys_dup3(t, I(a1), I(a2), I(a3));
	case SYS_fcntl: return sys_fcntl(t, I(a1), I(a2), a3); /* a pointer or an int: the handler narrows */
	case SYS_flock: return sys_flock(t, I(a1), I(a2));
	case SYS_ioctl: return sys_ioctl_any(t, I(a1), (long)(unsigned)a2, (U)a3); /* request: an unsigned int (_IOR ones have bit 31) */
	case SYS_mkdir: return sys_mkdirat(t, AT_FDCWD, (U)a1, I(a2));
	case SYS_mkdirat: return sys_mkdirat(t, I(a1), (U)a2, I(a3));
	case SYS_unlink: return sys_unlinkat(t, AT_FDCWD, (U)a1, 0);
	case SYS_rmdir: return sys_unlinkat(t, AT_FDCWD, (U)a1, AT_REMOVEDIR);
	case SYS_unlinkat: return sys_unlinkat(t, I(a1), (U)a2, I(a3));
	case SYS_symlink: return sys_symlinkat(t, (U)a1, AT_FDCWD, (U)a2);
	case SYS_symlinkat: return sys_symlinkat(t, (U)a1, I(a2), (U)a3);
	case SYS_rename: return sys_renameat2(t, AT_FDCWD, (U)a1, AT_FDCWD, (U)a2, 0);
	case SYS_renameat: return sys_renameat2(t, I(a1), (U)a2, I(a3), (U)a4, 0);
	case SYS_renameat2: return sys_renameat2(t, I(a1), (U)a2, I(a3), (U)a4, I(a5));
	case SYS_link: return sys_linkat(t, AT_FDCWD, (U)a1, AT_FDCWD, (U)a2, 0);
	case SYS_linkat: return sys_linkat(t, I(a1), (U)a2, I(a3), (U)a4, I(a5));
	case SYS_ftruncate: return sys_ftruncate(t, I(a1), a2);
	case SYS_truncate: return sys_truncate(t, (U)a1, a2);
	case SYS_fsync: case SYS_fdatasync: case SYS_syncfs: return sys_fsync(t, I(a1));
	case SYS_sync: return 0;
	case SYS_fadvise64: return dce_fd_lookup(t->proc, (int)a1) ? 0 : -EBADF;
	case SYS_umask: return sys_umask(t, I(a1));
	case SYS_chmod: return sys_fchmodat(t, AT_FDCWD, (U)a1, I(a2));
	case SYS_fchmodat: return sys_fchmodat(t, I(a1), (U)a2, I(a3));
	case SYS_fchmod: return sys_fchmod(t, I(a1), I(a2));
	case SYS_chown: return sys_fchownat(t, AT_FDCWD, (U)a1, a2, a3, 0);
	case SYS_lchown: return sys_fchownat(t, AT_FDCWD, (U)a1, a2, a3, AT_SYMLINK_NOFOLLOW);
	case SYS_fchownat: return sys_fchownat(t, I(a1), (U)a2, a3, a4, I(a5));
	case SYS_fchown: return sys_fchown(t, I(a1), a2, a3);
	case SYS_utimensat: return sys_utimensat(t, I(a1), (U)a2, (U)a3, I(a4));
	case SYS_fstatfs: return sys_fstatfs(t, I(a1), (U)a2);
	case SYS_statfs: return sys_statfs(t, (U)a1, (U)a2);
	case SYS_pipe: return sys_pipe2(t, (U)a1, 0);
	case SYS_pipe2: return sys_pipe2(t, (U)a1, I(a2));
	case SYS_eventfd: return sys_eventfd2(t, I(a1), 0);
	case SYS_eventfd2: return sys_eventfd2(t, I(a1), I(a2));
	case SYS_sendfile: return sys_sendfile(t, I(a1), I(a2), (U)a3, (U)a4);
	case SYS_copy_file_range: case SYS_splice: case SYS_tee: return -ENOSYS;
	/* sockets (net/socket.c) */
	case SYS_socket: return sys_socket(t, I(a1), I(a2), I(a3));
	case SYS_socketpair: return sys_socketpair(t, I(a1), I(a2), I(a3), (U)a4);
	case SYS_bind: return sys_bind(t, I(a1), (U)a2, I(a3));
	case SYS_connect: return sys_connect(t, I(a1), (U)a2, I(a3));
	case SYS_listen: return sys_listen(t, I(a1), I(a2));
	case SYS_accept: return sys_accept4(t, I(a1), (U)a2, (U)a3, 0);
	case SYS_accept4: return sys_accept4(t, I(a1), (U)a2, (U)a3, I(a4));
	case SYS_getsockname: return sys_getsockname(t, I(a1), (U)a2, (U)a3);
	case SYS_getpeername: return sys_getpeername(t, I(a1), (U)a2, (U)a3);
	case SYS_shutdown: return sys_shutdown(t, I(a1), I(a2));
	case SYS_sendto: return sys_sendto(t, I(a1), (U)a2, (U)a3, I(a4), (U)a5, I(a6));
	case SYS_recvfrom: return sys_recvfrom(t, I(a1), (U)a2, (U)a3, I(a4), (U)a5, (U)a6);
	case SYS_sendmsg: return sys_sendmsg(t, I(a1), (U)a2, I(a3));
	case SYS_recvmsg: return sys_recvmsg(t, I(a1), (U)a2, I(a3));
	case SYS_sendmmsg: return sys_sendmmsg(t, I(a1), (U)a2, I(a3), I(a4));
	case SYS_recvmmsg: return sys_recvmmsg(t, I(a1), (U)a2, I(a3), I(a4), (U)a5);
	case SYS_setsockopt: return sys_setsockopt(t, I(a1), I(a2), I(a3), (U)a4, I(a5));
	case SYS_getsockopt: return sys_getsockopt(t, I(a1), I(a2), I(a3), (U)a4, (U)a5);
	/* readiness */
	case SYS_poll: return sys_poll(t, (U)a1, I(a2), I(a3));
	case SYS_ppoll: return sys_ppoll(t, (U)a1, I(a2), (U)a3, (U)a4, (U)a5);
	case SYS_select: return sys_select(t, I(a1), (U)a2, (U)a3, (U)a4, (U)a5);
	case SYS_pselect6: return sys_pselect6(t, I(a1), (U)a2, (U)a3, (U)a4, (U)a5, (U)a6);
	case SYS_epoll_create: return I(a1) <= 0 ? -EINVAL : sys_epoll_create1(t, 0);
	case SYS_epoll_create1: return sys_epoll_create1(t, I(a1));
	case SYS_epoll_ctl: return sys_epoll_ctl(t, I(a1), I(a2), I(a3), (U)a4);
	case SYS_epoll_wait: return sys_epoll_pwait(t, I(a1), (U)a2, I(a3), I(a4), 0, 0);
	case SYS_epoll_pwait: return sys_epoll_pwait(t, I(a1), (U)a2, I(a3), I(a4), (U)a5, (U)a6);
	case SYS_timerfd_create: return sys_timerfd_create(t, I(a1), I(a2));
	case SYS_timerfd_settime: return sys_timerfd_settime(t, I(a1), I(a2), (U)a3, (U)a4);
	case SYS_timerfd_gettime: return sys_timerfd_gettime(t, I(a1), (U)a2);
	/* memory */
	case SYS_mmap: return sys_mmap(t, (U)a1, (U)a2, I(a3), I(a4), I(a5), a6);
	case SYS_munmap: return sys_munmap(t, (U)a1, (U)a2);
	case SYS_mprotect: return sys_mprotect(t, (U)a1, (U)a2, I(a3));
	case SYS_mremap: return sys_mremap(t, (U)a1, (U)a2, (U)a3, I(a4), (U)a5);
	case SYS_brk: return sys_brk(t, (U)a1);
	case SYS_madvise: return sys_madvise(t, (U)a1, (U)a2, I(a3));
	case SYS_mlock: case SYS_munlock: case SYS_mlockall: case SYS_munlockall: case SYS_msync: return 0;
	case SYS_membarrier: return 0;
	case SYS_mincore: return sys_mincore(t, (U)a1, (U)a2, (U)a3);
	/* time */
	case SYS_clock_gettime: return sys_clock_gettime(t, I(a1), (U)a2);
	case SYS_clock_getres: return sys_clock_getres(t, I(a1), (U)a2);
	case SYS_gettimeofday: return sys_gettimeofday(t, (U)a1, (U)a2);
	case SYS_time: return sys_time(t, (U)a1);
	case SYS_nanosleep: return sys_nanosleep(t, (U)a1, (U)a2);
	case SYS_clock_nanosleep: return sys_clock_nanosleep(t, I(a1), I(a2), (U)a3, (U)a4);
	case SYS_times: return sys_times(t, (U)a1);
	case SYS_getrusage: return sys_getrusage(t, I(a1), (U)a2);
	case SYS_alarm: return sys_alarm(t, I(a1));
	case SYS_setitimer: return sys_setitimer(t, I(a1), (U)a2, (U)a3);
	case SYS_getitimer: return sys_getitimer(t, I(a1), (U)a2);
	case SYS_timer_create: return sys_timer_create(t, I(a1), (U)a2, (U)a3);
	case SYS_timer_settime: return sys_timer_settime(t, I(a1), I(a2), (U)a3, (U)a4);
	case SYS_timer_gettime: return sys_timer_gettime(t, I(a1), (U)a2);
	case SYS_timer_getoverrun: return sys_timer_getoverrun(t, I(a1));
	case SYS_timer_delete: return sys_timer_delete(t, I(a1));
	case SYS_settimeofday: return sys_settimeofday(t, (U)a1, (U)a2);
	case SYS_clock_settime: return sys_clock_settime(t, I(a1), (U)a2);
	case SYS_adjtimex: return sys_clock_adjtime(t, 0 /* CLOCK_REALTIME */, (U)a1);
	case SYS_clock_adjtime: return sys_clock_adjtime(t, I(a1), (U)a2);
	/* threads */
	case SYS_futex: return sys_futex(t, (U)a1, I(a2), I(a3), (U)a4, (U)a5, I(a6));
	case SYS_set_tid_address: return sys_set_tid_address(t, (U)a1);
	case SYS_set_robust_list: return sys_set_robust_list(t, (U)a1, (U)a2);
	case SYS_get_robust_list: return sys_get_robust_list(t, I(a1), (U)a2, (U)a3);
	case SYS_rseq: return -ENOSYS; /* refused: glibc then runs without rseq */
	case SYS_gettid: return t->tid;
	case SYS_sched_yield: dce_thread_block(t, 0); return 0;
	case SYS_sched_getaffinity: return sys_sched_getaffinity(t, I(a1), (U)a2, (U)a3);
	case SYS_sched_setaffinity: return 0;
	case SYS_sched_getscheduler: return 0;
	case SYS_sched_setscheduler: case SYS_sched_setparam: case SYS_setpriority: return 0;
	case SYS_sched_getparam: return zero_user((U)a2, sizeof(int));
	case SYS_sched_get_priority_max: case SYS_sched_get_priority_min: return I(a1) == 0 ? 0 : 99 * (nr == SYS_sched_get_priority_max) + 1 * (nr == SYS_sched_get_priority_min);
	case SYS_getpriority: return 20;
	case SYS_getcpu: return (a1 ? zero_user((U)a1, sizeof(unsigned)) : 0) | (a2 ? zero_user((U)a2, sizeof(unsigned)) : 0);
	/* signals */
	case SYS_rt_sigaction: return sys_rt_sigaction(t, I(a1), (U)a2, (U)a3, (U)a4);
	case SYS_rt_sigprocmask: return sys_rt_sigprocmask(t, I(a1), (U)a2, (U)a3, (U)a4);
	case SYS_rt_sigreturn: return sys_rt_sigreturn(t);
	case DCE_SYS_HOOK_REGISTER: return dce_hook_register(t, (U)a1, (U)a2, (U)a3); /* glibc-dce */
	case SYS_rt_sigpending: return sys_rt_sigpending(t, (U)a1, (U)a2);
	case SYS_rt_sigsuspend: return sys_rt_sigsuspend(t, (U)a1, (U)a2);
	case SYS_rt_sigtimedwait: return sys_rt_sigtimedwait(t, (U)a1, (U)a2, (U)a3, (U)a4);
	case SYS_sigaltstack: return sys_sigaltstack(t, (U)a1, (U)a2);
	case SYS_kill: return sys_kill(t, I(a1), I(a2));
	case SYS_tgkill: return sys_tgkill(t, I(a1), I(a2), I(a3));
	case SYS_tkill: return sys_tkill(t, I(a1), I(a2));
	case SYS_pause: return sys_pause(t);
	/* processes */
	case SYS_exit: return sys_exit(t, I(a1));
	case SYS_exit_group: return sys_exit_group(t, I(a1));
	case SYS_getpid: return t->proc->pid;
	case SYS_getppid: return t->proc->ppid;
	case SYS_getuid: return sys_getid(t, 0);
	case SYS_geteuid: return sys_getid(t, 1);
	case SYS_getgid: return sys_getid(t, 2);
	case SYS_getegid: return sys_getid(t, 3);
	case SYS_setuid: return sys_setuid(t, a1);
	case SYS_setgid: return sys_setgid(t, a1);
	case SYS_setreuid: return sys_setreuid(t, a1, a2);
	case SYS_setregid: return sys_setregid(t, a1, a2);
	case SYS_setresuid: return sys_setresuid(t, a1, a2, a3);
	case SYS_setresgid: return sys_setresgid(t, a1, a2, a3);
	case SYS_setfsuid: return sys_setfsuid(t, a1);
	case SYS_setfsgid: return sys_setfsgid(t, a1);
	case SYS_getresuid: return sys_getresuid(t, (U)a1, (U)a2, (U)a3);
	case SYS_getresgid: return sys_getresgid(t, (U)a1, (U)a2, (U)a3);
	case SYS_getgroups: return sys_getgroups(t, I(a1), (U)a2);
	case SYS_setgroups: return sys_setgroups(t, I(a1), (U)a2);
	case SYS_capget: return sys_capget(t, (U)a1, (U)a2);
	case SYS_capset: return sys_capset(t, (U)a1, (U)a2);
	case SYS_chroot: return sys_chroot(t, (U)a1);
	case SYS_getpgrp: return t->proc->pgid;
	case SYS_setpgid: return sys_setpgid(t, I(a1), I(a2));
	case SYS_getpgid: return sys_getpgid(t, I(a1));
	case SYS_setsid: return sys_setsid(t);
	case SYS_getsid: return sys_getsid(t, I(a1));
	case SYS_uname: return sys_uname(t, (U)a1);
	case SYS_sethostname: return sys_sethostname(t, (U)a1, I(a2));
	case SYS_arch_prctl: return sys_arch_prctl(t, I(a1), (U)a2);
	case SYS_prctl: return sys_prctl(t, I(a1), (U)a2, (U)a3, (U)a4, (U)a5);
	case SYS_prlimit64: return sys_prlimit64(t, I(a1), I(a2), (U)a3, (U)a4);
	case SYS_getrlimit: return sys_prlimit64(t, 0, I(a1), 0, (U)a2);
	case SYS_setrlimit: return 0;
	case SYS_sysinfo: return sys_sysinfo(t, (U)a1);
	case SYS_getrandom: return sys_getrandom(t, (U)a1, (U)a2, I(a3));
	case SYS_wait4: return sys_wait4(t, I(a1), (U)a2, I(a3), (U)a4);
	case SYS_waitid: return sys_waitid(t, I(a1), I(a2), (U)a3, I(a4), (U)a5);
	case SYS_execve: return sys_execve(t, (U)a1, (U)a2, (U)a3);
	case SYS_execveat: return sys_execveat(t, I(a1), (U)a2, (U)a3, (U)a4, I(a5));
	case SYS_clone: return sys_clone(t, (U)a1, (U)a2, (U)a3, (U)a4, (U)a5);
	case SYS_clone3: return sys_clone3(t, (U)a1, (U)a2);
	case SYS_fork: return sys_fork(t);
	case SYS_vfork: return sys_vfork(t);
	case SYS_personality: return 0;
	case SYS_getxattr: case SYS_lgetxattr: case SYS_fgetxattr:
	case SYS_listxattr: case SYS_llistxattr: case SYS_flistxattr:
	case SYS_setxattr: case SYS_lsetxattr: case SYS_fsetxattr:
	case SYS_removexattr: case SYS_lremovexattr: case SYS_fremovexattr:
		return -EOPNOTSUPP; /* node filesystems carry no extended attributes */
	case SYS_ioprio_get: case SYS_ioprio_set: return 0;
	}
	dce_report_unknown_syscall(t->proc, nr);
	return -ENOSYS;
}
