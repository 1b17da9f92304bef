#!/usr/bin/env bash
# core-proc: threads, signals, processes, time and readiness, with our own test
# programs and stock Debian ones (sh, bash, timeout, python3, seq, sort, head).
set -u
cd "$(dirname "$0")/../.."
# (retried once: other builds may share build/ at the same moment)
make -j2 >/dev/null 2>&1 || { sleep 5; make -j2 >/dev/null 2>&1; } || { echo "not ok - make"; exit 1; }
RUN=$PWD/build/dce/dce-run
TP=$PWD/build/dce/test-programs
W=$(mktemp -d /tmp/dce-core-proc.XXXXXX)
trap 'rm -rf "$W"' EXIT
fails=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; fails=$((fails + 1)); }
check() { # name, command...: passes if the command succeeds
	local name=$1; shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}
# run OUTDIR scenario-args...: dce-run with the test programs mapped, 60 s cap
run() {
	local out=$1; shift
	rm -rf "$out"
	timeout 60 "$RUN" -o "$out" --map "$TP" "$@" >"$out.log" 2>&1
	local rc=$?
	[ $rc -ne 124 ] || echo "# dce-run timed out: $*"
	return 0
}
out() { cat "$1/files-$2/var/log/$3/stdout" 2>/dev/null; }
status() { cat "$1/files-$2/var/log/$3/status" 2>/dev/null; }
exitp() { awk -v n="$2" -v p="$3" '$1==n && $2==p {print $3}' "$1/exitprocs"; }
export -f out status exitp
# expect-file NAME ACTUAL-FILE <<EOF ...: compare with the expected text
expect() {
	local name=$1 actual=$2 exp
	exp=$(cat)
	if [ "$(cat "$actual" 2>/dev/null)" == "$exp" ]; then ok "$name"; else
		notok "$name"; diff <(echo "$exp") "$actual" | sed 's/^/#   /' | head -20
	fi
}

# ---- threads ----
run "$W/thr" "0: $TP/pthread-test"
expect "pthread-test: mutex, barrier, join, TLS, TSD destructors, timed waits at exact simulated times" \
	"$W/thr/files-0/var/log/1000/stdout" <<'X'
0.400 barrier passed counter=40000
0.400 joined sum=60 tls(main)=7 destructors=10
1.900 cond_timedwait ETIMEDOUT after 1.500 s
2.400 cond signalled
2.600 sem_timedwait Connection timed out after 0.200 s
2.850 detached thread posted after 0.250 s done=1
4.850 mutex_timedlock ETIMEDOUT after 2.000 s
4.850 done
X

# ---- signals ----
run "$W/sig" "0: $TP/signal-test"
expect "signal-test: sigaction, masks, kill/tgkill, altstack, sigtimedwait, EINTR, SA_RESTART, alarm, itimer, POSIX timers, SIGPIPE" \
	"$W/sig/files-0/var/log/1000/stdout" <<'X'
pid>1: 1 ppid: 1
kill self: got=1 sig=10 code=SI_USER pid_ok=1
blocked: got=1 pending=1
unblocked: got=2
tgkill+altstack: sig=12 on_alt=1
sigtimedwait: r=-1 errno=EAGAIN after 0.300
sigtimedwait: r=10 signo=10
read interrupted: n=-1 errno=EINTR after 0.200 sig=14
read restarted: n=1 c=x handler_ran=1 after 0.300
alarm+pause: woke after 1.000 sig=14
setitimer periodic: 3 ticks after 0.300
timer_create: r=0 left=0.750 fired after 0.750 code=SI_TIMER value=42
SIGEV_THREAD: r=0 fired=7 after 0.41
SIGPIPE ignored: n=-1 errno=EPIPE
SIGPIPE child: signaled=1 sig=13
kill child: signaled=1 sig=15 after 0.000
3.360 done
X

run "$W/to" "0: /usr/bin/timeout 2 sleep 10" "1: /usr/bin/timeout -s INT 1.5 /bin/sh -c 'sleep 5; echo no'" \
	"2: /usr/bin/timeout 3 sleep 1"
check "timeout 2 sleep 10: exit 124 at 2 s, sleep killed by SIGTERM, no unknown syscall" \
	bash -c "[ \"\$(exitp $W/to 0 1000)\" = 124 ] && [ \"\$(exitp $W/to 0 1001)\" = SIGTERM ] &&
	         grep -q 'end: 2.000000000' $W/to/files-0/var/log/1000/status &&
	         ! grep -q unknown-syscall $W/to/files-0/var/log/1000/status"
