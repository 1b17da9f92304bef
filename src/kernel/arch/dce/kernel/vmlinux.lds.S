/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel as a shared object linked at 0: text (with init text) first, then
 * read-only data, then everything writable. The dynamic sections a loader reads
 * get explicit places so nothing is orphaned. */
#include <asm/page.h>
#include <asm/thread_info.h>
#include <asm/cache.h>
#include <asm-generic/vmlinux.lds.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)

jiffies = jiffies_64;

SECTIONS
{
	. = SIZEOF_HEADERS;
	.hash		: { *(.hash) }
	.gnu.hash	: { *(.gnu.hash) }
	.dynsym		: { *(.dynsym) }
	.dynstr		: { *(.dynstr) }
	.gnu.version	: { *(.gnu.version) }
	.gnu.version_d	: { *(.gnu.version_d) }
	.gnu.version_r	: { *(.gnu.version_r) }
	.rela.dyn	: { *(.rela.*) }

	. = ALIGN(PAGE_SIZE);
	_text = .;
	_stext = .;
	.text : {
		TEXT_TEXT
		SCHED_TEXT
#ifdef CPUIDLE_TEXT /* 6.1; 6.12 has .cpuidle.text inside TEXT_TEXT (NOINSTR_TEXT) */
		CPUIDLE_TEXT
#endif
		LOCK_TEXT
		KPROBES_TEXT
		ENTRY_TEXT
		IRQENTRY_TEXT
		SOFTIRQENTRY_TEXT
		*(.fixup)
		*(.gnu.warning)
		*(.plt) *(.plt.*)
	}
	INIT_TEXT_SECTION(PAGE_SIZE)
	_etext = .;

	. = ALIGN(PAGE_SIZE);
	EXCEPTION_TABLE(16)
	RO_DATA(PAGE_SIZE)

	. = ALIGN(PAGE_SIZE);
	_sdata = .;
	RW_DATA(L1_CACHE_BYTES, PAGE_SIZE, THREAD_SIZE)
	.dynamic	: { *(.dynamic) }
	.got		: { *(.got) *(.got.plt) *(.igot.plt) }
	.data.rel.ro	: { *(.data.rel.ro .data.rel.ro.*) }
	_edata = .;

	__init_begin = .;
	INIT_DATA_SECTION(16)
	PERCPU_SECTION(L1_CACHE_BYTES)
	. = ALIGN(PAGE_SIZE);
	__init_end = .;

	BSS_SECTION(0, 0, 0)
	. = ALIGN(PAGE_SIZE);
	_end = .;

	STABS_DEBUG
	DWARF_DEBUG
	ELF_DETAILS

	DISCARDS
}
