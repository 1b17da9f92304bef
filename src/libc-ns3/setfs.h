/* setfs.h - SET_FS_RAX: load the FS base from %rax, in the trap paths.
 *
 * wrfsbase when the CPU and kernel enable FSGSBASE (~15 ns); otherwise the
 * arch_prctl(ARCH_SET_FS) system call (Firecracker guests, for one, hide
 * FSGSBASE). Every use runs with the Syscall User Dispatch selector at ALLOW,
 * so that system call reaches the host. Clobbers rax and the flags only. */
#ifndef DCE_SETFS_H
#define DCE_SETFS_H
.macro SET_FS_RAX
	cmpb $0, dce_have_fsgsbase(%rip)
	je 8f
	wrfsbase %rax
	jmp 9f
8:	call dce_setfs_syscall
9:
.endm
#endif
