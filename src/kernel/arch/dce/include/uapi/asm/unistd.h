/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* The asm-generic system call numbers (the ones arm64 and riscv use). The dce host
 * translates from the x86_64 numbers its programs use (see dce-kernel.h). */
#define __ARCH_WANT_SYS_CLONE
#define __ARCH_WANT_SYS_CLONE3
#define __ARCH_WANT_NEW_STAT
#define __ARCH_WANT_SET_GET_RLIMIT
#define __ARCH_WANT_RENAMEAT
#include <asm-generic/unistd.h>
