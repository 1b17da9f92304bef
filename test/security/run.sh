#!/usr/bin/env bash
# security: containment of a run (docs/security.md). An adversarial program that
# clears dce's Syscall User Dispatch selector, or jumps to dce's exempt `syscall`,
# changes nothing on the host and reaches no host network; confinement is on by
# default, --no-confine turns it off, and a host that refuses namespaces gets one
# warning line (or a failure when confinement was asked for).
set -u
cd "$(dirname "$0")/../.."
make -j2 >/dev/null || { echo "not ok - build"; exit 1; }
RUN=$PWD/build/dce/dce-run
PROGS=$PWD/build/dce/test-programs
W=$(mktemp -d /tmp/dce-security.XXXXXX)
LPID=
trap '[ -n "$LPID" ] && kill "$LPID" 2>/dev/null; rm -rf "$W"' EXIT
failed=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; failed=1; }
check() { local n=$1; shift; if "$@"; then ok "$n"; else notok "$n"; fi; }
out() { echo "$1/files-0/var/log/${2:-1000}/$3"; }

# The attacker knows dce's binary: without ASLR a PIE sits at 0x555555554000, and
# its symbol table gives the selector and the end of the exempt range.
BASE=0x555555554000
sym() { nm "$RUN" | awk -v s="$1" '$3 == s { print $1 }'; }
SEL=$(printf '%#x' $((BASE + 0x$(sym dce_sud_selector))))
EXEND=$(printf '%#x' $((BASE + 0x$(sym dce_exempt_end))))
# the GOT slot of prctl, which dce calls at start: an address in the host's libc
SLOT=$(printf '%#x' $((BASE + 0x$(objdump -R "$RUN" | awk '$3 ~ /^prctl@/ { print $1 }'))))
# dce's other raw syscall instruction (the arch_prctl FS fallback), a reusable gadget
INSN=$(printf '%#x' $((BASE + 0x$(objdump -d --disassemble=dce_setfs_syscall "$RUN" |
  awk '$NF == "syscall" { sub(":", "", $1); print $1 }'))))
# The attacks below target the selector mode of Syscall User Dispatch (kernels
# before 6.16, or DCE_SUD=selector); section 6 shows the by-address mode, where
# no selector exists.
norand() { DCE_SUD=${SUD_MODE:-selector} setarch "$(uname -m)" -R "$@"; }

mkdir -p "$W/marker"
echo "HOST-SECRET-$$" > "$W/secret"
python3 - "$W/port" "$W/connections" <<'PY' &
import socket, sys
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(5)
open(sys.argv[1] + '.tmp', 'w').write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + '.tmp', sys.argv[1])
s.settimeout(300)
while True:
    c, _ = s.accept(); open(sys.argv[2], 'a').write('connected\n'); c.close()
PY
LPID=$!
for _ in $(seq 100); do [ -f "$W/port" ] && break; sleep 0.1; done
PORT=$(cat "$W/port")

# 1. selector cleared, then raw system calls from program code (the issue's escape)
norand "$RUN" -o "$W/o1" --map "$PROGS" "0: $PROGS/escape store $SEL $W/marker $W/secret $PORT" \
  >"$W/o1.log" 2>&1
check "store: the run ends normally" grep -q "^exit: 0" "$(out "$W/o1" 1000 status)"
check "store: host file creation fails with ENOSYS" grep -qx "create -38" "$(out "$W/o1" 1000 stdout)"
check "store: host file open fails with ENOSYS" grep -qx "open -38" "$(out "$W/o1" 1000 stdout)"
check "store: host socket fails with ENOSYS" grep -qx "socket -38" "$(out "$W/o1" 1000 stdout)"
check "store: the secret was not read" sh -c "! grep -q HOST-SECRET '$(out "$W/o1" 1000 stdout)'"

# 2. a jump to dce's exempt syscall instruction with openat in the registers
norand "$RUN" -o "$W/o2" --map "$PROGS" "0: $PROGS/escape gadget $EXEND $W/marker" >"$W/o2.log" 2>&1
check "gadget: the program reached the jump" grep -q "^jumping" "$(out "$W/o2" 1000 stdout)"
check "gadget: the process got a status" grep -q "^killed: SIGILL" "$(out "$W/o2" 1000 status)"
# selector cleared, then a jump to the syscall inside dce's own image
norand "$RUN" -o "$W/o2d" --map "$PROGS" "0: $PROGS/escape image $SEL $INSN $W/marker" >"$W/o2d.log" 2>&1
check "image: the run ends normally" grep -q "^exit: 0" "$(out "$W/o2d" 1000 status)"
check "image: host file creation fails with ENOSYS" grep -qx "image-create -38" "$(out "$W/o2d" 1000 stdout)"

