/* fixed_image.h - non-PIE executables shared by several processes (fixed_image.c). */
#ifndef DCE_FIXED_IMAGE_H
#define DCE_FIXED_IMAGE_H
#include <elf.h>
#include "../core/kernel.h"

/* Map (or join) the image of an ET_EXEC program spanning [lo, hi) for p, with p's
 * own copy of its writable segments. 0 or -errno (err explains). */
int dce_fixed_image_attach(struct dce_process *p, int fd, const Elf64_Ehdr *eh, const Elf64_Phdr *ph,
                           uintptr_t lo, uintptr_t hi, char *err, size_t errlen);
/* A forked child gets a copy of its parent's writable segments. */
int dce_fixed_image_fork(struct dce_process *parent, struct dce_process *child);
/* Before p's threads run: map p's writable segments at the fixed addresses. */
void dce_fixed_image_activate(struct dce_process *p);
/* At exit or exec: drop p's share; the image goes with its last user. */
void dce_fixed_image_release(struct dce_process *p);
/* Whether [start, start+len) touches a fixed image (its protections are dce's). */
int dce_fixed_image_contains(uintptr_t start, size_t len);
/* The end of p's fixed image when it holds addr, else 0 (user memory, uaccess.c). */
uintptr_t dce_fixed_image_owned_end(struct dce_process *p, uintptr_t addr);

#endif