check "timeout -s INT 1.5 sh -c: the shell and its sleep get SIGINT at 1.5 s" \
	bash -c "[ \"\$(exitp $W/to 1 1001)\" = SIGINT ] && grep -q 'end: 1.500000000' $W/to/files-1/var/log/1000/status && [ -z \"\$(out $W/to 1 1001)\" ]"
check "timeout 3 sleep 1: exit 0 at 1 s" \
	bash -c "[ \"\$(exitp $W/to 2 1000)\" = 0 ] && grep -q 'end: 1.000000000' $W/to/files-2/var/log/1000/status"

# ---- processes ----
run "$W/sp" "0: $TP/spawn-test"
expect "spawn-test: fork+exec, wait4, waitid, posix_spawn, system, popen (r and w)" \
	"$W/sp/files-0/var/log/1000/stdout" <<'X'
fork+exec: waited=1 exit=7
waitid: pid_ok=1 code=CLD_EXITED status=12 parent_var=1
from posix_spawn
posix_spawn: r=0 exit=0
from system
system: exit=3
popen: '1 2 3 4 5 ' exit=0
12
no children: -1
X
check "popen(w): the child read what the parent wrote" \
	bash -c "[ \"\$(cat $W/sp/files-0/tmp/popen-out)\" = 'hello popen' ]"

cat > "$W/script.sh" <<'X'
#!/bin/bash
x=$(echo sub | tr a-z A-Z)
( y=inner; echo "subshell $x $y" )
echo "after subshell y=${y:-unset}"
sleep 1 & p1=$!
(sleep 0.5; echo "bg job done") &
wait $p1; echo "wait p1 $?"
wait; echo "all waited"
for i in 1 2 3; do echo "loop $i"; done | sort -r | head -2
echo "pid-ok $(( $$ >= 1000 ))"
X
chmod +x "$W/script.sh"
run "$W/bash" --map "$W" "0: $W/script.sh"
expect "bash script: \$(...), subshell, background jobs, wait, pipeline" "$W/bash/files-0/var/log/1000/stdout" <<'X'
subshell SUB inner
after subshell y=unset
bg job done
wait p1 0
all waited
loop 3
loop 2
pid-ok 1
X
check "bash script: ends at 1 s" grep -q 'end: 1.000000000' "$W/bash/files-0/var/log/1000/status"

run "$W/pipe" "0: /bin/sh -c 'seq 1 20000 | sort -rn | head -3'" \
	"1: /bin/sh -c 'i=0; (while [ \$i -lt 20000 ]; do echo \$i; i=\$((i+1)); done) | sort -rn | head -3'" \
	"2: /bin/sh -c 'x=\$(seq 1 30000 | wc -l); echo \$x'"
check "sh -c 'seq 1 20000 | sort -rn | head -3'" bash -c "[ \"\$(out $W/pipe 0 1000 | tr '\n' ' ')\" = '20000 19999 19998 ' ]"
check "forked subshell filling the pipe before the reader is forked (no deadlock)" \
	bash -c "[ \"\$(out $W/pipe 1 1000 | tr '\n' ' ')\" = '19999 19998 19997 ' ] && [ \"\$(exitp $W/pipe 1 1000)\" = 0 ]"
check "\$(seq 1 30000 | wc -l)" bash -c "[ \"\$(out $W/pipe 2 1000)\" = 30000 ]"

run "$W/fk" "0: /bin/sh -c '(sleep 0.5; echo a) & exec sleep 1'" "1: /bin/sh -c '(echo sub; sleep 0.2; echo sub2) & echo parent-exits'" \
	"2: /usr/bin/python3 -c 'import os; pid=os.fork(); print(\"child\" if pid==0 else \"parent\", flush=True); os._exit(3) if pid==0 else print(os.waitpid(pid,0)[1]>>8)'"
