/* random-test: 16 bytes from getrandom and 16 from /dev/urandom, in hex. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

int main(void)
{
	unsigned char a[16], b[16];
	if (getrandom(a, sizeof a, 0) != sizeof a)
		return 1;
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, b, sizeof b) != sizeof b)
		return 2;
	for (int i = 0; i < 16; i++)
		printf("%02x", a[i]);
	printf(" ");
	for (int i = 0; i < 16; i++)
		printf("%02x", b[i]);
	printf("\n");
	return 0;
}
