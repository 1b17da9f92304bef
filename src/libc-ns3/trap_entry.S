/* trap.S - the boundary between simulated programs and the emulated kernel.
 *
 * Programs run with the Syscall User Dispatch selector at BLOCK: each `syscall`
 * they execute raises SIGSYS, which lands in dce_sigsys_entry on the program's
 * stack with the program's FS base. We switch to the host FS base and the current
 * fiber's kernel stack, serve the call in C, then return to the program through
 * rt_sigreturn issued from the exempt range below (the only code that may make a
 * real system call while the selector says BLOCK). */
#include "setfs.h"
#include "fastcall.h"
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
	call dce_trap_sigsys            /* may rewrite the site (rewrite.c) */
	leaq 8(%rbx), %rsp              /* rsp = &ucontext, as rt_sigreturn wants it */
	jmp dce_return_to_user
	.size dce_sigsys_entry,.-dce_sigsys_entry

/* dce_rewrite_entry - where rewritten `syscall` sites go (rewrite.c).
 *
 * A site's trampoline (program code) jumps here with the `syscall`
 * instruction's convention: rax = number, rdi, rsi, rdx, r10, r8, r9, and
 * rcx = the address to resume at, which is what `syscall` itself leaves in rcx;
 * r11 is free (syscall leaves the flags there). Nothing was pushed: the program's
 * stack, red zone included, is untouched, and rsp is the program's. The
 * registers and the legacy FPU/SSE state are saved into a ucontext_t at the top
 * of the fiber's kernel stack, exactly where a SIGSYS frame's copy goes (see
 * hook_entry.S, whose layout this shares), and dce_hook_trap serves the call as
 * a trap would. This code sits between dce_sigsys_entry and the exempt
 * instruction: the watchdog never preempts in here (watchdog_entry.S). Any
 * program may jump here with any registers (it is one address space): nothing
 * is read from program memory, and EFLAGS AC, DF and TF are cleared before C
 * runs, as the kernel clears them for a signal handler. */
#define RW_GREGS   40
#define RW_G(r)    (RW_GREGS + 8 * (r))
#define RW_FXAREA  1024
#define RW_FRAME   (RW_FXAREA + 512 + 64)
	.globl dce_rewrite_entry
	.type dce_rewrite_entry,@function
	.p2align 4
dce_rewrite_entry:
	FAST_CALL 0                     /* getpid and friends (fastcall.c) */
	movb $0, dce_sud_selector(%rip)
	movb $0, dce_in_user(%rip)
	movq %rsp, %r11                 /* the program's rsp */
	movq dce_kstack_top(%rip), %rsp
	subq $RW_FRAME, %rsp
	andq $-64, %rsp                 /* rsp = ucontext, on the fiber's kernel stack */
	movq %r8,  RW_G(0)(%rsp)
	movq %r9,  RW_G(1)(%rsp)
	movq %r10, RW_G(2)(%rsp)
	movq %r12, RW_G(4)(%rsp)
	movq %r13, RW_G(5)(%rsp)
	movq %r14, RW_G(6)(%rsp)
	movq %r15, RW_G(7)(%rsp)
	movq %rdi, RW_G(8)(%rsp)
	movq %rsi, RW_G(9)(%rsp)
	movq %rbp, RW_G(10)(%rsp)
	movq %rbx, RW_G(11)(%rsp)
	movq %rdx, RW_G(12)(%rsp)
	movq %rax, RW_G(13)(%rsp)
	movq %rcx, RW_G(14)(%rsp)       /* rcx as `syscall` leaves it */
	movq %r11, RW_G(15)(%rsp)       /* rsp */
	movq %rcx, RW_G(16)(%rsp)       /* rip */
	pushfq
	popq %rax
	movq %rax, RW_G(17)(%rsp)       /* eflags */
	movq %rax, RW_G(3)(%rsp)        /* r11 as `syscall` leaves it */
	andq $~0x40500, %rax            /* AC, DF, TF off while dce runs */
	pushq %rax
	popfq
	movabsq $0x002b000000000033, %rax
	movq %rax, RW_G(18)(%rsp)       /* csgsfs */
	leaq RW_FXAREA(%rsp), %rax
	movq %rax, 224(%rsp)            /* uc_mcontext.fpregs */
	xorl %edx, %edx                 /* fxsave leaves bytes 464..511 alone: no xstate magic */
	movq %rdx, 464(%rax)
	movq %rdx, 472(%rax)
	movq %rdx, 480(%rax)
	movq %rdx, 488(%rax)
	movq %rdx, 496(%rax)
	movq %rdx, 504(%rax)
	fxsave64 (%rax)
	movq dce_host_fs(%rip), %rax
	SET_FS_RAX
	movq %rsp, %rbx                 /* ucontext; rbx is callee-saved in C */
	movq %rbx, %rdi
	call dce_hook_trap              /* 0: return directly, else via rt_sigreturn */
	movq %rbx, %rsp
	testl %eax, %eax
	jnz 1f
	movq dce_user_fs(%rip), %rax
	SET_FS_RAX
	fxrstor64 RW_FXAREA(%rsp)
	movq RW_G(0)(%rsp),  %r8
	movq RW_G(1)(%rsp),  %r9
	movq RW_G(2)(%rsp),  %r10
	movq RW_G(4)(%rsp),  %r12
	movq RW_G(5)(%rsp),  %r13
	movq RW_G(6)(%rsp),  %r14
	movq RW_G(7)(%rsp),  %r15
	movq RW_G(8)(%rsp),  %rdi
	movq RW_G(9)(%rsp),  %rsi
	movq RW_G(10)(%rsp), %rbp
	movq RW_G(11)(%rsp), %rbx
	movq RW_G(12)(%rsp), %rdx
	movq RW_G(13)(%rsp), %rax
	movq RW_G(17)(%rsp), %r11       /* as after `syscall`: r11 = flags, rcx = rip */
	movq RW_G(16)(%rsp), %rcx
	movb $1, dce_in_user(%rip)
	movb $1, dce_sud_selector(%rip)
	pushq RW_G(17)(%rsp)            /* the program's flags, as sysret restores them */
	popfq
	movq RW_G(15)(%rsp), %rsp
	jmp *%rcx
1:	movq %rbx, %rdi
	jmp dce_enter_user
	.size dce_rewrite_entry,.-dce_rewrite_entry

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
	/* fastcall.c touching program memory (fastcall_user.S), still with the
	 * program's FS base: resume at its fault return, as an exception table does,
	 * through the exempt rt_sigreturn (rsp: just above the return address) */
1:	movq 168(%rdx), %rax            /* uc_mcontext.gregs[REG_RIP] */
	leaq dce_fast_user_start(%rip), %rcx
	cmpq %rcx, %rax
	jb 2f
	leaq dce_fast_user_end(%rip), %rcx
	cmpq %rcx, %rax
	jae 2f
	leaq dce_fast_user_fault(%rip), %rax
	movq %rax, 168(%rdx)
	addq $8, %rsp
	jmp dce_exempt_start
2:	jmp dce_host_fault
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
