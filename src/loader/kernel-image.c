/* kernel-image.c - map, relocate and look up a private copy of a kernel library.
 * The steps follow the order things happen: read the headers, reserve the span,
 * map each segment, relocate, find the symbols. See kernel-image.h. */
#include "kernel-image.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGE_DOWN(x) ((uintptr_t)(x) & ~(PAGE - 1))
#define PAGE_UP(x) (((uintptr_t)(x) + PAGE - 1) & ~(PAGE - 1))
#define MAX_PHDRS 32

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

static int read_headers(int fd, const char *path, Elf64_Ehdr *eh, Elf64_Phdr *ph,
                        char *err, size_t errlen)
{
	if (pread(fd, eh, sizeof *eh, 0) != (ssize_t)sizeof *eh ||
	    memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return fail(err, errlen, -ENOEXEC, "%s: not a 64-bit ELF file", path);
	if (eh->e_type != ET_DYN || eh->e_machine != EM_X86_64)
		return fail(err, errlen, -ENOEXEC, "%s: not an x86_64 shared object", path);
	if (eh->e_phnum == 0 || eh->e_phnum > MAX_PHDRS || eh->e_phentsize != sizeof *ph)
		return fail(err, errlen, -ENOEXEC, "%s: unexpected program headers", path);
	size_t len = eh->e_phnum * sizeof *ph;
	if (pread(fd, ph, len, eh->e_phoff) != (ssize_t)len)
		return fail(err, errlen, -EIO, "%s: short read of program headers", path);
	return 0;
}

static int segment_prot(const Elf64_Phdr *p)
{
	return (p->p_flags & PF_R ? PROT_READ : 0) | (p->p_flags & PF_W ? PROT_WRITE : 0) |
	       (p->p_flags & PF_X ? PROT_EXEC : 0);
}

/* Map one PT_LOAD: file pages (private: shared until written), then zeroed bss. */
static int map_segment(int fd, char *base, const Elf64_Phdr *p, char *err, size_t errlen)
{
	int prot = segment_prot(p);
	uintptr_t start = PAGE_DOWN(p->p_vaddr);
	uintptr_t file_end = p->p_vaddr + p->p_filesz;
	uintptr_t mem_end = p->p_vaddr + p->p_memsz;

	if ((p->p_vaddr - p->p_offset) % PAGE != 0)
		return fail(err, errlen, -ENOEXEC, "segment at %#lx is not page-congruent",
		            (unsigned long)p->p_vaddr);
	if (p->p_filesz) {
		void *m = mmap(base + start, PAGE_UP(file_end) - start, prot,
		               MAP_PRIVATE | MAP_FIXED, fd, PAGE_DOWN(p->p_offset));
		if (m == MAP_FAILED)
			return fail(err, errlen, -errno, "mmap of segment at %#lx: %s",
			            (unsigned long)p->p_vaddr, strerror(errno));
	}
	if (mem_end > file_end) {
		uintptr_t bss_page = PAGE_UP(file_end);
		if ((prot & PROT_WRITE) && bss_page > file_end && p->p_filesz)
			memset(base + file_end, 0, bss_page - file_end);
		if (PAGE_UP(mem_end) > bss_page) {
			void *m = mmap(base + bss_page, PAGE_UP(mem_end) - bss_page, prot,
			               MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
			if (m == MAP_FAILED)
				return fail(err, errlen, -errno, "mmap of bss: %s", strerror(errno));
		}
	}
	return 0;
}

static int writable_at(const Elf64_Phdr *ph, int n, uintptr_t off)
{
	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W) &&
		    off >= ph[i].p_vaddr && off + 8 <= ph[i].p_vaddr + ph[i].p_memsz)
			return 1;
	return 0;
}

/* Apply the relocations and record the symbol table. Only relative relocations
 * are expected: the image imports nothing. */
