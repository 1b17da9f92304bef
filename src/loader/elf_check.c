/* elf_check.c - the checks a file passes before a loader maps it (elf_check.h).
 * They follow what the kernel's load_elf_binary accepts, plus what dce needs to stay
 * safe itself (an entry point inside the image, a bounded span). All arithmetic on
 * the file's numbers is done so that it cannot wrap. */
#include "elf_check.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PAGE DCE_ELF_PAGE
#define PAGE_DOWN(x) ((uint64_t)(x) & ~(PAGE - 1))
#define PAGE_UP(x) (((uint64_t)(x) + PAGE - 1) & ~(PAGE - 1))

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* [off, off + len) inside [0, size), without wrapping */
static int inside(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static const char *machine_name(int m)
{
	switch (m) {
	case EM_386: return "i386";
	case EM_ARM: return "arm";
	case EM_AARCH64: return "aarch64";
	case EM_RISCV: return "riscv";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	default: return "another architecture";
	}
}

static int check_header(const unsigned char *f, size_t size, Elf64_Ehdr *eh, char *err, size_t errlen)
{
	if (size < SELFMAG || memcmp(f, ELFMAG, SELFMAG) != 0)
		return bad(err, errlen, "not an ELF executable (exec format error)");
	if (size > EI_CLASS && f[EI_CLASS] == ELFCLASS32)
		return bad(err, errlen, "32-bit ELF file, dce runs x86-64 programs only");
	if (size < sizeof *eh)
		return bad(err, errlen, "truncated ELF file: the ELF header needs %zu bytes, the file has %zu",
		           sizeof *eh, size);
	memcpy(eh, f, sizeof *eh);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return bad(err, errlen, "corrupt ELF header: unknown class %d", eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return bad(err, errlen, "ELF file is not little-endian (data encoding %d), dce runs x86-64 "
		           "programs only", eh->e_ident[EI_DATA]);
	if (eh->e_machine != EM_X86_64)
		return bad(err, errlen, "ELF file for %s, dce runs x86-64 programs only",
		           machine_name(eh->e_machine));
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return bad(err, errlen, "ELF file is not an executable (type %d)", eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return bad(err, errlen, "corrupt ELF header: program header size %u, not %zu",
		           eh->e_phentsize, sizeof(Elf64_Phdr));
	if (eh->e_phnum == 0)
		return bad(err, errlen, "corrupt ELF header: no program headers");
	if (eh->e_phnum > DCE_ELF_MAX_PHNUM)
		return bad(err, errlen, "corrupt ELF header: %u program headers (at most %d)", eh->e_phnum,
		           DCE_ELF_MAX_PHNUM);
	for (unsigned i = 0; i < eh->e_phnum; i++)
		if (eh->e_phoff > size || !inside(eh->e_phoff + (uint64_t)i * sizeof(Elf64_Phdr),
		                                  sizeof(Elf64_Phdr), size))
			return bad(err, errlen, "truncated ELF file: program header %u extends past end of file "
			           "(%zu bytes)", i, size);
	return 0;
}

static int check_load(const Elf64_Phdr *ph, unsigned i, size_t size, char *err, size_t errlen)
{
	if (!inside(ph->p_offset, ph->p_filesz, size))
		return bad(err, errlen, "truncated ELF file: segment %u (PT_LOAD, offset %#lx, %#lx bytes) "
		           "extends past end of file (%zu bytes)", i, (unsigned long)ph->p_offset,
		           (unsigned long)ph->p_filesz, size);
	if (ph->p_filesz > ph->p_memsz)
		return bad(err, errlen, "corrupt ELF file: segment %u (PT_LOAD) has %#lx bytes in the file "
		           "but only %#lx in memory", i, (unsigned long)ph->p_filesz, (unsigned long)ph->p_memsz);
	if (ph->p_offset % PAGE != ph->p_vaddr % PAGE)
		return bad(err, errlen, "corrupt ELF file: segment %u (PT_LOAD) has offset %#lx and address "
		           "%#lx, which differ within a page", i, (unsigned long)ph->p_offset,
		           (unsigned long)ph->p_vaddr);
	if (!inside(ph->p_vaddr, ph->p_memsz, DCE_ELF_USER_END))
		return bad(err, errlen, "corrupt ELF file: segment %u (PT_LOAD, address %#lx, %#lx bytes) "
		           "ends outside user space", i, (unsigned long)ph->p_vaddr, (unsigned long)ph->p_memsz);
	return 0;
}

static int check_interp(const unsigned char *f, const Elf64_Phdr *ph, unsigned i, size_t size,
                        char *interp, char *err, size_t errlen)
{
	if (!inside(ph->p_offset, ph->p_filesz, size))
		return bad(err, errlen, "truncated ELF file: the ELF interpreter's path (segment %u) extends "
		           "past end of file (%zu bytes)", i, size);
	if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX)
		return bad(err, errlen, "corrupt ELF file: the ELF interpreter's path (segment %u) is %lu "
		           "bytes long", i, (unsigned long)ph->p_filesz);
	const char *s = (const char *)f + ph->p_offset;
	if (s[ph->p_filesz - 1] != 0)
		return bad(err, errlen, "corrupt ELF file: the ELF interpreter's path (segment %u) does not end "
		           "in a NUL byte", i);
	if (s[0] == 0)
		return bad(err, errlen, "corrupt ELF file: the ELF interpreter's path (segment %u) is empty", i);
	memcpy(interp, s, ph->p_filesz);
	return 0;
}

int dce_elf_check(const void *file, size_t size, struct dce_elf_info *out, char *err, size_t errlen)
{
	const unsigned char *f = file;
	memset(out, 0, offsetof(struct dce_elf_info, interp));
	out->interp[0] = 0;
	int r = check_header(f, size, &out->eh, err, errlen);
	if (r)
		return r;
	const Elf64_Ehdr *eh = &out->eh;
	memcpy(out->ph, f + eh->e_phoff, eh->e_phnum * sizeof(Elf64_Phdr));
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t align = PAGE;
	int have_interp = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &out->ph[i];
		if (ph->p_type == PT_INTERP && !have_interp) { /* the kernel takes the first */
			if ((r = check_interp(f, ph, i, size, out->interp, err, errlen)))
				return r;
			have_interp = 1;
		}
		if (ph->p_type != PT_LOAD)
			continue;
		if ((r = check_load(ph, i, size, err, errlen)))
			return r;
		if (!ph->p_memsz)
			continue;
		if (PAGE_DOWN(ph->p_vaddr) < lo)
			lo = PAGE_DOWN(ph->p_vaddr);
		if (PAGE_UP(ph->p_vaddr + ph->p_memsz) > hi)
			hi = PAGE_UP(ph->p_vaddr + ph->p_memsz);
		/* like the kernel, alignments that are not powers of two are ignored */
		if (ph->p_align > align && ph->p_align <= (2UL << 20) && !(ph->p_align & (ph->p_align - 1)))
			align = ph->p_align;
	}
	if (hi == 0)
		return bad(err, errlen, "corrupt ELF file: no loadable segments");
	if (hi - lo > DCE_ELF_MAX_SPAN)
		return bad(err, errlen, "corrupt ELF file: its segments span %#lx bytes (dce maps at most %#lx "
		           "for one image)", (unsigned long)(hi - lo), DCE_ELF_MAX_SPAN);
	if (eh->e_type == ET_EXEC && lo < DCE_ELF_MIN_ADDR)
		return bad(err, errlen, "corrupt ELF file: non-PIE executable linked at %#lx, below the lowest "
		           "address a program may map (%#lx)", (unsigned long)lo, DCE_ELF_MIN_ADDR);
	/* a stray entry point of a non-PIE executable could point into dce itself */
	if (eh->e_entry || eh->e_type == ET_EXEC) {
		int found = 0;
		for (unsigned i = 0; i < eh->e_phnum && !found; i++)
			found = out->ph[i].p_type == PT_LOAD && eh->e_entry >= out->ph[i].p_vaddr &&
			        eh->e_entry - out->ph[i].p_vaddr < out->ph[i].p_memsz;
		if (!found)
			return bad(err, errlen, "corrupt ELF file: entry point %#lx is outside every loadable "
			           "segment", (unsigned long)eh->e_entry);
	}
	out->lo = lo;
	out->hi = hi;
	out->align = align;
	return 0;
}

const void *dce_elf_file_bytes(const void *file, const struct dce_elf_info *info, uint64_t vaddr,
                               uint64_t len)
{
	for (unsigned i = 0; i < info->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &info->ph[i];
		if (ph->p_type == PT_LOAD && vaddr >= ph->p_vaddr && inside(vaddr - ph->p_vaddr, len, ph->p_filesz))
			return (const unsigned char *)file + ph->p_offset + (vaddr - ph->p_vaddr);
	}
	return NULL;
}

/* every PT_LOAD readable, and no two sharing a page (each is mapped on its own) */
static int check_layout(const struct dce_elf_info *in, char *err, size_t errlen)
{
	if (in->eh.e_type != ET_DYN || in->lo != 0)
		return bad(err, errlen, "not a shared object linked at address 0");
	for (unsigned i = 0; i < in->eh.e_phnum; i++) {
		const Elf64_Phdr *a = &in->ph[i];
		if (a->p_type != PT_LOAD || !a->p_memsz)
			continue;
		if (!(a->p_flags & PF_R))
			return bad(err, errlen, "corrupt ELF file: segment %u (PT_LOAD) is not readable", i);
		for (unsigned j = 0; j < i; j++) {
			const Elf64_Phdr *b = &in->ph[j];
			if (b->p_type == PT_LOAD && b->p_memsz &&
			    PAGE_DOWN(a->p_vaddr) < PAGE_UP(b->p_vaddr + b->p_memsz) &&
			    PAGE_DOWN(b->p_vaddr) < PAGE_UP(a->p_vaddr + a->p_memsz))
				return bad(err, errlen, "corrupt ELF file: segments %u and %u (PT_LOAD) overlap", j, i);
		}
	}
	return 0;
}

static int writable(const struct dce_elf_info *in, uint64_t vaddr, uint64_t len)
{
	for (unsigned i = 0; i < in->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &in->ph[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W) && vaddr >= ph->p_vaddr &&
		    inside(vaddr - ph->p_vaddr, len, ph->p_memsz))
			return 1;
	}
	return 0;
}

