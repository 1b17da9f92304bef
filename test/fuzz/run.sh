#!/usr/bin/env bash
# Fuzz suite: hostile system-call arguments from programs run inside dce. The pass
# condition is the run's: 0 host crashes, 0 hangs, every process ends with a status
# line. FUZZ_CALLS (default 50000) sets the number of calls; fuzz-slow runs 1M.
. "$(dirname "$0")/../lib.sh"
build_once

CALLS=${FUZZ_CALLS:-50000}
NODES=${FUZZ_NODES:-4}
SEED=${FUZZ_SEED:-1}
# dce's own memory, as an attacker who knows the binary would name it: without ASLR
# (setarch -R) a PIE's base is fixed, so its symbols' addresses are known.
base=$((0x555555554000))
sym() { printf '%x' $((base + 0x$(nm "$DCE_RUN" | awk -v s="$1" '$3==s{print $1; exit}'))); }
foreign="$(sym dce_sud_selector) $(sym dce_world) $(sym dce_current)"

# FORK_NODES of the nodes (default all) fork a second fuzzing process; a switch
# between fork members copies memory, which big sparse mappings make slow.
FORK_NODES=${FUZZ_FORK_NODES:-$NODES}
PER_FORK=$((CALLS / NODES))
if [ "$FORK_NODES" -lt "$NODES" ]; then
	[ "$PER_FORK" -le 10000 ] || PER_FORK=10000
	PER_OTHER=$(( (CALLS - PER_FORK * FORK_NODES) / (NODES - FORK_NODES) ))
fi
specs=()
for n in $(seq 0 $((NODES - 1))); do
	if [ "$n" -lt "$FORK_NODES" ]; then
		specs+=("$n: $PROGS/syscall-fuzz $((SEED * 1000 + n)) $PER_FORK 2 $foreign")
	else
		specs+=("$n env=FUZZ_NOFORK=1: $PROGS/syscall-fuzz $((SEED * 1000 + n)) $PER_OTHER 2 $foreign")
	fi
done
start=$(date +%s)
OUT=$SCRATCH/fuzz
setarch -R timeout 600 "$DCE_RUN" --out "$OUT" --map "$PROGS" --stop 200s "${specs[@]}" >"$SCRATCH/fuzz.log" 2>&1
RC=$?
secs=$(( $(date +%s) - start ))
check "no host crash (dce-run rc $RC)" [ "$RC" -lt 128 ]
check "no hang (the run ended by itself)" [ "$RC" != 124 ]
check "no internal error" bash -c "! grep -a 'internal error' '$SCRATCH/fuzz.log'"
procs=$(awk 'NR>1' "$OUT/exitprocs" 2>/dev/null | wc -l)
ended=0
for st in "$OUT"/files-*/var/log/*/status; do
	grep -Eq '^(exit|killed|running): ' "$st" && ended=$((ended + 1))
done
check "every process ($procs) ends with a status line ($ended)" [ "$procs" -ge $((NODES + FORK_NODES)) -a "$ended" = "$procs" ]
made=0 efault=0
for f in "$OUT"/files-*/var/log/*/stdout; do
	for who in parent child; do # a forked child reports into its parent's stdout
		l=$(grep -a "^$who: .*calls, " "$f" | tail -1)
		[ -n "$l" ] || continue
		made=$((made + $(echo "$l" | sed -E 's/.*: ([0-9]+) calls.*/\1/')))
		efault=$((efault + $(echo "$l" | sed -E 's/.* ([0-9]+) EFAULT.*/\1/')))
	done
done
echo "# fuzz: $made system calls made ($efault answered EFAULT) by $procs processes on $NODES nodes in ${secs}s wall; host crashes: $([ $RC -ge 128 ] && echo 1 || echo 0)"
check "the fuzzer made at least 90% of its $CALLS calls" [ "$made" -ge $((CALLS * 9 / 10)) ]

# --- the cases the issue names -------------------------------------------------------
py="import ctypes, errno
l = ctypes.CDLL(None, use_errno=True)
for name, nr, args in [('uname', 63, (16,)), ('sysinfo', 99, (16,)), ('nanosleep', 35, (16, 0)),
                       ('pipe', 22, (16,)), ('getrandom', 318, (16, 64, 0)), ('times', 100, (16,)),
                       ('rt_sigaction', 13, (2, 16, 0, 8)), ('wait4', 61, (-1, 16, 1, 0)),
                       ('poll', 7, (16, 4, 0)), ('select', 23, (4, 16, 0, 0, 0)), ('futex', 202, (16, 0, 1, 0)),
                       ('getrusage', 98, (0, 16)), ('clone3', 435, (16, 88)), ('execve', 59, (16, 0, 0)),
                       ('arch_prctl', 158, (0x1003, 16)), ('read-into-dce', 0, (0, 0x$(sym dce_sud_selector), 1)),
                       ('getrandom-into-dce', 318, (0x$(sym dce_world), 64, 0))]:
    r = l.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    print(name, r, errno.errorcode.get(ctypes.get_errno(), ctypes.get_errno()), flush=True)
print('alive')"
OUT=$SCRATCH/efault
setarch -R "$DCE_RUN" --out "$OUT" --map "$PROGS" "0: python3 -c \"$py\"" >"$SCRATCH/efault.log" 2>&1
RC=$?
check "bad pointers (0x10, dce's own memory) give EFAULT, the program goes on" \
	bash -c "[ $RC = 0 ] && [ \$(grep -c ' -1 EFAULT\$' '$OUT/files-0/var/log/1000/stdout') = 17 ] && grep -qx alive '$OUT/files-0/var/log/1000/stdout'"
# memory calls on dce's own pages: "not mapped" (ENOMEM), and nothing changes
page=$(printf '%x' $(( 0x$(sym dce_world) & ~4095 )))
OUT=$SCRATCH/mm
setarch -R "$DCE_RUN" --out "$OUT" "0: python3 -c \"import ctypes, errno
l = ctypes.CDLL(None, use_errno=True)
for nr, args in [(10, (0x$page, 4096, 7)), (28, (0x$page, 4096, 4)), (10, (0x$page, 4096, 0))]:
    r = l.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    print(nr, r, errno.errorcode.get(ctypes.get_errno()), flush=True)
print('alive')\"" >"$SCRATCH/mm.log" 2>&1
RC=$?
check "mprotect/madvise on dce's memory: ENOMEM, the run goes on" \
	bash -c "[ $RC = 0 ] && [ \$(grep -c ' -1 ENOMEM\$' '$OUT/files-0/var/log/1000/stdout') = 3 ] && grep -qx alive '$OUT/files-0/var/log/1000/stdout'"
# hostile signal frames: handlers that scribble over the interrupted context (registers,
# stack pointer, FPU area, MXCSR, XSAVE header, mask, uc_stack, EFLAGS.AC/TF) and
# rt_sigreturn on random frames, in 3 x 200 forked children: 0 host crashes
for seed in 1 2 3; do
	run_dce sigret$seed --cpu-watchdog 50ms "0: $PROGS/sigret-fuzz $seed 200"
	check "sigret-fuzz seed $seed: dce survives 200 hostile children (no host fault)" \
		bash -c "[ $RC -lt 2 ] && ! grep -q 'internal error' '$SCRATCH/sigret$seed.log'"
	check "sigret-fuzz seed $seed: every child ended with a status" \
		bash -c "grep -qx done '$OUT/files-0/var/log/1000/stdout' && [ \$(grep -c '^0 ' '$OUT/exitprocs') = 201 ]"
done
finish
