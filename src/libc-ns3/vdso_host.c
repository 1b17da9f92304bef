/* vdso_host.c - maps dce's vDSO (vdso/vdso.c) once for every simulated program and
 * keeps its clock current. All processes share one address space, so one mapping
 * serves them all. DCE_VDSO=0 turns it off (every time read then traps). */
#include "../core/kernel.h"
#include "vdso.h"
#include "vmspace.h"
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

extern const unsigned char dce_vdso_image[], dce_vdso_image_end[];

struct dce_vvar {
	volatile uint64_t now_ns;
	uint64_t epoch_ns;
	volatile uint32_t reads;
	uint32_t limit;
};

static uintptr_t base;
static struct dce_vvar *vvar;

static struct dce_vvar **find_vvar_ptr(const Elf64_Ehdr *eh, uintptr_t b)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(b + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(b + ph[i].p_vaddr);
	const Elf64_Sym *sym = NULL;
	const char *str = NULL;
	const uint32_t *hash = NULL;
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			sym = (const Elf64_Sym *)(b + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			str = (const char *)(b + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH)
			hash = (const uint32_t *)(b + dyn->d_un.d_ptr);
	}
	if (!sym || !str || !hash)
		return NULL;
	for (uint32_t i = 0; i < hash[1]; i++) /* nchain = number of symbols */
		if (!strcmp(str + sym[i].st_name, "__dce_vvar_ptr"))
			return (struct dce_vvar **)(b + sym[i].st_value);
	return NULL;
}

int dce_vdso_init(uint64_t epoch_ns)
{
	const char *env = getenv("DCE_VDSO");
	if (env && !strcmp(env, "0"))
		return 0;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)dce_vdso_image;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(dce_vdso_image + eh->e_phoff);
	uintptr_t span = 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > span)
			span = ph[i].p_vaddr + ph[i].p_memsz;
	span = (span + 4095) & ~4095UL;
	void *m = dce_vm_map(span, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	uintptr_t b = (uintptr_t)m;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			memcpy((void *)(b + ph[i].p_vaddr), dce_vdso_image + ph[i].p_offset, ph[i].p_filesz);
	struct dce_vvar **slot = find_vvar_ptr((const Elf64_Ehdr *)b, b);
	vvar = dce_vm_map(4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!slot || vvar == MAP_FAILED) {
		munmap(m, span);
		vvar = NULL;
		return -1;
	}
	*slot = vvar;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || (ph[i].p_flags & PF_W))
			continue;
		uintptr_t s = b + (ph[i].p_vaddr & ~4095UL), e = (b + ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095UL;
		mprotect((void *)s, e - s, PROT_READ | ((ph[i].p_flags & PF_X) ? PROT_EXEC : 0));
	}
	vvar->epoch_ns = epoch_ns;
	vvar->limit = 100;
	base = b;
	return 0;
}

uintptr_t dce_vdso_base(void)
{
	return base;
}

void dce_vdso_enter(uint64_t now_ns)
{
	if (vvar) {
		vvar->now_ns = now_ns;
		vvar->epoch_ns = dce_time_realtime_ns() - now_ns; /* the running node's clock (time.c) */
		vvar->reads = 0;
	}
}

int dce_vdso_over_limit(void)
{
	return vvar && vvar->reads > vvar->limit;
}
