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

/* CLEAR_AC: the first thing every entry from program code does. A program may set
 * EFLAGS.AC (alignment checking: pushf/popf, or through a signal frame), and the
 * kernel keeps it when it enters a signal handler: dce's own code, which makes
 * misaligned accesses like any C code, would then fault. The program's own flags
 * are in its saved context and come back when it resumes. Clobbers nothing but
 * the flags. */
.macro CLEAR_AC
	pushfq
	andq $~0x40000, (%rsp)
	popfq
.endm

/* FRAME_TO_KSTACK: in a handler entered on the host alternate stack, move the
 * kernel's signal frame (from %rsp up to the stack's top: the return address,
 * ucontext, siginfo and the extended FPU state) to the top of the current fiber's
 * kernel stack, keeping its alignment, and point %rdx (the ucontext) and its
 * fpregs at the copy. The alternate stack is shared by every fiber; the kernel
 * stack is the thread's own while it is in dce. Leaves %rbx = the copy's first
 * byte (where rt_sigreturn's %rsp - 8 must point) and %rsp just below it, 16-byte
 * aligned for a call. Clobbers rax, rcx, rsi, rdi, r12 and the flags. */
.macro FRAME_TO_KSTACK
	movq dce_altstack_top(%rip), %rcx
	subq %rsp, %rcx                 /* bytes in the frame */
	movq dce_kstack_top(%rip), %rdi
	andq $-64, %rdi
	subq %rcx, %rdi                 /* the copy: same offset mod 64 */
	movq %rdi, %rbx
	movq %rdi, %r12
	subq %rsp, %r12                 /* copy - original */
	movq %rsp, %rsi
	cld
	rep movsb
	addq %r12, %rdx
	cmpq $0, 224(%rdx)              /* uc_mcontext.fpregs */
	je 7f
	addq %r12, 224(%rdx)
7:	movq %rbx, %rsp
	andq $-16, %rsp
.endm
#endif
