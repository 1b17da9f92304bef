/* hook.c - glibc-dce: which libc programs get, and the C side of hook_entry.S.
 *
 * DCE_LIBC=stock|dce chooses the private libc of every simulated process. With
 * "dce", the program's ld.so and the shared objects of the system glibc
 * (/lib/x86_64-linux-gnu/libc.so.6, /lib64/ld-linux-x86-64.so.2, libm, ...)
 * resolve to the glibc-dce build (src/glibc/build.sh), so ld.so and libc come
 * from the same build. Default: "dce" when a build is found, else "stock".
 * DCE_GLIBC_DIR names the build's directory; otherwise lib/glibc-dce is looked
 * for in the install tree next to the running binary (build/install/lib/...).
 * DCE_HOOK=0 keeps glibc-dce but leaves its hook unset: every call traps. */
#include "../core/kernel.h"
#include "hook.h"
#include "uaccess.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void dce_hook_entry(void);
void dce_trap(ucontext_t *uc);

/* hook_entry.S hard-codes these */
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs) == 40, "gregs offset");
_Static_assert(offsetof(ucontext_t, uc_mcontext.fpregs) == 224, "fpregs offset");
_Static_assert(sizeof(ucontext_t) <= 1024, "ucontext size");
_Static_assert(REG_R8 == 0 && REG_R11 == 3 && REG_RDI == 8 && REG_RAX == 13 && REG_RCX == 14 &&
               REG_RSP == 15 && REG_RIP == 16 && REG_EFL == 17 && REG_CSGSFS == 18, "greg indices");

static int use_dce_libc;
static int hooks_on = 1;
static char glibc_dir[PATH_MAX];
static char **glibc_names; /* shared objects of the build */
static size_t n_glibc_names;
static stack_t host_stack;
static sigset_t host_mask;

static int is_build(const char *dir)
{
	char p[PATH_MAX + 32];
	struct stat st;
	snprintf(p, sizeof p, "%s/libc.so.6", dir);
	if (stat(p, &st) || !S_ISREG(st.st_mode))
		return 0;
	snprintf(p, sizeof p, "%s/ld-linux-x86-64.so.2", dir);
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* lib/glibc-dce (or lib/dce/glibc-dce) in an install tree above the running binary. */
static int find_build(char *out, size_t outlen)
{
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return 0;
	exe[n] = 0;
	static const char *const subs[] = { "lib/glibc-dce", "lib/dce/glibc-dce", "install/lib/glibc-dce",
		                            "build/install/lib/glibc-dce" };
	for (int up = 0; up < 6; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash || slash == exe)
			break;
		*slash = 0;
		for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
			snprintf(cand, sizeof cand, "%s/%s", exe, subs[i]);
			if (is_build(cand) && realpath(cand, out) && strlen(out) < outlen)
				return 1;
		}
	}
	return 0;
}

static void load_names(void)
{
	DIR *d = opendir(glibc_dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strstr(e->d_name, ".so"))
			continue;
		char **m = realloc(glibc_names, sizeof(char *) * (n_glibc_names + 1));
		if (!m)
			break;
		glibc_names = m;
		glibc_names[n_glibc_names++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
}

int dce_hook_init(char *err, size_t errlen)
{
	sigaltstack(NULL, &host_stack);
	sigprocmask(SIG_SETMASK, NULL, &host_mask);
	const char *h = getenv("DCE_HOOK");
	hooks_on = !(h && !strcmp(h, "0"));
	const char *want = getenv("DCE_LIBC");
	if (want && *want && strcmp(want, "dce") && strcmp(want, "stock")) {
		snprintf(err, errlen, "DCE_LIBC=%s: use DCE_LIBC=stock or DCE_LIBC=dce", want);
		return -1;
	}
	if (want && !strcmp(want, "stock"))
		return 0;
	const char *dir = getenv("DCE_GLIBC_DIR");
	int found = 0;
	if (dir && *dir)
		found = is_build(dir) && realpath(dir, glibc_dir) != NULL;
	else
		found = find_build(glibc_dir, sizeof glibc_dir);
	if (!found) {
		glibc_dir[0] = 0;
		if (want && !strcmp(want, "dce")) {
			snprintf(err, errlen, "DCE_LIBC=dce but no glibc-dce build was found%s%s "
			         "(./bake/bake build builds it into build/install/lib/glibc-dce)",
			         dir && *dir ? " in " : "", dir && *dir ? dir : "");
			return -1;
		}
		return 0;
	}
	use_dce_libc = 1;
	load_names();
	return 0;
}

int dce_hook_libc_is_dce(void)
{
	return use_dce_libc;
}

const char *dce_hook_glibc_dir(void)
{
	return glibc_dir;
}

int dce_hook_redirect(const char *norm, char *out, size_t outlen)
{
	if (!use_dce_libc)
		return 0;
	static const char *const dirs[] = { "/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/",
		                            "/lib64/", "/usr/lib64/" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		size_t n = strlen(dirs[i]);
		if (strncmp(norm, dirs[i], n) || strchr(norm + n, '/'))
			continue;
		for (size_t j = 0; j < n_glibc_names; j++)
			if (!strcmp(norm + n, glibc_names[j])) {
				snprintf(out, outlen, "%s/%s", glibc_dir, glibc_names[j]);
				return 1;
			}
	}
	return 0;
}

long dce_hook_register(struct dce_thread *t, uint64_t slotp, uint64_t magic, uint64_t which)
{
	(void)which;
	if (magic != DCE_HOOK_MAGIC || !hooks_on)
		return -ENOSYS; /* what Linux says: the library keeps using `syscall` */
	uint64_t entry = (uint64_t)(uintptr_t)dce_hook_entry;
	if (dce_copy_to_user(slotp, &entry, sizeof entry))
		return -EFAULT;
	if (dce_world.trace)
		fprintf(dce_world.err, "[%u %d] glibc-dce: %s hook at %#llx\n", t->proc->node->id, t->tid,
		        which ? "libc" : "ld.so", (unsigned long long)slotp);
	return 0;
}

/* From hook_entry.S, on the fiber's kernel stack: uc holds the program's
 * registers as after its `syscall`. Returns 0 when the program can be resumed
 * with a plain jump (same rip and rsp), 1 when it must go through rt_sigreturn. */
int dce_hook_trap(ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uc->uc_flags = 2 | 4; /* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS, as in a signal frame */
	uc->uc_link = NULL;
	uc->uc_stack = host_stack;
	uc->uc_sigmask = host_mask;
	greg_t rip = g[REG_RIP], rsp = g[REG_RSP];
	dce_trap(uc);
	return g[REG_RIP] != rip || g[REG_RSP] != rsp;
}
