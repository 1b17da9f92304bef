/* Child processes. Every step's output goes to the module's log so the
 * terminal keeps one line per step; a failure shows the log's tail. */
#include "bake.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int bake_wait(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static void bake_child_setup(const struct bake_run *r)
{
	int in = open("/dev/null", O_RDONLY);
	if (in >= 0) {
		dup2(in, 0);
		close(in);
	}
	if (r->log_path) {
		int fd = open(r->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
	}
	for (char **e = r->env; e && *e; e++)
		putenv(*e);
	if (r->cwd && chdir(r->cwd) < 0) {
		fprintf(stderr, "bake: cannot enter %s: %s\n", r->cwd, strerror(errno));
		_exit(127);
	}
}

int bake_run_argv(const struct bake_run *r, char *const argv[])
{
	if (r->log_path) {
		struct bake_buf b = {0};
		for (int i = 0; argv[i]; i++) {
			if (i)
				bake_buf_puts(&b, " ");
			bake_buf_puts(&b, argv[i]);
		}
		bake_log_note(r->log_path, "$ %s%s%s", b.data ? b.data : "", r->cwd ? "    # in " : "",
			      r->cwd ? r->cwd : "");
		bake_buf_free(&b);
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		bake_child_setup(r);
		execvp(argv[0], argv);
		fprintf(stderr, "bake: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return bake_wait(pid);
}

int bake_run_shell(const struct bake_run *r, const char *command)
{
	char *argv[] = {"/bin/sh", "-ec", (char *)command, NULL};
	return bake_run_argv(r, argv);
}

int bake_run_capture(const char *cwd, char *const argv[], struct bake_buf *out)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		if (cwd && chdir(cwd) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	char buf[65536];
	ssize_t n;
	bake_buf_add(out, "", 0);
	while ((n = read(fds[0], buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		bake_buf_add(out, buf, (size_t)n);
	}
	close(fds[0]);
	return bake_wait(pid);
}

void bake_log_note(const char *log_path, const char *fmt, ...)
{
	if (!log_path)
		return;
	FILE *f = fopen(log_path, "a");
	if (!f)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

void bake_print_log_tail(const char *log_path, int lines)
{
	char *text;
	size_t len;
	if (bake_read_text(log_path, &text, &len) < 0) {
		fprintf(stderr, "  (no log at %s)\n", log_path);
		return;
	}
	size_t start = len;
	int seen = 0;
	if (start && text[start - 1] == '\n')
		start--;
	while (start > 0) {
		if (text[start - 1] == '\n' && ++seen == lines)
			break;
		start--;
	}
	fprintf(stderr, "---- last %d lines of %s ----\n", lines, log_path);
	fwrite(text + start, 1, len - start, stderr);
	if (len && text[len - 1] != '\n')
		fputc('\n', stderr);
	fprintf(stderr, "---- full log: %s\n", log_path);
	free(text);
}

void bake_progress_begin(int i, int n, const char *module, const char *step)
{
	int w = n >= 100 ? 3 : n >= 10 ? 2 : 1;
	printf("[%*d/%d] %-20s %-10s ", w, i, n, module, step);
	fflush(stdout);
}

void bake_progress_end(double start, const char *result)
{
	printf("%s (%.2f s)\n", result, bake_now() - start);
	fflush(stdout);
}