static int relocate(struct dce_kernel_image *img, const Elf64_Phdr *ph, int n,
                    const char *path, char *err, size_t errlen)
{
	const Elf64_Dyn *dyn = NULL;
	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(img->base + ph[i].p_vaddr);
	if (!dyn)
		return fail(err, errlen, -ENOEXEC, "%s: no dynamic section", path);

	uintptr_t rela = 0, relasz = 0, hash = 0;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_RELA: rela = dyn->d_un.d_ptr; break;
		case DT_RELASZ: relasz = dyn->d_un.d_val; break;
		case DT_SYMTAB: img->symtab = img->base + dyn->d_un.d_ptr; break;
		case DT_STRTAB: img->strtab = img->base + dyn->d_un.d_ptr; break;
		case DT_HASH: hash = dyn->d_un.d_ptr; break;
		case DT_NEEDED:
			return fail(err, errlen, -ENOEXEC, "%s: depends on other libraries", path);
		case DT_TEXTREL:
			return fail(err, errlen, -ENOEXEC, "%s: has text relocations", path);
		}
	}
	if (!img->symtab || !img->strtab || !hash)
		return fail(err, errlen, -ENOEXEC, "%s: no symbol table or DT_HASH", path);
	img->nsyms = ((const uint32_t *)(img->base + hash))[1];

	const Elf64_Rela *r = (const Elf64_Rela *)(img->base + rela);
	for (size_t i = 0; i < relasz / sizeof *r; i++) {
		uint32_t type = ELF64_R_TYPE(r[i].r_info);
		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE)
			return fail(err, errlen, -ENOEXEC, "%s: relocation type %u at %#lx",
			            path, type, (unsigned long)r[i].r_offset);
		if (!writable_at(ph, n, r[i].r_offset))
			return fail(err, errlen, -ENOEXEC, "%s: relocation in read-only %#lx",
			            path, (unsigned long)r[i].r_offset);
		*(uint64_t *)(img->base + r[i].r_offset) = (uint64_t)(img->base + r[i].r_addend);
	}
	return 0;
}

int dce_kernel_image_load(const char *path, struct dce_kernel_image *img,
                          char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHDRS];
	int fd, ret;

	memset(img, 0, sizeof *img);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
	ret = read_headers(fd, path, &eh, ph, err, errlen);
	if (ret)
		goto out;

	uintptr_t span = 0;
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > span)
			span = ph[i].p_vaddr + ph[i].p_memsz;
	img->size = PAGE_UP(span);
	void *base = dce_kernel_image_reserve ? dce_kernel_image_reserve(img->size) :
	             mmap(NULL, img->size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	                  -1, 0);
	if (base == MAP_FAILED) {
		ret = fail(err, errlen, -errno, "%s: cannot reserve %zu bytes", path, img->size);
		goto out;
	}
	img->base = base;

	for (int i = 0; i < eh.e_phnum && !ret; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		ret = map_segment(fd, img->base, &ph[i], err, errlen);
		if (ph[i].p_flags & PF_W)
			img->private_bytes += PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz) -
			                      PAGE_DOWN(ph[i].p_vaddr);
	}
	if (!ret)
		ret = relocate(img, ph, eh.e_phnum, path, err, errlen);
	if (ret)
		dce_kernel_image_unload(img);
out:
	close(fd);
	return ret;
}

void *(*dce_kernel_image_reserve)(size_t size);

void *dce_kernel_image_symbol(const struct dce_kernel_image *img, const char *name)
{
	const Elf64_Sym *sym = img->symtab;
	for (size_t i = 1; i < img->nsyms; i++)
		if (sym[i].st_shndx != SHN_UNDEF && sym[i].st_value &&
		    strcmp(img->strtab + sym[i].st_name, name) == 0)
			return img->base + sym[i].st_value;
	return NULL;
}

void dce_kernel_image_unload(struct dce_kernel_image *img)
{
	if (img->base)
		munmap(img->base, img->size);
	memset(img, 0, sizeof *img);
}
