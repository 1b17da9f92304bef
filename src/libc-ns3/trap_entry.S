/* trap.S - the boundary between simulated programs and the emulated kernel.
 *
 * Programs run with the Syscall User Dispatch selector at BLOCK: each `syscall`
 * they execute raises SIGSYS, which lands in dce_sigsys_entry on the program's
 * stack with the program's FS base. We switch to the host FS base and the current
 * fiber's kernel stack, serve the call in C, then return to the program through
 * rt_sigreturn issued from the exempt range below (the only code that may make a
 * real system call while the selector says BLOCK). */
#include "setfs.h"
	.text
	.globl dce_sigsys_entry
	.type dce_sigsys_entry,@function
dce_sigsys_entry:
	CLEAR_AC
	movb $0, dce_sud_selector(%rip)
	movb $0, dce_in_user(%rip)
	movq dce_host_fs(%rip), %rax
	SET_FS_RAX
	FRAME_TO_KSTACK                 /* rbx: the frame's copy, rdx: its ucontext */
	movq %rdx, %rdi
	call dce_trap
	leaq 8(%rbx), %rsp              /* rsp = &ucontext, as rt_sigreturn wants it */
	jmp dce_return_to_user
	.size dce_sigsys_entry,.-dce_sigsys_entry

/* Synchronous faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP), on the host
 * alternate stack. One in program code goes to the program (its handler, or the
 * default action: killed); one in dce itself is dce_host_fault's. */
	.globl dce_fault_entry
	.type dce_fault_entry,@function
dce_fault_entry:
	CLEAR_AC
	cmpb $0, dce_in_user(%rip)
	je 1f
	movb $0, dce_sud_selector(%rip)
	movb $0, dce_in_user(%rip)
	movq dce_host_fs(%rip), %rax
	SET_FS_RAX
	movl %edi, %r13d                /* sig; FRAME_TO_KSTACK keeps r13 */
	movq %rsi, %r14                 /* info, on the alternate stack */
	FRAME_TO_KSTACK                 /* r12: how far the frame moved */
	movl %r13d, %edi
	leaq (%r14,%r12), %rsi          /* the copied siginfo */
	call dce_user_fault              /* (sig, info, uc): the context to resume */
	movq %rax, %rdi
	jmp dce_enter_user
1:	jmp dce_host_fault
	.size dce_fault_entry,.-dce_fault_entry

/* dce_enter_user(ucontext *uc): start (or restart) user code from a built context. */
	.globl dce_enter_user
	.type dce_enter_user,@function
dce_enter_user:
	movq %rdi, %rsp
	jmp dce_return_to_user
	.size dce_enter_user,.-dce_enter_user

	.type dce_return_to_user,@function
dce_return_to_user:
	movq dce_user_fs(%rip), %rax
	SET_FS_RAX
	movb $1, dce_in_user(%rip)
	movb $1, dce_sud_selector(%rip)
	.globl dce_exempt_start
dce_exempt_start:
	movl $15, %eax                  /* rt_sigreturn */
	syscall
	.globl dce_exempt_end
dce_exempt_end:
	ud2
	.size dce_return_to_user,.-dce_return_to_user

/* The arch_prctl(ARCH_SET_FS, %rax) fallback of SET_FS_RAX (setfs.h): keeps
 * every register but rax, rcx and r11 (which the syscall clobbers anyway). */
	.globl dce_setfs_syscall
	.type dce_setfs_syscall,@function
dce_setfs_syscall:
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %r11
	movq %rax, %rsi
	movl $0x1002, %edi              /* ARCH_SET_FS */
	movl $158, %eax                 /* arch_prctl */
	syscall
	popq %r11
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	ret
	.size dce_setfs_syscall,.-dce_setfs_syscall
	.section .note.GNU-stack,"",@progbits