# a program that leaves the selector cleared ends with a status; the run goes on
norand "$RUN" -o "$W/o2c" --map "$PROGS" "0: $PROGS/escape clear $SEL" "0@1s: $PROGS/hello" >"$W/o2c.log" 2>&1
# (its calls fail with ENOSYS until the CPU watchdog's next return to it arms the
# selector again; which comes first depends on host timing)
check "clear: the process got a status" grep -Eq "^(killed|exit): " "$(out "$W/o2c" 1000 status)"
check "clear: its output never reached the host" bash -c "! grep -q 'selector cleared' '$W/o2c.log'"
check "clear: the next program runs normally" grep -q "^exit: 0" "$(out "$W/o2c" 1001 status)"
check "clear: and prints" grep -q "^hello" "$(out "$W/o2c" 1001 stdout)"

# 3. code reuse (a `syscall; ret` in the host's libc) passes the seccomp filter:
# the namespaces alone keep the host unchanged and its network out of reach
norand "$RUN" -o "$W/o2b" --map "$PROGS" "0: $PROGS/escape reuse $SEL $W/marker $W/secret $PORT $SLOT" \
  >"$W/o2b.log" 2>&1
check "reuse: the run ends normally" grep -q "^exit: 0" "$(out "$W/o2b" 1000 status)"
check "reuse: host file creation fails with EROFS" grep -qx "create -30" "$(out "$W/o2b" 1000 stdout)"
check "reuse: the host socket has no route" grep -qx "connect -101" "$(out "$W/o2b" 1000 stdout)"
check "host: the marker directory gained no file" test -z "$(ls -A "$W/marker")"
check "host: the listener saw no connection" test ! -e "$W/connections"

# 4. the same attacks unconfined succeed: the assertions above can fail
norand "$RUN" --no-confine -o "$W/o3" --map "$PROGS" \
  "0: $PROGS/escape store $SEL $W/marker $W/secret $PORT" "0: $PROGS/escape gadget $EXEND $W/marker" \
  >"$W/o3.log" 2>&1
check "unconfined: the store escape created a host file" test -e "$W/marker/escaped"
check "unconfined: the store escape read the host secret" grep -q "HOST-SECRET-$$" "$(out "$W/o3" 1000 stdout)"
check "unconfined: the store escape connected to the host" grep -q connected "$W/connections"
check "unconfined: the gadget created a host file" test -e "$W/marker/gadget"
norand "$RUN" --no-confine -o "$W/o3b" --map "$PROGS" "0: $PROGS/escape image $SEL $INSN $W/marker" \
  >"$W/o3b.log" 2>&1
check "unconfined: the image gadget created a host file" test -e "$W/marker/image"

# 6. dispatch by address (Linux >= 6.16: PR_SYS_DISPATCH_INCLUSIVE_ON): every call
# made from program memory traps, whatever the program writes where the selector
# was. Even unconfined, the store attack then only reaches its own node.
# (the kernel has it when a process may turn it on for an empty range)
if python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None).prctl(59, 2, 0, 4096, 0) != 0)' 2>/dev/null; then
  before=$(cat "$W/connections" 2>/dev/null | wc -l)
  rm -f "$W/marker/escaped"
  SUD_MODE=address norand "$RUN" --no-confine -o "$W/o6" --map "$PROGS" \
    "0: $PROGS/escape store $SEL $W/marker $W/secret $PORT" >"$W/o6.log" 2>&1
  check "by address: the run ends normally" grep -q "^exit: 0" "$(out "$W/o6" 1000 status)"
  # (the marker directory does not exist inside the node: Linux's ENOENT, from dce)
  check "by address: clearing the selector changed nothing: the raw openat is dce's" \
    grep -qx "create -2" "$(out "$W/o6" 1000 stdout)"
  check "by address: no host file" test ! -e "$W/marker/escaped"
  check "by address: the secret was not read" sh -c "! grep -q HOST-SECRET '$(out "$W/o6" 1000 stdout)'"
  check "by address: no host connection" [ "$(cat "$W/connections" 2>/dev/null | wc -l)" = "$before" ]
else
  echo "ok - by address: # skip (this kernel has no PR_SYS_DISPATCH_INCLUSIVE_ON: $(uname -r))"
fi

# 5. on by default: the running dce-run has its own network and mount namespaces,
# / is read-only in it and the output directory writable; --no-confine: the host's
# ns_of PID NS: the namespace of a running dce-run once its program has started
running_ns() {
  local pid=$1 dir=$2
  for _ in $(seq 200); do
    [ -e "$(out "$dir" 1000 cmdline)" ] && break
    sleep 0.05
  done
  NET=$(readlink "/proc/$pid/ns/net"); MNT=$(readlink "/proc/$pid/ns/mnt")
  MOUNTS=$(cat "/proc/$pid/mountinfo" 2>/dev/null)
}
"$RUN" -o "$W/o4" --map "$PROGS" "0: $PROGS/escape spin 4" >"$W/o4.log" 2>&1 &
pid=$!
running_ns $pid "$W/o4"
wait $pid
check "default: own network namespace" test "$NET" != "$(readlink /proc/self/ns/net)"
check "default: own mount namespace" test "$MNT" != "$(readlink /proc/self/ns/mnt)"
check "default: / is mounted read-only" sh -c "echo '$MOUNTS' | awk '\$5 == \"/\" { print \$6 }' | grep -q '^ro'"
check "default: the output directory is writable" \
  sh -c "echo '$MOUNTS' | awk '\$5 == \"$W/o4\" { print \$6 }' | grep -q '^rw'"
