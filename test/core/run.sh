#!/usr/bin/env bash
# Core suite: stock programs in simulated time, the loader's errors, outputs and
# determinism. Each case names the behaviour a user relies on.
. "$(dirname "$0")/../lib.sh"
build_once

# --- fibers ---------------------------------------------------------------------------
# (a sanitizer build's objects need the sanitizer's runtime: link with it if asked)
fa_link() { gcc -O0 "$@" -o "$SCRATCH/fiber-align" "$TOP/test/unit/fiber-align.c" "$BUILD/src/core/fiber.o" "$BUILD/src/core/fiber_switch.o"; }
if fa_link 2>/dev/null || fa_link -fsanitize=undefined; then
	check "a new fiber starts with the ABI's stack alignment" "$SCRATCH/fiber-align"
else
	notok "the fiber alignment test links against $BUILD"
fi

# --- without FSGSBASE (some VMs hide it): the trap paths switch FS with arch_prctl ---
DCE_FSGSBASE=0 run_dce nofsgs "0: sh -c 'x=\$(echo sub); echo \$x; python3 -c \"print(6*7)\"'"
check "programs run without the FSGSBASE instructions (DCE_FSGSBASE=0)" \
	diff <(printf 'sub\n42\n') "$(stdout_of 0 1000)"

# --- stock programs ------------------------------------------------------------
mkdir -p "$SCRATCH/basic/files-0/home"
printf 'pear\napple\nfig\n' >"$SCRATCH/basic/files-0/home/fruit.txt"
cat >"$SCRATCH/basic/files-0/home/script.sh" <<'SH'
#!/bin/bash
echo "start $(date -u +%s)"
for i in 1 2 3; do ( echo "subshell $i" ); done
up=$(echo abc | tr a-z A-Z)
echo "upper $up"
sleep 2 &
wait
echo "end $(date -u +%s)"
SH
chmod +x "$SCRATCH/basic/files-0/home/script.sh"
printf 'zeta\nalpha\n' >"$SCRATCH/stdin.txt"
OUT=$SCRATCH/basic
"$DCE_RUN" --out "$OUT" --map "$PROGS" \
	"0@1s: date" \
	"0: sleep 5" \
	"0@2s: sh -c 'seq 1 1000 | sort -rn | head -3'" \
	"0: sort /home/fruit.txt" \
	"0@3s: /home/script.sh" \
	"0: python3 -c 'import os,time; print(os.getpid(), time.time())'" \
	"1 stdin=$SCRATCH/stdin.txt: sort" \
	"1@0.5s: sh -c 'echo \$PPID \$\$; exit 3'" >"$SCRATCH/basic.log" 2>&1
RC=$?
check "dce-run reports failure when a process exits non-zero" [ "$RC" = 1 ]
check "date prints the simulated date" grep -qx 'Fri Jan  1 00:00:01 UTC 2010' "$OUT/files-0/var/log/1000/stdout"
check "sleep 5 ends 5 simulated seconds later" grep -Eq '^0 +1001 +0 +0\.000000000 +5\.000000000 +sleep 5$' "$OUT/exitprocs"
check "sh pipeline output" diff <(printf '1000\n999\n998\n') "$OUT/files-0/var/log/1002/stdout"
check "sort of a file in files-0" diff <(printf 'apple\nfig\npear\n') "$OUT/files-0/var/log/1003/stdout"
check "bash script with subshells, command substitution and a background job" \
	diff <(printf 'start 1262304003\nsubshell 1\nsubshell 2\nsubshell 3\nupper ABC\nend 1262304005\n') "$OUT/files-0/var/log/1004/stdout"
