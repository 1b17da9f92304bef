/* fs-escape: tries to leave the node's root. The harness puts a host file "secret"
 * two levels above files-N (OUT/../secret) and checks it afterwards. Prints
 * "ok <case>" or "FAIL <case>: ..." per attempt. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fails;

static void expect_fail(const char *name, long r, int err)
{
	if (r >= 0) {
		printf("FAIL %s: succeeded\n", name);
		fails++;
	} else if (err && errno != err) {
		printf("FAIL %s: errno %s, expected %s\n", name, strerrorname_np(errno), strerrorname_np(err));
		fails++;
	} else
		printf("ok %s (%s)\n", name, strerrorname_np(errno));
}

static void expect_ok(const char *name, long r)
{
	if (r < 0) {
		printf("FAIL %s: %s\n", name, strerror(errno));
		fails++;
	} else
		printf("ok %s\n", name);
}

/* open must fail, or open something that is not the secret */
static void no_secret(const char *name, int dirfd, const char *path, int flags)
{
	int fd = openat(dirfd, path, flags, 0644);
	if (fd < 0) {
		printf("ok %s (%s)\n", name, strerrorname_np(errno));
		return;
	}
	char buf[64] = { 0 };
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0 && strstr(buf, "SECRET")) {
		printf("FAIL %s: read the host secret\n", name);
		fails++;
	} else
		printf("ok %s (opened a node file)\n", name);
}

