/* hook.h - glibc-dce's direct system call hook (issue 7, docs/glibc.md).
 *
 * A libc or ld.so built from src/glibc/dce-syscall-hook.patch reads a hidden
 * slot before each `syscall` instruction; early in its start-up it offers the
 * slot's address with system call DCE_SYS_HOOK_REGISTER. dce stores
 * dce_hook_entry there, so the library's system calls reach dce_syscall() by a
 * plain call instead of a Syscall User Dispatch trap. */
#ifndef DCE_HOOK_H
#define DCE_HOOK_H
#include <stdint.h>
#include <stddef.h>

#define DCE_SYS_HOOK_REGISTER 0xdce
#define DCE_HOOK_MAGIC 0x6b6f6f48656364UL /* "dceHook" */

struct dce_thread;

/* From dce_trap_init: reads DCE_LIBC, DCE_GLIBC_DIR and DCE_HOOK; 0 or -1 (err set). */
int dce_hook_init(char *err, size_t errlen);
/* The registration call: stores the entry point at slotp when hooks are on. */
long dce_hook_register(struct dce_thread *t, uint64_t slotp, uint64_t magic, uint64_t which);
/* The libc programs get: 1 = glibc-dce, 0 = the system's. */
int dce_hook_libc_is_dce(void);
/* The directory of the glibc-dce build in use ("" when stock). */
const char *dce_hook_glibc_dir(void);
/* With glibc-dce in use: when norm (a normalised host path) names one of the
 * system glibc's shared objects, write the glibc-dce copy's path to out, return 1. */
int dce_hook_redirect(const char *norm, char *out, size_t outlen);

#endif
