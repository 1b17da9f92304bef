/* mutate.h - seeded, reproducible mutants of an ELF file, for the loader's tests.
 * One seed gives one mutant: byte flips anywhere or in the headers, a truncation,
 * or one ELF header / program header field set to an awkward value. */
#ifndef DCE_TEST_MUTATE_H
#define DCE_TEST_MUTATE_H
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static uint64_t mutate_rng(uint64_t *s)
{
	/* splitmix64: every seed gives an independent, reproducible stream */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t awkward(uint64_t *s, uint64_t orig, size_t size)
{
	switch (mutate_rng(s) % 12) {
	case 0: return 0;
	case 1: return 1;
	case 2: return ~0ULL;
	case 3: return 0x7fffffffULL;
	case 4: return size;
	case 5: return size - 1;
	case 6: return size + 1;
	case 7: return orig + 4096;
	case 8: return orig - 4096;
	case 9: return orig << (1 + mutate_rng(s) % 40);
	case 10: return orig ^ (1ULL << (mutate_rng(s) % 64));
	default: return mutate_rng(s);
	}
}

/* field at off of width w (1, 2, 4, 8 bytes), if it lies inside buf */
static void set_field(unsigned char *buf, size_t size, uint64_t off, int w, uint64_t *s)
{
	if (off > size || (uint64_t)w > size - off)
		return;
	uint64_t v = 0;
	memcpy(&v, buf + off, (size_t)w);
	v = awkward(s, v, size);
	memcpy(buf + off, &v, (size_t)w);
}

/* Mutates buf[0, size) in place; returns the mutant's size (<= size). */
static size_t mutate(unsigned char *buf, size_t size, uint64_t seed)
{
	uint64_t s = seed;
	size_t head = size < 4096 ? size : 4096;
	int k;
	if (!size)
		return 0;
	switch (mutate_rng(&s) % 10) {
	case 0: case 1: case 2: case 3: /* a few random bytes anywhere */
		for (k = 1 + (int)(mutate_rng(&s) % 8); k > 0; k--)
			buf[mutate_rng(&s) % size] = (unsigned char)mutate_rng(&s);
		return size;
	case 4: case 5: /* truncated, often inside the headers */
		return mutate_rng(&s) % 2 ? mutate_rng(&s) % head : mutate_rng(&s) % size;
	case 6: case 7: case 8: { /* one header field */
		static const struct { uint16_t off; uint8_t w; } eh[] = {
			{ EI_CLASS, 1 }, { EI_DATA, 1 }, { 16, 2 } /* e_type */, { 18, 2 } /* e_machine */,
			{ 24, 8 } /* e_entry */, { 32, 8 } /* e_phoff */, { 54, 2 } /* e_phentsize */,
			{ 56, 2 } /* e_phnum */,
		};
		static const struct { uint8_t off, w; } ph[] = {
			{ 0, 4 } /* p_type */, { 4, 4 } /* p_flags */, { 8, 8 } /* p_offset */,
			{ 16, 8 } /* p_vaddr */, { 32, 8 } /* p_filesz */, { 40, 8 } /* p_memsz */,
			{ 48, 8 } /* p_align */,
		};
		uint64_t phoff = 0;
		uint16_t phnum = 0;
		if (size >= sizeof(Elf64_Ehdr)) {
			memcpy(&phoff, buf + 32, 8);
			memcpy(&phnum, buf + 56, 2);
		}
		if (phnum && mutate_rng(&s) % 4) {
			uint64_t i = mutate_rng(&s) % phnum, f = mutate_rng(&s) % (sizeof ph / sizeof ph[0]);
			set_field(buf, size, phoff + i * sizeof(Elf64_Phdr) + ph[f].off, ph[f].w, &s);
		} else {
			uint64_t f = mutate_rng(&s) % (sizeof eh / sizeof eh[0]);
			set_field(buf, size, eh[f].off, eh[f].w, &s);
		}
		return size;
	}
	default: /* a few bytes of the headers */
		for (k = 1 + (int)(mutate_rng(&s) % 4); k > 0; k--)
			buf[mutate_rng(&s) % head] = (unsigned char)mutate_rng(&s);
		return size;
	}
}

#endif
