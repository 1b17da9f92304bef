/* fuzz_elf.c - libFuzzer harness over the loaders' ELF checks (src/loader/elf_check.c).
 *
 * The input is a whole file. Whatever it holds, the checks must neither read outside
 * it (AddressSanitizer sees every byte past the input) nor accept a file that breaks
 * what the loaders then rely on: the asserts below restate those promises, so a
 * check that lets a bad file through is a crash here too. Run by test/loader/run.sh. */
#include "../../src/loader/elf_check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROMISE(c) ((c) ? (void)0 : (fprintf(stderr, "broken promise: %s\n", #c), abort()))

static struct dce_elf_info info;

static void loader_promises(size_t size)
{
	const Elf64_Ehdr *eh = &info.eh;
	PROMISE(eh->e_machine == EM_X86_64 && (eh->e_type == ET_EXEC || eh->e_type == ET_DYN));
	PROMISE(eh->e_phnum >= 1 && eh->e_phnum <= DCE_ELF_MAX_PHNUM);
	PROMISE(info.lo < info.hi && info.hi - info.lo <= DCE_ELF_MAX_SPAN && info.hi <= DCE_ELF_USER_END);
	PROMISE(info.lo % DCE_ELF_PAGE == 0 && info.hi % DCE_ELF_PAGE == 0);
	PROMISE(info.align >= DCE_ELF_PAGE && !(info.align & (info.align - 1)));
	PROMISE(eh->e_type == ET_DYN || info.lo >= DCE_ELF_MIN_ADDR);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &info.ph[i];
		if (ph->p_type != PT_LOAD)
			continue;
		PROMISE(ph->p_offset <= size && ph->p_filesz <= size - ph->p_offset);
		PROMISE(ph->p_filesz <= ph->p_memsz);
		PROMISE(ph->p_offset % DCE_ELF_PAGE == ph->p_vaddr % DCE_ELF_PAGE);
		/* the last page the loader maps from the file holds at least one file byte */
		if (ph->p_filesz)
			PROMISE((ph->p_offset + ph->p_filesz - 1) / DCE_ELF_PAGE * DCE_ELF_PAGE < size);
		if (ph->p_memsz)
			PROMISE(ph->p_vaddr >= info.lo && ph->p_vaddr + ph->p_memsz <= info.hi);
	}
	size_t n = strnlen(info.interp, sizeof info.interp);
	PROMISE(n < sizeof info.interp);
}

static void library_promises(const unsigned char *data, size_t size, const struct dce_elf_dynamic *d)
{
	(void)size;
	PROMISE(info.eh.e_type == ET_DYN && info.lo == 0);
	const unsigned char *sym = dce_elf_file_bytes(data, &info, d->symtab, d->nsyms * sizeof(Elf64_Sym));
	const unsigned char *str = dce_elf_file_bytes(data, &info, d->strtab, d->strsz);
	PROMISE(sym && str);
	volatile unsigned sum = 0; /* touch every byte the image's users may read */
	for (uint64_t i = 0; i < d->nsyms * sizeof(Elf64_Sym); i++)
		sum += sym[i];
	for (uint64_t i = 0; i < d->strsz; i++)
		sum += str[i];
	const unsigned char *rela = d->relasz ? dce_elf_file_bytes(data, &info, d->rela, d->relasz) : NULL;
	PROMISE(!d->relasz || rela);
	for (uint64_t i = 0; i < d->relasz / sizeof(Elf64_Rela); i++) {
		Elf64_Rela r;
		memcpy(&r, rela + i * sizeof r, sizeof r);
		if (ELF64_R_TYPE(r.r_info) == R_X86_64_NONE)
			continue;
		PROMISE(ELF64_R_TYPE(r.r_info) == R_X86_64_RELATIVE);
		PROMISE(r.r_offset + 8 <= info.hi && r.r_offset + 8 > r.r_offset);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char err[512];
	memset(err, 0, sizeof err);
	if (dce_elf_check(data, size, &info, err, sizeof err) != 0) {
		PROMISE(err[0] != 0 && !strchr(err, '\n')); /* one line, saying why */
		return 0;
	}
	loader_promises(size);
	struct dce_elf_dynamic d;
	if (dce_elf_check_dynamic(data, size, &info, &d, err, sizeof err) == 0)
		library_promises(data, size, &d);
	else
		PROMISE(err[0] != 0 && !strchr(err, '\n'));
	return 0;
}
