#!/usr/bin/env bash
# Time suite: simulated time always advances. System calls that never block cost
# time (deterministically), programs without any system call are preempted by the
# host CPU watchdog, stop times end both, and SIGINT/SIGTERM to dce end the run
# with every output written.
. "$(dirname "$0")/../lib.sh"
build_once
P=$PROGS
# A regression here freezes the run: bound every run (the signal tests below use
# the binary itself, as they signal it).
printf '#!/bin/sh\nexec timeout -s KILL 300 "%s" "$@"\n' "$DCE_RUN" >"$SCRATCH/dce-run"
chmod +x "$SCRATCH/dce-run"
REAL_DCE_RUN=$DCE_RUN
DCE_RUN=$SCRATCH/dce-run

# --- the per-call cost: exact and deterministic -------------------------------------
run_dce cost "0: $P/call-loop getpid 10000" "1: $P/call-loop mixed 20000"
check "10000 getpid calls take 10 ms at the default 1 us per call" \
	grep -qx 'getpid calls 10000 took 10000000 ns' "$(stdout_of 0 1000)"
check "the clock moves during a loop of non-blocking calls" \
	grep -qx 'round 10000 at 20000000 ns' "$(stdout_of 1 1000)"
cp "$OUT/exitprocs" "$SCRATCH/cost.exitprocs"
cat "$OUT"/files-*/var/log/*/stdout >"$SCRATCH/cost.stdout"
run_dce cost2 "0: $P/call-loop getpid 10000" "1: $P/call-loop mixed 20000"
check "two runs of call loops: identical exitprocs" cmp -s "$SCRATCH/cost.exitprocs" "$OUT/exitprocs"
check "two runs of call loops: identical outputs" cmp -s "$SCRATCH/cost.stdout" <(cat "$OUT"/files-*/var/log/*/stdout)
run_dce cost5 --syscall-cost 5us --cost-slice 100us "0: $P/call-loop getpid 10000"
check "--syscall-cost and --cost-slice set the model" \
	grep -qx 'getpid calls 10000 took 50000000 ns' "$(stdout_of 0 1000)"
run_dce nocost --syscall-cost 0 "0: $P/call-loop getpid 10000"
check "--syscall-cost 0: calls are free" grep -qx 'getpid calls 10000 took 0 ns' "$(stdout_of 0 1000)"
# Two pollers at once (each a ready select and a clock read per round, as iperf3
# between its writes): each call still costs its 1 us. The clock-read backoff used
# to forgive the owed time, so 20000 rounds took 200 us (10 ns a call).
run_dce pollers "0: $P/call-loop poll 20000" "1: $P/call-loop poll 20000"
for n in 0 1; do
	t=$(sed -n 's/^poll rounds 20000 (20000 ready) took \([0-9]*\) ns$/\1/p' "$(stdout_of $n 1000)")
	check "two pollers: node $n's 20000 ready selects take about 20 ms (${t:-?} ns)" \
		test "${t:-0}" -ge 19000000 -a "${t:-0}" -le 21000000
done
run_dce sleeper "0: sleep 5"
check "a program that blocks pays nothing: sleep 5 still ends at 5 s" \
	grep -Eq '^0 +1000 +0 +0\.000000000 +5\.000000000 +sleep 5$' "$OUT/exitprocs"

# --- loops of calls that never block reach the stop times ---------------------------
run_dce yes --stop 0.1s "0: sh -c 'yes > /dev/null'" "1: sh -c 'sleep 0.05; echo done'"
check "yes > /dev/null: the run ends at its stop time" grep -q 'simulation ended at 0.100000000 s' "$SCRATCH/yes.log"
check "yes > /dev/null: a status file says it was still running" \
	grep -qx 'running: still running when the simulation ended' "$(status_of 0 1001)"
check "yes > /dev/null: exitprocs lists it running until the stop" \
	grep -Eq '^0 +1001 +RUNNING +0\.000000000 +0\.100000000 +yes$' "$OUT/exitprocs"
check "another node's program finishes at its own time" \
	grep -Eq '^1 +1000 +0 +0\.000000000 +0\.050000000 ' "$OUT/exitprocs"
run_dce shloop --stop 1s --syscall-cost 20us "0: sh -c 'while :; do echo x > /dev/null; done'"
check "a shell loop of echo > /dev/null ends at the stop time" \
	grep -q 'simulation ended at 1.000000000 s' "$SCRATCH/shloop.log"
check "the shell loop's status file is written" grep -q '^running: ' "$(status_of 0 1000)"
run_dce yield "0 stop=0.05s: $P/call-loop yield"
check "a sched_yield loop (a yield passes no time) reaches its stop time" \
	grep -qx 'killed: SIGKILL (9)' "$(status_of 0 1000)"
run_dce yesstop "0 stop=0.05s: sh -c 'exec yes > /dev/null'"
check "per-process stop ends yes at its time" \
	grep -Eq '^0 +1000 +SIGKILL +0\.000000000 +0\.050000000 ' "$OUT/exitprocs"

# --- programs without any system call: the CPU watchdog -------------------------------
native=$("$P/spin" 100000000 2>/dev/null)
run_dce spin --cpu-watchdog 50ms "0: $P/spin 100000000" "1: sh -c 'sleep 0.1; echo done'"
check "a computing program is preempted invisibly: the same result as natively" \
	grep -qx "$native" "$(stdout_of 0 1000)"
check "its computing took simulated time" grep -Eq '^simulated seconds [0-9.]*[1-9]' "$OUT/files-0/var/log/1000/stderr"
check "another node still runs at its own time while it computes" \
	grep -Eq '^1 +1000 +0 +0\.000000000 +0\.100000000 ' "$OUT/exitprocs"
run_dce spinstop --cpu-watchdog 20ms --stop 0.5s "0 stop=0.2s: $P/spin forever" "1: $P/spin forever" \
	"2: sh -c 'sleep 0.1; echo done'"
check "per-process stop ends a program that makes no system call" \
	grep -Eq '^0 +1000 +SIGKILL +0\.000000000 +0\.200000000 ' "$OUT/exitprocs"
check "the global stop ends a program that makes no system call" \
	grep -q 'simulation ended at 0.500000000 s' "$SCRATCH/spinstop.log"
check "its status file is written" grep -qx 'running: still running when the simulation ended' "$(status_of 1 1000)"
check "a third node finishes on time beside two spinners" grep -qx done "$(stdout_of 2 1000)"
run_dce alarm --cpu-watchdog 20ms "0: python3 -c 'import signal; signal.alarm(1)
while True: pass'"
check "SIGALRM reaches a preempted program at its time" grep -qx 'killed: SIGALRM (14)' "$(status_of 0 1000)"
check "... at 1 s" grep -q '^end: 1\.0' "$(status_of 0 1000)"
# preempting writes nothing on the program's stack (as on Linux): a stack pointer of
# 0 does not matter until the program uses it
run_dce badstack --cpu-watchdog 20ms --stop 0.3s "0 stop=0.2s: $P/spin badstack" "1: sh -c 'sleep 0.1; echo done'"
check "a spinning program whose stack is unusable is preempted like any other" \
	grep -Eq '^0 +1000 +SIGKILL +0\.000000000 +0\.200000000 ' "$OUT/exitprocs"
check "... and the run goes on" grep -qx done "$(stdout_of 1 1000)"
run_dce nowatch --cpu-watchdog 0 --stop 0.1s "0: true"
check "--cpu-watchdog 0 is accepted" [ "$RC" = 0 ]

# --- SIGINT, SIGTERM, SIGHUP to dce end the run with its outputs ----------------------
for sig in INT TERM HUP; do
	OUT=$SCRATCH/sig$sig
	"$REAL_DCE_RUN" --out "$OUT" --map "$P" --cpu-watchdog 50ms "0: sleep 100" "1: $P/spin forever" \
		"2: sh -c 'echo started; sleep 50'" "3: true" >"$SCRATCH/sig$sig.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -s "$OUT/files-2/var/log/1000/stdout" ] && break; sleep 0.1; done
	sleep 0.3
	kill -$sig $pid
	wait $pid
	RC=$?
	num=$(kill -l $sig)
	check "SIG$sig: dce exits with 128+$num" [ "$RC" = $((128 + num)) ]
	check "SIG$sig: one line on stderr says so" grep -q "^dce: stopped by SIG$sig at [0-9.]* s of simulated time" "$SCRATCH/sig$sig.log"
	check "SIG$sig: exitprocs is written" grep -Eq '^0 +1000 +RUNNING ' "$OUT/exitprocs"
	check "SIG$sig: a sleeping program's status says why it ended" \
		grep -Eq "^running: stopped by SIG$sig at [0-9]+\.[0-9]{9}$" "$OUT/files-0/var/log/1000/status"
	check "SIG$sig: a spinning program's status too" \
		grep -Eq "^running: stopped by SIG$sig at " "$OUT/files-1/var/log/1000/status"
	check "SIG$sig: a shell's child's status too" grep -q "^running: stopped by SIG$sig at " "$OUT/files-2/var/log/1001/status"
	check "SIG$sig: what the programs wrote is there" grep -qx started "$OUT/files-2/var/log/1000/stdout"
	check "SIG$sig: a finished program keeps its exit status" grep -qx 'exit: 0' "$OUT/files-3/var/log/1000/status"
done

# --- bad options: one clear line ------------------------------------------------------
run_dce badcost --syscall-cost fast "0: true"
check "a bad --syscall-cost is refused with a clear line" \
	grep -q "^dce-run: bad --syscall-cost time .*fast" "$SCRATCH/badcost.log"
check "... and exit status 2" [ "$RC" = 2 ]
run_dce badwd --cpu-watchdog "" "0: true"
check "an empty --cpu-watchdog is refused" [ "$RC" = 2 ]
finish
