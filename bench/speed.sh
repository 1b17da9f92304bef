#!/usr/bin/env bash
# bench/speed.sh - issue 14's speed figures, each against its baseline measured in
# the same run (docs/performance.md, "System calls rewritten, fork"):
#  * syscall(SYS_getpid): native; trapped (stock libc, DCE_REWRITE=0); rewritten
#    (stock libc, the default: served in program context, fastcall.c); rewritten
#    through the full entry (DCE_FASTCALL=0, what any other call pays); glibc-dce's
#    hook (when its build is found). Best batch of 500 calls, TSC cycles read
#    inside the program.
#  * fork+exec+wait of /bin/true: native vs dce (best batch of 10, TSC inside).
#  * bash running 1000 `$(...)` substitutions: native vs dce, wall time of the
#    script minus that of `bash -c :` (dce's and bash's start-up).
#  * with --net: the iperf3 example with the stock libc (rewritten with fast
#    calls; full entry, DCE_FASTCALL=0; trapped, DCE_REWRITE=0) and with glibc-dce
#    (when built) vs ns-3's BulkSend alone on the same link: wall and CPU time
#    (user + system), best of ROUNDS=3 interleaved rounds.
# Prints "name value" lines, then a markdown table.   bench/speed.sh [--net]
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
make -s -C "$TOP" -j2 all bench-bins >/dev/null
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
GDIR=${DCE_GLIBC_DIR:-$TOP/build/install/lib/glibc-dce}
[ -f "$GDIR/libc.so.6" ] || GDIR=$(dirname "$(ls ~/.cache/dce/glibc/*/libc.so.6 2>/dev/null | head -1)" 2>/dev/null || true)
r() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
now() { date +%s.%N; }

cpn=$("$B/bench/syscall-loop" calibrate | awk '{print $3}')
ns() { echo "$1 / $cpn" | bc -l | xargs printf '%.0f'; }
dce() { # OUT ENV... -- scenario: a dce run with bench/ and /bin mapped
	local out=$1; shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	rm -rf "$W/$out"
	env "${envs[@]}" "$B/dce-run" --out "$W/$out" --map "$B/bench" "$@" >"$W/$out.log" 2>&1
	cat "$W/$out/files-0/var/log/1000/stdout"
}
native=$("$B/bench/syscall-loop" best 200000 | awk '{print $3}')
trap_c=$(dce t DCE_LIBC=stock DCE_REWRITE=0 -- "0: $B/bench/syscall-loop best 200000" | awk '{print $3}')
rew_c=$(dce rw DCE_LIBC=stock -- "0: $B/bench/syscall-loop best 200000" | awk '{print $3}')
full_c=$(dce rf DCE_LIBC=stock DCE_FASTCALL=0 -- "0: $B/bench/syscall-loop best 200000" | awk '{print $3}')
hook_c=
if [ -f "$GDIR/libc.so.6" ]; then
	hook_c=$(dce h DCE_LIBC=dce DCE_GLIBC_DIR="$GDIR" -- "0: $B/bench/syscall-loop best 200000" | awk '{print $3}')
fi
nat_ns=$(ns "$native") trap_ns=$(ns "$trap_c") rew_ns=$(ns "$rew_c") full_ns=$(ns "$full_c")
echo "getpid_native_ns $nat_ns"
echo "getpid_trapped_ns $trap_ns ($(r "$trap_c" "$native")x native)"
echo "getpid_rewritten_ns $rew_ns ($(r "$rew_c" "$native")x native, $(r "$trap_c" "$rew_c")x faster than trapped)"
echo "getpid_rewritten_full_entry_ns $full_ns ($(r "$full_c" "$native")x native; DCE_FASTCALL=0, what other calls pay)"
hook_ns=n/a hook_cell=n/a
if [ -n "$hook_c" ]; then
	hook_ns=$(ns "$hook_c")
	hook_cell="$hook_ns ns ($(r "$hook_c" "$native")x)"
	echo "getpid_glibc_dce_hook_ns $hook_ns ($(r "$hook_c" "$native")x native)"
fi
fsg=$(LD_SHOW_AUXV=1 /bin/true | awk '/AT_HWCAP2/ {print $2}')
echo "host_hwcap2 $fsg (bit 1: FSGSBASE; without it every entry and exit sets FS with arch_prctl)"

fe_native=$("$B/bench/fork-exec" /bin/true 200 | awk '{print $3}')
fe_dce=$(dce fe DCE_LIBC=stock -- "0: $B/bench/fork-exec /bin/true 200" | awk '{print $3}')
fe_nat_us=$(echo "$fe_native / $cpn / 1000" | bc -l | xargs printf '%.0f')
fe_dce_us=$(echo "$fe_dce / $cpn / 1000" | bc -l | xargs printf '%.0f')
echo "fork_exec_wait_native_us $fe_nat_us"
echo "fork_exec_wait_dce_us $fe_dce_us ($(r "$fe_dce" "$fe_native")x native)"

