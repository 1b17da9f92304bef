/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_ELF_H
#define _ASM_DCE_ELF_H
/* The kernel loads no ELF programs (dce's own loader does); these describe the
 * host so core-dump and auxv code has sane values. */
#include <asm/ptrace.h>

#define ELF_CLASS	ELFCLASS64
#define ELF_DATA	ELFDATA2LSB
#define ELF_ARCH	EM_X86_64
#define elf_check_arch(x) ((x)->e_machine == EM_X86_64)

typedef unsigned long elf_greg_t;
#define ELF_NGREG (sizeof(struct user_regs_struct) / sizeof(elf_greg_t))
typedef elf_greg_t elf_gregset_t[ELF_NGREG];
typedef struct { unsigned long regs[32]; } elf_fpregset_t;

#define ELF_EXEC_PAGESIZE	4096
#define ELF_HWCAP		(0)
#define ELF_PLATFORM		(NULL)
#define ELF_ET_DYN_BASE		(0)
#define CORE_DUMP_USE_REGSET	0
#endif