check "python3 sees its virtual pid and the simulated clock" grep -Eq '^1005 1262304000\.[0-9]+$' "$OUT/files-0/var/log/1005/stdout"
check "stdin file" diff <(printf 'alpha\nzeta\n') "$OUT/files-1/var/log/1000/stdout"
check "exit code recorded in status" grep -qx 'exit: 3' "$OUT/files-1/var/log/1001/status"
check "virtual pid and ppid" grep -qx '1 1001' "$OUT/files-1/var/log/1001/stdout"
check "cmdline file" grep -qx 'sleep 5' "$OUT/files-0/var/log/1001/cmdline"
check "status has start and end" grep -q '^end: 5.000000000$' "$OUT/files-0/var/log/1001/status"
check "exitprocs lists every process" [ "$(grep -c . "$OUT/exitprocs")" -ge 9 ]

# --- bad input: one clear line each, the run goes on ------------------------------
mkdir -p "$SCRATCH/bad"
echo "not an elf" >"$SCRATCH/bad/notelf"
printf '\177ELF\001\001\001\000' >"$SCRATCH/bad/elf32"
printf 'int f(void);int main(void){return f();}' >"$SCRATCH/bad/m.c"
printf 'int f(void){return 3;}' >"$SCRATCH/bad/f.c"
gcc -shared -fPIC -o "$SCRATCH/bad/libf.so" "$SCRATCH/bad/f.c"
gcc -o "$SCRATCH/bad/needs-lib" "$SCRATCH/bad/m.c" -L"$SCRATCH/bad" -lf
gcc -static -o "$SCRATCH/bad/static-hello" "$TOP/test/programs/hello.c"
chmod +x "$SCRATCH/bad/notelf" "$SCRATCH/bad/elf32"
B=$SCRATCH/bad
"$DCE_RUN" --out "$SCRATCH/badrun" --map "$B" \
	"0: no-such-program" "0: $B/notelf" "0: $B/elf32" "0: $B/needs-lib" \
	"0: $B/static-hello" "0@1s: date" "0: $B/missing-file" >"$SCRATCH/bad.log" 2>&1
OUT=$SCRATCH/badrun
check "missing program: not found, with the search path" grep -q 'error: not found: no-such-program, searched: /usr/local/bin:/usr/bin' "$OUT/files-0/var/log/1000/status"
check "missing program reported on the scenario's stderr" grep -q 'node 0 pid 1000 (no-such-program): not found' "$SCRATCH/bad.log"
check "non-ELF file" grep -q 'not an ELF executable' "$OUT/files-0/var/log/1001/status"
check "32-bit ELF" grep -q '32-bit ELF file, dce runs x86-64 programs only' "$OUT/files-0/var/log/1002/status"
check "missing shared library" grep -q 'error: .*libf.so: cannot open shared object file' "$OUT/files-0/var/log/1003/status"
check "static binary runs" grep -q '^hello from pid 1004' "$OUT/files-0/var/log/1004/stdout"
check "the run goes on after bad programs" grep -qx 'Fri Jan  1 00:00:01 UTC 2010' "$OUT/files-0/var/log/1005/stdout"
check "missing absolute path" grep -q "not found: $B/missing-file" "$OUT/files-0/var/log/1006/status"
check "failed starts exit 127 in exitprocs" [ "$(grep -c ' 127 ' "$OUT/exitprocs")" = 5 ]

# --- the command line refuses bad specs clearly ------------------------------------
"$DCE_RUN" --out "$SCRATCH/x" "0@soon: date" >"$SCRATCH/cli.log" 2>&1
check "bad start time: exit 2 and the reason" sh -c "[ $? = 2 ] && grep -q 'bad start time' '$SCRATCH/cli.log'"
"$DCE_RUN" --out "$SCRATCH/x" "0 colour=red: date" >"$SCRATCH/cli.log" 2>&1
check "unknown key: exit 2" sh -c "[ $? = 2 ] && grep -q \"unknown key 'colour'\" '$SCRATCH/cli.log'"
"$DCE_RUN" --out "$SCRATCH/x" "0: sh -c 'unterminated" >"$SCRATCH/cli.log" 2>&1
check "unterminated quote: exit 2" sh -c "[ $? = 2 ] && grep -q 'unterminated' '$SCRATCH/cli.log'"

