/* uaccess_table.c - the pointer arguments of the system call table, checked at
 * the entry (dce_user_check_args) before any handler or the Linux stack sees them.
 *
 * Each call lists the arguments that point into user memory and how far: a fixed
 * size, a length in another argument, or an array count. A pointer that is not all
 * the caller's own memory gives EFAULT, as Linux's access_ok and copy faults do;
 * a buffer whose length runs past the caller's memory is cut to what is there
 * (read and friends then transfer less, as Linux does when a copy faults midway).
 * Pointers read from user memory (iovec bases, msghdr fields, argv) and calls
 * whose argument types depend on another argument (ioctl, fcntl, futex, prctl,
 * clone) are checked where they are used, through uaccess.h. Paths are copied
 * with dce_path_from_user, which checks them the same way. */
#include "../core/kernel.h"
#include "uaccess.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <linux/stat.h>
#include <time.h>

enum uarg_kind {
	U_NONE,
	U_FIXED,     /* size bytes; NULL allowed when optional */
	U_BUF,       /* length in argument len; cut to the caller's memory */
	U_LEN,       /* exactly the length in argument len (an int) */
	U_ARRAY,     /* argument len elements of size bytes */
	U_FDSET,     /* a select() set of argument len bits */
};

struct uarg {
	unsigned char kind, arg, len, optional;
	unsigned short size;
	unsigned char capped; /* arrays of at most UIO_MAXIOV elements */
};

#define FIXED(i, n) { U_FIXED, (i), 0, 0, (n) }
#define OPT(i, n) { U_FIXED, (i), 0, 1, (n) }
#define BUF(i, l) { U_BUF, (i), (l), 0, 0 }
#define LEN(i, l) { U_LEN, (i), (l), 0, 0 }
#define OPTLEN(i, l) { U_LEN, (i), (l), 1, 0 }
#define ARRAY(i, l, n) { U_ARRAY, (i), (l), 0, (n) }
#define IOVECS(i, l, n) { U_ARRAY, (i), (l), 0, (n), 1 }
#define FDSET(i, l) { U_FDSET, (i), (l), 1, 0 }

#define TS sizeof(struct timespec)
#define TV sizeof(struct timeval)
#define SIGSET 8

