/* syscalls.h - the emulated system calls, one function per call, grouped by file. */
#ifndef DCE_SYSCALLS_H
#define DCE_SYSCALLS_H
#include "../core/kernel.h"

#define DCE_UNAME_RELEASE "6.1.0-dce"
typedef struct dce_thread T;
typedef uint64_t U;

/* special.c */
int dce_special_open(T *t, int dirfd, const char *path, int flags, struct dce_file **out);
long dce_special_readlink(T *t, int dirfd, const char *path, char *buf, size_t len);
/* pipe.c / eventfd.c helpers */
long dce_file_fionread(struct dce_file *f, int *out);

/* file.c */
long sys_read(T *, long, U, U);
long sys_write(T *, long, U, U);
long sys_readv(T *, long, U, long);
long sys_writev(T *, long, U, long);
long sys_pread64(T *, long, U, U, long);
long sys_sendfile(T *, long, long, U, U);
long sys_pwrite64(T *, long, U, U, long);
long sys_lseek(T *, long, long, long);
long sys_openat(T *, long, U, long, long);
long sys_close(T *, long);
long sys_close_range(T *, unsigned long, unsigned long, long);
long sys_fstat(T *, long, U);
long sys_newfstatat(T *, long, U, U, long);
long sys_statx(T *, long, U, long, long, U);
long sys_faccessat(T *, long, U, long, long);
long sys_readlinkat(T *, long, U, U, long);
long sys_getcwd(T *, U, U);
long sys_chdir(T *, U);
long sys_fchdir(T *, long);
long sys_getdents64(T *, long, U, long);
long sys_dup(T *, long);
long sys_dup2(T *, long, long);
long sys_dup3(T *, long, long, long);
long sys_fcntl(T *, long, long, long);
long sys_ioctl(T *, long, long, U);
long sys_mkdirat(T *, long, U, long);
long sys_unlinkat(T *, long, U, long);
long sys_symlinkat(T *, U, long, U);
long sys_renameat2(T *, long, U, long, U, long);
long sys_linkat(T *, long, U, long, U, long);
long sys_ftruncate(T *, long, long);
long sys_truncate(T *, U, long);
long sys_fsync(T *, long);
long sys_umask(T *, long);
long sys_fchmodat(T *, long, U, long);
long sys_fchmod(T *, long, long);
long sys_fchownat(T *, long, U, long, long, long);
long sys_fchown(T *, long, long, long);
long sys_flock(T *, long, long);
long sys_mincore(T *, U, U, U);
long sys_settimeofday(T *, U, U);
long sys_clock_settime(T *, long, U);
long sys_clock_adjtime(T *, long, U);
long sys_utimensat(T *, long, U, U, long);
long sys_fstatfs(T *, long, U);
long sys_statfs(T *, U, U);
/* mm.c */
long sys_mmap(T *, U, U, long, long, long, long);
long sys_munmap(T *, U, U);
long sys_mprotect(T *, U, U, long);
long sys_mremap(T *, U, U, U, long, U);
long sys_brk(T *, U);
long sys_madvise(T *, U, U, long);
/* time.c */
/* A call that polled without blocking (clock read, ready select/poll): after many in a
 * row the thread yields for the clock quantum, so busy loops advance time. */
void dce_time_busy_tick(T *);
long sys_clock_gettime(T *, long, U);
long sys_clock_getres(T *, long, U);
long sys_gettimeofday(T *, U, U);
long sys_time(T *, U);
long sys_nanosleep(T *, U, U);
long sys_clock_nanosleep(T *, long, long, U, U);
long sys_times(T *, U);
long sys_getrusage(T *, long, U);
/* random.c */
long sys_getrandom(T *, U, U, long);
/* proc.c */
long sys_exit(T *, long);
long sys_exit_group(T *, long);
long sys_uname(T *, U);
long sys_arch_prctl(T *, long, U);
long sys_prctl(T *, long, U, U, U, U);
long sys_prlimit64(T *, long, long, U, U);
long sys_sysinfo(T *, U);
long sys_sched_getaffinity(T *, long, U, U);
long sys_wait4(T *, long, U, long, U);
long sys_waitid(T *, long, long, U, long, U);
long sys_execve(T *, U, U, U);
long sys_execveat(T *, long, U, U, U, long);
long sys_clone(T *, U, U, U, U, U);
long sys_clone3(T *, U, U);
long sys_fork(T *);
long sys_vfork(T *);
long sys_sethostname(T *, U, long);
long sys_setpgid(T *, long, long);
long sys_getpgid(T *, long);
long sys_setsid(T *);
long sys_getsid(T *, long);
/* futex.c */
long sys_futex(T *, U, long, long, U, U, long);
long sys_set_tid_address(T *, U);
long sys_set_robust_list(T *, U, U);
long sys_get_robust_list(T *, long, U, U);
/* signal.c */
long sys_rt_sigaction(T *, long, U, U, U);
long sys_rt_sigprocmask(T *, long, U, U, U);
long sys_rt_sigreturn(T *);
long sys_rt_sigpending(T *, U, U);
long sys_rt_sigsuspend(T *, U, U);
long sys_rt_sigtimedwait(T *, U, U, U, U);
long sys_sigaltstack(T *, U, U);
long sys_kill(T *, long, long);
long sys_tgkill(T *, long, long, long);
long sys_tkill(T *, long, long);
long sys_pause(T *);
long sys_alarm(T *, long);
long sys_setitimer(T *, long, U, U);
long sys_getitimer(T *, long, U);
/* pipe.c */
long sys_pipe2(T *, U, long);
long sys_eventfd2(T *, long, long);
/* poll.c */
long sys_poll(T *, U, long, long);
long sys_ppoll(T *, U, long, U, U, U);
long sys_select(T *, long, U, U, U, U);
long sys_pselect6(T *, long, U, U, U, U, U);
long sys_epoll_create1(T *, long);
long sys_epoll_ctl(T *, long, long, long, U);
long sys_epoll_pwait(T *, long, U, long, long, U, U);
/* timer.c */
long sys_timer_create(T *, long, U, U);
long sys_timer_settime(T *, long, long, U, U);
long sys_timer_gettime(T *, long, U);
long sys_timer_getoverrun(T *, long);
long sys_timer_delete(T *, long);
/* timerfd.c */
long sys_timerfd_create(T *, long, long);
long sys_timerfd_settime(T *, long, long, U, U);
long sys_timerfd_gettime(T *, long, U);

#endif
