/* elf_check.h - is an ELF file safe for dce's loaders to map? (elf_check.c)
 *
 * Every header, offset, size, count and alignment a loader will use is checked
 * against the file's bytes before the loader touches the file, so a hostile or
 * truncated file gives a one-line error instead of a fault in dce (mapping pages
 * past the end of a file raises SIGBUS on the first touch). The checks are pure:
 * they read a buffer holding the whole file and map nothing, so a fuzzer can run
 * them on any input (test/fuzz/loader). */
#ifndef DCE_ELF_CHECK_H
#define DCE_ELF_CHECK_H
#include <elf.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define DCE_ELF_PAGE 4096UL
#define DCE_ELF_MAX_PHNUM 64               /* real programs have about 14 */
#define DCE_ELF_MAX_SPAN (64UL << 30)      /* one image's reservation, at most */
#define DCE_ELF_MIN_ADDR 0x10000UL         /* the host's vm.mmap_min_addr */
#define DCE_ELF_USER_END (1UL << 47)       /* end of x86-64 user space */

struct dce_elf_info {
	Elf64_Ehdr eh;                          /* x86-64, ET_EXEC or ET_DYN */
	Elf64_Phdr ph[DCE_ELF_MAX_PHNUM];       /* eh.e_phnum of them */
	uintptr_t lo, hi;  /* the PT_LOAD segments' pages, at link addresses */
	size_t align;      /* where a PIE may go: a power of two, 4 KiB to 2 MiB */
	char interp[PATH_MAX]; /* PT_INTERP, or "" */
};

/* Checks file[0, size) as a program or library to map, and fills *out. Every PT_LOAD
 * lies inside the file, has p_filesz <= p_memsz, p_offset and p_vaddr congruent
 * modulo the page, an end inside user space; the span is at most DCE_ELF_MAX_SPAN;
 * the entry point is in a segment; PT_INTERP is a NUL-terminated path inside the
 * file. 0, or -ENOEXEC with the reason in err (without the file's name). */
int dce_elf_check(const void *file, size_t size, struct dce_elf_info *out, char *err, size_t errlen);

/* What a self-contained library linked at 0 (the kernel image) needs for dce to
 * relocate it itself, read from its PT_DYNAMIC. */
struct dce_elf_dynamic {
	uint64_t rela, relasz;   /* its Elf64_Rela table, every one checked */
	uint64_t symtab, nsyms;  /* its symbols (nsyms from DT_HASH) */
	uint64_t strtab, strsz;  /* their names */
};

/* Checks, after dce_elf_check, that file is such a library: ET_DYN at 0, readable
 * non-overlapping segments, a DT_NULL-terminated PT_DYNAMIC inside the file, no
 * DT_NEEDED or DT_TEXTREL, tables inside the file part of a segment, and only
 * R_X86_64_RELATIVE (or NONE) relocations of 8 bytes inside writable segments.
 * 0, or -ENOEXEC with the reason in err. */
int dce_elf_check_dynamic(const void *file, size_t size, const struct dce_elf_info *info,
                          struct dce_elf_dynamic *out, char *err, size_t errlen);

/* The bytes of the file behind [vaddr, vaddr + len) at link addresses, if they lie in
 * the file part of one PT_LOAD of a checked file; else NULL. */
const void *dce_elf_file_bytes(const void *file, const struct dce_elf_info *info, uint64_t vaddr,
                               uint64_t len);

#endif
