/* watchdog_entry.S - the host CPU watchdog's signal handler (see watchdog.c).
 *
 * It runs on the host alternate stack. In dce or ns-3 code it does nothing. In
 * simulated code (program FS base, selector at BLOCK) it does what the SIGSYS
 * entry does, switching to the host FS base and the fiber's kernel stack, asks
 * dce_watchdog_tick what to resume and resumes it through rt_sigreturn. */
	.text
	.globl dce_watchdog_entry
	.type dce_watchdog_entry,@function
dce_watchdog_entry:
	cmpb $0, dce_in_user(%rip)
	je 1f
	movb $0, dce_sud_selector(%rip)
	movb $0, dce_in_user(%rip)
	movq dce_host_fs(%rip), %rax
	wrfsbase %rax
	movq dce_kstack_top(%rip), %rsp
	movq %rdx, %rdi                 /* ucontext */
	call dce_watchdog_tick
	movq %rax, %rdi
	jmp dce_enter_user
1:	ret
	.size dce_watchdog_entry,.-dce_watchdog_entry
	.section .note.GNU-stack,"",@progbits
