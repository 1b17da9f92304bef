/* creds-test: credentials, file permissions, chroot, file locks, SIGIO, mincore
 * and the node's adjustable clock, as Linux answers them. Prints one line per
 * check; run as root (a node's first process). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *e(int r)
{
	static char buf[64];
	if (r >= 0)
		snprintf(buf, sizeof buf, "%d", r);
	else
		snprintf(buf, sizeof buf, "%s", strerrorname_np(errno));
	return buf;
}

static void ids(const char *what)
{
	uid_t r, ef, s;
	gid_t gr, ge, gs;
	getresuid(&r, &ef, &s);
	getresgid(&gr, &ge, &gs);
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	syscall(SYS_capget, &h, d);
	printf("%s: uid %u %u %u gid %u %u %u groups %d cap eff %08x prm %08x\n", what, r, ef, s, gr, ge, gs,
	       getgroups(0, NULL), d[0].effective, d[0].permitted);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9 - 1.0;
}

static void creds(void)
{
	ids("root");
	gid_t g[2] = { 4, 27 };
	printf("setgroups: %s\n", e(setgroups(2, g)));
	printf("capbset read CAP_NET_RAW: %d, cap 63: %s\n", prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0),
	       e(prctl(PR_CAPBSET_READ, 63, 0, 0, 0)));
	pid_t c = fork();
	if (c == 0) { /* keepcaps: drop to a user and keep the permitted set */
		prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
		setresgid(100, 100, 100);
		setresuid(1000, 1000, 1000);
		ids("keepcaps");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) { /* euid only: can come back through the saved id */
		printf("seteuid 1000: %s\n", e(seteuid(1000)));
		ids("euid 1000");
		printf("seteuid 0: %s\n", e(seteuid(0)));
		ids("back");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	printf("setgid 100: %s\n", e(setgid(100)));
	printf("setuid 1000: %s\n", e(setuid(1000)));
	ids("user");
	printf("setuid 0: %s\n", e(setuid(0)));
	printf("setresuid -1 0 -1: %s\n", e(setresuid(-1, 0, -1)));
	printf("setgroups: %s\n", e(setgroups(0, NULL)));
	printf("capbset drop: %s\n", e(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0)));
	int old = setfsuid(0);
	printf("setfsuid 0 -> old %d, fsuid now %d\n", old, setfsuid(-1));
	printf("no_new_privs: %s", e(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)));
	printf(" then %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	struct timeval tv = { 1000, 0 };
	printf("settimeofday as user: %s\n", e(settimeofday(&tv, NULL)));
	printf("chroot as user: %s\n", e(chroot("/tmp")));
}