int main(void)
{
	const char *up = "/../../secret";
	no_secret("dotdot-absolute", AT_FDCWD, up, O_RDONLY);
	no_secret("dotdot-relative", AT_FDCWD, "../../../../secret", O_RDONLY);
	no_secret("dotdot-write", AT_FDCWD, up, O_WRONLY | O_TRUNC);
	expect_ok("symlink-abs-create", symlink(up, "/tmp/l1"));
	no_secret("symlink-abs", AT_FDCWD, "/tmp/l1", O_RDONLY);
	expect_ok("symlink-rel-create", symlink("../../../../secret", "/tmp/l2"));
	no_secret("symlink-rel", AT_FDCWD, "/tmp/l2", O_RDONLY);
	no_secret("proc-self-root", AT_FDCWD, "/proc/self/root/../../secret", O_RDONLY);
	no_secret("proc-self-cwd", AT_FDCWD, "/proc/self/cwd/../../../secret", O_RDONLY);
	int root = open("/", O_RDONLY | O_DIRECTORY);
	no_secret("dirfd-root-dotdot", root, "../../secret", O_RDONLY);
	int tmp = open("/tmp", O_PATH | O_DIRECTORY);
	no_secret("dirfd-opath-dotdot", tmp, "../../../secret", O_RDONLY);
	expect_ok("symlink-shadow-create", symlink("/etc/shadow", "/tmp/l3"));
	no_secret("symlink-shadow", AT_FDCWD, "/tmp/l3", O_RDONLY);
	expect_fail("symlink-shadow-read", open("/tmp/l3", O_RDONLY), ENOENT);
	/* hard links through a symlink that points out */
	long r = linkat(AT_FDCWD, "/tmp/l1", AT_FDCWD, "/tmp/h1", AT_SYMLINK_FOLLOW);
	expect_fail("link-follow-out", r, 0);
	no_secret("link-follow-out-read", AT_FDCWD, "/tmp/h1", O_RDONLY);
	/* metadata changes through links that point out */
	expect_fail("chmod-symlink-out", chmod("/tmp/l1", 0777), 0);
	expect_fail("utimes-symlink-out", utimensat(AT_FDCWD, "/tmp/l1", NULL, 0), 0);
	expect_fail("truncate-symlink-out", truncate("/tmp/l1", 0), 0);
	/* creating through the link makes /secret in the node, not on the host */
	no_secret("symlink-abs-write", AT_FDCWD, "/tmp/l1", O_WRONLY | O_CREAT | O_TRUNC);
	expect_ok("symlink-abs-write-landed-in-root", access("/secret", F_OK));
	expect_ok("chmod-dotdot-is-root", chmod("/..", 0755));
	struct stat a, b;
	lstat("/..", &a);
	stat("/", &b);
	if (a.st_ino != b.st_ino || a.st_nlink != b.st_nlink) {
		printf("FAIL lstat-dotdot: /.. is not / (ino %lu vs %lu)\n", (unsigned long)a.st_ino, (unsigned long)b.st_ino);
		fails++;
	} else
		printf("ok lstat-dotdot\n");
	/* renames cannot move a file out */
	int fd = open("/tmp/mv", O_WRONLY | O_CREAT, 0644);
	write(fd, "moved\n", 6);
	close(fd);
	expect_ok("rename-up-stays-inside", rename("/tmp/mv", "/../../escaped"));
	expect_ok("rename-up-landed-in-root", access("/escaped", F_OK));
	/* a mapped host directory as dirfd */
	int lib = open("/usr/lib", O_RDONLY | O_DIRECTORY);
	expect_ok("open-mapped-dir", lib);
	no_secret("mapped-dirfd-dotdot", lib, "../../../secret", O_RDONLY);
	expect_fail("mapped-dirfd-shadow", openat(lib, "../../etc/shadow", O_RDONLY), ENOENT);
	expect_fail("mapped-dirfd-create", openat(lib, "newfile", O_WRONLY | O_CREAT, 0644), EROFS);
	char p[64];
	snprintf(p, sizeof p, "/proc/self/fd/%d/../../etc/shadow", lib);
	expect_fail("proc-fd-mapped-dotdot", open(p, O_RDONLY), ENOENT);
	fd = open("/etc/passwd", O_RDONLY);
	char buf[512] = { 0 };
	read(fd, buf, sizeof buf - 1);
	close(fd);
	struct stat pw, rootst;
	stat("/etc/passwd", &pw);
	stat("/", &rootst);
	/* the node's own copy (of the host's users, issue 18), not the host file */
	if (strstr(buf, "SECRET") || pw.st_dev != rootst.st_dev) {
		printf("FAIL etc-passwd: the host's\n");
		fails++;
	} else
		printf("ok etc-passwd-is-node\n");
	/* read-only mapped paths */
	expect_fail("mapped-open-write", open("/usr/bin/ls", O_WRONLY), EROFS);
	expect_fail("mapped-create", open("/usr/bin/newprog", O_WRONLY | O_CREAT, 0755), EROFS);
	expect_fail("mapped-unlink", unlink("/usr/bin/ls"), EROFS);
	expect_fail("mapped-rename", rename("/usr/bin/ls", "/tmp/ls"), EROFS);
	expect_fail("mapped-rename-into", rename("/escaped", "/usr/bin/escaped"), EROFS);
	expect_fail("mapped-chmod", chmod("/usr/bin/ls", 0777), EROFS);
	expect_fail("mapped-mkdir", mkdir("/usr/lib/newdir", 0755), EROFS);
	expect_fail("mapped-rmdir", rmdir("/usr/lib/x86_64-linux-gnu"), EROFS);
	expect_fail("mapped-truncate", truncate("/usr/bin/ls", 0), EROFS);
	expect_fail("mapped-utimes", utimensat(AT_FDCWD, "/usr/bin/ls", NULL, 0), EROFS);
	expect_fail("mapped-link", link("/usr/bin/ls", "/tmp/ls-link"), EROFS);
	expect_ok("symlink-to-mapped", symlink("/usr/bin/ls", "/tmp/sl"));
	expect_fail("mapped-link-follow", linkat(AT_FDCWD, "/tmp/sl", AT_FDCWD, "/tmp/hl", AT_SYMLINK_FOLLOW), 0);
	expect_fail("mapped-access-w", access("/usr/bin/ls", W_OK), EROFS);
	fd = open("/usr/bin/ls", O_RDONLY);
	expect_fail("mapped-fchmod", fchmod(fd, 0777), EROFS);
	expect_fail("mapped-futimens", futimens(fd, NULL), EROFS);
	expect_fail("mapped-ftruncate", ftruncate(fd, 0), 0);
	expect_fail("mapped-write", write(fd, "x", 1), EBADF);
	close(fd);
	fd = open("/dev/null", O_RDWR);
	fchmod(fd, 0600);
	futimens(fd, NULL);
	close(fd);
	expect_fail("mknod-device", mknod("/tmp/sda", S_IFBLK | 0600, 0x801), EPERM);
	expect_ok("mkfifo", mkfifo("/tmp/fifo", 0600));
	printf("%s\n", fails ? "ESCAPE-TEST-FAILED" : "ESCAPE-TEST-PASSED");
	return fails != 0;
}
