/* vmspace.h - deterministic placement of programs' memory (vmspace.c). */
#ifndef DCE_VMSPACE_H
#define DCE_VMSPACE_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* mmap at an address chosen by dce (aligned to align, at least a page); the same
 * sequence of calls gives the same addresses. MAP_FAILED with errno on failure. */
void *dce_vm_map(size_t len, size_t align, int prot, int flags, int fd, off_t off);
/* Address space only, nothing mapped (0 if none is left): dce hands no part of it
 * out until it is released; the host never maps below dce_vm_limit by itself. */
uintptr_t dce_vm_reserve(size_t len, size_t align);
/* Take [start, start+len) out of what dce hands out, for memory dce places itself
 * (rewrite.c's trampolines): 0 when it was free and is now dce's, -1 when any of it
 * is in use or reserved, 1 when the range is not programs' memory at all. */
int dce_vm_claim(uintptr_t start, size_t len);
/* [start, start+len) is no longer mapped: it may be handed out again. */
void dce_vm_release(uintptr_t start, size_t len);
/* Programs' memory lies below this address; dce's and the host's above it. */
uintptr_t dce_vm_limit(void);

#endif
