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
#include "fixed_image.h"
#include "../libc-ns3/vmspace.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGE_DOWN(x) ((uintptr_t)(x) & ~(PAGE - 1))
#define PAGE_UP(x) (((uintptr_t)(x) + PAGE - 1) & ~(PAGE - 1))
#define BRK_RESERVE (256UL << 20)

void dce_mm_track(struct dce_process *p, uintptr_t start, size_t len);

struct elf_file {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[64];
};

static const char *machine_name(int m)
{
	switch (m) {
	case EM_386: return "i386";
	case EM_ARM: return "arm";
	case EM_AARCH64: return "aarch64";
	case EM_RISCV: return "riscv";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	default: return "another architecture";
	}
}

static int read_elf(int fd, const char *what, struct elf_file *ef, char *err, size_t errlen)
{
	ssize_t n = pread(fd, &ef->eh, sizeof ef->eh, 0);
	if (n < 4 || memcmp(ef->eh.e_ident, ELFMAG, SELFMAG) != 0) {
		snprintf(err, errlen, "%s: not an ELF executable (exec format error)", what);
		return -ENOEXEC;
	}
	if (n < (ssize_t)sizeof ef->eh || ef->eh.e_ident[EI_CLASS] != ELFCLASS64) {
		snprintf(err, errlen, "%s: 32-bit ELF file, dce runs x86-64 programs only", what);
		return -ENOEXEC;
	}
	if (ef->eh.e_machine != EM_X86_64) {
		snprintf(err, errlen, "%s: ELF file for %s, dce runs x86-64 programs only", what,
		         machine_name(ef->eh.e_machine));
		return -ENOEXEC;
	}
	if (ef->eh.e_type != ET_EXEC && ef->eh.e_type != ET_DYN) {
		snprintf(err, errlen, "%s: ELF file is not an executable (type %d)", what, ef->eh.e_type);
		return -ENOEXEC;
	}
	if (ef->eh.e_phentsize != sizeof(Elf64_Phdr) || ef->eh.e_phnum == 0 || ef->eh.e_phnum > 64 ||
	    pread(fd, ef->ph, ef->eh.e_phnum * sizeof(Elf64_Phdr), (off_t)ef->eh.e_phoff) !=
	            (ssize_t)(ef->eh.e_phnum * sizeof(Elf64_Phdr))) {
		snprintf(err, errlen, "%s: malformed ELF program headers", what);
		return -ENOEXEC;
	}
	return 0;
}

static int prot_of(uint32_t f)
{
	return ((f & PF_R) ? PROT_READ : 0) | ((f & PF_W) ? PROT_WRITE : 0) | ((f & PF_X) ? PROT_EXEC : 0);
}