static const struct uarg table[][4] = {
	/* files */
	[SYS_read] = { BUF(1, 2) },
	[SYS_write] = { BUF(1, 2) },
	[SYS_pread64] = { BUF(1, 2) },
	[SYS_pwrite64] = { BUF(1, 2) },
	[SYS_readv] = { IOVECS(1, 2, sizeof(struct iovec)) },
	[SYS_writev] = { IOVECS(1, 2, sizeof(struct iovec)) },
	[SYS_preadv] = { IOVECS(1, 2, sizeof(struct iovec)) },
	[SYS_pwritev] = { IOVECS(1, 2, sizeof(struct iovec)) },
	[SYS_preadv2] = { IOVECS(1, 2, sizeof(struct iovec)) },
	[SYS_pwritev2] = { IOVECS(1, 2, sizeof(struct iovec)) },
	[SYS_utimes] = { OPT(1, 2 * TV) },
	[SYS_futimesat] = { OPT(2, 2 * TV) },
	[SYS_utimensat] = { OPT(2, 2 * TS) },
	[SYS_fstat] = { FIXED(1, sizeof(struct stat)) },
	[SYS_stat] = { FIXED(1, sizeof(struct stat)) },
	[SYS_lstat] = { FIXED(1, sizeof(struct stat)) },
	[SYS_newfstatat] = { FIXED(2, sizeof(struct stat)) },
	[SYS_statx] = { FIXED(4, sizeof(struct statx)) },
	[SYS_readlink] = { BUF(1, 2) },
	[SYS_readlinkat] = { BUF(2, 3) },
	[SYS_getcwd] = { BUF(0, 1) },
	[SYS_getdents64] = { BUF(1, 2) },
	[SYS_fstatfs] = { FIXED(1, sizeof(struct statfs)) },
	[SYS_statfs] = { FIXED(1, sizeof(struct statfs)) },
	[SYS_pipe] = { FIXED(0, 2 * sizeof(int)) },
	[SYS_pipe2] = { FIXED(0, 2 * sizeof(int)) },
	[SYS_sendfile] = { OPT(2, sizeof(long)) },
	/* sockets */
	[SYS_socketpair] = { FIXED(3, 2 * sizeof(int)) },
	[SYS_bind] = { LEN(1, 2) },
	[SYS_connect] = { LEN(1, 2) },
	[SYS_accept] = { OPT(2, sizeof(int)) },
	[SYS_accept4] = { OPT(2, sizeof(int)) },
	[SYS_getsockname] = { FIXED(2, sizeof(int)) },
	[SYS_getpeername] = { FIXED(2, sizeof(int)) },
	[SYS_sendto] = { BUF(1, 2), OPTLEN(4, 5) },
	[SYS_recvfrom] = { BUF(1, 2), OPT(5, sizeof(int)) },
	[SYS_sendmsg] = { FIXED(1, 56) },
	[SYS_recvmsg] = { FIXED(1, 56) },
	[SYS_sendmmsg] = { IOVECS(1, 2, 64) },
	[SYS_recvmmsg] = { IOVECS(1, 2, 64), OPT(4, TS) },
	[SYS_setsockopt] = { OPTLEN(3, 4) },
	[SYS_getsockopt] = { FIXED(4, sizeof(int)) },
	/* readiness */
	[SYS_poll] = { ARRAY(0, 1, sizeof(struct pollfd)) },
	[SYS_ppoll] = { ARRAY(0, 1, sizeof(struct pollfd)), OPT(2, TS), OPT(3, SIGSET) },
	[SYS_select] = { FDSET(1, 0), FDSET(2, 0), FDSET(3, 0), OPT(4, TV) },
	[SYS_pselect6] = { FDSET(1, 0), FDSET(2, 0), FDSET(3, 0), OPT(4, TS) },
	[SYS_epoll_ctl] = { OPT(3, sizeof(struct epoll_event)) },
	[SYS_epoll_wait] = { ARRAY(1, 2, sizeof(struct epoll_event)) },
	[SYS_epoll_pwait] = { ARRAY(1, 2, sizeof(struct epoll_event)), OPT(4, SIGSET) },
	[SYS_timerfd_settime] = { FIXED(2, 2 * TS), OPT(3, 2 * TS) },
	[SYS_timerfd_gettime] = { FIXED(1, 2 * TS) },
	/* time */
	[SYS_clock_gettime] = { FIXED(1, TS) },
	[SYS_clock_getres] = { OPT(1, TS) },
	[SYS_gettimeofday] = { OPT(0, TV), OPT(1, 8) },
	[SYS_time] = { OPT(0, sizeof(long)) },
	[SYS_nanosleep] = { FIXED(0, TS), OPT(1, TS) },
	[SYS_clock_nanosleep] = { FIXED(2, TS), OPT(3, TS) },
	[SYS_times] = { OPT(0, sizeof(struct tms)) },
	[SYS_getrusage] = { FIXED(1, sizeof(struct rusage)) },
	[SYS_setitimer] = { OPT(1, sizeof(struct itimerval)), OPT(2, sizeof(struct itimerval)) },
	[SYS_getitimer] = { FIXED(1, sizeof(struct itimerval)) },
	[SYS_timer_create] = { OPT(1, sizeof(struct sigevent)), FIXED(2, sizeof(int)) },
	[SYS_timer_settime] = { FIXED(2, 2 * TS), OPT(3, 2 * TS) },
	[SYS_timer_gettime] = { FIXED(1, 2 * TS) },
	/* threads */
	[SYS_get_robust_list] = { FIXED(1, 8), FIXED(2, 8) },
	[SYS_sched_getaffinity] = { BUF(2, 1) },
	[SYS_sched_getparam] = { FIXED(1, sizeof(int)) },
	/* signals */
	[SYS_rt_sigaction] = { OPT(1, sizeof(struct dce_sigaction)), OPT(2, sizeof(struct dce_sigaction)) },
	[SYS_rt_sigprocmask] = { OPT(1, SIGSET), OPT(2, SIGSET) },
	[SYS_rt_sigpending] = { FIXED(0, SIGSET) },
	[SYS_rt_sigsuspend] = { FIXED(0, SIGSET) },
	[SYS_rt_sigtimedwait] = { FIXED(0, SIGSET), OPT(1, sizeof(siginfo_t)), OPT(2, TS) },
	[SYS_sigaltstack] = { OPT(0, sizeof(stack_t)), OPT(1, sizeof(stack_t)) },
	/* processes */
	[SYS_uname] = { FIXED(0, sizeof(struct utsname)) },
	[SYS_sethostname] = { LEN(0, 1) },
	[SYS_prlimit64] = { OPT(2, sizeof(struct rlimit)), OPT(3, sizeof(struct rlimit)) },
	[SYS_getrlimit] = { FIXED(1, sizeof(struct rlimit)) },
	[SYS_sysinfo] = { FIXED(0, sizeof(struct sysinfo)) },
	[SYS_getrandom] = { BUF(0, 1) },
	[SYS_wait4] = { OPT(1, sizeof(int)), OPT(3, sizeof(struct rusage)) },
	[SYS_waitid] = { OPT(2, sizeof(siginfo_t)), OPT(4, sizeof(struct rusage)) },
	[SYS_clone3] = { LEN(0, 1) },
	[SYS_getresuid] = { FIXED(0, 4), FIXED(1, 4), FIXED(2, 4) },
	[SYS_getresgid] = { FIXED(0, 4), FIXED(1, 4), FIXED(2, 4) },
	[SYS_getgroups] = { BUF(1, 0) },
};

