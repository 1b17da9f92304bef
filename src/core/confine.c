/* confine.c - the run confined by the host OS, before any program is loaded.
 *
 * Programs share dce's address space: one that finds dce's data can clear the
 * Syscall User Dispatch selector and make real system calls. Two layers here make
 * such a call harmless (docs/security.md):
 *   - namespaces: the run gets its own mount and network namespaces (and a user
 *     namespace when it is not root). Every mount is read-only except the output
 *     directory; the network has only an unconfigured loopback, no host interface.
 *   - a seccomp filter on the instruction pointer: a real system call made from
 *     program memory (below 96 TiB, outside dce's own image) fails with ENOSYS,
 *     and dce's one exempt `syscall` instruction only does rt_sigreturn.
 * DCE_CONFINE=0 / dce-run --no-confine turn both off; DCE_CONFINE=1 / --confine
 * make a refusal fatal instead of a warning. */
#include "kernel.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Program memory: dce's allocator (vmspace.c) ends at 96 TiB, non-PIE programs sit
 * at their low link addresses; the host maps its libraries near 128 TiB. */
#define PROGRAM_END_HI 0x6000u /* high 32 bits of 96 TiB */
#define MAX_HOLES 8

static int confine_mode = -1; /* -1: not chosen (DCE_CONFINE, else on with a warning) */

void dce_set_confine(int on) { confine_mode = on ? 1 : 0; }

static int requested_mode(void)
{
	if (confine_mode >= 0)
		return confine_mode;
	const char *e = getenv("DCE_CONFINE");
	if (e && *e)
		return atoi(e) ? 1 : 0;
	return -1;
}

/* Report into err and return -e (errno values captured before any formatting). */
static int fail(char *err, size_t errlen, int e, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(e));
	return -e;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int e = n == (ssize_t)strlen(text) ? 0 : -errno;
	close(fd);
	return e;
}

/* unshare(CLONE_NEWUSER) needs a single-threaded process: say so rather than EINVAL. */
static int thread_count(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	int n = 0;
	char line[128];
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "Threads:", 8))
			n = atoi(line + 8);
	if (f)
		fclose(f);
	return n;
}

/* A root without CAP_SYS_ADMIN (a container) or any other user needs a user
 * namespace to own the new mount namespace; it maps our ids to themselves. */
static int enter_user_namespace(char *err, size_t errlen)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (thread_count() > 1) {
		snprintf(err, errlen, "unshare(CLONE_NEWUSER): the process already has %d threads", thread_count());
		return -EINVAL;
	}
	if (unshare(CLONE_NEWUSER))
		return fail(err, errlen, errno, "unshare");
	char map[64];
	int e = write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof map, "%u %u 1\n", uid, uid);
	if (!e)
		e = write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof map, "%u %u 1\n", gid, gid);
	if (!e)
		e = write_file("/proc/self/gid_map", map);
	return e ? fail(err, errlen, -e, "user namespace id map") : 0;
}

static int set_mount_attr(const char *path, uint64_t set, uint64_t clr, unsigned flags)
{
	struct mount_attr a = { .attr_set = set, .attr_clr = clr };
	return syscall(SYS_mount_setattr, AT_FDCWD, path, flags, &a, sizeof a) ? -errno : 0;
}

/* Everything read-only but out_dir (and what is mounted below it). */
static int make_host_read_only(const char *out_dir, char *err, size_t errlen)
{
	char cwd[PATH_MAX];
	int have_cwd = getcwd(cwd, sizeof cwd) != NULL;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return fail(err, errlen, errno, "mount --make-rprivate /");
	if (mount(out_dir, out_dir, NULL, MS_BIND | MS_REC, NULL))
		return fail(err, errlen, errno, "bind mount of the output directory");
	int e = set_mount_attr("/", MOUNT_ATTR_RDONLY, 0, AT_RECURSIVE);
	if (e)
		return fail(err, errlen, -e, "mount_setattr(/, read-only)");
	/* a submount of out_dir that was read-only before stays so (the kernel refuses
	 * to lift a lock it did not set): then lift it on out_dir's own mount only */
	e = set_mount_attr(out_dir, 0, MOUNT_ATTR_RDONLY, AT_RECURSIVE);
	if (e)
		e = set_mount_attr(out_dir, 0, MOUNT_ATTR_RDONLY, 0);
	if (e)
		return fail(err, errlen, -e, "mount_setattr(output directory, writable)");
	/* the working directory still names the mount below the bind (a scenario's
	 * pcap files go to "." when the output directory is ".") */
	if (have_cwd && chdir(cwd)) {
		/* cannot happen: it was our working directory a moment ago */
	}
	return 0;
}

static int enter_namespaces(const char *out_dir, char *err, size_t errlen)
{
	int flags = CLONE_NEWNS | CLONE_NEWNET;
	if (unshare(flags)) {
		if (errno != EPERM)
			return fail(err, errlen, errno, "unshare");
		int e = enter_user_namespace(err, errlen);
		if (e)
			return e;
		if (unshare(flags))
			return fail(err, errlen, errno, "unshare");
	}
	return make_host_read_only(out_dir, err, errlen);
}