/* Map every PT_LOAD of ef; *bias receives the load bias. */
static int map_image(struct dce_process *p, int fd, const char *what, struct elf_file *ef,
                     uintptr_t *bias, char *err, size_t errlen)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < ef->eh.e_phnum; i++) {
		Elf64_Phdr *ph = &ef->ph[i];
		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz || (ph->p_vaddr - ph->p_offset) % PAGE) {
			snprintf(err, errlen, "%s: malformed PT_LOAD segment", what);
			return -ENOEXEC;
		}
		if (PAGE_DOWN(ph->p_vaddr) < lo)
			lo = PAGE_DOWN(ph->p_vaddr);
		if (PAGE_UP(ph->p_vaddr + ph->p_memsz) > hi)
			hi = PAGE_UP(ph->p_vaddr + ph->p_memsz);
	}
	if (hi <= lo) {
		snprintf(err, errlen, "%s: no loadable segments", what);
		return -ENOEXEC;
	}
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
	size_t align = PAGE;
	for (int i = 0; i < ef->eh.e_phnum; i++)
		if (ef->ph[i].p_type == PT_LOAD && ef->ph[i].p_align > align && ef->ph[i].p_align <= (1UL << 21))
			align = ef->ph[i].p_align;
	void *span = dce_vm_map(hi - lo, align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (span == MAP_FAILED) {
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

int dce_loader_exec(struct dce_process *p, const char *vpath, int fd, char *const argv[],
                    char *const envp[], size_t stack_size, struct dce_image *img, char *err,
                    size_t errlen)
{
	struct elf_file prog, interp;
	int r = read_elf(fd, vpath, &prog, err, errlen);
	if (r)
		return r;
	char interp_path[PATH_MAX] = "";
	for (int i = 0; i < prog.eh.e_phnum; i++) {
		Elf64_Phdr *ph = &prog.ph[i];
		if (ph->p_type == PT_INTERP) {
			if (ph->p_filesz == 0 || ph->p_filesz >= sizeof interp_path ||
			    pread(fd, interp_path, ph->p_filesz, (off_t)ph->p_offset) != (ssize_t)ph->p_filesz ||
			    interp_path[ph->p_filesz - 1] != 0) {
				snprintf(err, errlen, "%s: malformed PT_INTERP", vpath);
				return -ENOEXEC;
			}
		}
	}
	uintptr_t prog_bias, interp_bias = 0;
	r = map_image(p, fd, vpath, &prog, &prog_bias, err, errlen);
	if (r)
		return r;
	uintptr_t entry = prog_bias + prog.eh.e_entry;
	if (interp_path[0]) {
		char ivpath[PATH_MAX];
		int ifd = dce_fs_open_host(p, AT_FDCWD, interp_path, O_RDONLY | O_CLOEXEC, 0, ivpath);
		if (ifd < 0) {
			snprintf(err, errlen, "%s: its ELF interpreter %s cannot be opened: %s", vpath,
			         interp_path, strerror(-ifd));
			return ifd;
		}
		r = read_elf(ifd, interp_path, &interp, err, errlen);
		if (!r)
			r = map_image(p, ifd, interp_path, &interp, &interp_bias, err, errlen);
		close(ifd);
		if (r)
			return r;
		entry = interp_bias + interp.eh.e_entry;
	}

	/* The brk area: reserved, made accessible as the program grows it. */
	void *brk = dce_vm_map(BRK_RESERVE, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (brk == MAP_FAILED) {
		snprintf(err, errlen, "%s: cannot reserve its heap", vpath);
		return -ENOMEM;
	}
	dce_mm_track(p, (uintptr_t)brk, BRK_RESERVE);
	p->brk_base = p->brk_cur = (uintptr_t)brk;
	p->brk_max = (uintptr_t)brk + BRK_RESERVE;

	/* The main thread's stack, with a guard page below it. */
	stack_size = PAGE_UP(stack_size ? stack_size : 8UL << 20);
	char *stk = dce_vm_map(stack_size + PAGE, PAGE, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (stk == MAP_FAILED) {
		snprintf(err, errlen, "%s: cannot allocate a %zu-byte stack", vpath, stack_size);
		return -ENOMEM;
	}
	mprotect(stk, PAGE, PROT_NONE);
	dce_mm_track(p, (uintptr_t)stk, stack_size + PAGE);

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
		{ AT_PHNUM, prog.eh.e_phnum },
		{ AT_PAGESZ, PAGE },
		{ AT_BASE, interp_bias },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, prog_bias + prog.eh.e_entry },
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
	for (int i = 0; i < prog.eh.e_phnum; i++)
		if (prog.ph[i].p_type == PT_PHDR)
			phdr = prog_bias + prog.ph[i].p_vaddr;
	if (!phdr) /* no PT_PHDR: the headers sit in the first segment at e_phoff */
		for (int i = 0; i < prog.eh.e_phnum; i++)
			if (prog.ph[i].p_type == PT_LOAD && prog.ph[i].p_offset == 0)
				phdr = prog_bias + prog.ph[i].p_vaddr + prog.eh.e_phoff;
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
	img->entry = entry;
	img->stack_top = (uintptr_t)w;
	img->brk = p->brk_base;
	return 0;
}

int dce_loader_check(int fd, const char *vpath, char *err, size_t errlen)
{
	struct elf_file ef;
	return read_elf(fd, vpath, &ef, err, errlen);
}
