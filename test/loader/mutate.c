/* mutate.c - writes mutants of an ELF file (mutate.h), one per seed.
 *   mutate SRC OUTDIR PREFIX FIRST COUNT   -> OUTDIR/PREFIX-<seed>, mode 0755 */
#include "mutate.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: mutate SRC OUTDIR PREFIX FIRST COUNT\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st)) {
		perror(argv[1]);
		return 1;
	}
	size_t size = (size_t)st.st_size;
	unsigned char *orig = malloc(size + 1), *buf = malloc(size + 1);
	if (fread(orig, 1, size, f) != size) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);
	uint64_t first = strtoull(argv[4], NULL, 0), count = strtoull(argv[5], NULL, 0);
	for (uint64_t seed = first; seed < first + count; seed++) {
		memcpy(buf, orig, size);
		size_t n = mutate(buf, size, seed);
		char path[4096];
		snprintf(path, sizeof path, "%s/%s-%llu", argv[2], argv[3], (unsigned long long)seed);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
		if (fd < 0 || write(fd, buf, n) != (ssize_t)n || close(fd)) {
			perror(path);
			return 1;
		}
	}
	free(orig);
	free(buf);
	return 0;
}
