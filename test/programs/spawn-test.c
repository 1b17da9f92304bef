/* spawn-test: fork+exec, wait4, waitid, posix_spawn, system(), popen(), getppid. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t me = getpid();
	/* fork + exec + wait4 */
	pid_t pid = fork();
	if (pid == 0) {
		if (getppid() != me)
			_exit(99);
		execl("/bin/sh", "sh", "-c", "exit 7", (char *)NULL);
		_exit(98);
	}
	int st;
	struct rusage ru;
	pid_t w = wait4(pid, &st, 0, &ru);
	printf("fork+exec: waited=%d exit=%d\n", w == pid, WEXITSTATUS(st));
	/* fork, child exits without exec; parent's memory untouched */
	static int shared = 1;
	pid = fork();
	if (pid == 0) {
		shared = 2;
		_exit(shared + 10);
	}
	siginfo_t si;
	memset(&si, 0, sizeof si);
	waitid(P_PID, (id_t)pid, &si, WEXITED);
	printf("waitid: pid_ok=%d code=%s status=%d parent_var=%d\n", si.si_pid == pid,
	       si.si_code == CLD_EXITED ? "CLD_EXITED" : "?", si.si_status, shared);
	/* posix_spawn */
	char *argv[] = { "echo", "from posix_spawn", NULL };
	int r = posix_spawnp(&pid, "echo", NULL, NULL, argv, environ);
	waitpid(pid, &st, 0);
	printf("posix_spawn: r=%d exit=%d\n", r, WEXITSTATUS(st));
	/* system */
	r = system("echo from system; exit 3");
	printf("system: exit=%d\n", WEXITSTATUS(r));
	/* popen */
	FILE *f = popen("seq 1 5 | tr '\\n' ' '", "r");
	char buf[128] = "";
	if (!fgets(buf, sizeof buf, f))
		buf[0] = 0;
	r = pclose(f);
	printf("popen: '%s' exit=%d\n", buf, WEXITSTATUS(r));
	f = popen("cat > /tmp/popen-out; wc -c < /tmp/popen-out", "w");
	fputs("hello popen\n", f);
	pclose(f);
	/* ECHILD */
	printf("no children: %d\n", wait(NULL));
	return 0;
}