check "default: the program ran" grep -qx spun "$(out "$W/o4" 1000 stdout)"
check "default: no warning" test ! -s "$W/o4.log" -o -z "$(grep warning "$W/o4.log")"
"$RUN" --no-confine -o "$W/o5" --map "$PROGS" "0: $PROGS/escape spin 4" >"$W/o5.log" 2>&1 &
pid=$!
running_ns $pid "$W/o5"
wait $pid
check "--no-confine: the host's network namespace" test "$NET" = "$(readlink /proc/self/ns/net)"
check "--no-confine: the program ran" grep -qx spun "$(out "$W/o5" 1000 stdout)"

# a user other than root confines itself in a user namespace of its own
mkdir -p "$W/nobody" && chmod 777 "$W/nobody" && chmod o+x "$W"
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$RUN" 2>/dev/null; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$RUN" -o "$W/nobody/o" --map "$PROGS" \
    "0: $PROGS/escape spin 4" >"$W/o5b.log" 2>&1 &
  pid=$!
  running_ns $pid "$W/nobody/o"
  wait $pid
  check "non-root: own network namespace" test -n "$NET" -a "$NET" != "$(readlink /proc/self/ns/net)"
  check "non-root: / is mounted read-only" sh -c "echo '$MOUNTS' | awk '\$5 == \"/\" { print \$6 }' | grep -q '^ro'"
  check "non-root: no warning" sh -c "! grep -q warning '$W/o5b.log'"
else
  echo "ok - non-root: # skip (user 65534 cannot run $RUN)"
fi

# 6. a host that refuses namespaces (as Docker's default seccomp profile does)
cc -O2 -o "$W/noshare" test/security/noshare.c
"$W/noshare" "$RUN" -o "$W/o6" --map "$PROGS" "0: $PROGS/hello" >"$W/o6.log" 2>&1
rc=$?
check "refused: the run goes on" test $rc = 0
check "refused: one warning line" test "$(grep -c '^dce: warning: cannot confine' "$W/o6.log")" = 1
check "refused: the warning names the cause and the way out" grep -qx \
  "dce: warning: cannot confine the run (unshare: Operation not permitted): running unconfined; pass --no-confine to silence, see docs/security.md" \
  "$W/o6.log"
"$W/noshare" "$RUN" --no-confine -o "$W/o7" --map "$PROGS" "0: $PROGS/hello" >"$W/o7.log" 2>&1
check "refused, --no-confine: silent" sh -c "! grep -q warning '$W/o7.log'"
DCE_CONFINE=1 "$W/noshare" "$RUN" -o "$W/o8" --map "$PROGS" "0: $PROGS/hello" >"$W/o8.log" 2>&1
rc=$?
check "refused, DCE_CONFINE=1: the run fails" test $rc != 0
check "refused, DCE_CONFINE=1: it says why" grep -q "cannot confine the run (unshare: Operation not permitted), and confinement was requested" "$W/o8.log"
check "refused, DCE_CONFINE=1: no program ran" test ! -e "$(out "$W/o8" 1000 status)"
"$W/noshare" "$RUN" --confine -o "$W/o9" --map "$PROGS" "0: $PROGS/hello" >"$W/o9.log" 2>&1
check "refused, --confine: the run fails" test $? != 0
# 7. C++ scenarios are confined too (from the first Install): the same warning when
# refused, none with DCE_CONFINE=0
mkdir -p "$W/cxx" && cd "$W/cxx"
"$W/noshare" "$OLDPWD/build/dce/examples/dce-basic" >"$W/cxx.log" 2>&1
check "C++ scenario, refused: one warning line" test "$(grep -c '^dce: warning: cannot confine' "$W/cxx.log")" = 1
check "C++ scenario, refused: the run goes on" grep -q "^0 *1000 *0 " exitprocs
rm -rf "$W/cxx"/*
DCE_CONFINE=0 "$W/noshare" "$OLDPWD/build/dce/examples/dce-basic" >"$W/cxx0.log" 2>&1
check "C++ scenario, DCE_CONFINE=0: silent" sh -c "! grep -q warning '$W/cxx0.log'"
cd "$OLDPWD"
exit $failed