check "fork child outlives its parent's exec and exit (shared memory handed over)" \
	bash -c "[ \"\$(out $W/fk 0 1000)\" = a ] && [ \"\$(out $W/fk 1 1000 | tr '\n' ' ')\" = 'parent-exits sub sub2 ' ] &&
	         [ \"\$(exitp $W/fk 0 1001)\" = 0 ] && [ \"\$(exitp $W/fk 1 1001)\" = 0 ]"
check "python3 os.fork: parent and child both run, waitpid gets the status" \
	bash -c "[ \"\$(out $W/fk 2 1000 | tr '\n' ' ')\" = 'parent child 3 ' ]"

run "$W/py" "0: /usr/bin/python3 -c 'import subprocess,os; r=subprocess.run([\"sh\",\"-c\",\"echo \$PPID; exit 4\"],capture_output=True); print(r.stdout.decode().strip()==str(os.getpid()), r.returncode); print(subprocess.check_output(\"seq 3 | tail -1\", shell=True).decode().strip())'"
expect "python3 subprocess.run (vfork child on the parent's stack)" "$W/py/files-0/var/log/1000/stdout" <<'X'
True 4
3
X

# the parent unmaps a mapping its fork child still reads (rsync's generator frees
# its buffers while the receiver it forked uses its own copies)
run "$W/um" "0: /usr/bin/python3 -c 'import mmap, os, time
m = mmap.mmap(-1, 1 << 20); m[0:6] = b\"parent\"; pid = os.fork()
if pid == 0: time.sleep(0.5); print(\"child reads\", m[0:6].decode(), flush=True); os._exit(0)
m.close(); print(\"child status\", os.waitpid(pid, 0)[1])'"
expect "a fork child keeps its copy of a mapping its parent unmaps" "$W/um/files-0/var/log/1000/stdout" <<'X'
child reads parent
child status 0
X

# parent and fork child take turns (pipes) rewriting buffers of 64-320 KiB at the
# same addresses: each must find its own bytes after every switch. glibc's free
# trims the heap (brk down) while the other still has its heap there: the pages
# must stay for it (the child was killed by SIGSEGV in round 5 before the fix).
cat > "$W/turns.py" <<'X'
import os
r1, w1 = os.pipe(); r2, w2 = os.pipe()
pid = os.fork()
who = 1 if pid == 0 else 2
val = lambda i, j: (i * 31 + j * 7 + who) % 251
bufs, bad = [], 0
for i in range(40):
    if pid == 0: os.read(r1, 1)
    for j, b in enumerate(bufs):
        if b.count(bytes([val(i - 1, j)])) != len(b): bad += 1
        b[:] = bytes([val(i, j)]) * len(b)
    bufs.append(bytearray(bytes([val(i, i)]) * ((i % 5 + 1) << 16)))
    if pid: os.write(w1, b"x"); os.read(r2, 1)
    else: os.write(w2, b"x")
if pid == 0: print("child rounds 40 bad", bad, flush=True); os._exit(0)
print("parent rounds 40 bad", bad, "child status", os.waitpid(pid, 0)[1])
X
run "$W/turns" --map "$W" "0: /usr/bin/python3 $W/turns.py"
expect "fork parent and child alternate 40 times over 8 MiB of heap, the heap shrinking and growing: each keeps its own memory" \
	"$W/turns/files-0/var/log/1000/stdout" <<'X'
child rounds 40 bad 0
parent rounds 40 bad 0 child status 0
X

# an ended process's stack is kept for the next process (mm.c): the next one, and an
# exec's new image, must still find their stack zero-filled
run "$W/sz" "0: $TP/stack-zero dirty" "0@1s: $TP/stack-zero check" "1: $TP/stack-zero dirty-exec" \
	"2: /bin/sh -c '$TP/stack-zero dirty; $TP/stack-zero check'"
cat "$W/sz/files-0/var/log/1000/stdout" "$W/sz/files-0/var/log/1001/stdout" \
	"$W/sz/files-1/var/log/1000/stdout" "$W/sz/files-2/var/log/1000/stdout" >"$W/sz.out" 2>/dev/null
expect "a new process's stack reads as zeros where an ended process's stack was (after exit, exec, fork+exec)" \
	"$W/sz.out" <<'X'
dirtied
stack below the frame: 0 marker words of an earlier process
stack below the frame: 0 marker words of an earlier process
dirtied
stack below the frame: 0 marker words of an earlier process
X

run "$W/ft" "0: $TP/fork-threads"
expect "fork child and threaded parent waiting on one condvar address: the parent's signal wakes the parent" \
	"$W/ft/files-0/var/log/1000/stdout" <<'X'
0.200 parent thread woken
1.000 child timed out=1 flag=0
1.000 parent done
X

# ---- crash containment: every crash on its own node, a long runner beside them ----
args=("20: $TP/pthread-test")
modes="segv bus abort assert stack fpe ill"
n=0
for m in $modes; do args+=("$n: $TP/crash $m"); n=$((n + 1)); done
run "$W/crash" "${args[@]}"
n=0
for m in $modes; do
	case $m in segv|stack) s=SIGSEGV ;; bus) s=SIGBUS ;; abort|assert) s=SIGABRT ;; fpe) s=SIGFPE ;; ill) s=SIGILL ;; esac
	check "crash $m: killed by $s in status and exitprocs, output kept" \
		bash -c "[ \"\$(exitp $W/crash $n 1000)\" = $s ] && grep -q 'killed: $s' $W/crash/files-$n/var/log/1000/status &&
		         [ \"\$(out $W/crash $n 1000 | head -1)\" = 'crash $m: before' ]"
	n=$((n + 1))
done
check "crashes: the pthread test on another node ran to the end" \
	bash -c "[ \"\$(exitp $W/crash 20 1000)\" = 0 ] && out $W/crash 20 1000 | grep -q '4.850 done'"

# ---- time ----
run "$W/busy" "0: $TP/busy-wait"
check "busy-wait on the clock finishes and time advances" \
	bash -c "[ \"\$(exitp $W/busy 0 1000)\" = 0 ] && out $W/busy 0 1000 | grep -q 'busy-wait done' &&
	         awk '/^end:/ { exit !(\$2 >= 2.0 && \$2 < 2.1) }' $W/busy/files-0/var/log/1000/status"

# ---- readiness ----
run "$W/poll" "0: $TP/poll-test"
expect "poll-test: poll, ppoll, select, pselect, epoll (LT, ET, ONESHOT), eventfd, timerfd" \
	"$W/poll/files-0/var/log/1000/stdout" <<'X'
poll timeout: r=0 after 0.300
poll ready: r=1 revents=0x1 after 0.200
poll writable: r=1 revents=0x4
ppoll timeout: r=0 after 0.250
ppoll signal: r=-1 errno=EINTR
select timeout: r=0 after 0.150 tv_left=0
pselect ready: r=1 isset=1 after 0.100
eventfd empty: r=-1 errno=EAGAIN
eventfd count: 6
eventfd semaphore: 1
timerfd first: 1 after 0.500
timerfd overruns: 3
epoll timeout: r=0 after 0.200
epoll timerfd: r=1 data=3 after 0.300
epoll level: r=1 again=1 data=2
epoll ET: first=1 second=0 after-new-data=1
epoll ONESHOT: first=1 disabled=0 rearmed=1
epoll wake: r=1 data=1 after 0.400
poll hup: r=1 hup=1
2.850 done
X

# ---- randomness ----
run "$W/r1" --seed 1 "0: $TP/random-test" "1: $TP/random-test"
run "$W/r1b" --seed 1 "0: $TP/random-test" "1: $TP/random-test"
run "$W/r2" --seed 2 "0: $TP/random-test"
check "getrandom and /dev/urandom: same seed same bytes" bash -c "[ -n \"\$(out $W/r1 0 1000)\" ] && [ \"\$(out $W/r1 0 1000)\" = \"\$(out $W/r1b 0 1000)\" ]"
check "getrandom and /dev/urandom: another seed other bytes" bash -c "[ \"\$(out $W/r1 0 1000)\" != \"\$(out $W/r2 0 1000)\" ]"
check "getrandom and /dev/urandom: nodes differ, getrandom differs from urandom" \
	bash -c "[ \"\$(out $W/r1 0 1000)\" != \"\$(out $W/r1 1 1000)\" ] && out $W/r1 0 1000 | awk '{ exit \$1 == \$2 }'"

# ---- scale: 100 nodes at once ----
args=()
for i in $(seq 0 49); do args+=("$i: $TP/pthread-test"); done
for i in $(seq 50 99); do args+=("$i: /bin/sh -c 'seq 1 2000 | sort -rn | head -2 | tr \"\\n\" \" \"; echo \$(echo node $i)'"); done
run "$W/scale" "${args[@]}"
bad=0
for i in $(seq 0 49); do
	out "$W/scale" $i 1000 | grep -q '^4.850 done$' || bad=$((bad + 1))
done
for i in $(seq 50 99); do
	[ "$(out "$W/scale" $i 1000)" = "2000 1999 node $i" ] || bad=$((bad + 1))
done
check "100 nodes at once (50 pthread-test, 50 sh pipelines): all outputs right ($bad wrong)" [ $bad -eq 0 ]

# ---- determinism: the same scenario twice ----
det=("0: $TP/pthread-test" "1: $TP/signal-test" "2: $TP/spawn-test" "3: $TP/poll-test" "4: $TP/crash segv"
     "5: /bin/sh -c 'i=0; (while [ \$i -lt 3000 ]; do echo \$i; i=\$((i+1)); done) | sort -rn | head -3'"
     "6: /usr/bin/timeout 1 sleep 5" "7: $TP/random-test")
run "$W/d1" --seed 5 "${det[@]}"
run "$W/d2" --seed 5 "${det[@]}"
check "determinism: exitprocs identical" cmp -s "$W/d1/exitprocs" "$W/d2/exitprocs"
same=1
for f in $(cd "$W/d1" && find . -path '*/var/log/*' -type f | sort); do
	cmp -s "$W/d1/$f" "$W/d2/$f" || { same=0; echo "#   differs: $f"; }
done
check "determinism: every stdout, stderr and status file identical" [ $same -eq 1 ]

# Signals as Linux delivers them: handlers for faults, resuming a changed context,
# sigaltstack, nothing written below the stack pointer by a system call, AVX state
# kept across a handler, tgkill between threads (test/programs/sigfault.c)
run "$W/sig" "0: $TP/sigfault"
for c in segv-longjmp segv-mask-restored segv-again segv-resume fpe overflow below-sp avx thread default; do
	check "signals: $c" grep -qx "ok $c" <(out "$W/sig" 0 1000)
done
check "signals: the program exits 0" [ "$(exitp "$W/sig" 0 1000)" = 0 ]
check "signals: its child without a handler is killed by SIGSEGV" \
	grep -Eq '^0 +[0-9]+ +SIGSEGV .*sigfault crash$' "$W/sig/exitprocs"

# Different non-PIE executables alive at once, their fixed address ranges
# overlapping: they take turns (src/loader/fixed_image.c). Two of our own built
# -no-pie with different layouts, and Debian's python3 (non-PIE too), interleaved.
cat > "$W/np.c" <<'NPEOF'
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static long counter = 1000;              /* .data: private per process */
static char big[PAD];                    /* .bss of a size that differs per build */
int main(int argc, char **argv)
{
	long step = atol(argv[1]);
	for (int i = 0; i < 5; i++) {
		counter += step;
		big[i] = (char)i;
		printf("%s %ld\n", argv[0], counter);
		fflush(stdout);
		usleep(1000);
	}
	return big[4] == 4 ? 0 : 1;
}
NPEOF
cc -O1 -no-pie -fno-pie -DPAD=4096 -o "$W/nopie-a" "$W/np.c" &&
	cc -O1 -no-pie -fno-pie -DPAD=40000000 -o "$W/nopie-b" "$W/np.c"
run "$W/np" --map "$W" "0: $W/nopie-a 1" "0: $W/nopie-b 10" "1: $W/nopie-a 100" \
	"2: python3 -c 'import time; [print(i, flush=True) or time.sleep(0.001) for i in range(5)]'"
check "non-PIE: two different executables at 0x400000 and a second instance run interleaved" \
	[ "$(out "$W/np" 0 1000 | tail -1)$(out "$W/np" 0 1001 | tail -1)$(out "$W/np" 1 1000 | tail -1)" = \
	  "$W/nopie-a 1005$W/nopie-b 1050$W/nopie-a 1500" ]
check "non-PIE: ... with python3 (non-PIE) alive too" [ "$(out "$W/np" 2 1000 | tr -d '\n')" = 01234 ]
check "non-PIE: every one exits 0" [ "$(awk 'NR>1{printf "%s", $3}' "$W/np/exitprocs")" = 0000 ]

# host files per program: stdin /dev/null is one shared open file, so 100 nodes
# each running a program fit in 360 host files (before: ~4 per program, ~400)
args=()
for i in $(seq 0 99); do args+=("$i: /bin/sleep 1"); done
rm -rf "$W/nofile"
prlimit --nofile=360:360 "$RUN" -o "$W/nofile" "${args[@]}" >"$W/nofile.log" 2>&1
check "100 nodes x 1 program run within 360 host files (stdin /dev/null shared), no preflight warning" \
	sh -c "test \$(awk 'NR>1 && \$3 == 0' '$W/nofile/exitprocs' | wc -l) = 100 && ! grep -q preflight '$W/nofile.log'"

[ $fails -eq 0 ] && echo "# core-proc: all passed" || echo "# core-proc: $fails failed"
exit $((fails != 0))
