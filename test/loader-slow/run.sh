#!/usr/bin/env bash
# Loader, slow: 10,000 seeded mutants of Debian binaries (2,500 each of /bin/true,
# /usr/bin/env, ld.so and libc.so.6) run inside dce, 100 per dce-run: 0 host
# crashes, no hang, a status line for every process; 20,000 mutants of a library
# through the kernel-image loader; the fuzzer for 5 minutes.
. "$(dirname "$0")/../lib.sh"
build_once
. "$TOP/test/loader/mutants.sh"
T=$TOP/test/loader

run_mutants "${MUTANTS_PER_BINARY:-2500}"

gcc -O2 -shared -nostdlib -fPIC -fvisibility=hidden -Wl,--hash-style=sysv -Wl,-z,max-page-size=4096 \
	-s "$T/selfcontained.c" -o "$SCRATCH/selfcontained.so"
gcc -O1 -g -D_GNU_SOURCE -Wall -Wextra -Werror -o "$SCRATCH/kimage_mutants" "$T/kimage_mutants.c" \
	"$TOP/src/loader/kernel-image.c" "$TOP/src/loader/elf_check.c"
"$SCRATCH/kimage_mutants" "$SCRATCH/selfcontained.so" dce_kernel_boot 20000 "$SCRATCH/kimage.tmp" \
	>"$SCRATCH/kimage.log" 2>&1
rc=$?
grep '^#' "$SCRATCH/kimage.log"
check "the kernel-image loader survives 20,000 mutants of a library (exit $rc)" [ $rc = 0 ]

if clang -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	"$T/fuzz_elf.c" "$TOP/src/loader/elf_check.c" -o "$SCRATCH/fuzz_elf" 2>"$SCRATCH/fuzz-build.log"; then
	mkdir -p "$SCRATCH/corpus"
	cp /bin/true /usr/bin/env "$LDSO" "$LIBC" "$SCRATCH/corpus/"
	(cd "$SCRATCH" && "$SCRATCH/fuzz_elf" -seed=1 -max_total_time=300 -max_len=65536 \
		"$SCRATCH/corpus" "$T/corpus" >"$SCRATCH/fuzz.log" 2>&1)
	rc=$?
	tail -1 "$SCRATCH/fuzz.log" | sed 's/^/# fuzz: /'
	check "5 minutes of libFuzzer find no crash in the ELF checks" [ $rc = 0 ]
else
	echo "ok - # SKIP libFuzzer: clang -fsanitize=fuzzer cannot link (apt-get install clang)"
fi

finish
