/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_PGTABLE_H
#define _ASM_DCE_PGTABLE_H
/* No MMU: page tables exist only as types the generic code names. */
#include <asm-generic/pgtable-nopud.h>
#include <asm/page.h>

#define pgd_present(pgd)	(1)
#define pgd_none(pgd)		(0)
#define pgd_bad(pgd)		(0)
#define pgd_clear(pgdp)
#define pmd_offset(a, b)	((void *)0)

#define PAGE_NONE		__pgprot(0)
#define PAGE_SHARED		__pgprot(0)
#define PAGE_COPY		__pgprot(0)
#define PAGE_READONLY		__pgprot(0)
#define PAGE_KERNEL		__pgprot(0)
#define PAGE_KERNEL_EXEC	__pgprot(0)

#define swapper_pg_dir		((pgd_t *)0)
#define pgprot_noncached(prot)	(prot)
#define pgprot_writecombine(prot) (prot)

extern void *empty_zero_page;
#define ZERO_PAGE(vaddr)	(virt_to_page(empty_zero_page))

#define VMALLOC_START		0UL
#define VMALLOC_END		0xffffffffffffffffUL
#define KMAP_START		0UL
#define KMAP_END		0xffffffffffffffffUL

#define arch_enter_lazy_cpu_mode()	do {} while (0)
#define kern_addr_valid(addr)		(1)

static inline int pte_file(pte_t pte) { return 0; }
#endif