static void files(void)
{
	mkdir("/tmp/perm", 0755);
	int fd = open("/tmp/perm/secret", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (write(fd, "s\n", 2) != 2)
		return;
	close(fd);
	mkdir("/tmp/perm/shared", 01777);
	chmod("/tmp/perm/shared", 01777);
	pid_t c = fork();
	if (c == 0) {
		setgid(100);
		setuid(1000);
		printf("user open 0600 root file: %s\n", e(open("/tmp/perm/secret", O_RDONLY)));
		printf("user access R_OK: %s\n", e(access("/tmp/perm/secret", R_OK)));
		printf("user create in 0755 root dir: %s\n", e(open("/tmp/perm/new", O_CREAT | O_WRONLY, 0644)));
		int f = open("/tmp/perm/shared/mine", O_CREAT | O_WRONLY, 0640);
		struct stat st;
		fstat(f, &st);
		printf("user create in sticky 1777: %s owner %u:%u mode %o\n", f >= 0 ? "ok" : e(f), st.st_uid, st.st_gid,
		       st.st_mode & 07777);
		printf("user chown to root: %s\n", e(chown("/tmp/perm/shared/mine", 0, 0)));
		printf("user chmod root file: %s\n", e(chmod("/tmp/perm/secret", 0644)));
		printf("user unlink root file: %s\n", e(unlink("/tmp/perm/secret")));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	int f = open("/tmp/perm/shared/root-owned", O_CREAT | O_WRONLY, 0644);
	close(f);
	c = fork();
	if (c == 0) {
		setuid(1000);
		printf("user unlink root file in sticky dir: %s\n", e(unlink("/tmp/perm/shared/root-owned")));
		printf("user unlink own file in sticky dir: %s\n", e(unlink("/tmp/perm/shared/mine")));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	printf("root chown: %s\n", e(chown("/tmp/perm/secret", 1000, 100)));
	struct stat st;
	stat("/tmp/perm/secret", &st);
	printf("stat after chown: %u:%u\n", st.st_uid, st.st_gid);
	c = fork();
	if (c == 0) {
		setuid(1000);
		printf("owner reads it now: %s\n", open("/tmp/perm/secret", O_RDONLY) >= 0 ? "ok" : e(-1));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* chroot */
	mkdir("/tmp/jail", 0755);
	mkdir("/tmp/jail/etc", 0755);
	f = open("/tmp/jail/etc/motd", O_CREAT | O_WRONLY, 0644);
	if (write(f, "inside\n", 7) != 7)
		return;
	close(f);
	chdir("/tmp");
	c = fork();
	if (c == 0) {
		printf("chroot: %s\n", e(chroot("/tmp/jail")));
		char cwd[256] = "", buf[32] = "";
		getcwd(cwd, sizeof cwd);
		int m = open("/etc/motd", O_RDONLY);
		ssize_t n = read(m, buf, sizeof buf - 1);
		buf[n > 0 ? n - 1 : 0] = 0;
		printf("in chroot: cwd %s /etc/motd '%s' ../../tmp: %s\n", cwd, buf,
		       e(open("/../../jail", O_RDONLY)));
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void locks(void)
{
	int fd = open("/tmp/lockfile", O_CREAT | O_RDWR, 0644);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	printf("F_SETLK write 0-9: %s\n", e(fcntl(fd, F_SETLK, &fl)));
	int sp[2];
	pipe(sp);
	pid_t c = fork();
	if (c == 0) {
		int f2 = open("/tmp/lockfile", O_RDWR);
		struct flock g = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1 };
		printf("child F_SETLK read 5: %s\n", e(fcntl(f2, F_SETLK, &g)));
		g.l_type = F_WRLCK;
		fcntl(f2, F_GETLK, &g);
		printf("child F_GETLK: type %s start %ld len %ld pid is parent %d\n",
		       g.l_type == F_WRLCK ? "WR" : "other", (long)g.l_start, (long)g.l_len, g.l_pid == getppid());
		struct flock h = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 20, .l_len = 1 };
		fcntl(f2, F_SETLK, &h); /* holds 20 */
		if (write(sp[1], "x", 1) != 1)
			_exit(1);
		g.l_type = F_WRLCK;
		g.l_start = 5;
		double t0 = now();
		int r = fcntl(f2, F_SETLKW, &g); /* parent releases at +1 s, after its deadlock try */
		printf("child F_SETLKW waited %.3f s: %s\n", now() - t0, e(r));
		printf("child flock LOCK_EX|LOCK_NB: %s\n", e(flock(f2, LOCK_EX | LOCK_NB)));
		_exit(0);
	}
	char x;
	if (read(sp[0], &x, 1) != 1)
		return;
	struct flock d = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 20, .l_len = 1 };
	int dl = fcntl(fd, F_SETLK, &d);
	printf("parent F_SETLK 20 held by child: %s\n", e(dl));
	usleep(100000); /* the child is now waiting for our 0-9 */
	printf("parent F_SETLKW 20 (child waits for us): %s\n", e(fcntl(fd, F_SETLKW, &d)));
	int fd2 = open("/tmp/lockfile", O_RDWR);
	printf("parent flock LOCK_EX: %s\n", e(flock(fd2, LOCK_EX)));
	struct flock o = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 1 };
	printf("OFD lock 100 on one open file: %s\n", e(fcntl(fd2, F_OFD_SETLK, &o)));
	int fd3 = open("/tmp/lockfile", O_RDWR);
	printf("OFD lock 100 on another open file: %s\n", e(fcntl(fd3, F_OFD_SETLK, &o)));
	usleep(900000);
	close(fd); /* any close drops this process's record locks */
	waitpid(c, NULL, 0);
}

static volatile int sigio_count, sigio_sig;
static void on_io(int s)
{
	sigio_count++;
	sigio_sig = s;
}

static void sigio(void)
{
	signal(SIGIO, on_io);
	signal(SIGUSR1, on_io);
	int p[2];
	pipe(p);
	fcntl(p[0], F_SETOWN, getpid());
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC);
	printf("F_GETOWN is self: %d\n", fcntl(p[0], F_GETOWN) == getpid());
	if (write(p[1], "a", 1) != 1)
		return;
	printf("pipe SIGIO: %d sig %s\n", sigio_count, sigabbrev_np(sigio_sig));
	int sv[2], on = 1;
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	printf("FIOASYNC: %s\n", e(ioctl(sv[0], FIOASYNC, &on)));
	int me = getpid();
	printf("F_SETOWN: %s\n", e(fcntl(sv[0], F_SETOWN, me)));
	fcntl(sv[0], F_SETSIG, SIGUSR1);
	sigio_count = 0;
	if (write(sv[1], "b", 1) != 1)
		return;
	printf("socketpair signal: %d sig %s\n", sigio_count, sigabbrev_np(sigio_sig));
}

static void memory(void)
{
	unsigned char v[4];
	char *m = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(v, 9, sizeof v);
	int r = mincore(m, 4 * 4096, v);
	printf("mincore mapped: %s %d%d%d%d\n", e(r), v[0], v[1], v[2], v[3]);
	munmap(m + 4096, 4096);
	printf("mincore with a hole: %s\n", e(mincore(m, 4 * 4096, v)));
	printf("mincore unaligned: %s\n", e(mincore(m + 1, 4096, v)));
}

static void clocks(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	long before = tv.tv_sec;
	struct timeval set = { 1700000000, 0 };
	printf("settimeofday: %s\n", e(settimeofday(&set, NULL)));
	gettimeofday(&tv, NULL);
	printf("time now %ld (was %ld)\n", tv.tv_sec, before);
	struct timex tx = { .modes = ADJ_FREQUENCY, .freq = 100 << 16 }; /* +100 ppm */
	int st = adjtimex(&tx);
	printf("adjtimex freq: state %d freq %ld\n", st, tx.freq);
	struct timespec a, b, ma, mb;
	clock_gettime(CLOCK_REALTIME, &a);
	clock_gettime(CLOCK_MONOTONIC, &ma);
	sleep(10);
	clock_gettime(CLOCK_REALTIME, &b);
	clock_gettime(CLOCK_MONOTONIC, &mb);
	long long dr = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	long long dm = (mb.tv_sec - ma.tv_sec) * 1000000000LL + (mb.tv_nsec - ma.tv_nsec);
	printf("10 s at +100 ppm: realtime gained %lld us over monotonic\n", (dr - dm) / 1000);
	tx = (struct timex){ .modes = ADJ_FREQUENCY, .freq = 0 };
	adjtimex(&tx);
	struct timeval delta = { 0, 50000 }, left;
	printf("adjtime +50 ms: %s\n", e(adjtime(&delta, NULL)));
	clock_gettime(CLOCK_REALTIME, &a);
	sleep(50);
	adjtime(NULL, &left);
	clock_gettime(CLOCK_REALTIME, &b);
	dr = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	printf("after 50 s: left %ld us, slewed %lld us\n", (long)left.tv_usec, (dr - 50000000000LL) / 1000);
	tx = (struct timex){ .modes = ADJ_SETOFFSET | ADJ_NANO };
	tx.time.tv_sec = -3;
	clock_gettime(CLOCK_REALTIME, &a);
	printf("clock_adjtime setoffset -3 s: %s\n", e(clock_adjtime(CLOCK_REALTIME, &tx) >= 0 ? 0 : -1));
	clock_gettime(CLOCK_REALTIME, &b);
	printf("stepped by %ld s\n", (long)(b.tv_sec - a.tv_sec));
	tx = (struct timex){ .modes = 0 };
	printf("clock_adjtime monotonic: %s\n", e(clock_adjtime(CLOCK_MONOTONIC, &tx)));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *what = argc > 1 ? argv[1] : "all";
	if (!strcmp(what, "files") || !strcmp(what, "all"))
		files();
	if (!strcmp(what, "locks") || !strcmp(what, "all"))
		locks();
	if (!strcmp(what, "sigio") || !strcmp(what, "all"))
		sigio();
	if (!strcmp(what, "memory") || !strcmp(what, "all"))
		memory();
	if (!strcmp(what, "clocks") || !strcmp(what, "all"))
		clocks();
	if (!strcmp(what, "creds") || !strcmp(what, "all"))
		creds(); /* last: it drops root for good */
	return 0;
}