# --- every value on the command line is checked: one line naming it and the range --------
# refused VALUE-DESCRIPTION EXPECTED-TEXT ARGS...: exit 2, one line on stderr, nothing run
refused() {
	local what=$1 want=$2
	shift 2
	rm -rf "$SCRATCH/refused"
	"$DCE_RUN" --out "$SCRATCH/refused" "$@" >"$SCRATCH/cli.out" 2>"$SCRATCH/cli.err"
	local rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <"$SCRATCH/cli.err")" = 1 ] && grep -qF -- "$want" "$SCRATCH/cli.err" &&
		[ ! -e "$SCRATCH/refused/exitprocs" ]; then
		ok "refused: $what"
	else
		notok "refused: $what (exit $rc: $(head -c 300 "$SCRATCH/cli.err"))"
	fi
}
refused "start time 1e30s" "bad start time '1e30s' (a number with unit ns, us, ms or s, 0 to 3153600000 s)" "0@1e30s: date"
refused "start time 18446744073s (used to end at -0.7 s)" "bad start time '18446744073s'" "0@18446744073s: date"
refused "negative start time" "bad start time '-1s'" "0@-1s: date"
refused "start time nan" "bad start time 'nan'" "0@nan: date"
refused "start time inf" "bad start time 'inf'" "0@inf: date"
refused "hex start time" "bad start time '0x10'" "0@0x10: date"
refused "empty start time" "bad start time ''" "0@: date"
refused "unknown time unit" "bad start time '5h'" "0@5h: date"
refused "stop= before the start" "stop=1 s is not after the start at 2 s" "0@2s stop=1s: date"
refused "stop= equal to the start" "stop=2 s is not after the start at 2 s" "0@2s stop=2s: date"
refused "bad stop=" "bad stop time '1e99'" "0 stop=1e99: date"
refused "stop= twice" "key stop= given twice" "0 stop=5 stop=6: date"
refused "stdin= twice" "key stdin= given twice" "0 stdin=/dev/null stdin=/dev/null: cat"
refused "stdin= missing file" "stdin='$SCRATCH/none': No such file or directory" "0 stdin=$SCRATCH/none: cat"
refused "stdin= a directory" "stdin='/': not a readable file" "0 stdin=/: cat"
refused "stack= negative" "bad stack size '-1' (bytes, or with K or M: 16K to 1024M)" "0 stack=-1: date"
refused "stack= too big (used to overflow)" "bad stack size '99999999999999M'" "0 stack=99999999999999M: date"
refused "stack= too small" "bad stack size '100'" "0 stack=100: date"
refused "env= without a name" "bad env='=x' (env=NAME=VALUE, NAME not empty)" "0 env==x: date"
refused "env= without =" "bad env='PATH'" "0 env=PATH: date"
refused "key without a value" "expected key=value, got '=5'" "0 =5: date"
refused "negative node" "bad node number '-1' (a whole number, 0 to 1000000)" "-1@1s: date"
refused "node with a sign" "bad node number '+3'" "+3: date"
refused "node too big" "bad node number '1000001'" "1000001: date"
refused "no program" "no program after ':'" "0@1s:"
refused "--seed abc" "bad --seed 'abc' (a whole number, 0 to 18446744073709551615)" --seed abc "0: date"
refused "--seed -1" "bad --seed '-1'" --seed -1 "0: date"
refused "--seed beyond 64 bits" "bad --seed '18446744073709551616'" --seed 18446744073709551616 "0: date"
refused "--quantum -1" "bad --quantum '-1' (nanoseconds, 1 to 1000000000)" --quantum -1 "0: date"
refused "--quantum 0" "bad --quantum '0'" --quantum 0 "0: date"
refused "--quantum 1.5" "bad --quantum '1.5'" --quantum=1.5 "0: date"
refused "--stop 0" "bad --stop time '0'" --stop 0 "0: date"
refused "--stop 1e30" "bad --stop time '1e30'" --stop 1e30 "0: date"
refused "a process that starts after --stop" "starts at 5 s, not before --stop 2 s: it would never run" --stop 2 "0@5: date"
refused "--out empty" "--out needs a directory" --out= "0: date"
refused "--map missing" "--map '$SCRATCH/none': No such file or directory" --map "$SCRATCH/none" "0: date"
refused "--seed without a value" "--seed needs a value" "0: date" --seed
refused "--linux=1" "--linux takes no value" --linux=1 "0: date"
refused "unknown option" "unknown option '--sede' (see --help)" --sede 1 "0: date"
refused "no process" "no process to run" --seed 1
"$DCE_RUN" --check --seed=3 --stop=10s --quantum 500 "0@1.5s stop=9s stack=1M env=A=1 'env=PATH=/bin:/usr/bin' stdin=/dev/null: cat" \
	"7@250ms: echo 'a:b'" >"$SCRATCH/cli.out" 2>&1
