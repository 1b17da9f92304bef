/* watchdog_entry.S - the host CPU watchdog's signal handler (see watchdog.c).
 *
 * It runs on the host alternate stack. Unless it interrupted simulated code, it
 * returns at once, through rt_sigreturn from the exempt range: the interrupted
 * code may be dce's own entry or exit path, where the selector may say BLOCK and
 * the kernel stack may hold the context about to be restored, so it touches
 * neither. In simulated code (program FS base, selector at BLOCK) it does what the
 * SIGSYS entry does, switching to the host FS base and the fiber's kernel stack,
 * asks dce_watchdog_tick what to resume and resumes it. */
#include "setfs.h"                 /* SET_FS_RAX uses the local labels 8 and 9 */
#define UC_RIP (40 + 8 * 16)             /* uc_mcontext.gregs[REG_RIP] */
	.text
	.globl dce_watchdog_entry
	.type dce_watchdog_entry,@function
dce_watchdog_entry:
	CLEAR_AC
	cmpb $0, dce_in_user(%rip)
	je 3f
	movq UC_RIP(%rdx), %rax
	leaq dce_sigsys_entry(%rip), %rcx  /* trap_entry.S: dce_sigsys_entry .. dce_exempt_end */
	cmpq %rcx, %rax
	jb 1f
	leaq dce_exempt_end+2(%rip), %rcx
	cmpq %rcx, %rax
	jb 3f
1:	leaq dce_hook_entry(%rip), %rcx
	cmpq %rcx, %rax
	jb 2f
	leaq dce_hook_entry_end(%rip), %rcx
	cmpq %rcx, %rax
	jb 3f
2:	movb $0, dce_sud_selector(%rip)
	movb $0, dce_in_user(%rip)
	movq dce_host_fs(%rip), %rax
	SET_FS_RAX
	FRAME_TO_KSTACK                 /* rdx: the ucontext's copy */
	movq %rdx, %rdi
	call dce_watchdog_tick
	movq %rax, %rdi
	jmp dce_enter_user
3:	movq %rdx, %rsp                 /* back to the interrupted code, nothing changed */
	jmp dce_exempt_start
	.size dce_watchdog_entry,.-dce_watchdog_entry
	.section .note.GNU-stack,"",@progbits
