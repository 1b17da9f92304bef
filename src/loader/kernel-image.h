/* kernel-image.h - private copies of a kernel library (liblinux-6.1.so) in one process.
 *
 * glibc's dlopen returns the same handle for the same file, but every simulated node
 * needs its own kernel globals. The kernel image is self-contained (no imports, every
 * relocation R_X86_64_RELATIVE, see docs/kernel.md), so loading a copy is: map its
 * PT_LOAD segments at a fresh base, apply the relative relocations, look up the
 * exported dce_kernel_* symbols. Read-only segments are mapped from the file, so
 * every copy shares the text through the page cache; writable ones become private. */
#ifndef DCE_KERNEL_IMAGE_H
#define DCE_KERNEL_IMAGE_H
#include <stddef.h>

struct dce_kernel_image {
	char *base;          /* where the copy starts (the image is linked at 0) */
	size_t size;         /* bytes reserved from base */
	const void *symtab;  /* its .dynsym */
	const char *strtab;  /* its .dynstr */
	size_t strsz;        /* bytes in strtab */
	size_t nsyms;
	size_t private_bytes; /* writable segments (data + bss): the cost of one copy */
};

/* Where copies go: a host that places memory itself (dce's vmspace, for
 * deterministic addresses) sets this to reserve size bytes of PROT_NONE address
 * space; NULL (the default) lets the host kernel choose. */
extern void *(*dce_kernel_image_reserve)(size_t size);

/* Map a new copy of the image at path. Returns 0, or -errno with a message in err. */
int dce_kernel_image_load(const char *path, struct dce_kernel_image *img,
                          char *err, size_t errlen);
/* The address of an exported symbol in this copy, or NULL. */
void *dce_kernel_image_symbol(const struct dce_kernel_image *img, const char *name);
/* Unmap the copy; nothing may run in it any more. */
void dce_kernel_image_unload(struct dce_kernel_image *img);

#endif
