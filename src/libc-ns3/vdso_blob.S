/* The vDSO image (built from vdso/vdso.c by the Makefile), embedded in libdce. */
	.section .rodata
	.balign 4096
	.globl dce_vdso_image
dce_vdso_image:
	.incbin DCE_VDSO_PATH
	.globl dce_vdso_image_end
dce_vdso_image_end:
	.section .note.GNU-stack,"",@progbits