check "--check: a valid command line (every key, --opt=value) is accepted without running" \
	sh -c "[ $? = 0 ] && grep -q 'command line valid; 2 process' '$SCRATCH/cli.out' && grep -qx 'node 0 at 1.5 s: cat (0 argument(s))' '$SCRATCH/cli.out'"
run_dce colon-env "0 'env=P=/a:/b': /bin/sh -c 'echo \$P'"
check "a quoted ':' inside a key's value is not the command separator" grep -qx '/a:/b' "$(stdout_of 0 1000)"

# --- mutation test: seeded random mutants of command lines through dce-run's parser -----
if g++ -std=c++17 -O1 -g -Wall -Wextra -Werror "$TOP/test/unit/cli-mutate.cc" "$TOP/src/scenario/values.cc" -o "$SCRATCH/cli-mutate" 2>"$SCRATCH/cm.log"; then
	"$SCRATCH/cli-mutate" "${DCE_MUTATE_SEED:-1}" 200000 >"$SCRATCH/cm.out" 2>&1
	rc=$?
	echo "# $(tail -1 "$SCRATCH/cm.out")"
	check "cli-mutate (seed ${DCE_MUTATE_SEED:-1}): 200000 mutants, every one accepted within range or refused in one line, 0 crashes" \
		[ $rc = 0 ]
	[ $rc = 0 ] || head -5 "$SCRATCH/cm.out" | sed 's/^/# /'
	# and 150 of them through the real binary (--check: nothing runs)
	"$SCRATCH/cli-mutate" "${DCE_MUTATE_SEED:-1}" 150 --emit >"$SCRATCH/cm.cases"
	bad=0 n=0
	while IFS= read -r line; do
		IFS=$'\x1f' read -r -a args <<<"$line"
		n=$((n + 1))
		"$DCE_RUN" --check "${args[@]}" >/dev/null 2>"$SCRATCH/cm.err"
		rc=$?
		if [ $rc -ge 128 ] || { [ $rc = 2 ] && [ "$(wc -l <"$SCRATCH/cm.err")" != 1 ]; } || [ $rc = 1 ]; then
			bad=$((bad + 1))
			echo "# mutant $n: exit $rc: ${args[*]}"
		fi
	done <"$SCRATCH/cm.cases"
	check "dce-run --check on $n mutants: exit 0 or one line and exit 2, 0 crashes" [ $bad = 0 ]
else
	notok "cli-mutate builds: $(head -3 "$SCRATCH/cm.log")"
fi

# --- random streams: seeds and nodes are unrelated (no 16-byte window repeats) -------------
# (a sanitizer build's random.o needs the sanitizer's runtime: link with it if asked)
rs_link() { gcc -O2 -std=gnu11 -Wall -Wextra "$@" -o "$SCRATCH/random-streams" "$TOP/test/unit/random-streams.c" \
	"$BUILD/src/libc-ns3/random.o" 2>"$SCRATCH/rs.log"; }