long dce_user_check_args(struct dce_thread *t, long nr, long args[6])
{
	if (nr < 0 || (unsigned long)nr >= sizeof table / sizeof table[0])
		return 0;
	struct dce_process *p = t->proc;
	for (int i = 0; i < 4 && table[nr][i].kind != U_NONE; i++) {
		const struct uarg *u = &table[nr][i];
		uint64_t ptr = (uint64_t)args[u->arg];
		size_t len = 0;
		switch (u->kind) {
		case U_FIXED:
			len = u->size;
			break;
		case U_BUF: {
			len = (size_t)args[u->len];
			if (!len)
				continue;
			size_t have = ptr ? dce_user_extent(p, ptr, len) : 0;
			if (!have)
				return -EFAULT;
			args[u->len] = (long)have; /* cut to the caller's memory */
			continue;
		}
		case U_LEN:
			if ((int)args[u->len] < 0)
				return -EINVAL;
			len = (size_t)(unsigned)args[u->len];
			if (!len)
				continue;
			break;
		case U_ARRAY:
			/* counts are ints in every call listed; a negative one, or more iovecs or
			 * messages than UIO_MAXIOV, is the handler's EINVAL (checked first on Linux) */
			if ((int)args[u->len] <= 0 || (u->capped && (int)args[u->len] > 1024))
				continue;
			len = (size_t)(unsigned)args[u->len] * u->size;
			break;
		case U_FDSET:
			if ((int)args[u->len] <= 0 || (int)args[u->len] > 1024)
				continue; /* the handler answers EINVAL */
			len = ((size_t)(unsigned)args[u->len] + 63) / 64 * 8;
			break;
		}
		if (!ptr) {
			if (u->optional || !len)
				continue;
			return -EFAULT;
		}
		if (!dce_user_ok(p, ptr, len))
			return -EFAULT;
	}
	return 0;
}
