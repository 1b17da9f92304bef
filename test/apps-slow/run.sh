#!/usr/bin/env bash
# test/apps-slow - the compatibility suite (issue 18): stock Debian programs beyond
# those the examples use, each in a multi-node scenario file (test/apps-slow/*.yaml)
# whose real output is checked. Scenarios run two at a time. Missing packages are
# installed as root (apt-get; services never start on the host: policy-rc.d); a
# scenario whose programs are missing is skipped with the apt-get line to run.
# docs/compatibility.md lists every program, its stack and its limits.
source "$(dirname "$0")/../lib.sh"
build_once
HERE=$TOP/test/apps-slow
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") || {
	echo "not ok - kernel library builds (see the linux suite)"
	exit 1
}
export DCE_LINUX_LIBRARY=$lib

# ---- packages ----
PKGS=(bind9 bind9-dnsutils dnsmasq-base redis-server redis-tools memcached libmemcached-tools
	apache2 apache2-utils bird2 isc-dhcp-server isc-dhcp-client udhcpc busybox mtr-tiny
	socat tcpdump iperf hping3 nmap arping fping traceroute rsync wget net-tools
	ethtool iproute2 python3 openssh-client openssh-server)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
	echo "# installing ${missing[*]}"
	rc_made=
	if [ ! -e /usr/sbin/policy-rc.d ]; then # no service may start on the host
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && rc_made=1
	fi
	inst() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "${missing[@]}" >"$SCRATCH/apt.log" 2>&1; }
	inst || { apt-get update -qq >/dev/null 2>&1; inst; } || sed 's/^/# apt: /' "$SCRATCH/apt.log" | tail -5
	[ -n "$rc_made" ] && rm -f /usr/sbin/policy-rc.d
fi
# has PROGRAM...: all installed, else a skip line naming the package list
has() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || {
			echo "ok - # SKIP $p is not installed (as root: apt-get install ${PKGS[*]})"
			return 1
		}
	done
}

# ---- the scenarios: two at a time ----
# scenario NAME: runs test/apps-slow/NAME.yaml into $SCRATCH/NAME (log: NAME.log)
scenario() {
	while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
	( start=$(date +%s)
	  timeout 600 "$DCE_RUN" --out "$SCRATCH/$1" "$HERE/$1.yaml" >"$SCRATCH/$1.log" 2>&1
	  echo "rc $? wall $(( $(date +%s) - start ))s" >"$SCRATCH/$1.done" ) &
}
# out NAME NODE PID [stdout|stderr]; proc NAME INDEX: "NODE PID EXIT" of the file's process INDEX
out() { cat "$SCRATCH/$1/files-$2/var/log/$3/${4:-stdout}" 2>/dev/null; }
pout() { # NAME INDEX [stdout|stderr]: output of the scenario's process INDEX (file order)
	local n p
	read -r n p < <(awk -v i="$2" '$1 == i { print $2, $3 }' "$SCRATCH/$1/scenario-procs" 2>/dev/null)
	[ -n "${p:-}" ] && out "$1" "$n" "$p" "${3:-stdout}"
}
pexit() { awk -v i="$2" '$1 == i { print $4 }' "$SCRATCH/$1/scenario-procs" 2>/dev/null; }
expect() { # NAME "description" INDEX <<EOF: process INDEX's stdout is exactly the text
	local name=$1 what=$2 idx=$3 exp
	exp=$(cat)
	if [ "$(pout "$name" "$idx")" == "$exp" ]; then ok "$what"; else
		notok "$what"; diff <(echo "$exp") <(pout "$name" "$idx") 2>&1 | sed 's/^/#   /' | head -20
	fi
}
has_line() { pout "$1" "$2" "${4:-stdout}" | grep -Eq -- "$3"; } # NAME INDEX ERE [stderr]