if rs_link || rs_link -fsanitize=undefined; then
	"$SCRATCH/random-streams" >"$SCRATCH/rs.out" 2>&1
	rc=$?
	echo "# $(tail -1 "$SCRATCH/rs.out")"
	check "seeds 1..100 x nodes 0..9: no 16-byte window of a stream's first MiB in another" [ $rc = 0 ]
else
	notok "random-streams builds: $(head -3 "$SCRATCH/rs.log")"
fi

# --- a timer armed centuries ahead must not overflow into the past ---------------------
run_dce timerfd-far "0: $PROGS/timerfd-far"
check "timerfd set far ahead stays armed (no overflow)" grep -qx 'armed far ahead: yes' "$(stdout_of 0 1000)"

# --- many instances -------------------------------------------------------------------
specs=()
for n in $(seq 0 99); do specs+=("$n@${n}ms: $PROGS/hello $n"); done
run_dce many "${specs[@]}"
bad=0
for n in $(seq 0 99); do
	grep -qx "hello from pid 1000, argc 2, argv\[0\] $PROGS/hello" "$OUT/files-$n/var/log/1000/stdout" || bad=1
	grep -qx "exit: $((n % 256))" "$OUT/files-$n/var/log/1000/status" || bad=1
done
check "100 instances of one program on 100 nodes, each with its own output" [ $bad = 0 ]

# --- non-PIE programs (Debian's python3.11 is one): many instances at once ------------
specs=()
for n in $(seq 0 19); do specs+=("$((n % 4))@${n}ms: python3 -c 'import time, os; x = [$n]; time.sleep(1 + $n / 100); print(os.getpid(), x[0], time.time())'"); done
run_dce python20 "${specs[@]}"
bad=0
for n in $(seq 0 19); do
	f=$(grep -l "python3 -c import time, os; x = \[$n\];" "$OUT"/files-*/var/log/*/cmdline | head -1)
	d=$(dirname "$f")
	# started at n ms, slept 1 + n/100 s
	awk -v n=$n 'NF == 3 && $2 == n { d = $3 - (1262304001 + 0.011 * n); ok = d > -1e-4 && d < 1e-4 } END { exit !ok }' "$d/stdout" ||
		{ bad=1; echo "# python $n: $(cat "$d/stdout" "$d/status")"; }
done
check "20 python3 (non-PIE) instances alive at once, each with its own data" [ $bad = 0 ]

# --- determinism: same scenario, same bytes -------------------------------------------
scenario=("0@1s: date" "0: sh -c 'seq 1 500 | sort -R --random-source=/dev/urandom | head -5'"
	"1: python3 -c 'import random,os; print(os.urandom(8).hex(), random.random())'"
	"1@2s: sh -c 'od -An -tx1 -N16 /dev/urandom'"
	"2: sh -c 'mktemp -u; mktemp -u /tmp/x.XXXXXXXX'"
	"2: python3 -c 'import ctypes; print(hex(id(object())), hex(ctypes.addressof(ctypes.c_int())))'")
run_dce det1 --seed 7 "${scenario[@]}"
run_dce det2 --seed 7 "${scenario[@]}"
run_dce det3 --seed 8 "${scenario[@]}"
same() { (cd "$SCRATCH/$1" && find . -type f \( -name stdout -o -name status -o -name exitprocs \) | sort | xargs cat) >"$SCRATCH/$1.all"; }
same det1; same det2; same det3
check "same scenario and seed: identical stdout, status and exitprocs" cmp -s "$SCRATCH/det1.all" "$SCRATCH/det2.all"
check "addresses programs see are the same run to run (mktemp names, python object ids)" \
	cmp -s "$SCRATCH/det1/files-2/var/log/1000/stdout" "$SCRATCH/det2/files-2/var/log/1000/stdout"
check "another seed: different random bytes" sh -c "! cmp -s '$SCRATCH/det1/files-1/var/log/1000/stdout' '$SCRATCH/det3/files-1/var/log/1000/stdout'"

finish