/* Host executable mappings below 96 TiB (dce-run's own image, a PIE near 85 TiB),
 * as ranges of the instruction pointer's high 32 bits: 4 GiB windows. */
static int host_code_windows(uint32_t lo[], uint32_t hi[])
{
	FILE *f = fopen("/proc/self/maps", "re");
	int n = 0;
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		unsigned long s, e;
		char perm[8];
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perm) != 3 || perm[2] != 'x')
			continue;
		if ((s >> 32) >= PROGRAM_END_HI)
			continue;
		uint32_t a = (uint32_t)(s >> 32), b = (uint32_t)((e - 1) >> 32);
		if (n && a <= hi[n - 1] + 1 && b >= lo[n - 1]) {
			hi[n - 1] = b > hi[n - 1] ? b : hi[n - 1];
			lo[n - 1] = a < lo[n - 1] ? a : lo[n - 1];
		} else if (n < MAX_HOLES) {
			lo[n] = a;
			hi[n++] = b;
		} else {
			n = -1;
			break;
		}
	}
	if (f)
		fclose(f);
	return n;
}

#define STMT(c, k) ((struct sock_filter)BPF_STMT(c, k))
#define JUMP(c, k, t, f) ((struct sock_filter)BPF_JUMP(c, k, t, f))
#define FIELD(m) ((uint32_t)offsetof(struct seccomp_data, m))

/* Allowed: calls from host code, except that dce's exempt `syscall` (the one a
 * program could jump to with the selector still at BLOCK) may only be rt_sigreturn,
 * and dce's own image (code a program could reuse) only makes its two raw calls. */
static int install_ip_filter(char *err, size_t errlen)
{
	extern char dce_exempt_end[]; /* the return address of the exempt syscall */
	uint32_t lo[MAX_HOLES], hi[MAX_HOLES];
	int n = host_code_windows(lo, hi);
	if (n < 0) {
		snprintf(err, errlen, "seccomp: more than %d host code areas below 96 TiB", MAX_HOLES);
		return -E2BIG;
	}
	uint64_t ex = (uint64_t)(uintptr_t)dce_exempt_end;
	struct sock_filter f[24 + 3 * MAX_HOLES];
	int k = 0;
	const uint32_t ALLOW = SECCOMP_RET_ALLOW, DENY = SECCOMP_RET_ERRNO | ENOSYS;
	f[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, FIELD(instruction_pointer) + 4);
	f[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(ex >> 32), 0, 8);
	f[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, FIELD(instruction_pointer));
	f[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)ex, 0, 6);
	f[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, FIELD(arch));
	f[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 2);
	f[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, FIELD(nr));
	f[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rt_sigreturn, 1, 0);
	f[k++] = STMT(BPF_RET | BPF_K, DENY);
	f[k++] = STMT(BPF_RET | BPF_K, ALLOW);
	f[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, FIELD(instruction_pointer) + 4);
	f[k++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, PROGRAM_END_HI, 3 * (uint32_t)n + 1, 0);
	for (int i = 0; i < n; i++) { /* inside [lo, hi]: dce's image, checked below */
		f[k++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, lo[i], 0, 2);
		f[k++] = JUMP(BPF_JMP | BPF_JGT | BPF_K, hi[i], 1, 0);
		f[k++] = STMT(BPF_JMP | BPF_JA, 3 * (uint32_t)(n - i) - 1);
	}
	f[k++] = STMT(BPF_RET | BPF_K, DENY);
	f[k++] = STMT(BPF_RET | BPF_K, ALLOW);
	/* dce's own image makes two raw calls (trap_entry.S): rt_sigreturn and the
	 * arch_prctl FS fallback; its other calls go through the host's libc */
	f[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, FIELD(arch));
	f[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3);
	f[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, FIELD(nr));
	f[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rt_sigreturn, 2, 0);
	f[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_arch_prctl, 1, 0);
	f[k++] = STMT(BPF_RET | BPF_K, DENY);
	f[k++] = STMT(BPF_RET | BPF_K, ALLOW);
	struct sock_fprog prog = { .len = (unsigned short)k, .filter = f };
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return fail(err, errlen, errno, "seccomp");
	return 0;
}

int dce_confine(const char *out_dir)
{
	int mode = requested_mode();
	if (mode == 0)
		return 0;
	char err[256] = "", ferr[256] = "";
	int e = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ? fail(err, sizeof err, errno, "prctl(PR_SET_NO_NEW_PRIVS)") : 0;
	if (!e)
		e = enter_namespaces(out_dir, err, sizeof err);
	/* the filter needs no privilege: it stays a layer where namespaces are refused */
	int fe = install_ip_filter(ferr, sizeof ferr);
	if (!e && fe)
		memcpy(err, ferr, sizeof err);
	if (!e && !fe)
		return 0;
	if (mode == 1) {
		fprintf(stderr, "dce: cannot confine the run (%s), and confinement was requested "
		        "(DCE_CONFINE=1 or --confine): see docs/security.md\n", err);
		return -1;
	}
	fprintf(stderr, "dce: warning: cannot confine the run (%s): running unconfined; "
	        "pass --no-confine to silence, see docs/security.md\n", err);
	return 0;
}
