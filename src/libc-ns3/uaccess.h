/* uaccess.h - reading and writing a program's memory without trusting its pointers.
 * Programs share our address space, so a garbage pointer would crash the simulator;
 * these go through process_vm_readv/writev, which fail with EFAULT instead. */
#ifndef DCE_UACCESS_H
#define DCE_UACCESS_H
#include <stddef.h>
#include <stdint.h>

/* 0 or -EFAULT */
int dce_copy_from_user(void *dst, uint64_t src, size_t len);
int dce_copy_to_user(uint64_t dst, const void *src, size_t len);
/* Copy a NUL-terminated path (buf has PATH_MAX bytes): 0, -EFAULT or -ENAMETOOLONG. */
int dce_path_from_user(char *buf, uint64_t src);

#endif
