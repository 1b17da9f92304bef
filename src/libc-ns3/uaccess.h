/* uaccess.h - user memory: what a program may hand to the emulated kernel.
 *
 * Programs share dce's address space, so a pointer they pass could name dce's own
 * memory, another process's image, or nothing at all. As on Linux, user memory is
 * only what the calling process has mapped: its image, stacks, brk area and its
 * own mmaps (dce chooses every one of those addresses, vmspace.c), plus the memory
 * of the fork group it runs in (fork.c). Anything else gives EFAULT. A copy that
 * faults inside the process's own memory (a PROT_NONE gap, a read-only page being
 * written) gives EFAULT too: the fault handler returns to the copy's fix-up point,
 * which is what Linux's exception tables do. */
#ifndef DCE_UACCESS_H
#define DCE_UACCESS_H
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

struct dce_process;
struct dce_thread;

/* How many bytes of [addr, addr+len) lie in p's own memory, counted from addr
 * without a gap: len when all of it does, 0 when addr itself does not. */
size_t dce_user_extent(struct dce_process *p, uint64_t addr, size_t len);
/* Whether [addr, addr+len) is all p's own memory (an empty range always is). */
int dce_user_ok(struct dce_process *p, uint64_t addr, size_t len);

/* For the calling thread's process: 0 or -EFAULT */
int dce_copy_from_user(void *dst, uint64_t src, size_t len);
int dce_copy_to_user(uint64_t dst, const void *src, size_t len);
/* Copy a NUL-terminated path (buf has PATH_MAX bytes): 0, -EFAULT or -ENAMETOOLONG. */
int dce_path_from_user(char *buf, uint64_t src);
/* A string of at most max bytes (with its NUL) into buf: its length, -EFAULT or
 * -E2BIG when it does not fit. */
long dce_string_from_user(char *buf, size_t max, uint64_t src);

/* A program pointer to an object of len bytes that dce then uses in place, or
 * NULL when it is not all the calling process's memory (the caller answers
 * EFAULT). Accesses through it are covered by the system call's fix-up. */
void *dce_user_ptr(uint64_t addr, size_t len);

/* Let the calling thread's copies use buf (dce's own memory) where they expect
 * user memory, until dce_uaccess_allow(t, NULL, 0): for a call that gathers a
 * program's iovecs into one buffer and hands it to code written for user buffers.
 * Only that range is exempt, so user pointers met meanwhile are still checked. */
void dce_uaccess_allow(struct dce_thread *t, const void *buf, size_t len);

/* The system call entry's gate: checks every pointer argument the table of
 * system calls describes (uaccess_table.c) and clamps buffer lengths to the
 * caller's memory. 0 or -EFAULT. */
long dce_user_check_args(struct dce_thread *t, long nr, long args[6]);

/* Fix-up points (trap.c and the copies here); used by the fault handler. */
extern sigjmp_buf *dce_uaccess_fixup;
/* The fault handler's question: does a fault at addr in dce's own code while
 * serving the current thread belong to that program's memory? */
int dce_user_fault_is_efault(uintptr_t addr);

#endif