static int read_dynamic(const unsigned char *f, size_t size, const struct dce_elf_info *in,
                        uint64_t *hash, struct dce_elf_dynamic *d, char *err, size_t errlen)
{
	const Elf64_Phdr *dyn = NULL;
	unsigned di = 0;
	for (unsigned i = 0; i < in->eh.e_phnum && !dyn; i++)
		if (in->ph[i].p_type == PT_DYNAMIC)
			dyn = &in->ph[di = i];
	if (!dyn)
		return bad(err, errlen, "no dynamic section");
	if (!inside(dyn->p_offset, dyn->p_filesz, size))
		return bad(err, errlen, "truncated ELF file: the dynamic section (segment %u) extends past end "
		           "of file (%zu bytes)", di, size);
	int ended = 0;
	for (uint64_t k = 0; k + sizeof(Elf64_Dyn) <= dyn->p_filesz && !ended; k += sizeof(Elf64_Dyn)) {
		Elf64_Dyn e;
		memcpy(&e, f + dyn->p_offset + k, sizeof e);
		switch (e.d_tag) {
		case DT_NULL: ended = 1; break;
		case DT_RELA: d->rela = e.d_un.d_ptr; break;
		case DT_RELASZ: d->relasz = e.d_un.d_val; break;
		case DT_SYMTAB: d->symtab = e.d_un.d_ptr; break;
		case DT_STRTAB: d->strtab = e.d_un.d_ptr; break;
		case DT_STRSZ: d->strsz = e.d_un.d_val; break;
		case DT_HASH: *hash = e.d_un.d_ptr; break;
		case DT_NEEDED: return bad(err, errlen, "depends on other libraries");
		case DT_TEXTREL: return bad(err, errlen, "has text relocations");
		}
	}
	if (!ended)
		return bad(err, errlen, "corrupt ELF file: the dynamic section has no DT_NULL end");
	return 0;
}

