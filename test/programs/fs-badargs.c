/* fs-badargs: malformed arguments must give errors, never crash the simulator. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int fails;
#define BAD ((long)0x10) /* an unmapped address */
#define WILD ((long)0xdead00000000L)

static void check(const char *name, long r, int err)
{
	if (r != -1 || errno != err) {
		printf("FAIL %s: got %ld errno %s, expected %s\n", name, r, r == -1 ? strerrorname_np(errno) : "-",
		       strerrorname_np(err));
		fails++;
	} else
		printf("ok %s\n", name);
}

int main(void)
{
	char buf[64];
	int fd = open("/etc/hostname", O_RDONLY);
	check("open-null", syscall(SYS_open, 0L, O_RDONLY), EFAULT);
	check("open-bad", syscall(SYS_open, BAD, O_RDONLY), EFAULT);
	check("openat-wild", syscall(SYS_openat, AT_FDCWD, WILD, O_RDONLY), EFAULT);
	check("stat-null-path", syscall(SYS_stat, 0L, buf), EFAULT);
	check("stat-bad-buf", syscall(SYS_stat, "/etc/hostname", BAD), EFAULT);
	check("fstat-bad-buf", syscall(SYS_fstat, fd, WILD), EFAULT);
	check("lstat-bad-path", syscall(SYS_lstat, WILD, buf), EFAULT);
	check("statx-bad-buf", syscall(SYS_statx, AT_FDCWD, "/etc", 0, 0x7ff, BAD), EFAULT);
	check("statx-bad-path", syscall(SYS_statx, AT_FDCWD, BAD, 0, 0x7ff, buf), EFAULT);
	check("access-bad", syscall(SYS_access, BAD, F_OK), EFAULT);
	check("mkdir-bad", syscall(SYS_mkdir, WILD, 0755), EFAULT);
	check("unlink-bad", syscall(SYS_unlink, BAD), EFAULT);
	check("rename-bad-old", syscall(SYS_rename, BAD, "/tmp/x"), EFAULT);
	check("rename-bad-new", syscall(SYS_rename, "/etc/hostname", BAD), EFAULT);
	check("symlink-bad-target", syscall(SYS_symlink, BAD, "/tmp/s"), EFAULT);
	check("link-bad", syscall(SYS_link, BAD, "/tmp/s"), EFAULT);
	check("chdir-bad", syscall(SYS_chdir, BAD), EFAULT);
	check("chmod-bad", syscall(SYS_chmod, BAD, 0644), EFAULT);
	check("truncate-bad", syscall(SYS_truncate, BAD, 0L), EFAULT);
	check("readlink-bad-path", syscall(SYS_readlink, BAD, buf, sizeof buf), EFAULT);
	symlink("/etc/hostname", "/tmp/rl");
	check("readlink-bad-buf", syscall(SYS_readlink, "/tmp/rl", BAD, 64L), EFAULT);
	check("getcwd-bad", syscall(SYS_getcwd, BAD, 100L), EFAULT);
	check("getcwd-small", syscall(SYS_getcwd, buf, 1L), ERANGE);
	check("read-bad-buf", syscall(SYS_read, fd, BAD, 10L), EFAULT);
	check("readv-bad-iov", syscall(SYS_readv, fd, BAD, 2L), EFAULT);
	struct iovec iv = { (void *)BAD, 10 };
	check("readv-bad-base", syscall(SYS_readv, fd, &iv, 1L), EFAULT);
	check("writev-bad-iov", syscall(SYS_writev, 1, WILD, 1L), EFAULT);
	check("readv-too-many", syscall(SYS_readv, fd, &iv, 5000L), EINVAL);
	check("preadv-bad-iov", syscall(SYS_preadv, fd, BAD, 1L, 0L, 0L), EFAULT);
	int d = open("/", O_RDONLY | O_DIRECTORY);
	check("getdents-bad-buf", syscall(SYS_getdents64, d, BAD, 4096L), EFAULT);
	check("getdents-small-buf", syscall(SYS_getdents64, d, buf, 8L), EINVAL);
	check("getdents-file", syscall(SYS_getdents64, fd, buf, 64L), ENOTDIR);
	int u = open("/dev/urandom", O_RDONLY);
	check("urandom-bad-buf", syscall(SYS_read, u, BAD, 16L), EFAULT);
	check("ioctl-fionbio-bad", syscall(SYS_ioctl, fd, FIONBIO, BAD), EFAULT);
	check("fcntl-getlk-bad", syscall(SYS_fcntl, fd, F_GETLK, BAD), EFAULT);
	check("utimensat-bad-times", syscall(SYS_utimensat, AT_FDCWD, "/etc/hostname", BAD, 0), EFAULT);
	check("statfs-bad", syscall(SYS_statfs, "/", BAD), EFAULT);
	/* too long */
	char *lng = malloc(8192);
	memset(lng, 'a', 8191);
	lng[8191] = 0;
	check("open-pathmax", open(lng, O_RDONLY), ENAMETOOLONG);
	check("stat-pathmax", syscall(SYS_stat, lng, buf), ENAMETOOLONG);
	check("mkdir-pathmax", mkdir(lng, 0755), ENAMETOOLONG);
	lng[300] = 0;
	check("open-namemax", open(lng, O_RDONLY), ENAMETOOLONG);
	check("creat-namemax", open(lng, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
	check("mkdir-namemax", mkdir(lng, 0755), ENAMETOOLONG);
	check("unlink-namemax", unlink(lng), ENAMETOOLONG);
	/* bad descriptors */
	check("read-ebadf", syscall(SYS_read, 999L, buf, 1L), EBADF);
	check("read-negative", syscall(SYS_read, -5L, buf, 1L), EBADF);
	check("write-ebadf", syscall(SYS_write, 5000L, buf, 1L), EBADF);
	check("close-ebadf", close(777), EBADF);
	check("fstat-ebadf", syscall(SYS_fstat, 333L, buf), EBADF);
	check("lseek-ebadf", lseek(444, 0, SEEK_SET), EBADF);
	check("dup-ebadf", dup(555), EBADF);
	check("dup2-ebadf", dup2(555, 10), EBADF);
	check("dup2-big", dup2(0, 1 << 20), EBADF);
	check("dup3-same", dup3(0, 0, 0), EINVAL);
	check("fcntl-ebadf", fcntl(666, F_GETFL), EBADF);
	check("fcntl-dupfd-big", fcntl(0, F_DUPFD, 5000), EINVAL);
	check("fchdir-ebadf", fchdir(888), EBADF);
	check("getdents-ebadf", syscall(SYS_getdents64, 999L, buf, 64L), EBADF);
	check("openat-bad-dirfd", openat(999, "x", O_RDONLY), EBADF);
	check("fstatat-bad-dirfd", fstatat(999, "x", (struct stat *)buf, 0), EBADF);
	check("pread-ebadf", pread(999, buf, 1, 0), EBADF);
	check("ftruncate-rdonly", ftruncate(fd, 0), EINVAL);
	check("write-rdonly", write(fd, "x", 1), EBADF);
	int w = open("/tmp/wo", O_WRONLY | O_CREAT, 0600);
	check("read-wronly", read(w, buf, 1), EBADF);
	check("pread-wronly", pread(w, buf, 1, 0), EBADF);
	check("lseek-bad-whence", lseek(fd, 0, 42), EINVAL);
	check("pread-negative", pread(fd, buf, 1, -1), EINVAL);
	check("open-empty", open("", O_RDONLY), ENOENT);
	check("open-notdir", open("/etc/hostname/x", O_RDONLY), ENOTDIR);
	check("rmdir-notempty", rmdir("/etc"), ENOTEMPTY);
	check("unlink-dir", unlink("/etc"), EISDIR);
	check("mkdir-exists", mkdir("/etc", 0755), EEXIST);
	check("creat-excl-exists", open("/etc/hostname", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	check("rmdir-dot", rmdir("/tmp/."), EINVAL);
	check("chdir-file", chdir("/etc/hostname"), ENOTDIR);
	check("rename-dir-over-file", rename("/tmp", "/etc/hostname"), ENOTDIR);
	printf("%s\n", fails ? "BADARGS-TEST-FAILED" : "BADARGS-TEST-PASSED");
	return fails != 0;
}
