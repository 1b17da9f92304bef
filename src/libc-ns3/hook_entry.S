/* hook_entry.S - the direct system call entry used by glibc-dce (see hook.h).
 *
 * Called by the patched libc/ld.so, in program context (program FS base,
 * program stack, selector at BLOCK), with the syscall instruction's convention:
 * rax = number, rdi, rsi, rdx, r10, r8, r9; result in rax; every register but
 * rcx and r11 preserved. The caller has stepped over the red zone (128 bytes)
 * and the return address R points at a 2-byte `syscall` instruction that is
 * skipped: we resume at R + 2 with rsp = &R + 8 + 128, exactly the state after
 * that `syscall` would have run (so SA_RESTART's "rip -= 2" re-executes it).
 *
 * The registers and the legacy FPU/SSE area (fxsave) are saved into a
 * ucontext_t at the top of the fiber's kernel stack, where trap.S puts a SIGSYS
 * frame's copy (nothing is written below the program's stack pointer), so that
 * the rest of dce (dce_trap, signal delivery, rt_sigreturn, clone, vfork, fork)
 * sees the same thing as after a trap. When the context is
 * unchanged we return directly; otherwise (a signal handler to run, sigreturn,
 * exec) we leave through dce_enter_user's rt_sigreturn. */
#define UC_GREGS   40
#define G(r)       (UC_GREGS + 8 * (r))
#define R8 0
#define R9 1
#define R10 2
#define R11 3
#define R12 4
#define R13 5
#define R14 6
#define R15 7
#define RDI 8
#define RSI 9
#define RBP 10
#define RBX 11
#define RDX 12
#define RAX 13
#define RCX 14
#define RSP 15
#define RIP 16
#define EFL 17
#define CSGSFS 18
#define UC_FPREGS  224
#define UC_FXAREA  1024          /* fxsave area: 64-byte aligned, after the ucontext */
#define FRAME      (UC_FXAREA + 512 + 64)

#include "setfs.h"
#include "fastcall.h"
	.text
	.globl dce_hook_entry
	.type dce_hook_entry,@function
	.p2align 4
dce_hook_entry:
	movq (%rsp), %rcx
	addq $2, %rcx                   /* where the program resumes */
	FAST_CALL 136                   /* getpid and friends (fastcall.c) */
	movb $0, dce_sud_selector(%rip)
	movb $0, dce_in_user(%rip)
	movq %rsp, %r11                 /* &R; r11 is free (a syscall clobbers it) */
	movq dce_kstack_top(%rip), %rsp
	subq $FRAME, %rsp
	andq $-64, %rsp                 /* rsp = ucontext, on the fiber's kernel stack */
	movq %r8,  G(R8)(%rsp)
	movq %r9,  G(R9)(%rsp)
	movq %r10, G(R10)(%rsp)
	movq %r12, G(R12)(%rsp)
	movq %r13, G(R13)(%rsp)
	movq %r14, G(R14)(%rsp)
	movq %r15, G(R15)(%rsp)
	movq %rdi, G(RDI)(%rsp)
	movq %rsi, G(RSI)(%rsp)
	movq %rbp, G(RBP)(%rsp)
	movq %rbx, G(RBX)(%rsp)
	movq %rdx, G(RDX)(%rsp)
	movq %rax, G(RAX)(%rsp)
	movq (%r11), %rcx
	addq $2, %rcx                   /* resume after the `syscall` at R */
	movq %rcx, G(RIP)(%rsp)
	movq %rcx, G(RCX)(%rsp)         /* as the syscall instruction leaves rcx */
	leaq 136(%r11), %rax
	movq %rax, G(RSP)(%rsp)
	pushfq
	popq %rax
	movq %rax, G(EFL)(%rsp)
	movq %rax, G(R11)(%rsp)         /* and r11 */
	andq $~0x40400, %rax            /* EFLAGS.AC and DF off while dce runs (CLEAR_AC, setfs.h) */
	pushq %rax
	popfq
	movabsq $0x002b000000000033, %rax
	movq %rax, G(CSGSFS)(%rsp)
	leaq UC_FXAREA(%rsp), %rax
	movq %rax, UC_FPREGS(%rsp)
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
	movq %rbx, %rdi                 /* the C code's stack grows below it */
	call dce_hook_trap              /* 0: return directly, else via rt_sigreturn */
	movq %rbx, %rsp
	testl %eax, %eax
	jnz 1f
	movq dce_user_fs(%rip), %rax
	SET_FS_RAX
	fxrstor64 UC_FXAREA(%rsp)
	movq G(R8)(%rsp),  %r8
	movq G(R9)(%rsp),  %r9
	movq G(R10)(%rsp), %r10
	movq G(R12)(%rsp), %r12
	movq G(R13)(%rsp), %r13
	movq G(R14)(%rsp), %r14
	movq G(R15)(%rsp), %r15
	movq G(RDI)(%rsp), %rdi
	movq G(RSI)(%rsp), %rsi
	movq G(RBP)(%rsp), %rbp
	movq G(RBX)(%rsp), %rbx
	movq G(RDX)(%rsp), %rdx
	movq G(RAX)(%rsp), %rax
	movq G(EFL)(%rsp), %r11
	movq G(RIP)(%rsp), %rcx
	movb $1, dce_in_user(%rip)
	movb $1, dce_sud_selector(%rip)
	pushq G(EFL)(%rsp)              /* the program's flags, AC included, as sysret would */
	popfq
	movq G(RSP)(%rsp), %rsp
	jmp *%rcx
1:	movq %rbx, %rdi
	jmp dce_enter_user
	.globl dce_hook_entry_end          /* the watchdog never preempts in here */
dce_hook_entry_end:
	.size dce_hook_entry,.-dce_hook_entry
	.section .note.GNU-stack,"",@progbits
