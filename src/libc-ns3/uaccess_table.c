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
#include <sys/timex.h>
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
	unsigned char out;    /* the call writes it: it must be writable */
};

#define FIXED(i, n) { U_FIXED, (i), 0, 0, (n) }
#define OPT(i, n) { U_FIXED, (i), 0, 1, (n) }
#define OUT(i, n) { U_FIXED, (i), 0, 0, (n), 0, 1 }
#define OPTOUT(i, n) { U_FIXED, (i), 0, 1, (n), 0, 1 }
#define BUF(i, l) { U_BUF, (i), (l), 0, 0 }
#define BUFOUT(i, l) { U_BUF, (i), (l), 0, 0, 0, 1 }
#define ARRAYOUT(i, l, n) { U_ARRAY, (i), (l), 0, (n), 0, 1 }
#define LEN(i, l) { U_LEN, (i), (l), 0, 0 }
#define OPTLEN(i, l) { U_LEN, (i), (l), 1, 0 }
#define ARRAY(i, l, n) { U_ARRAY, (i), (l), 0, (n) }
#define IOVECS(i, l, n) { U_ARRAY, (i), (l), 0, (n), 1 }
#define FDSET(i, l) { U_FDSET, (i), (l), 1, 0, 0, 1 }

#define TS sizeof(struct timespec)
#define TV sizeof(struct timeval)
#define SIGSET 8

