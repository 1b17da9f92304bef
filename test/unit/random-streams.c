/* random-streams: the random streams of seeds 1..100 on nodes 0..9 are pairwise
 * unrelated: no 16-byte window starting on an 8-byte boundary (the generator's
 * output unit) in the first MiB of one stream appears in any other stream's first
 * MiB. Also: the same seed gives the same bytes, and the derivation is the one
 * the nodes use (dce_random_key with DCE_RANDOM_NODE).
 *
 * Every 8-byte word of the 1000 streams (2^27 words, 1 GiB) is sorted, in 8
 * partitions by the word's top 3 bits; a word seen twice is then
 * confirmed or cleared by comparing the word that follows it in both streams.
 * Exit 0 if no window repeats; prints each repeat otherwise. */
#include "../../src/core/kernel.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEEDS 100
#define NODES 10
#define WORDS (1u << 17) /* 1 MiB */
#define PARTS 8

static void stream(uint64_t seed, uint32_t node, uint64_t *w, size_t n)
{
	struct dce_node nd;
	memset(&nd, 0, sizeof nd);
	nd.rand_state = dce_random_key(seed, node, DCE_RANDOM_NODE);
	dce_random_fill(&nd, w, n * 8);
}

/* LSD radix sort, 8-bit digits (the counts stay in L1). */
static void sort64(uint64_t *a, uint64_t *tmp, size_t n)
{
	static size_t cnt[1 << 8];
	for (int shift = 0; shift < 64; shift += 8) {
		memset(cnt, 0, sizeof cnt);
		for (size_t i = 0; i < n; i++)
			cnt[(a[i] >> shift) & 0xff]++;
		size_t sum = 0;
		for (size_t d = 0; d < (1 << 8); d++) {
			size_t c = cnt[d];
			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[cnt[(a[i] >> shift) & 0xff]++] = a[i];
		uint64_t *s = a;
		a = tmp;
		tmp = s;
	}
}

/* Where a word occurs: every (stream, index) holding it. */
static int confirm(uint64_t word, uint64_t *buf)
{
	int nfound = 0, bad = 0;
	struct { int s; size_t i; } at[16];
	for (int s = 0; s < SEEDS * NODES; s++) {
		stream(1 + s / NODES, s % NODES, buf, WORDS);
		for (size_t i = 0; i < WORDS; i++)
			if (buf[i] == word && nfound < 16) {
				at[nfound].s = s;
				at[nfound].i = i;
				nfound++;
			}
	}
	/* a 16-byte window repeats if the next word matches as well */
	for (int a = 0; a < nfound; a++)
		for (int b = a + 1; b < nfound; b++) {
			uint64_t na, nb;
			if (at[a].i + 1 >= WORDS || at[b].i + 1 >= WORDS)
				continue;
			stream(1 + at[a].s / NODES, at[a].s % NODES, buf, WORDS);
			na = buf[at[a].i + 1];
			stream(1 + at[b].s / NODES, at[b].s % NODES, buf, WORDS);
			nb = buf[at[b].i + 1];
			if (na == nb) {
				printf("repeat: seed %d node %d word %zu == seed %d node %d word %zu\n",
				       1 + at[a].s / NODES, at[a].s % NODES, at[a].i,
				       1 + at[b].s / NODES, at[b].s % NODES, at[b].i);
				bad = 1;
			}
		}
	return bad;
}

int main(void)
{
	uint64_t *w = malloc(WORDS * 8), *w2 = malloc(WORDS * 8);
	/* determinism */
	stream(7, 3, w, 64);
	stream(7, 3, w2, 64);
	if (memcmp(w, w2, 64 * 8)) {
		printf("same seed, different bytes\n");
		return 1;
	}
	/* capacity per partition: 1/8 of the words plus slack */
	size_t cap = (size_t)SEEDS * NODES * WORDS / PARTS * 9 / 8;
	uint64_t *part = malloc(cap * 8), *tmp = malloc(cap * 8);
	if (!w || !w2 || !part || !tmp) {
		printf("out of memory\n");
		return 2;
	}
	/* one generation pass scatters the words into the partitions */
	uint64_t *parts[PARTS];
	size_t fill[PARTS] = { 0 };
	for (unsigned p = 0; p < PARTS; p++)
		if (!(parts[p] = malloc(cap * 8))) {
			printf("out of memory\n");
			return 2;
		}
	free(part);
	for (int s = 0; s < SEEDS * NODES; s++) {
		stream(1 + s / NODES, s % NODES, w, WORDS);
		for (size_t i = 0; i < WORDS; i++) {
			unsigned p = (unsigned)(w[i] >> 61);
			if (fill[p] == cap) {
				printf("partition %u overflows: the words are not uniform\n", p);
				return 1;
			}
			parts[p][fill[p]++] = w[i];
		}
	}
	int bad = 0;
	size_t words = 0, dups = 0;
	for (unsigned p = 0; p < PARTS; p++) {
		size_t n = fill[p];
		words += n;
		sort64(parts[p], tmp, n);
		for (size_t i = 1; i < n; i++)
			if (parts[p][i] == parts[p][i - 1]) {
				/* a chance 64-bit repeat is rare (~2^-11 here): confirm
				 * a few, and stop at the first real one */
				if (!bad && dups++ < 16)
					bad |= confirm(parts[p][i], w);
			}
		free(parts[p]);
	}
	printf("%d seeds x %d nodes x %u words: %zu words, %zu repeated words, %s\n", SEEDS, NODES, WORDS,
	       words, dups, bad ? "REPEATED 16-byte windows" : "no repeated 16-byte window");
	return bad;
}
