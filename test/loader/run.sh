#!/usr/bin/env bash
# Loader suite: hostile ELF files. The ELF checks under libFuzzer, the kernel-image
# loader on mutants in-process, the two cases of issue 11 (a truncated program given
# to dce-run; a shell in the simulation exec'ing one), and 300 mutants of Debian
# binaries run in dce (test/loader-slow runs 10,000).
. "$(dirname "$0")/../lib.sh"
build_once
. "$TOP/test/loader/mutants.sh"
T=$TOP/test/loader

# --- libFuzzer over the checks (src/loader/elf_check.c) --------------------------------
FUZZ_CC=${FUZZ_CC:-clang}
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$SCRATCH/probe.c"
if ! "$FUZZ_CC" -fsanitize=fuzzer "$SCRATCH/probe.c" -o "$SCRATCH/probe" 2>/dev/null; then
	echo "ok - # SKIP libFuzzer: '$FUZZ_CC -fsanitize=fuzzer' cannot link (install clang: apt-get install clang)"
else
	check "the fuzz harness builds with libFuzzer, ASan and UBSan" \
		"$FUZZ_CC" -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		"$T/fuzz_elf.c" "$TOP/src/loader/elf_check.c" -o "$SCRATCH/fuzz_elf"
	mkdir -p "$SCRATCH/corpus"
	cp /bin/true /usr/bin/env "$LDSO" "$SCRATCH/corpus/"
	(cd "$SCRATCH" && "$SCRATCH/fuzz_elf" -seed=1 -runs="${FUZZ_RUNS:-100000}" \
		-max_total_time="${FUZZ_TIME:-30}" -max_len=65536 -rss_limit_mb=1024 \
		"$SCRATCH/corpus" "$T/corpus" >"$SCRATCH/fuzz.log" 2>&1)
	rc=$?
	tail -1 "$SCRATCH/fuzz.log" | sed 's/^/# fuzz: /'
	check "libFuzzer finds no crash in the ELF checks (see crash-* and the log if it does)" [ $rc = 0 ]
	[ $rc = 0 ] || tail -30 "$SCRATCH/fuzz.log"
fi

# --- the kernel-image loader on 1000 mutants, in this process -------------------------
gcc -O2 -shared -nostdlib -fPIC -fvisibility=hidden -Wl,--hash-style=sysv -Wl,-z,max-page-size=4096 \
	-s "$T/selfcontained.c" -o "$SCRATCH/selfcontained.so"
gcc -O1 -g -D_GNU_SOURCE -Wall -Wextra -Werror -o "$SCRATCH/kimage_mutants" "$T/kimage_mutants.c" \
	"$TOP/src/loader/kernel-image.c" "$TOP/src/loader/elf_check.c"
"$SCRATCH/kimage_mutants" "$SCRATCH/selfcontained.so" dce_kernel_boot "${KIMAGE_MUTANTS:-1000}" \
	"$SCRATCH/kimage.tmp" >"$SCRATCH/kimage.log" 2>&1
rc=$?
sed -n 's/^# /# /p' "$SCRATCH/kimage.log"
check "the kernel-image loader survives mutants of a library (exit $rc)" [ $rc = 0 ]
grep '^not ok' "$SCRATCH/kimage.log"

# --- issue 11: a truncated program given to dce-run -----------------------------------
head -c 1000 /bin/true >"$SCRATCH/t1000"
head -c 300 /bin/true >"$SCRATCH/t300"
# /bin/true whose PT_INTERP names a truncated copy of ld.so
python3 - "$SCRATCH/badinterp" /home/ld-cut.so <<'PY'
import struct, sys
b = bytearray(open('/bin/true', 'rb').read())
phoff, = struct.unpack_from('<Q', b, 32)
phnum, = struct.unpack_from('<H', b, 56)
for i in range(phnum):
    t, = struct.unpack_from('<I', b, phoff + 56 * i)
    if t == 3:  # PT_INTERP
        off, = struct.unpack_from('<Q', b, phoff + 56 * i + 8)
        size, = struct.unpack_from('<Q', b, phoff + 56 * i + 32)
        path = sys.argv[2].encode()
        b[off:off + size] = path + b'\0' * (size - len(path))
open(sys.argv[1], 'wb').write(b)
PY
# (the simulated /home/ld-cut.so of node 0 in both runs below)
mkdir -p "$SCRATCH/bad/files-0/home" "$SCRATCH/shellexec/files-0/home"
head -c 5000 "$LDSO" >"$SCRATCH/bad/files-0/home/ld-cut.so"
cp "$SCRATCH/bad/files-0/home/ld-cut.so" "$SCRATCH/shellexec/files-0/home/"
chmod +x "$SCRATCH/t1000" "$SCRATCH/t300" "$SCRATCH/badinterp"
"$DCE_RUN" --out "$SCRATCH/bad" --map "$SCRATCH" "0: $SCRATCH/t1000" "0: $SCRATCH/t300" \
	"0: $SCRATCH/badinterp" "0@1s: date" >"$SCRATCH/bad.log" 2>&1
rc=$?
OUT=$SCRATCH/bad
check "dce-run is not killed by a truncated program (exit $rc)" [ $rc -lt 128 ]
check "truncated program: its status names the segment past the end of the file" \
	grep -Eqx "error: $SCRATCH/t1000: truncated ELF file: segment [0-9]+ \(PT_LOAD, offset [0-9a-fx]+, [0-9a-fx]+ bytes\) extends past end of file \(1000 bytes\)" "$(status_of 0 1000)"
check "truncated program headers: the status names the header" \
	grep -qx "error: $SCRATCH/t300: truncated ELF file: program header 4 extends past end of file (300 bytes)" "$(status_of 0 1001)"
check "truncated ELF interpreter: the status names it" \
	grep -q "^error: $SCRATCH/badinterp: its ELF interpreter /home/ld-cut.so: truncated ELF file: segment" "$(status_of 0 1002)"
check "the run goes on after them" grep -qx 'Fri Jan  1 00:00:01 UTC 2010' "$(stdout_of 0 1003)"

# --- issue 11: a shell inside the simulation writes a truncated copy and execs it ------
OUT=$SCRATCH/shellexec
"$DCE_RUN" --out "$OUT" --map "$SCRATCH" "0: bash -c 'head -c 1000 /bin/true >/tmp/t; chmod +x /tmp/t; /tmp/t; echo \"rc=\$?\"; $SCRATCH/t300 2>/dev/null; echo \"rc=\$?\"; $SCRATCH/badinterp; echo \"rc=\$?\"; echo still here'" >"$OUT.log" 2>&1
RC=$?
check "dce-run survives a shell exec'ing a truncated program" [ $RC -lt 128 ]
check "the shell's exec fails with ENOEXEC (bash: 126, cannot execute binary file)" \
	sh -c "head -1 '$(stdout_of 0 1000)' | grep -qx 'rc=126' && grep -q 'cannot execute binary file' '$(status_of 0 1000)' '$OUT/files-0/var/log/1000/stderr'"
check "an exec whose interpreter is broken fails too, and the shell goes on" \
	sh -c "sed -n 3p '$(stdout_of 0 1000)' | grep -qx 'rc=126' && tail -1 '$(stdout_of 0 1000)' | grep -qx 'still here'"
check "the shell exits normally" grep -qx 'exit: 0' "$(status_of 0 1000)"

# --- 300 mutants of Debian binaries inside dce ------------------------------------------
run_mutants "${MUTANTS_PER_BINARY:-75}"

finish
