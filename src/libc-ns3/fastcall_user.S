/* fastcall_user.S - program memory touched from fastcall.c, where a fault must
 * not be dce's: each access below that faults resumes at dce_fast_user_fault
 * (dce_fault_entry sends it there, as an exception table would), which returns
 * -1. The code reads no TLS and keeps to general registers. */
	.text
	.globl dce_fast_user_start, dce_fast_user_end

/* long dce_fast_probe(uintptr_t ptr, size_t len, int out): what the entry's check
 * of a buffer argument does (uaccess_table.c, probe): read the first byte of
 * each of the first 16 pages of [ptr, ptr+len) and of its last page, and write
 * it back when out. 0, or -1 when one faulted. len > 0. */
	.globl dce_fast_probe
	.type dce_fast_probe,@function
	.p2align 4
dce_fast_probe:
dce_fast_user_start:
	leaq (%rdi,%rsi), %r8           /* end */
	xorl %ecx, %ecx                 /* pages probed */
1:	cmpq %r8, %rdi
	jae 4f
	cmpl $16, %ecx
	jne 2f
	leaq -1(%r8), %r9               /* then the last page only */
	movq %r9, %r10
	shrq $12, %r10
	movq %rdi, %r11
	shrq $12, %r11
	cmpq %r11, %r10
	jbe 2f
	andq $-4096, %r9
	movq %r9, %rdi
2:	movb (%rdi), %al
	testl %edx, %edx
	je 3f
	movb %al, (%rdi)
3:	incl %ecx
	orq $4095, %rdi
	incq %rdi
	jmp 1b
4:	xorl %eax, %eax
	ret
	.size dce_fast_probe,.-dce_fast_probe

/* long dce_fast_copy(void *dst, const void *src, size_t n): 0, or -1 when a byte
 * faulted (some may have been copied). */
	.globl dce_fast_copy
	.type dce_fast_copy,@function
	.p2align 4
dce_fast_copy:
	movq %rdx, %rcx
	cld
	rep movsb
	xorl %eax, %eax
	ret
	.size dce_fast_copy,.-dce_fast_copy
dce_fast_user_end:

	.globl dce_fast_user_fault
	.type dce_fast_user_fault,@function
dce_fast_user_fault:
	movq $-1, %rax
	ret
	.size dce_fast_user_fault,.-dce_fast_user_fault
	.section .note.GNU-stack,"",@progbits
