/* fs-emfile: opens files until EMFILE; the process and the simulation go on. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/etc/hostname";
	int n = 0, fd, last = -1;
	while ((fd = open(path, O_RDONLY)) >= 0) {
		n++;
		last = fd;
	}
	printf("opened %d last %d errno %s\n", n, last, strerrorname_np(errno));
	printf("dup %s\n", dup(0) < 0 ? strerrorname_np(errno) : "succeeded");
	close(last);
	fd = open(path, O_RDONLY);
	printf("after close: fd %d\n", fd);
	for (int i = 3; i < 1024; i++)
		close(i);
	fd = open(path, O_RDONLY);
	char buf[64] = { 0 };
	read(fd, buf, sizeof buf - 1);
	printf("after closing all: fd %d reads %s", fd, buf);
	return 0;
}
