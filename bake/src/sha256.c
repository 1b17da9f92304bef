/* SHA-256 (FIPS 180-4): archive checksums and the identities that decide
 * whether a module must be rebuilt. */
#include "bake.h"

#include <sys/stat.h>

#include <stdio.h>
#include <string.h>

static const uint32_t bake_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t bake_rotr(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void bake_sha256_block(struct bake_sha256 *s, const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = bake_rotr(w[i - 15], 7) ^ bake_rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = bake_rotr(w[i - 2], 17) ^ bake_rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t S1 = bake_rotr(e, 6) ^ bake_rotr(e, 11) ^ bake_rotr(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = h + S1 + ch + bake_sha256_k[i] + w[i];
		uint32_t S0 = bake_rotr(a, 2) ^ bake_rotr(a, 13) ^ bake_rotr(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = S0 + maj;
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

void bake_sha256_init(struct bake_sha256 *s)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->fill = 0;
}

void bake_sha256_update(struct bake_sha256 *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	s->len += len;
	while (len) {
		size_t take = 64 - s->fill;
		if (take > len)
			take = len;
		memcpy(s->buf + s->fill, p, take);
		s->fill += take;
		p += take;
		len -= take;
		if (s->fill == 64) {
			bake_sha256_block(s, s->buf);
			s->fill = 0;
		}
	}
}

void bake_sha256_hex(struct bake_sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80;
	bake_sha256_update(s, &pad, 1);
	pad = 0;
	while (s->fill != 56)
		bake_sha256_update(s, &pad, 1);
	unsigned char l[8];
	for (int i = 0; i < 8; i++)
		l[i] = (unsigned char)(bits >> (56 - 8 * i));
	bake_sha256_update(s, l, 8);
	for (int i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", s->h[i]);
	out[64] = 0;
}

void bake_sha256_str(struct bake_sha256 *s, const char *str)
{
	/* The separator keeps ("ab","c") and ("a","bc") apart. */
	if (str)
		bake_sha256_update(s, str, strlen(str));
	bake_sha256_update(s, "\x1f", 1);
}

int bake_sha256_file(const char *path, char out[65])
{
	/* only regular files: /dev/zero or a FIFO would never end */
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct bake_sha256 s;
	bake_sha256_init(&s);
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		bake_sha256_update(&s, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return -1;
	bake_sha256_hex(&s, out);
	return 0;
}
