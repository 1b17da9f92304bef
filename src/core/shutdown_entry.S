/* shutdown_entry.S - the handler of SIGINT, SIGTERM and SIGHUP (shutdown.c).
 *
 * The signal may arrive while a simulated program runs: program FS base and the
 * Syscall User Dispatch selector at BLOCK, so any system call or TLS access (errno)
 * would go wrong. Restore dce's host state first; the handler never returns. */
#include "../libc-ns3/setfs.h"
	.text
	.globl dce_shutdown_entry
	.type dce_shutdown_entry,@function
dce_shutdown_entry:
	CLEAR_AC
	movb $0, dce_sud_selector(%rip)
	movb $0, dce_in_user(%rip)
	movq dce_host_fs(%rip), %rax
	SET_FS_RAX
	jmp dce_shutdown_signal          /* (sig): rsp stays as after a call */
	.size dce_shutdown_entry,.-dce_shutdown_entry
	.section .note.GNU-stack,"",@progbits
