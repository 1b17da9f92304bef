/* loader.c - maps a program image the way the kernel's execve does.
 *
 * dce maps the program and its ELF interpreter (Debian's own ld.so), builds the
 * initial stack (argv, envp, auxv) and lets that private ld.so, running as simulated
 * code, map and relocate the libraries. Every instance therefore gets private copies
 * of ld.so, libc and every library (data private, text shared through the page
 * cache), with complete relocation, TLS, IFUNC, dlopen and unwind support, and no
 * instance limit. See docs/design.md, "Loading programs". */
#include "../core/kernel.h"
#include "../libc-ns3/vdso.h"
#include "elf_check.h"
#include "fixed_image.h"
#include "../libc-ns3/vmspace.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGE_DOWN(x) ((uintptr_t)(x) & ~(PAGE - 1))
#define PAGE_UP(x) (((uintptr_t)(x) + PAGE - 1) & ~(PAGE - 1))
#define BRK_RESERVE (256UL << 20)

void dce_mm_track(struct dce_process *p, uintptr_t start, size_t len);
/* mm.c: an ended process's stack of len bytes (gap included), its pages zeroed; 0 if none */
uintptr_t dce_mm_stack_reuse(size_t len);

/* Files checked lately, by identity: an exec checks its program and interpreter
 * twice (dce_loader_check before the point of no return, then dce_loader_exec), and
 * every process of a run execs the same few files. A check maps the whole file and
 * reads it (page faults: ~17 us each on a VM with shadow paging); a file whose
 * inode, size and times are unchanged has the same bytes and the same answer.
 * Only passed checks are kept; CHECKED_MAX of them, the oldest replaced. */
#define CHECKED_MAX 16
static struct checked {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	struct dce_elf_info info;
} *checked[CHECKED_MAX];
static int checked_next;

