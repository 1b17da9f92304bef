/* dce_fiber_switch(from=%rdi, to=%rsi): save callee-saved registers, MXCSR and the
 * x87 control word on the current stack, store rsp in from->sp, load to->sp, restore. */
	.text
	.globl dce_fiber_switch
	.type dce_fiber_switch,@function
dce_fiber_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size dce_fiber_switch,.-dce_fiber_switch

/* First switch-in of a new fiber lands here with r12 = fiber. */
	.globl dce_fiber_trampoline
	.type dce_fiber_trampoline,@function
dce_fiber_trampoline:
	movq %r12, %rdi
	andq $-16, %rsp                 /* the ABI: 16-byte aligned before a call */
	call dce_fiber_start
	ud2
	.size dce_fiber_trampoline,.-dce_fiber_trampoline
	.section .note.GNU-stack,"",@progbits
