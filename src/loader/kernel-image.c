/* kernel-image.c - map, relocate and look up a private copy of a kernel library.
 * The steps follow the order things happen: read the headers, reserve the span,
 * map each segment, relocate, find the symbols. See kernel-image.h. Every number
 * taken from the file is checked first (elf_check.c). */
#include "kernel-image.h"
#include "elf_check.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGE_DOWN(x) ((uintptr_t)(x) & ~(PAGE - 1))
#define PAGE_UP(x) (((uintptr_t)(x) + PAGE - 1) & ~(PAGE - 1))

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

/* The file's bytes through a read-only view, for the checks and the relocations;
 * only bytes inside the file are read, so a truncated file cannot fault. */
static int check_file(int fd, const char *path, const void **view, size_t *size,
                      struct dce_elf_info *info, struct dce_elf_dynamic *dyn, char *err, size_t errlen)
{
	char why[400];
	struct stat st;
	if (fstat(fd, &st))
		return fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size == 0)
		return fail(err, errlen, -ENOEXEC, "%s: not an ELF shared object (%s)", path,
		            S_ISREG(st.st_mode) ? "empty file" : "not a regular file");
	*size = (size_t)st.st_size;
	*view = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (*view == MAP_FAILED)
		return fail(err, errlen, -errno, "%s: cannot read: %s", path, strerror(errno));
	int r = dce_elf_check(*view, *size, info, why, sizeof why);
	if (!r)
		r = dce_elf_check_dynamic(*view, *size, info, dyn, why, sizeof why);
	if (r) {
		munmap((void *)*view, *size);
		return fail(err, errlen, r, "%s: %s", path, why);
	}
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

/* Apply the relocations, read from the file (every one checked by elf_check.c:
 * R_X86_64_RELATIVE into a writable segment). The image imports nothing. */
static void relocate(struct dce_kernel_image *img, const void *file, const struct dce_elf_info *info,
                     const struct dce_elf_dynamic *dyn)
{
	const unsigned char *t = dyn->relasz ? dce_elf_file_bytes(file, info, dyn->rela, dyn->relasz) : NULL;
	for (size_t i = 0; t && i < dyn->relasz / sizeof(Elf64_Rela); i++) {
		Elf64_Rela r;
		memcpy(&r, t + i * sizeof r, sizeof r);
		if (ELF64_R_TYPE(r.r_info) == R_X86_64_RELATIVE)
			*(uint64_t *)(img->base + r.r_offset) = (uint64_t)(uintptr_t)img->base + (uint64_t)r.r_addend;
	}
	img->symtab = img->base + dyn->symtab;
	img->nsyms = dyn->nsyms;
	img->strtab = img->base + dyn->strtab;
	img->strsz = dyn->strsz;
}

int dce_kernel_image_load(const char *path, struct dce_kernel_image *img,
                          char *err, size_t errlen)
{
	struct dce_elf_info *info = malloc(sizeof *info);
	struct dce_elf_dynamic dyn;
	const void *view = NULL;
	size_t size = 0;
	int fd, ret;

	memset(img, 0, sizeof *img);
	if (!info)
		return fail(err, errlen, -ENOMEM, "%s: out of memory", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
		free(info);
		return ret;
	}
	ret = check_file(fd, path, &view, &size, info, &dyn, err, errlen);
	if (ret)
		goto out;

	img->size = info->hi; /* linked at 0 */
	void *base = dce_kernel_image_reserve ? dce_kernel_image_reserve(img->size) :
	             mmap(NULL, img->size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	                  -1, 0);
	if (base == MAP_FAILED) {
		ret = fail(err, errlen, -errno, "%s: cannot reserve %zu bytes", path, img->size);
		goto out;
	}
	img->base = base;

	for (int i = 0; i < info->eh.e_phnum && !ret; i++) {
		const Elf64_Phdr *ph = &info->ph[i];
		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		ret = map_segment(fd, img->base, ph, err, errlen);
		if (ph->p_flags & PF_W)
			img->private_bytes += PAGE_UP(ph->p_vaddr + ph->p_memsz) - PAGE_DOWN(ph->p_vaddr);
	}
	if (!ret)
		relocate(img, view, info, &dyn);
	else
		dce_kernel_image_unload(img);
out:
	if (view)
		munmap((void *)view, size);
	free(info);
	close(fd);
	return ret;
}

void *(*dce_kernel_image_reserve)(size_t size);

void *dce_kernel_image_symbol(const struct dce_kernel_image *img, const char *name)
{
	const Elf64_Sym *sym = img->symtab;
	size_t len = strlen(name);
	for (size_t i = 1; i < img->nsyms; i++) /* names bounded by the string table */
		if (sym[i].st_shndx != SHN_UNDEF && sym[i].st_value && sym[i].st_name < img->strsz &&
		    img->strsz - sym[i].st_name > len &&
		    memcmp(img->strtab + sym[i].st_name, name, len + 1) == 0 && sym[i].st_value < img->size)
			return img->base + sym[i].st_value;
	return NULL;
}

void dce_kernel_image_unload(struct dce_kernel_image *img)
{
	if (img->base)
		munmap(img->base, img->size);
	memset(img, 0, sizeof *img);
}
