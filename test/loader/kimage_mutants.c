/* kimage_mutants.c - dce's kernel-image loader (src/loader/kernel-image.c) on mutants
 * of a self-contained library, in this very process: each mutant must load or be
 * refused with a one-line error; none may crash the process.
 *   kimage_mutants LIB SYMBOL COUNT TMPFILE
 * The unmutated LIB must load and export SYMBOL. Prints the figures. */
#include "../../src/loader/kernel-image.h"
#include "mutate.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_file(const char *path, const unsigned char *buf, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, buf, n) == (ssize_t)n;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: kimage_mutants LIB SYMBOL COUNT TMPFILE\n");
		return 2;
	}
	struct dce_kernel_image img;
	char err[512];
	if (dce_kernel_image_load(argv[1], &img, err, sizeof err)) {
		printf("not ok - the library itself loads: %s\n", err);
		return 1;
	}
	int found = dce_kernel_image_symbol(&img, argv[2]) != NULL;
	dce_kernel_image_unload(&img);
	if (!found) {
		printf("not ok - the library exports %s\n", argv[2]);
		return 1;
	}
	FILE *f = fopen(argv[1], "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st))
		return 1;
	size_t size = (size_t)st.st_size;
	unsigned char *orig = malloc(size), *buf = malloc(size);
	if (fread(orig, 1, size, f) != size)
		return 1;
	fclose(f);
	unsigned long count = strtoul(argv[3], NULL, 0), loaded = 0, refused = 0, bad_msg = 0;
	for (unsigned long seed = 0; seed < count; seed++) {
		memcpy(buf, orig, size);
		size_t n = mutate(buf, size, seed);
		if (write_file(argv[4], buf, n))
			return 1;
		err[0] = 0;
		if (dce_kernel_image_load(argv[4], &img, err, sizeof err) == 0) {
			loaded++;
			dce_kernel_image_symbol(&img, argv[2]); /* walks the symbol table */
			dce_kernel_image_unload(&img);
		} else {
			refused++;
			if (!err[0] || strchr(err, '\n')) {
				bad_msg++;
				printf("# mutant %lu: refused without a one-line reason\n", seed);
			}
		}
	}
	free(orig);
	free(buf);
	printf("# kernel-image mutants: %lu run, %lu loaded, %lu refused, %lu without "
	       "a reason\n", count, loaded, refused, bad_msg);
	return bad_msg ? 1 : 0;
}