static int same_file(const struct checked *c, const struct stat *st)
{
	return c && c->dev == st->st_dev && c->ino == st->st_ino && c->size == st->st_size &&
	       c->mtime.tv_sec == st->st_mtim.tv_sec && c->mtime.tv_nsec == st->st_mtim.tv_nsec &&
	       c->ctime.tv_sec == st->st_ctim.tv_sec && c->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

static void remember_checked(const struct stat *st, const struct dce_elf_info *info)
{
	struct checked *c = checked[checked_next];
	if (!c && !(c = malloc(sizeof *c)))
		return;
	checked[checked_next] = c;
	checked_next = (checked_next + 1) % CHECKED_MAX;
	c->dev = st->st_dev;
	c->ino = st->st_ino;
	c->size = st->st_size;
	c->mtime = st->st_mtim;
	c->ctime = st->st_ctim;
	c->info = *info;
}

/* Checks the file behind fd (what names it in errors) before anything of it is
 * mapped for use: the checks read the file through a temporary read-only view, and
 * only bytes inside the file. */
static int check_file(int fd, const char *what, struct dce_elf_info *info, char *err, size_t errlen)
{
	char why[512];
	struct stat st;
	if (fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", what);
		return -EACCES;
	}
	for (int i = 0; i < CHECKED_MAX; i++)
		if (same_file(checked[i], &st)) {
			*info = checked[i]->info;
			return 0;
		}
	size_t size = (size_t)st.st_size;
	void *view = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : (void *)"";
	if (view == MAP_FAILED) {
		snprintf(err, errlen, "%s: cannot read: %s", what, strerror(errno));
		return -errno;
	}
	int r = dce_elf_check(view, size, info, why, sizeof why);
	if (size)
		munmap(view, size);
	if (r)
		snprintf(err, errlen, "%s: %s", what, why);
	else
		remember_checked(&st, info);
	return r;
}

/* The program and its ELF interpreter, both checked; ifd is -1 without one. The
 * kernel also opens and checks the interpreter before the point of no return. */
static int check_program(struct dce_process *p, int fd, const char *vpath, struct dce_elf_info *prog,
                         struct dce_elf_info *interp, int *ifd, char *err, size_t errlen)
{
	*ifd = -1;
	int r = check_file(fd, vpath, prog, err, errlen);
	if (r || !prog->interp[0])
		return r;
	char ivpath[PATH_MAX], why[512];
	int f = dce_fs_open_host(p, AT_FDCWD, prog->interp, O_RDONLY | O_CLOEXEC, 0, ivpath);
	if (f < 0) {
		snprintf(err, errlen, "%s: its ELF interpreter %s cannot be opened: %s", vpath, prog->interp,
		         strerror(-f));
		return f;
	}
	r = check_file(f, prog->interp, interp, why, sizeof why);
	if (r) {
		close(f);
		snprintf(err, errlen, "%s: its ELF interpreter %s", vpath, why);
		return r == -ENOEXEC ? -ELIBBAD : r; /* as the kernel says of a bad interpreter */
	}
	if (prog->eh.e_type == ET_EXEC && interp->eh.e_type == ET_EXEC) {
		close(f);
		snprintf(err, errlen, "%s: both it and its ELF interpreter %s are non-PIE executables; dce "
		         "maps one per process", vpath, prog->interp);
		return -ENOEXEC;
	}
	*ifd = f;
	return 0;
}

static int prot_of(uint32_t f)
{
	return ((f & PF_R) ? PROT_READ : 0) | ((f & PF_W) ? PROT_WRITE : 0) | ((f & PF_X) ? PROT_EXEC : 0);
}

/* Map every PT_LOAD of a checked image; *bias receives the load bias. */
static int map_image(struct dce_process *p, int fd, const char *what, struct dce_elf_info *ef,
                     uintptr_t *bias, char *err, size_t errlen)
{
	uintptr_t lo = ef->lo, hi = ef->hi;
	if (ef->eh.e_type == ET_EXEC) { /* at its link address, shared by its instances */
		int r = dce_fixed_image_attach(p, fd, &ef->eh, ef->ph, lo, hi, err, errlen);
		if (r) {
			char why[256];
			snprintf(why, sizeof why, "%s", err);
			snprintf(err, errlen, "%s: %s", what, why);
		}
		*bias = 0;
		return r;
	}
	void *span = dce_vm_map(hi - lo, ef->align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (span == MAP_FAILED) {
		dce_preflight_failed(errno);
		snprintf(err, errlen, "%s: cannot reserve %lu bytes: %s", what, (unsigned long)(hi - lo),
		         strerror(errno));
		return -ENOMEM;
	}
	uintptr_t b = (uintptr_t)span - lo;
	dce_mm_track(p, (uintptr_t)span, hi - lo);
	for (int i = 0; i < ef->eh.e_phnum; i++) {
		Elf64_Phdr *ph = &ef->ph[i];
		if (ph->p_type != PT_LOAD)
			continue;
		int prot = prot_of(ph->p_flags);
		uintptr_t seg = b + PAGE_DOWN(ph->p_vaddr);
		uintptr_t file_end = b + ph->p_vaddr + ph->p_filesz;
		uintptr_t mem_end = PAGE_UP(b + ph->p_vaddr + ph->p_memsz);
		if (ph->p_filesz) {
			size_t len = PAGE_UP(file_end) - seg;
			if (mmap((void *)seg, len, prot | (ph->p_memsz > ph->p_filesz ? PROT_WRITE : 0),
			         MAP_PRIVATE | MAP_FIXED, fd, (off_t)PAGE_DOWN(ph->p_offset)) == MAP_FAILED) {
				dce_preflight_failed(errno);
				snprintf(err, errlen, "%s: cannot map segment: %s", what, strerror(errno));
				return -errno;
			}
			if (ph->p_memsz > ph->p_filesz) {
				memset((void *)file_end, 0, PAGE_UP(file_end) - file_end);
				if (!(prot & PROT_WRITE))
					mprotect((void *)seg, len, prot);
			}
		}
		uintptr_t anon = ph->p_filesz ? PAGE_UP(file_end) : seg;
		if (mem_end > anon &&
		    mmap((void *)anon, mem_end - anon, prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) ==
		            MAP_FAILED) {
			snprintf(err, errlen, "%s: cannot map bss: %s", what, strerror(errno));
			return -errno;
		}
	}
	*bias = b;
	return 0;
}

static char *push_bytes(char **sp, const void *data, size_t len)
{
	*sp -= len;
	memcpy(*sp, data, len);
	return *sp;
}

/* The brk area, the main thread's stack and what the kernel puts on it. */
static int build_stack(struct dce_process *p, const char *vpath, const struct dce_elf_info *prog,
                       uintptr_t prog_bias, uintptr_t interp_bias, char *const argv[],
                       char *const envp[], size_t stack_size, struct dce_image *img, char *err,
                       size_t errlen)
{
	/* The brk area: address space reserved in dce's allocator, mapped (one host
	 * mapping, grown in place) as the program grows it; above the break nothing is
	 * mapped, so an access there faults as on Linux, and a PROT_NONE placeholder
	 * would cost a host mapping per process. */
	void *brk = (void *)dce_vm_reserve(BRK_RESERVE, PAGE);
	if (!brk) {
		snprintf(err, errlen, "%s: cannot reserve its heap", vpath);
		return -ENOMEM;
	}
	dce_mm_track(p, (uintptr_t)brk, BRK_RESERVE);
	p->brk_base = p->brk_cur = (uintptr_t)brk;
	p->brk_max = (uintptr_t)brk + BRK_RESERVE;

	/* The main thread's stack, with a guard gap below it: a page of dce's address
	 * space left unmapped (as Linux's stack guard gap, not a mapping of its own: a
	 * PROT_NONE page would cost each process one of the host's vm.max_map_count). */
	stack_size = PAGE_UP(stack_size ? stack_size : 8UL << 20);
	char *stk = (char *)dce_mm_stack_reuse(stack_size + PAGE); /* an ended process's, zeroed */
	if (!stk) {
		stk = dce_vm_map(stack_size + PAGE, PAGE, PROT_READ | PROT_WRITE,
		                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
		if (stk == MAP_FAILED) {
			snprintf(err, errlen, "%s: cannot allocate a %zu-byte stack", vpath, stack_size);
			return -ENOMEM;
		}
		munmap(stk, PAGE);
	}
	dce_mm_track(p, (uintptr_t)stk, stack_size + PAGE); /* the gap too: released with it */
	p->stack_lo = (uintptr_t)stk;
	p->stack_hi = (uintptr_t)stk + stack_size + PAGE;

	int argc = 0, envc = 0;
	while (argv[argc])
		argc++;
	while (envp[envc])
		envc++;
	char *sp = stk + PAGE + stack_size;
	size_t strings = strlen(vpath) + 1 + 16 + 16;
	for (int i = 0; i < argc; i++)
		strings += strlen(argv[i]) + 1;
	for (int i = 0; i < envc; i++)
		strings += strlen(envp[i]) + 1;
	if (strings + (size_t)(argc + envc + 64) * 8 > stack_size / 4) {
		snprintf(err, errlen, "%s: argument list too long", vpath);
		return -E2BIG;
	}
	char *execfn = push_bytes(&sp, vpath, strlen(vpath) + 1);
	char *platform = push_bytes(&sp, "x86_64", 7);
	unsigned char rnd[16];
	dce_random_fill(p->node, rnd, sizeof rnd);
	char *random = push_bytes(&sp, rnd, sizeof rnd);
	char **uargv = calloc((size_t)argc + 1, sizeof *uargv);
	char **uenvp = calloc((size_t)envc + 1, sizeof *uenvp);
	for (int i = 0; i < argc; i++)
		uargv[i] = push_bytes(&sp, argv[i], strlen(argv[i]) + 1);
	for (int i = 0; i < envc; i++)
		uenvp[i] = push_bytes(&sp, envp[i], strlen(envp[i]) + 1);
	sp = (char *)((uintptr_t)sp & ~15UL);

	uint64_t auxv[][2] = {
		{ AT_PHDR, 0 }, /* filled below */
		{ AT_PHENT, sizeof(Elf64_Phdr) },
		{ AT_PHNUM, prog->eh.e_phnum },
		{ AT_PAGESZ, PAGE },
		{ AT_BASE, interp_bias },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, prog_bias + prog->eh.e_entry },
		{ AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
		{ AT_SECURE, 0 },
		{ AT_CLKTCK, 100 },
		{ AT_HWCAP, getauxval(AT_HWCAP) },
		{ AT_HWCAP2, getauxval(AT_HWCAP2) },
		{ AT_MINSIGSTKSZ, getauxval(AT_MINSIGSTKSZ) },
		{ AT_RANDOM, (uint64_t)random },
		{ AT_PLATFORM, (uint64_t)platform },
		{ AT_EXECFN, (uint64_t)execfn },
		{ dce_vdso_base() ? AT_SYSINFO_EHDR : AT_IGNORE, dce_vdso_base() },
		{ AT_NULL, 0 },
	};
	/* AT_SYSINFO_EHDR is dce's own vDSO, which reads the simulated clock; without
	 * it (DCE_VDSO=0) glibc's time calls are system calls. */
	uintptr_t phdr = 0;
	for (int i = 0; i < prog->eh.e_phnum; i++)
		if (prog->ph[i].p_type == PT_PHDR)
			phdr = prog_bias + prog->ph[i].p_vaddr;
	if (!phdr) /* no PT_PHDR: the headers sit in the first segment at e_phoff */
		for (int i = 0; i < prog->eh.e_phnum; i++)
			if (prog->ph[i].p_type == PT_LOAD && prog->ph[i].p_offset == 0)
				phdr = prog_bias + prog->ph[i].p_vaddr + prog->eh.e_phoff;
	auxv[0][1] = phdr;

	size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * (sizeof auxv / sizeof auxv[0]);
	if (words & 1)
		sp -= 8; /* rsp must be 16-byte aligned at argc */
	uint64_t *w = (uint64_t *)(sp - words * 8);
	uint64_t *out = w;
	*out++ = (uint64_t)argc;
	for (int i = 0; i < argc; i++)
		*out++ = (uint64_t)uargv[i];
	*out++ = 0;
	for (int i = 0; i < envc; i++)
		*out++ = (uint64_t)uenvp[i];
	*out++ = 0;
	memcpy(out, auxv, sizeof auxv);
	free(uargv);
	free(uenvp);
	img->stack_top = (uintptr_t)w;
	img->brk = p->brk_base;
	return 0;
}

int dce_loader_exec(struct dce_process *p, const char *vpath, int fd, char *const argv[],
                    char *const envp[], size_t stack_size, struct dce_image *img, char *err,
                    size_t errlen)
{
	struct dce_elf_info *prog = malloc(sizeof *prog), *interp = malloc(sizeof *interp);
	int ifd = -1;
	int r = prog && interp ? check_program(p, fd, vpath, prog, interp, &ifd, err, errlen) : -ENOMEM;
	uintptr_t prog_bias = 0, interp_bias = 0;
	if (!r)
		r = map_image(p, fd, vpath, prog, &prog_bias, err, errlen);
	uintptr_t entry = prog_bias + (prog ? prog->eh.e_entry : 0);
	if (!r && ifd >= 0) {
		char why[PATH_MAX + 200];
		r = map_image(p, ifd, prog->interp, interp, &interp_bias, why, sizeof why);
		if (r)
			snprintf(err, errlen, "%s: its ELF interpreter %s", vpath, why);
		entry = interp_bias + interp->eh.e_entry;
	}
	if (ifd >= 0)
		close(ifd);
	free(interp);
	if (r) {
		free(prog);
		return r;
	}
	r = build_stack(p, vpath, prog, prog_bias, interp_bias, argv, envp, stack_size, img, err, errlen);
	free(prog);
	img->entry = entry;
	return r;
}

int dce_loader_check(struct dce_process *p, int fd, const char *vpath, char *err, size_t errlen)
{
	struct dce_elf_info *prog = malloc(sizeof *prog), *interp = malloc(sizeof *interp);
	int ifd = -1;
	int r = prog && interp ? check_program(p, fd, vpath, prog, interp, &ifd, err, errlen) : -ENOMEM;
	if (ifd >= 0)
		close(ifd);
	free(prog);
	free(interp);
	return r;
}
