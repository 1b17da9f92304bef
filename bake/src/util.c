/* Small helpers for strings, files and directories. Allocation failure aborts:
 * bake is a command-line tool and cannot do anything useful without memory. */
#include "bake.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void *bake_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *bake_xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		abort();
	return p;
}

void bake_buf_add(struct bake_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->data, cap);
		if (!p)
			abort();
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
}

void bake_buf_puts(struct bake_buf *b, const char *s)
{
	bake_buf_add(b, s, strlen(s));
}

void bake_buf_printf(struct bake_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	bake_buf_add(b, s, (size_t)n);
	free(s);
}

void bake_buf_free(struct bake_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void bake_buf_shell_quote(struct bake_buf *b, const char *s)
{
	bake_buf_puts(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			bake_buf_puts(b, "'\\''");
		else
			bake_buf_add(b, s, 1);
	}
	bake_buf_puts(b, "'");
}

char *bake_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}

char *bake_path_join(const char *a, const char *b)
{
	if (b[0] == '/')
		return bake_xstrdup(b);
	size_t la = strlen(a);
	return bake_strdup_printf("%s%s%s", a, la && a[la - 1] == '/' ? "" : "/", b);
}

int bake_mkdirs(const char *path)
{
	char *p = bake_xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int r = mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
	free(p);
	return r;
}

int bake_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int r = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *c = bake_path_join(path, e->d_name);
		/* Unpacked sources may hold read-only directories. */
		if (lstat(c, &st) == 0 && S_ISDIR(st.st_mode))
			chmod(c, 0755);
		if (bake_remove_tree(c) < 0)
			r = -1;
		free(c);
	}
	closedir(d);
	if (rmdir(path) < 0)
		r = -1;
	return r;
}

bool bake_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

bool bake_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int bake_check_input_file(const char *path, unsigned long long max, char *why, size_t whylen)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		const char *kind = S_ISDIR(st.st_mode)	  ? "a directory"
				   : S_ISCHR(st.st_mode)  ? "a character device"
				   : S_ISBLK(st.st_mode)  ? "a block device"
				   : S_ISFIFO(st.st_mode) ? "a FIFO"
				   : S_ISSOCK(st.st_mode) ? "a socket"
							  : "not a file";
		snprintf(why, whylen, "is %s, not a regular file", kind);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		snprintf(why, whylen, "is %lld bytes, more than the %llu allowed", (long long)st.st_size,
			 max);
		return -1;
	}
	return 0;
}

int bake_read_text(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct bake_buf b = {0};
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		bake_buf_add(&b, tmp, n);
	fclose(f);
	if (!b.data)
		bake_buf_add(&b, "", 0);
	*out = b.data;
	if (len)
		*len = b.len;
	return 0;
}

int bake_write_text(const char *path, const char *text)
{
	/* Write then rename, so an interrupted bake never leaves half a stamp. */
	char *tmp = bake_strdup_printf("%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		free(tmp);
		return -1;
	}
	size_t n = strlen(text);
	int bad = fwrite(text, 1, n, f) != n;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

double bake_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool bake_program_exists(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *p = bake_xstrdup(path), *save = NULL;
	bool found = false;
	for (char *d = strtok_r(p, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *f = bake_path_join(d, name);
		found = access(f, X_OK) == 0 && !bake_is_dir(f);
		free(f);
	}
	free(p);
	return found;
}
