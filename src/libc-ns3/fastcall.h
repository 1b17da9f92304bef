/* fastcall.h - calls served in program context (fastcall.c), and FAST_CALL, the
 * check at the top of the rewritten-site and glibc-dce entries. */
#ifndef DCE_FASTCALL_H
#define DCE_FASTCALL_H
#define DCE_FAST_NR 512            /* system call numbers FAST_CALL looks up */

#ifndef __ASSEMBLER__
/* The program's registers as FAST_CALL saves them (lowest address first). */
struct dce_fast_regs {
	long flags, r10, r9, r8, rdx, rsi, rdi, rax, rcx, rsp;
};
#endif

#ifdef __ASSEMBLER__
/* FAST_CALL sp_off: with the `syscall` convention (rax = number, rdi...r9
 * arguments) and rcx = where the program resumes, serve the call with
 * dce_fastcall when it can: resume the program at rcx with rsp + sp_off, rax =
 * the result, r11 = the flags, rcx = rip and every other register kept, as after
 * a `syscall`. Otherwise fall through with every register but r11 as on entry
 * (and dce_in_user cleared, which the full entry does first anyway). Runs on the
 * fiber's kernel stack, program FS base kept, selector untouched: dce_fastcall
 * makes no system call. Clears EFLAGS AC, DF and TF for the C code (CLEAR_AC). */
.macro FAST_CALL sp_off
	cmpq $DCE_FAST_NR, %rax
	jae 6f                          /* unsigned: negative numbers too */
	leaq dce_fast_nr(%rip), %r11
	cmpb $0, (%r11,%rax)
	je 6f
	movb $0, dce_in_user(%rip)      /* the watchdog and faults: dce's context */
	movq %rsp, %r11
	movq dce_kstack_top(%rip), %rsp
	andq $-16, %rsp
	pushq %r11                      /* 72: rsp at entry */
	pushq %rcx                      /* 64: resume */
	pushq %rax                      /* 56 */
	pushq %rdi                      /* 48 */
	pushq %rsi                      /* 40 */
	pushq %rdx                      /* 32 */
	pushq %r8                       /* 24 */
	pushq %r9                       /* 16 */
	pushq %r10                      /* 8 */
	pushfq                          /* 0: the program's flags; rsp 16-aligned */
	pushfq
	andq $~0x40500, (%rsp)
	popfq
	movq %rax, %rdi                 /* dce_fastcall(nr, the block above) */
	movq %rsp, %rsi
	call dce_fastcall               /* rax = value, rdx = served */
	testq %rdx, %rdx
	jz 5f
	movq 8(%rsp), %r10
	movq 16(%rsp), %r9
	movq 24(%rsp), %r8
	movq 32(%rsp), %rdx
	movq 40(%rsp), %rsi
	movq 48(%rsp), %rdi
	movq 64(%rsp), %rcx
	movq (%rsp), %r11               /* as `syscall` leaves r11 */
	movb $1, dce_in_user(%rip)
	popfq                           /* the program's flags; nothing below changes them */
	movq 64(%rsp), %rsp
	leaq \sp_off(%rsp), %rsp
	jmp *%rcx
5:	popfq
	popq %r10
	popq %r9
	popq %r8
	popq %rdx
	popq %rsi
	popq %rdi
	popq %rax
	popq %rcx
	popq %rsp
6:
.endm
#endif
#endif
