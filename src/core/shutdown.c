/* shutdown.c - SIGINT, SIGTERM and SIGHUP to dce end the run with its outputs.
 *
 * Without this, ^C or a CI timeout leaves no exitprocs and no status files: the
 * run is lost. The handler writes every output (dce_run_emergency_end), says so in
 * one line and exits with 128 + the signal, as a shell reports a killed command.
 * It may interrupt a simulated program (shutdown_entry.S first restores dce's
 * host state) or dce itself; dce runs on one host thread and the outputs are
 * written without malloc or stdio, so nothing it needs can be held. Programs'
 * stdout and stderr are host files written unbuffered: nothing is lost there. */
#include "kernel.h"
#include "sim.h"
#include <string.h>
#include <unistd.h>

void dce_shutdown_entry(int sig);

void dce_shutdown_init(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = dce_shutdown_entry;
	sa.sa_flags = SA_ONSTACK; /* never on a simulated program's stack */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGVTALRM); /* the CPU watchdog's tick (libc-ns3/watchdog.c) */
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

/* From shutdown_entry.S with dce's host state restored. */
void dce_shutdown_signal(int sig) __attribute__((noreturn));
void dce_shutdown_signal(int sig)
{
	const char *name = sigabbrev_np(sig);
	char why[48], line[PATH_MAX + 160];
	snprintf(why, sizeof why, "stopped by SIG%s", name ? name : "?");
	dce_run_emergency_end(why);
	uint64_t now = dce_sim_now();
	int n = snprintf(line, sizeof line, "dce: %s at %llu.%09llu s of simulated time; exitprocs and "
	                 "status files written in %s\n", why, (unsigned long long)(now / 1000000000ULL),
	                 (unsigned long long)(now % 1000000000ULL),
	                 dce_world.out_dir ? dce_world.out_dir : "(no output directory yet)");
	if (n > 0 && write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0) {
	}
	_exit(128 + sig);
}
