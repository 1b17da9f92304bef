/* bpf.c - a classic BPF interpreter for socket filters (SO_ATTACH_FILTER), with the
 * checks Linux makes when a filter is attached (net/core/filter.c's
 * bpf_check_classic, from its documented rules): at most 4096 instructions, known
 * opcodes only, forward jumps inside the program, scratch memory indexes below 16,
 * no division by a constant 0, and a return as the last instruction. Loads past the
 * packet's end drop it, as in Linux. Linux's ancillary loads (negative offsets,
 * SKF_AD_*) are refused with EINVAL: no DHCP client or common filter uses them. */
#include "bpf.h"
#include <errno.h>

static int known(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_H | BPF_ABS: case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND: case BPF_LD | BPF_B | BPF_IND:
	case BPF_LD | BPF_W | BPF_LEN: case BPF_LD | BPF_IMM: case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_LEN: case BPF_LDX | BPF_IMM: case BPF_LDX | BPF_MEM:
	case BPF_LDX | BPF_B | BPF_MSH:
	case BPF_ST: case BPF_STX:
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_K: case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
	case BPF_RET | BPF_K: case BPF_RET | BPF_A:
	case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
		return 1;
	}
	return 0;
}

int dce_bpf_check(const struct sock_filter *f, unsigned n)
{
	if (n == 0 || n > BPF_MAXINSNS)
		return -EINVAL;
	for (unsigned pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		if (!known(i->code))
			return -EINVAL;
		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
		case BPF_LDX:
			if (BPF_MODE(i->code) == BPF_MEM && i->k >= BPF_MEMWORDS)
				return -EINVAL;
			if ((BPF_MODE(i->code) == BPF_ABS || BPF_MODE(i->code) == BPF_IND) && (int32_t)i->k < 0)
				return -EINVAL; /* ancillary data (SKF_AD_OFF, SKF_NET_OFF, SKF_LL_OFF) */
			break;
		case BPF_ST:
		case BPF_STX:
			if (i->k >= BPF_MEMWORDS)
				return -EINVAL;
			break;
		case BPF_ALU:
			if ((BPF_OP(i->code) == BPF_DIV || BPF_OP(i->code) == BPF_MOD) && BPF_SRC(i->code) == BPF_K &&
			    i->k == 0)
				return -EINVAL;
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA) {
				if (i->k >= n - pc - 1)
					return -EINVAL;
			} else if (pc + 1 + i->jt >= n || pc + 1 + i->jf >= n)
				return -EINVAL;
			break;
		}
	}
	return BPF_CLASS(f[n - 1].code) == BPF_RET ? 0 : -EINVAL;
}

static int load(const uint8_t *p, size_t len, uint32_t off, int size, uint32_t *v)
{
	if (off > len || (size_t)size > len - off)
		return -1;
	if (size == 4)
		*v = (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 | (uint32_t)p[off + 2] << 8 | p[off + 3];
	else if (size == 2)
		*v = (uint32_t)p[off] << 8 | p[off + 1];
	else
		*v = p[off];
	return 0;
}

uint32_t dce_bpf_run(const struct sock_filter *f, unsigned n, const uint8_t *pkt, size_t len)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 }, v;
	for (unsigned pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		int size = BPF_SIZE(i->code) == BPF_W ? 4 : BPF_SIZE(i->code) == BPF_H ? 2 : 1;
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_H | BPF_ABS: case BPF_LD | BPF_B | BPF_ABS:
			if (load(pkt, len, i->k, size, &v))
				return 0;
			A = v;
			break;
		case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND: case BPF_LD | BPF_B | BPF_IND:
			if (load(pkt, len, X + i->k, size, &v))
				return 0;
			A = v;
			break;
		case BPF_LD | BPF_W | BPF_LEN: A = (uint32_t)len; break;
		case BPF_LDX | BPF_W | BPF_LEN: X = (uint32_t)len; break;
		case BPF_LD | BPF_IMM: A = i->k; break;
		case BPF_LDX | BPF_IMM: X = i->k; break;
		case BPF_LD | BPF_MEM: A = M[i->k]; break;
		case BPF_LDX | BPF_MEM: X = M[i->k]; break;
		case BPF_LDX | BPF_B | BPF_MSH:
			if (load(pkt, len, i->k, 1, &v))
				return 0;
			X = (v & 0xf) << 2;
			break;
		case BPF_ST: M[i->k] = A; break;
		case BPF_STX: M[i->k] = X; break;
		case BPF_MISC | BPF_TAX: X = A; break;
		case BPF_MISC | BPF_TXA: A = X; break;
		case BPF_ALU | BPF_NEG: A = -A; break;
		case BPF_JMP | BPF_JA: pc += i->k; break;
		case BPF_RET | BPF_K: return i->k;
		case BPF_RET | BPF_A: return A;
		default:
			if (BPF_CLASS(i->code) == BPF_ALU) {
				uint32_t s = BPF_SRC(i->code) == BPF_X ? X : i->k;
				switch (BPF_OP(i->code)) {
				case BPF_ADD: A += s; break;
				case BPF_SUB: A -= s; break;
				case BPF_MUL: A *= s; break;
				case BPF_DIV: if (!s) return 0; A /= s; break;
				case BPF_MOD: if (!s) return 0; A %= s; break;
				case BPF_AND: A &= s; break;
				case BPF_OR: A |= s; break;
				case BPF_XOR: A ^= s; break;
				case BPF_LSH: A = s >= 32 ? 0 : A << s; break;
				case BPF_RSH: A = s >= 32 ? 0 : A >> s; break;
				}
			} else if (BPF_CLASS(i->code) == BPF_JMP) {
				uint32_t s = BPF_SRC(i->code) == BPF_X ? X : i->k;
				int t = 0;
				switch (BPF_OP(i->code)) {
				case BPF_JEQ: t = A == s; break;
				case BPF_JGT: t = A > s; break;
				case BPF_JGE: t = A >= s; break;
				case BPF_JSET: t = (A & s) != 0; break;
				}
				pc += t ? i->jt : i->jf;
			} else
				return 0;
		}
	}
	return 0;
}