static const struct uarg table[][4] = {
	/* files */
	[SYS_read] = { BUFOUT(1, 2) },
	[SYS_write] = { BUF(1, 2) },
	[SYS_pread64] = { BUFOUT(1, 2) },
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
	[SYS_fstat] = { OUT(1, sizeof(struct stat)) },
	[SYS_stat] = { OUT(1, sizeof(struct stat)) },
	[SYS_lstat] = { OUT(1, sizeof(struct stat)) },
	[SYS_newfstatat] = { OUT(2, sizeof(struct stat)) },
	[SYS_statx] = { OUT(4, sizeof(struct statx)) },
	[SYS_readlink] = { BUFOUT(1, 2) },
	[SYS_readlinkat] = { BUFOUT(2, 3) },
	[SYS_getcwd] = { BUFOUT(0, 1) },
	[SYS_getdents64] = { BUFOUT(1, 2) },
	[SYS_fstatfs] = { OUT(1, sizeof(struct statfs)) },
	[SYS_statfs] = { OUT(1, sizeof(struct statfs)) },
	[SYS_pipe] = { OUT(0, 2 * sizeof(int)) },
	[SYS_pipe2] = { OUT(0, 2 * sizeof(int)) },
	[SYS_sendfile] = { OPTOUT(2, sizeof(long)) },
	/* sockets */
	[SYS_socketpair] = { OUT(3, 2 * sizeof(int)) },
	[SYS_bind] = { LEN(1, 2) },
	[SYS_connect] = { LEN(1, 2) },
	[SYS_accept] = { OPTOUT(2, sizeof(int)) },
	[SYS_accept4] = { OPTOUT(2, sizeof(int)) },
	[SYS_getsockname] = { OUT(2, sizeof(int)) },
	[SYS_getpeername] = { OUT(2, sizeof(int)) },
	[SYS_sendto] = { BUF(1, 2), OPTLEN(4, 5) },
	[SYS_recvfrom] = { BUFOUT(1, 2), OPTOUT(5, sizeof(int)) },
	[SYS_sendmsg] = { FIXED(1, 56) },
	[SYS_recvmsg] = { OUT(1, 56) },
	[SYS_sendmmsg] = { { U_ARRAY, 1, 2, 0, 64, 1, 1 } },
	[SYS_recvmmsg] = { { U_ARRAY, 1, 2, 0, 64, 1, 1 }, OPT(4, TS) },
	[SYS_setsockopt] = { OPTLEN(3, 4) },
	[SYS_getsockopt] = { OUT(4, sizeof(int)) },
	/* readiness */
	[SYS_poll] = { ARRAYOUT(0, 1, sizeof(struct pollfd)) },
	[SYS_ppoll] = { ARRAYOUT(0, 1, sizeof(struct pollfd)), OPT(2, TS), OPT(3, SIGSET) },
	[SYS_select] = { FDSET(1, 0), FDSET(2, 0), FDSET(3, 0), OPTOUT(4, TV) },
	[SYS_pselect6] = { FDSET(1, 0), FDSET(2, 0), FDSET(3, 0), OPT(4, TS) },
	[SYS_epoll_ctl] = { OPT(3, sizeof(struct epoll_event)) },
	[SYS_epoll_wait] = { ARRAYOUT(1, 2, sizeof(struct epoll_event)) },
	[SYS_epoll_pwait] = { ARRAYOUT(1, 2, sizeof(struct epoll_event)), OPT(4, SIGSET) },
	[SYS_timerfd_settime] = { FIXED(2, 2 * TS), OPTOUT(3, 2 * TS) },
	[SYS_timerfd_gettime] = { OUT(1, 2 * TS) },
	/* time */
	[SYS_clock_gettime] = { OUT(1, TS) },
	[SYS_clock_getres] = { OPTOUT(1, TS) },
	[SYS_gettimeofday] = { OPTOUT(0, TV), OPTOUT(1, 8) },
	[SYS_time] = { OPTOUT(0, sizeof(long)) },
	[SYS_nanosleep] = { FIXED(0, TS), OPTOUT(1, TS) },
	[SYS_clock_nanosleep] = { FIXED(2, TS), OPTOUT(3, TS) },
	[SYS_times] = { OPTOUT(0, sizeof(struct tms)) },
	[SYS_getrusage] = { OUT(1, sizeof(struct rusage)) },
	[SYS_setitimer] = { OPT(1, sizeof(struct itimerval)), OPTOUT(2, sizeof(struct itimerval)) },
	[SYS_getitimer] = { OUT(1, sizeof(struct itimerval)) },
	[SYS_timer_create] = { OPT(1, sizeof(struct sigevent)), OUT(2, sizeof(int)) },
	[SYS_timer_settime] = { FIXED(2, 2 * TS), OPTOUT(3, 2 * TS) },
	[SYS_timer_gettime] = { OUT(1, 2 * TS) },
	/* threads */
	[SYS_get_robust_list] = { OUT(1, 8), OUT(2, 8) },
	[SYS_sched_getaffinity] = { BUFOUT(2, 1) },
	[SYS_sched_getparam] = { OUT(1, sizeof(int)) },
	/* signals */
	[SYS_rt_sigaction] = { OPT(1, sizeof(struct dce_sigaction)), OPTOUT(2, sizeof(struct dce_sigaction)) },
	[SYS_rt_sigprocmask] = { OPT(1, SIGSET), OPTOUT(2, SIGSET) },
	[SYS_rt_sigpending] = { OUT(0, SIGSET) },
	[SYS_rt_sigsuspend] = { FIXED(0, SIGSET) },
	[SYS_rt_sigtimedwait] = { FIXED(0, SIGSET), OPTOUT(1, sizeof(siginfo_t)), OPT(2, TS) },
	[SYS_sigaltstack] = { OPT(0, sizeof(stack_t)), OPTOUT(1, sizeof(stack_t)) },
	/* processes */
	[SYS_uname] = { OUT(0, sizeof(struct utsname)) },
	[SYS_sethostname] = { LEN(0, 1) },
	[SYS_prlimit64] = { OPT(2, sizeof(struct rlimit)), OPTOUT(3, sizeof(struct rlimit)) },
	[SYS_getrlimit] = { OUT(1, sizeof(struct rlimit)) },
	[SYS_sysinfo] = { OUT(0, sizeof(struct sysinfo)) },
	[SYS_getrandom] = { BUFOUT(0, 1) },
	[SYS_wait4] = { OPTOUT(1, sizeof(int)), OPTOUT(3, sizeof(struct rusage)) },
	[SYS_waitid] = { OPTOUT(2, sizeof(siginfo_t)), OPTOUT(4, sizeof(struct rusage)) },
	[SYS_clone3] = { LEN(0, 1) },
	[SYS_getresuid] = { OUT(0, 4), OUT(1, 4), OUT(2, 4) },
	[SYS_getresgid] = { OUT(0, 4), OUT(1, 4), OUT(2, 4) },
	[SYS_getgroups] = { BUFOUT(1, 0) },
	[SYS_setgroups] = { ARRAY(1, 0, sizeof(gid_t)) },
	[SYS_capget] = { FIXED(0, 8) },
	[SYS_capset] = { FIXED(0, 8) },
	/* time */
	[SYS_settimeofday] = { OPT(0, TV), OPT(1, sizeof(struct timezone)) },
	[SYS_clock_settime] = { FIXED(1, TS) },
	[SYS_adjtimex] = { OUT(0, sizeof(struct timex)) },
	[SYS_clock_adjtime] = { OUT(1, sizeof(struct timex)) },
};

/* The first byte of each page of [ptr, ptr+len) (the first 16 pages and the last
 * one of a longer range) can be read, and written back when out: 0, or how many
 * bytes from ptr can be used (a multiple of the page size, 0 if none). Probing
 * here, before the call has any effect, keeps a protection fault out of the middle
 * of a call, where returning EFAULT could leave its work half done. */
static size_t probe(uint64_t ptr, size_t len, int out)
{
	uint64_t end = ptr + len, a = ptr;
	for (int i = 0; a < end; i++) {
		if (i == 16 && (end - 1) / 4096 > a / 4096)
			a = (end - 1) & ~4095UL; /* then the last page only */
		unsigned char c;
		if (dce_copy_from_user(&c, a, 1) || (out && dce_copy_to_user(a, &c, 1)))
			return a > ptr ? (size_t)((a & ~4095UL) - ptr) : 0;
		a = (a | 4095) + 1;
	}
	return len;
}

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
			if (have)
				have = probe(ptr, have, u->out);
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
		if (!dce_user_ok(p, ptr, len) || probe(ptr, len, u->out) != len)
			return -EFAULT;
	}
	return 0;
}
