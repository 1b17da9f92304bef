#!/usr/bin/env bash
# go: Go programs, statically linked runtimes with many threads, signals
# (nil-pointer panics, SIGURG preemption) and the epoll netpoller, on both stacks:
# two programs of ours built with Debian's golang-go (standard library only), and
# two Go programs from Debian packages (caddy, a web server, and hey, a load
# generator: two different non-PIE executables alive at once).
set -u
cd "$(dirname "$0")/../.."
TOP=$PWD
make -j2 >/dev/null 2>&1 || { sleep 5; make -j2 >/dev/null 2>&1; } || { echo "not ok - make"; exit 1; }
W=$(mktemp -d /tmp/dce-go.XXXXXX)
trap 'rm -rf "$W"' EXIT
fails=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; fails=$((fails + 1)); }
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}
CACHE=${DCE_CACHE:-$HOME/.cache/dce}
if ! command -v go >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null 2>&1; }
	fi
	command -v go >/dev/null || { echo "not ok - golang-go is not installed: apt-get install golang-go"; exit 1; }
fi
mkdir -p "$CACHE/go-build" "$W/bin"
export GOCACHE=$CACHE/go-build GOPATH=$CACHE/gopath GOFLAGS=-mod=mod GO111MODULE=off
for p in gohttp gocheck; do
	go build -o "$W/bin/$p" "test/go/src/$p.go" || { echo "not ok - go build $p"; exit 1; }
done
GOV=$(go version | awk '{print $3}')
echo "# $GOV; programs in $W/bin"

# Debian's Go programs: caddy and hey, unpacked from their packages (cached)
DEBS=$CACHE/debs
mkdir -p "$DEBS"
for pkg in caddy hey; do
	ls "$DEBS"/${pkg}_*.deb >/dev/null 2>&1 && continue
	(cd "$DEBS" && apt-get download "$pkg" >/dev/null 2>&1) ||
		(apt-get update -qq >/dev/null 2>&1; cd "$DEBS" && apt-get download "$pkg" >/dev/null 2>&1) ||
		{ echo "not ok - apt-get download $pkg failed"; exit 1; }
done
for d in "$DEBS"/caddy_*.deb "$DEBS"/hey_*.deb; do dpkg-deb -x "$d" "$W/root"; done
cp "$W/root/usr/bin/caddy" "$W/root/usr/bin/hey" "$W/bin/"
mkdir -p "$W/bin/www"
seq 1 2000 > "$W/bin/www/index.html"

RUN=$TOP/build/dce/dce-run
TWO=$TOP/build/dce/examples/dce-two-nodes
B=$W/bin
out() { cat "$1/files-$2/var/log/$3/stdout" 2>/dev/null; }
exitp() { awk -v n="$2" -v p="$3" '$1==n && $2==p {print $3}' "$1/exitprocs"; }

# --- the runtime's own needs ------------------------------------------------------
o=$W/rt
timeout 300 "$RUN" --out "$o" --map "$B" --cpu-watchdog 50ms \
	"0: $B/gocheck recover threads timers" \
	"1 env=GOMAXPROCS=4: $B/gocheck threads" \
	"2 stop=10s: $B/gocheck preempt" >"$o.log" 2>&1
native_threads=$("$B/gocheck" threads | awk '{print $NF}')
check "a nil-pointer dereference becomes a panic that recover() catches" \
	grep -qx 'recover: runtime error: invalid memory address or nil pointer dereference' <(out "$o" 0 1000)
check "goroutines on locked OS threads compute what they compute natively" \
	grep -Eq "^threads: GOMAXPROCS 1, 8 OS threads, result $native_threads\$" <(out "$o" 0 1000)
check "GOMAXPROCS=4: several threads run Go code, same result" \
	grep -Eq "^threads: GOMAXPROCS 4, 8 OS threads, result $native_threads\$" <(out "$o" 1 1000)
check "time.Sleep, tickers and time.After take exactly their simulated time" \
	grep -qx 'timers: 5 ticks, 2.25s elapsed' <(out "$o" 0 1000)
check "a goroutine spinning without calls is preempted (watchdog, then Go's SIGURG)" \
	grep -qx 'preempt: ok' <(out "$o" 2 1000)
check "every Go process exits 0" [ "$(exitp "$o" 0 1000)$(exitp "$o" 1 1000)$(exitp "$o" 2 1000)" = 000 ]

# --- an HTTP server and a client with 20 connections, on both stacks ---------------
native=$( ("$B/gohttp" serve 127.0.0.1:18088 100 >/dev/null &) ; sleep 0.5; "$B/gohttp" get http://127.0.0.1:18088 20 5)
echo "# native: $native"
# the Linux stack needs the kernel library (built once, cached: src/kernel/build.sh)
lib=$("$TOP/src/kernel/build.sh" 2>"$W/kbuild.log") || { notok "kernel library builds (see the linux suite)"; lib=; }
export DCE_LINUX_LIBRARY=$lib
for stack in ns3 linux; do
	o=$W/http-$stack
	mkdir -p "$o"
	lin=0; [ $stack = linux ] && lin=1
	CMD1="$B/gohttp serve 10.1.1.2:8080 100" CMD0="$B/gohttp get http://10.1.1.2:8080 20 5" \
		timeout 300 "$TWO" --out="$o" --map="$B" --stop=30 --linux=$lin >"$o.log" 2>&1
	check "$stack stack: Go HTTP client, 20 connections x 5 requests, same bytes as natively" \
		grep -qx "$native" <(out "$o" 0 1000)
	check "$stack stack: the Go server served 100 requests and exited 0" \
		[ "$(out "$o" 1 1000 | tail -1)" = "served 100" ] && [ "$(exitp "$o" 1 1001)" = 0 ]
done
o2=$W/http-ns3-again
mkdir -p "$o2"
CMD1="$B/gohttp serve 10.1.1.2:8080 100" CMD0="$B/gohttp get http://10.1.1.2:8080 20 5" \
	timeout 300 "$TWO" --out="$o2" --map="$B" --stop=30 >"$o2.log" 2>&1
check "the same Go scenario twice: identical outputs and exitprocs" \
	diff -r -x '*.pcap' "$W/http-ns3" "$o2"

# --- Debian's Go programs: caddy serves, hey loads it (two non-PIE executables) -----
o=$W/caddy
mkdir -p "$o"
CMD1="$B/caddy file-server --listen 10.1.1.2:8080 --root $B/www" \
	CMD0="$B/hey -n 200 -c 20 http://10.1.1.2:8080/" \
	timeout 300 "$TWO" --out="$o" --map="$B" --stop=5 >"$o.log" 2>&1
check "Debian's hey against Debian's caddy: 200 requests, all answered 200" \
	grep -Eq '^\s*\[200\]\s+200 responses' <(out "$o" 0 1000)
check "... each with the whole file" grep -Eq "Size/request:\s+$(stat -c %s "$B/www/index.html") bytes" <(out "$o" 0 1000)
check "... caddy is still serving at the stop time" grep -qx 'running: still running when the simulation ended' \
	"$o/files-1/var/log/1001/status"
echo "# $(grep -E 'Requests/sec' <(out "$o" 0 1000))"

[ $fails = 0 ] && echo "# go: all passed" || echo "# go: $fails failed"
[ $fails = 0 ]
