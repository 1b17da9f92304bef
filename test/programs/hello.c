/* hello: the smallest program of our own, for quick checks. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	printf("hello from pid %d, argc %d, argv[0] %s\n", getpid(), argc, argv[0]);
	return argc > 1 ? atoi(argv[1]) : 0;
}