int dce_elf_check_dynamic(const void *file, size_t size, const struct dce_elf_info *info,
                          struct dce_elf_dynamic *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	uint64_t hash = 0;
	int r = check_layout(info, err, errlen);
	if (!r)
		r = read_dynamic(file, size, info, &hash, out, err, errlen);
	if (r)
		return r;
	if (!out->symtab || !out->strtab || !out->strsz || !hash)
		return bad(err, errlen, "no symbol table, string table or DT_HASH");
	const unsigned char *h = dce_elf_file_bytes(file, info, hash, 8);
	if (!h)
		return bad(err, errlen, "corrupt ELF file: DT_HASH %#lx is outside the file's segments",
		           (unsigned long)hash);
	uint32_t nchain;
	memcpy(&nchain, h + 4, sizeof nchain);
	out->nsyms = nchain;
	if (!dce_elf_file_bytes(file, info, out->symtab, out->nsyms * sizeof(Elf64_Sym)))
		return bad(err, errlen, "corrupt ELF file: the symbol table (%lu symbols at %#lx) is outside the "
		           "file's segments", (unsigned long)out->nsyms, (unsigned long)out->symtab);
	if (!dce_elf_file_bytes(file, info, out->strtab, out->strsz))
		return bad(err, errlen, "corrupt ELF file: the string table (%#lx bytes at %#lx) is outside the "
		           "file's segments", (unsigned long)out->strsz, (unsigned long)out->strtab);
	const unsigned char *rela = out->relasz ? dce_elf_file_bytes(file, info, out->rela, out->relasz) : NULL;
	if (out->relasz && (!rela || out->relasz % sizeof(Elf64_Rela)))
		return bad(err, errlen, "corrupt ELF file: the relocation table (%#lx bytes at %#lx) is outside "
		           "the file's segments", (unsigned long)out->relasz, (unsigned long)out->rela);
	for (uint64_t i = 0; i < out->relasz / sizeof(Elf64_Rela); i++) {
		Elf64_Rela rl;
		memcpy(&rl, rela + i * sizeof rl, sizeof rl);
		uint32_t type = ELF64_R_TYPE(rl.r_info);
		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE)
			return bad(err, errlen, "relocation type %u at %#lx", type, (unsigned long)rl.r_offset);
		if (!writable(info, rl.r_offset, 8))
			return bad(err, errlen, "relocation in read-only %#lx", (unsigned long)rl.r_offset);
	}
	return 0;
}