SCRIPT='for i in $(seq 1 1000); do x=$(echo $i); done; echo done $x'
tm() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); echo "$t1 - $t0" | bc -l; }
sub_nat=$(echo "$(tm bash -c "$SCRIPT") - $(tm bash -c :)" | bc -l)
sub_dce=$(echo "$(tm env DCE_LIBC=stock "$B/dce-run" --out "$W/s" "0: /bin/bash -c '$SCRIPT'") - $(tm env DCE_LIBC=stock "$B/dce-run" --out "$W/s0" "0: /bin/bash -c :")" | bc -l)
grep -q "done 1000" "$W/s/files-0/var/log/1000/stdout" || { echo "speed: the \$(...) script failed in dce" >&2; exit 1; }
sub_nat_ms=$(echo "$sub_nat" | xargs printf "%.3f")
sub_dce_ms=$(echo "$sub_dce" | xargs printf '%.3f')
echo "bash_1000_subst_native_ms_each $sub_nat_ms"
echo "bash_1000_subst_dce_ms_each $sub_dce_ms ($(r "$sub_dce" "$sub_nat")x native)"

net_row=
if [ "${1:-}" = --net ]; then
	# one run: "wall cpu" (best of the rounds is kept per kind)
	one() { # KIND ENV... -- ARGS...
		local k=$1; shift
		local envs=()
		while [ "$1" != -- ]; do envs+=("$1"); shift; done
		shift
		/usr/bin/time -f '%e %U %S' -o "$W/$k.t" env "${envs[@]}" "$B/examples/dce-iperf3" --rate=100Mbps \
			--time=10 --pcap=0 --out="$W/$k" "$@" >/dev/null 2>&1
		read -r w u s <"$W/$k.t"
		echo "$k $w $(echo "$u + $s" | bc -l)" >>"$W/net.txt"
	}
	for _ in $(seq 1 "${ROUNDS:-3}"); do
		one bs X=1 -- --dce=0 --bulksend=1
		one fast DCE_LIBC=stock --
		one full DCE_LIBC=stock DCE_FASTCALL=0 --
		one trap DCE_LIBC=stock DCE_REWRITE=0 --
		[ -f "$GDIR/libc.so.6" ] && one hook DCE_LIBC=dce DCE_GLIBC_DIR="$GDIR" --
	done
	best() { awk -v k="$1" -v c="$2" '$1 == k && (m == "" || $c < m) { m = $c } END { print m }' "$W/net.txt"; }
	for k in bs fast full trap hook; do
		eval "net_${k}_w=$(best $k 2) net_${k}_c=$(best $k 3)"
	done
	hook_net=
	[ -n "$net_hook_c" ] && hook_net="$net_hook_w / $net_hook_c s ($(r "$net_hook_c" "$net_bs_c")x CPU)"
	echo "iperf3_vs_bulksend glibc-dce: ${hook_net:-not built}"
	echo "iperf3_vs_bulksend wall: fast $net_fast_w s full $net_full_w s trapped $net_trap_w s bulksend $net_bs_w s ($(r "$net_fast_w" "$net_bs_w")x, full $(r "$net_full_w" "$net_bs_w")x, trapped $(r "$net_trap_w" "$net_bs_w")x)"
	echo "iperf3_vs_bulksend cpu: fast $net_fast_c s full $net_full_c s trapped $net_trap_c s bulksend $net_bs_c s ($(r "$net_fast_c" "$net_bs_c")x, full $(r "$net_full_c" "$net_bs_c")x, trapped $(r "$net_trap_c" "$net_bs_c")x)"
	net_row="| iperf3 example (10 s, 100 Mbit/s) vs BulkSend alone, wall / CPU | $net_bs_w / $net_bs_c s (BulkSend) | $net_trap_w / $net_trap_c s ($(r "$net_trap_c" "$net_bs_c")x CPU) | $net_fast_w / $net_fast_c s ($(r "$net_fast_w" "$net_bs_w")x wall, $(r "$net_fast_c" "$net_bs_c")x CPU) | $net_full_w / $net_full_c s ($(r "$net_full_c" "$net_bs_c")x CPU) | $hook_net |"
fi

cat <<MD

| measure | native | dce, trapped (DCE_REWRITE=0) | dce, rewritten (default) | rewritten, full entry (DCE_FASTCALL=0) | glibc-dce hook |
|---|---|---|---|---|---|
| syscall(SYS_getpid) | ${nat_ns} ns | ${trap_ns} ns ($(r "$trap_c" "$native")x) | ${rew_ns} ns ($(r "$rew_c" "$native")x) | ${full_ns} ns ($(r "$full_c" "$native")x) | ${hook_cell} |
| fork+exec+wait of /bin/true | ${fe_nat_us} µs | | ${fe_dce_us} µs ($(r "$fe_dce" "$fe_native")x) | | |
| bash: one \`\$(...)\` of 1000 | ${sub_nat_ms} ms | | ${sub_dce_ms} ms ($(r "$sub_dce" "$sub_nat")x) | | |
${net_row}
MD
