# test/loader/mutants.sh - runs seeded mutants of real Debian binaries inside dce
# (sourced by test/loader and test/loader-slow, after test/lib.sh).
#   run_mutants PER_BINARY : PER_BINARY mutants of each of /bin/true, /usr/bin/env,
#   ld.so and libc.so.6, BATCH (default 100) processes per dce-run over 10 nodes.
# Asserts: dce-run never dies of a signal (no host crash), never hangs (timeout) but
# for a program that spins without system calls, every process ends with a status
# line. Prints the figures.
LDSO=$(readlink -f /lib64/ld-linux-x86-64.so.2)
LIBC=$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)

# mutant_batch FROM TO TIMEOUT [quiet]: runs names[FROM..TO) in one dce-run; counts
# host crashes and how each process ended. Fails on a timeout (counted unless quiet).
mutant_batch() {
	local i=$1 j=$2 specs=() k out=$SCRATCH/mrun
	for ((k = i; k < j; k++)); do
		specs+=("$((k % 10)): $md/${names[k]}")
	done
	rm -rf "$out"
	timeout -k 5 "$3" "$DCE_RUN" --out "$out" --map "$md" --stop 60s "${specs[@]}" >"$SCRATCH/mrun.log" 2>&1
	local rc=$?
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		[ $# -gt 3 ] || { hangs=$((hangs + 1)); echo "# hang: mutants ${names[i]} .. ${names[j - 1]}"; }
		return 1
	fi
	if [ $rc -gt 128 ] || grep -q 'internal error' "$SCRATCH/mrun.log"; then
		crashes=$((crashes + 1))
		echo "# host crash (exit $rc): mutants ${names[i]} .. ${names[j - 1]}: $(grep -m1 'internal error' "$SCRATCH/mrun.log")"
	fi
	# every process: one status file (its cmdline: line names the mutant; killed: or
	# error: say how it ended)
	awk -v md="$md/" '
		function done() { if (index(cmd, md) == 1) print (k ? "killed" : e ? "error" : "exited"), cmd }
		FNR == 1 { if (f) done(); f = FILENAME; cmd = ""; k = 0; e = 0 }
		/^cmdline: / { cmd = substr($0, 10) }
		/^killed:/ { k = 1 }
		/^error:/ { e = 1 }
		END { if (f) done() }' "$out"/files-*/var/log/*/status 2>/dev/null | sort -u -k2 >"$SCRATCH/ended"
	local got
	got=$(wc -l <"$SCRATCH/ended")
	killed=$((killed + $(grep -c '^killed ' "$SCRATCH/ended")))
	errors=$((errors + $(grep -c '^error ' "$SCRATCH/ended")))
	exited=$((exited + $(grep -c '^exited ' "$SCRATCH/ended")))
	if [ "$got" -ne $((j - i)) ]; then
		nostatus=$((nostatus + j - i - got))
		echo "# $((j - i - got)) of mutants ${names[i]} .. ${names[j - 1]} have no status"
	fi
	return 0
}

run_mutants() {
	local per=$1 batch=${BATCH:-100} b n s
	md=$SCRATCH/mutants
	names=()
	mkdir -p "$md"
	gcc -O2 -Wall -Wextra -o "$SCRATCH/mutate" "$TOP/test/loader/mutate.c" ||
		{ notok "the mutant generator builds"; return; }
	for b in /bin/true /usr/bin/env "$LDSO" "$LIBC"; do
		n=$(basename "$b")
		"$SCRATCH/mutate" "$b" "$md" "$n" 1 "$per" || { notok "mutants of $b"; return; }
		for s in $(seq 1 "$per"); do names+=("$n-$s"); done
	done
	local total=${#names[@]} i=0 j k
	crashes=0 hangs=0 spins=0 killed=0 errors=0 exited=0 nostatus=0
	while [ $i -lt "$total" ]; do
		j=$((i + batch > total ? total : i + batch))
		if ! mutant_batch "$i" "$j" "${MUTANT_TIMEOUT:-300}"; then
			# a program that never makes a system call cannot be preempted (fibers are
			# cooperative) and stops the whole run: run each alone to find it
			for ((k = i; k < j; k++)); do
				if ! mutant_batch "$k" $((k + 1)) 20 quiet; then
					spins=$((spins + 1))
					echo "# spins without system calls (stops the run): ${names[k]}"
				fi
			done
		fi
		i=$j
	done
	echo "# mutants run: $total (4 binaries x $per), host crashes: $crashes, hung runs: $hangs" \
		"(spinning alone: $spins), ended with an error line: $errors, killed by a signal: $killed," \
		"exited: $exited, without status: $nostatus"
	check "$total mutants of Debian binaries: 0 host crashes" [ $crashes = 0 ]
	check "$total mutants: no hang but programs spinning without system calls ($spins)" \
		[ $hangs -le $spins ]
	check "$total mutants: every process ends with a status line" [ $nostatus = 0 ]
}
