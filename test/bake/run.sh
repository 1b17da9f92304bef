#!/usr/bin/env bash
# bake's test suite: graph resolution, patches, incremental builds, hostile
# XML, a real debian-source download, and a short fuzzing run. Each case
# works in its own directory (its own bakeconf.xml, build/ and bakefile.xml).
# Prints "ok - ..." / "not ok - ..." per case; exits non-zero on any failure.
set -u
cd "$(dirname "$0")/../.."
top=$PWD
BAKE="$top/bake/bake"
suite_start=$(date +%s)
tmp=$(mktemp -d /tmp/bake-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
count=0

ok() { count=$((count + 1)); echo "ok - $1"; }
not_ok() {
  count=$((count + 1)); fails=$((fails + 1)); echo "not ok - $1"
  [ -f "$tmp/out" ] && sed 's/^/#   /' "$tmp/out" | tail -25
}
# run NAME EXPECTED_EXIT ARGS...: runs bake in the case directory, output in $tmp/out.
run() {
  local dir=$1 want=$2; shift 2
  (cd "$dir" && "$BAKE" "$@") >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" != "$want" ]; then echo "(exit $rc, wanted $want)" >>"$tmp/out"; return 1; fi
}
has() { grep -qF -- "$1" "$tmp/out" || { echo "(missing: $1)" >>"$tmp/out"; return 1; }; }
hasnt() { ! grep -qF -- "$1" "$tmp/out" || { echo "(unexpected: $1)" >>"$tmp/out"; return 1; }; }
# newcase NAME: a fresh directory with the bakeconf.xml read from stdin.
newcase() { local d="$tmp/$1"; mkdir -p "$d"; cat >"$d/bakeconf.xml"; echo "$d"; }

# Compile the tool once up front (the wrapper is what users run).
if ! "$BAKE" --help >"$tmp/out" 2>&1; then not_ok "bake compiles"; exit 1; fi
ok "bake compiles and --help exits 0"

# ---------------------------------------------------------------- usage
d=$(newcase usage <<'EOF'
<bakeconf><module name="a"><source type="local" dir="."/></module></bakeconf>
EOF
)
r=0
for c in configure list download build deploy show check clean distclean; do
  run "$d" 0 "$c" --help && has "usage: bake $c" || r=1
done
[ $r = 0 ] && ok "every command has --help (exit 0)" || not_ok "every command has --help"
run "$d" 2 biuld && has "did you mean 'build'" && ok "unknown command: exit 2 with a suggestion" || not_ok "unknown command"
run "$d" 2 build --bogus && ok "bad option: exit 2" || not_ok "bad option exits 2"
run "$d" 2 configure && has "nothing enabled" && ok "configure without -e: exit 2" || not_ok "configure without -e"
run "$d" 2 build -j zero && has "-j needs a number" && ok "build -j zero: exit 2" || not_ok "-j validation"
run "$d" 1 build && has "run \`bake configure" && ok "build before configure says what to run" || not_ok "build before configure"

# ---------------------------------------------------------------- graph
d=$(newcase order <<'EOF'
<bakeconf version="1">
  <module name="app"><source type="local" dir="."/><depends_on name="lib"/><depends_on name="base"/></module>
  <module name="lib"><source type="local" dir="."/><depends_on name="util"/></module>
  <module name="util"><source type="local" dir="."/><depends_on name="base"/></module>
  <module name="base"><source type="local" dir="."/></module>
  <module name="unrelated"><source type="local" dir="."/></module>
</bakeconf>
EOF
)
if run "$d" 0 configure -e app && has "base util lib app" && hasnt unrelated \
   && [ "$(grep -o '<module name="[a-z]*"' "$d/bakefile.xml" | cut -d'"' -f2 | tr '\n' ' ')" = "base util lib app " ]; then
  ok "topological order: dependencies first, unrelated modules left out, bakefile.xml in build order"
else not_ok "topological order"; fi

d=$(newcase cycle <<'EOF'
<bakeconf>
  <module name="a"><source type="local" dir="."/><depends_on name="b"/></module>
  <module name="b"><source type="local" dir="."/><depends_on name="c"/></module>
  <module name="c"><source type="local" dir="."/><depends_on name="a"/></module>
</bakeconf>
EOF
)
run "$d" 1 configure -e a && has "dependency cycle: a -> b -> c -> a" && [ ! -e "$d/bakefile.xml" ] \
  && ok "cycle detected and printed: a -> b -> c -> a" || not_ok "cycle detection"

d=$(newcase names <<'EOF'
<bakeconf>
  <module name="dce-core"><source type="local" dir="."/><depends_on name="ns3"/></module>
  <module name="ns-3"><source type="system"><package name="coreutils"/></source></module>
  <module name="tool"><source type="local" dir="."/></module>
</bakeconf>
EOF
)
run "$d" 1 configure -e tool -e dce-cor && has "unknown module or set 'dce-cor' (did you mean 'dce-core'?)" \
  && ok "unknown -e name: closest name suggested" || not_ok "unknown -e name"
run "$d" 1 configure -e dce-core && has "bakeconf.xml:2: module 'dce-core' depends on unknown module 'ns3' (did you mean 'ns-3'?)" \
  && ok "unknown dependency: file:line and closest name" || not_ok "unknown dependency"

d=$(newcase optional <<'EOF'
<bakeconf>
  <module name="app"><source type="local" dir="."/><depends_on name="req"/><depends_on name="opt" optional="yes"/>
    <build type="script"><step name="build">echo built > "$OBJDIR/app.txt"</step></build></module>
  <module name="req"><source type="local" dir="."/><build type="script"><step name="build">test ! -e "$TOPDIR/fail-req"</step></build></module>
  <module name="opt"><source type="local" dir="."/><build type="script"><step name="build">echo optional build exploded; exit 3</step></build></module>
  <module name="kernel" status="planned" message="the kernel library, issue 5"/>
  <module name="sys"><source type="system"><package name="bake-test-no-such-package"/></source></module>
  <module name="uses-sys"><source type="local" dir="."/><depends_on name="sys"/></module>
  <set name="full"><member name="app"/><member name="kernel"/></set>
  <set name="lite"><member name="app"/><member name="kernel" optional="yes"/></set>
</bakeconf>
EOF
)
run "$d" 1 configure -e full && has "full needs module kernel (the kernel library, issue 5), not available yet" \
  && ok "required planned module: configure says exactly what is missing" || not_ok "planned module required"
run "$d" 0 configure -e lite && has "optional module 'kernel' skipped: the kernel library, issue 5" \
  && ok "optional planned module: skipped with a note" || not_ok "planned module optional"
run "$d" 1 configure -e app -d req && has "'app' needs module 'req', which is disabled with -d req" \
  && ok "-d of a required dependency is an error" || not_ok "-d required"
run "$d" 0 configure -e app -d opt && has "optional module 'opt'" && ! grep -q '<module name="opt"' "$d/bakefile.xml" \
  && ok "-d of an optional dependency drops it" || not_ok "-d optional"
run "$d" 0 configure -e app && run "$d" 0 build && has "opt" && has "optional module opt did not build; continuing" \
  && [ -f "$d/build/obj/app/app.txt" ] && ok "optional dependency fails: dependent still builds, exit 0" \
  || not_ok "optional dependency failure"
touch "$d/fail-req"
run "$d" 1 build && has "SKIPPED: needs req, which did not build" && has "last 30 lines of" && has "build/logs/req.log" \
  && ok "required dependency fails: dependent skipped, log tail and path shown, exit 1" || not_ok "required dependency failure"
rm -f "$d/fail-req"
run "$d" 0 configure -e uses-sys && run "$d" 1 build && has "MISSING: bake-test-no-such-package" \
  && has "apt-get install -y bake-test-no-such-package" && ok "missing system package: build fails with the apt-get line" \
  || not_ok "missing system package"
run "$d" 0 show && has "MISSING packages: bake-test-no-such-package" && has "apt-get install -y bake-test-no-such-package" \
  && ok "show explains missing packages with the fix" || not_ok "show missing"
run "$d" 0 show --enabled-tree && has "uses-sys [local]" && has "    sys [system]" && ok "show --enabled-tree" || not_ok "show --enabled-tree"

# ---------------------------------------------------------------- patches
d=$(newcase patch <<'EOF'
<bakeconf>
  <module name="hello">
    <source type="archive" url="hello-1.0.tar.gz" sha256="SHA"/>
    <patch file="one.patch"/>
    <build type="script"><step name="build">cat "$SRCDIR/greeting.txt" > "$OBJDIR/out.txt"; echo run >> "$TOPDIR/builds.log"</step></build>
  </module>
</bakeconf>
EOF
)
mkdir -p "$d/src/hello-1.0"
printf 'hello\nworld\n' >"$d/src/hello-1.0/greeting.txt"
tar -C "$d/src" -czf "$d/hello-1.0.tar.gz" hello-1.0
sha=$(sha256sum "$d/hello-1.0.tar.gz" | cut -d' ' -f1)
sed -i "s/SHA/$sha/" "$d/bakeconf.xml"
cat >"$d/one.patch" <<'EOF'
--- a/greeting.txt
+++ b/greeting.txt
@@ -1,2 +1,3 @@
 hello
 world
+patched once
EOF
cat >"$d/two.patch" <<'EOF'
--- a/greeting.txt
+++ b/greeting.txt
@@ -1,3 +1,4 @@
 hello
 world
 patched once
+patched twice
EOF
cat >"$d/bad.patch" <<'EOF'
--- a/greeting.txt
+++ b/greeting.txt
@@ -1,2 +1,2 @@
-goodbye
+farewell
 world
EOF
run "$d" 0 configure -e hello && run "$d" 0 deploy && [ "$(grep -c 'patched once' "$d/build/bake/src/hello/greeting.txt")" = 1 ] \
  && ok "archive (local path, sha256 checked) unpacked and patched" || not_ok "archive + patch"
run "$d" 0 build && has "up to date" && [ "$(grep -c 'patched once' "$d/build/bake/src/hello/greeting.txt")" = 1 ] \
  && ok "re-running build does not re-apply the patch" || not_ok "patch re-applied"
rm -f "$d/build/bake/state/hello/built"
run "$d" 0 build && has "already applied" && [ "$(grep -c 'patched once' "$d/build/bake/src/hello/greeting.txt")" = 1 ] \
  && ok "forced rebuild: patch recorded as applied, not applied again" || not_ok "patch applied once on rebuild"
sed -i 's|<patch file="one.patch"/>|<patch file="one.patch"/><patch file="two.patch"/>|' "$d/bakeconf.xml"
run "$d" 0 build && [ "$(grep -c 'patched' "$d/build/bake/src/hello/greeting.txt")" = 2 ] \
  && grep -q 'patched twice' "$d/build/obj/hello/out.txt" \
  && ok "a patch added later is applied on top, the first is not re-applied" || not_ok "incremental patch list"
sed -i 's|<patch file="two.patch"/>||' "$d/bakeconf.xml"
run "$d" 0 build && ! grep -q 'patched twice' "$d/build/bake/src/hello/greeting.txt" \
  && [ "$(grep -c 'patched once' "$d/build/bake/src/hello/greeting.txt")" = 1 ] \
  && ok "a patch removed: source re-created pristine, remaining patches applied once" || not_ok "patch removal"
sed -i 's|<patch file="one.patch"/>|<patch file="one.patch"/><patch file="bad.patch"/>|' "$d/bakeconf.xml"
run "$d" 1 build && has "bad.patch (bakeconf line" && has "does not apply to module hello" \
  && has "file greeting.txt: hunk #1 FAILED at line 1" && has "-goodbye" && has "the failing hunk" \
  && ok "bad patch: stops with the file and the failing hunk" || not_ok "bad patch message"
sed -i 's|<patch file="bad.patch"/>||' "$d/bakeconf.xml"
sed -i "s/$sha/$(printf '%064d' 0)/" "$d/bakeconf.xml"
run "$d" 1 download && has "sha256 mismatch" && ok "archive with a wrong sha256 is refused" || not_ok "sha256 mismatch"

d=$(newcase offline <<'EOF'
<bakeconf>
  <module name="remote"><source type="archive" url="http://bake-test.invalid/x-1.0.tar.gz" sha256="0000000000000000000000000000000000000000000000000000000000000000"/></module>
  <module name="repo"><source type="git" url="https://bake-test.invalid/repo.git" revision="v1.0"/></module>
</bakeconf>
EOF
)
run "$d" 0 configure -e remote -e repo && run "$d" 1 download && has "archive sources with a URL need internet access" \
  && has "git sources need access to that host" && ok "archive URL and git without internet: clear message" \
  || not_ok "offline archive/git"

# ---------------------------------------------------------------- incremental
d=$(newcase incremental <<'EOF'
<bakeconf>
  <module name="lib"><source type="local" dir="lib"/>
    <build type="make" build_arguments="OUT=$OBJDIR" install_arguments="PREFIX=$INSTALLDIR"/></module>
  <module name="app"><source type="local" dir="app"/><depends_on name="lib"/>
    <env name="GREETING" value="hi from $MODULE"/>
    <build type="script">
      <step name="configure">echo configured >> "$TOPDIR/app-configure.log"</step>
      <step name="build">echo "$GREETING" > "$OBJDIR/app.out"; echo built >> "$TOPDIR/app-build.log"</step>
      <step name="install">mkdir -p "$INSTALLDIR/bin"; cp "$OBJDIR/app.out" "$INSTALLDIR/bin/"</step>
    </build></module>
  <module name="tools"><source type="system"><package name="make" program="make"/></source></module>
  <set name="all"><member name="app"/><member name="tools"/></set>
</bakeconf>
EOF
)
mkdir -p "$d/lib" "$d/app"
printf 'all:\n\techo lib > $(OUT)/lib.out\ninstall:\n\tmkdir -p $(PREFIX)/lib && cp $(OUT)/lib.out $(PREFIX)/lib/\n' >"$d/lib/Makefile"
echo 'main' >"$d/app/main.c"
run "$d" 0 configure -e all && run "$d" 0 build && [ -f "$d/build/install/lib/lib.out" ] \
  && grep -q "hi from app" "$d/build/install/bin/app.out" && [ -f "$d/build/logs/app.log" ] \
  && ok "make and script builds with \$SRCDIR/\$OBJDIR/\$INSTALLDIR, env and per-module logs" || not_ok "first build"
start=$(date +%s%N)
run "$d" 0 build; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ $rc = 0 ] && has "all 3 modules up to date" && [ "$(grep -c 'up to date' "$tmp/out")" = 4 ] && [ $ms -lt 1000 ] \
   && [ "$(wc -l <"$d/app-build.log")" = 1 ]; then
  ok "unchanged inputs: every module up to date, nothing rebuilt (${ms} ms < 1000 ms)"
else echo "(took ${ms} ms)" >>"$tmp/out"; not_ok "skip when unchanged"; fi
sleep 0.01; echo 'changed' >>"$d/lib/Makefile.inc"; touch "$d/lib/Makefile"
run "$d" 0 build && [ "$(wc -l <"$d/app-build.log")" = 2 ] && [ "$(wc -l <"$d/app-configure.log")" = 1 ] \
  && ok "a changed dependency rebuilds its dependents (without re-configuring them)" || not_ok "dependency change propagates"
sed -i 's/hi from/hello from/' "$d/bakeconf.xml"
run "$d" 0 build && has "changed since \`bake configure\`" && grep -q "hello from app" "$d/build/install/bin/app.out" \
  && [ "$(wc -l <"$d/app-configure.log")" = 2 ] && ok "a changed recipe rebuilds (and re-configures) the module" || not_ok "recipe change"
run "$d" 0 clean && [ ! -d "$d/build/obj/app" ] && run "$d" 0 build && [ "$(wc -l <"$d/app-build.log")" = 4 ] \
  && ok "clean removes outputs; the next build rebuilds" || not_ok "clean"
run "$d" 0 distclean && [ ! -e "$d/build/bake" ] && [ ! -e "$d/bakefile.xml" ] && ok "distclean starts over" || not_ok "distclean"

# ---------------------------------------------------------------- XML
xmlcase() { # NAME EXPECTED-TEXT: the file is $tmp/in.xml (no pipe: counters must survive)
  local d; d=$(newcase "xml-$1" <"$tmp/in.xml")
  if run "$d" 1 list && has "$2"; then ok "XML: $1 refused ($2)"; else not_ok "XML: $1"; fi
}
printf '<bakeconf>\n  <module name="a">\n    <source type="local" dir="."/>\n  </modul>\n</bakeconf>\n' >"$tmp/in.xml"; xmlcase "mismatched tag" "bakeconf.xml:4:"
printf '<bakeconf>\n  <module name="a"><source type="local" dir="."/>\n  <buidl type="make"/></module>\n</bakeconf>\n' >"$tmp/in.xml"; xmlcase "unknown element" "bakeconf.xml:3:3: unknown element <buidl> in <module>"
printf '<bakeconf>\n  <module name="a" descripton="x"><source type="local" dir="."/></module>\n</bakeconf>\n' >"$tmp/in.xml"; xmlcase "unknown attribute" "bakeconf.xml:2:20: unknown attribute 'descripton' on <module>"
printf '<bakeconf>\n <module name="a"><source type="system" dir="."><package name="x"/></source></module>\n</bakeconf>\n' >"$tmp/in.xml"; xmlcase "attribute of another source type" "unknown attribute 'dir' on a system <source>"
printf '<bakeconf>\n <module name="a"><source type="local" dir="."/><build type="make" targets="all" configure_arguments="x"/></module>\n</bakeconf>\n' >"$tmp/in.xml"; xmlcase "attribute of another build type" "unknown attribute 'configure_arguments' on a make <build>"
printf '<bakeconf><module name="a"><source type="local" dir="."/></module><module name="a"><source type="local" dir="."/></module></bakeconf>' >"$tmp/in.xml"; xmlcase "duplicate module" "'a' is defined twice"
printf '<bakeconf>stray text<module name="a"><source type="local" dir="."/></module></bakeconf>' >"$tmp/in.xml"; xmlcase "stray text" "unexpected text in <bakeconf>"
printf '' >"$tmp/in.xml"; xmlcase "empty file" "bakeconf.xml:1:1:"
printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n<bakeconf><module name="&lol3;"/></bakeconf>\n' \
  >"$tmp/in.xml"; xmlcase "entity expansion (billion laughs)" "bakeconf.xml:2:1: <!DOCTYPE> refused"
printf '<?xml version="1.0"?>\n<!DOCTYPE b SYSTEM "file:///etc/passwd">\n<bakeconf/>\n' >"$tmp/in.xml"; xmlcase "external DTD" "<!DOCTYPE> refused"
printf '<bakeconf><module name="&xxe;"/></bakeconf>' >"$tmp/in.xml"; xmlcase "undeclared entity reference" "bakeconf.xml:1:"
{ printf '<bakeconf>'; for i in $(seq 2000); do printf '<set>'; done; } >"$tmp/in.xml"; xmlcase "deep nesting (2000 levels)" "bakeconf.xml:1:"
{ printf '<bakeconf>\n'; for i in $(seq 40); do printf '<set>'; done; for i in $(seq 40); do printf '</set>'; done; printf '</bakeconf>\n'; } >"$tmp/in.xml"; xmlcase "nesting deeper than bake allows (40 levels, well-formed)" "elements nested deeper than 32 levels"
{ printf '<bakeconf>\n<!-- '; head -c 5000000 /dev/zero | tr '\0' 'x'; printf ' -->\n</bakeconf>\n'; } >"$tmp/in.xml"; xmlcase "huge file (5 MB)" "more than the 4194304 allowed"
printf '<bakeconf><!-- <!DOCTYPE in a comment is fine --><module name="a"><source type="local" dir="."/></module></bakeconf>' >"$tmp/c.xml"
d=$(newcase xml-comment <"$tmp/c.xml"); run "$d" 0 list && ok "XML: declarations inside comments are not mistaken for DTDs" || not_ok "XML comment"

# ---------------------------------------------------------------- inputs that are not files
# Archives and patches are read only from regular files under a size limit:
# /dev/zero as an archive used to fill the disk, as a patch to hang bake.
d=$(newcase devzero-archive <<'EOF'
<bakeconf>
  <module name="z"><source type="archive" url="/dev/zero" sha256="0000000000000000000000000000000000000000000000000000000000000000"/></module>
  <module name="f"><source type="archive" url="fifo.tar" sha256="0000000000000000000000000000000000000000000000000000000000000000"/></module>
</bakeconf>
EOF
)
mkfifo "$d/fifo.tar"
if run "$d" 0 configure -e z && (cd "$d" && timeout 20 "$BAKE" download) >"$tmp/out" 2>&1; [ $? = 1 ] \
   && has "/dev/zero is a character device, not a regular file" && [ "$(du -sk "$d/build" | cut -f1)" -lt 1024 ]; then
  ok "archive url=/dev/zero: refused at once (a character device, not a regular file), nothing written"
else not_ok "archive /dev/zero"; fi
if run "$d" 0 configure -e f && (cd "$d" && timeout 20 "$BAKE" download) >"$tmp/out" 2>&1; [ $? = 1 ] && has "is a FIFO, not a regular file"; then
  ok "archive from a FIFO: refused, no hang"
else not_ok "archive FIFO"; fi
d=$(newcase devzero-patch <<'EOF'
<bakeconf>
  <module name="p"><source type="archive" url="p-1.tar.gz" sha256="SHA"/><patch file="/dev/zero"/>
    <build type="script"><step name="build">true</step></build></module>
</bakeconf>
EOF
)
mkdir -p "$d/src/p-1" && echo x >"$d/src/p-1/f" && tar -C "$d/src" -czf "$d/p-1.tar.gz" p-1
sed -i "s/SHA/$(sha256sum "$d/p-1.tar.gz" | cut -d' ' -f1)/" "$d/bakeconf.xml"
if (cd "$d" && timeout 20 "$BAKE" configure -e p && timeout 20 "$BAKE" deploy) >"$tmp/out" 2>&1; [ $? = 1 ] \
   && has "patch file /dev/zero (bakeconf line 2) is a character device, not a regular file"; then
  ok "patch file=/dev/zero: refused with the line and the reason, no hang"
else not_ok "patch /dev/zero"; fi

# ---------------------------------------------------------------- every bakefile.xml configure writes reads back
# 6000 modules under a long directory: the module list would pass the 4 MiB
# bake reads, so it is left out and the file still reads.
long=$(printf 'd%.0s' $(seq 1 200))
d="$tmp/bigplan/$long"; mkdir -p "$d"
python3 - "$d/bakeconf.xml" <<'EOF'
import sys
n = 6000
with open(sys.argv[1], 'w') as f:
    f.write('<bakeconf>\n')
    for i in range(n):
        f.write(f'<module name="m{i:05d}"><source type="local" dir="."/></module>\n')
    f.write('<set name="all">' + ''.join(f'<member name="m{i:05d}"/>' for i in range(n)) + '</set>\n</bakeconf>\n')
EOF
if run "$d" 0 configure -e all && [ "$(stat -c %s "$d/bakefile.xml")" -le 4194304 ] && run "$d" 0 show && hasnt "more than the"; then
  ok "a plan too big to list (6000 modules, long paths): bakefile.xml stays readable, bake show works"
else not_ok "big plan round trip"; fi
# a directory name that is not UTF-8 and has a control character
d="$tmp/$(printf 'we\377ird\001dir')"; mkdir -p "$d"
printf '<bakeconf><module name="a"><source type="local" dir="."/></module></bakeconf>\n' >"$d/bakeconf.xml"
if run "$d" 0 configure -e a && run "$d" 0 show && hasnt "bakefile.xml:"; then
  ok "a directory name XML cannot hold: bakefile.xml still reads back"
else not_ok "odd directory name"; fi

# ---------------------------------------------------------------- the real bakeconf.xml
d="$tmp/real"; mkdir -p "$d"; cp bakeconf.xml "$d/"
run "$d" 0 list && has "dce-ns3-dev" && has "dce-linux-dev" && ok "the shipped bakeconf.xml parses" || not_ok "shipped bakeconf.xml"
run "$d" 0 configure -e dce-linux-dev && has "linux-source-6.12 linux-source-6.1(optional) linux-kernel-lib linux-kernel-lib-6.1(optional)" && has "glibc-dce" \
  && ok "dce-linux-dev resolves (the kernel libraries, 6.12 the default and 6.1, after their sources, and glibc-dce)" || not_ok "dce-linux-dev resolves"
run "$d" 0 configure -e dce-ns3-dev && grep -Eq "build-tools ns-3 (scenario-deps )?dce-core" "$tmp/out" && ok "dce-ns3-dev resolves (ns-3 and build tools before dce-core)" \
  || not_ok "dce-ns3-dev resolves"
run "$d" 0 configure -e dce-mpi-dev && grep -Eq "openmpi ns3-mpi (scenario-deps )?dce-core-mpi" "$tmp/out" && ! grep -Eq "dce-core( |$)" "$tmp/out" \
  && ok "dce-mpi-dev resolves (OpenMPI and ns-3's mpi module before dce-core-mpi, no plain dce-core)" || not_ok "dce-mpi-dev resolves"

# ---------------------------------------------------------------- debian-source (network: Debian archive)
d=$(newcase debian <<'EOF'
<bakeconf>
  <module name="iperf-patched"><source type="debian-source" package="iperf" debian_patches="yes"/></module>
  <module name="iperf-pristine"><source type="debian-source" package="iperf" debian_patches="no"/></module>
  <module name="hello"><source type="debian-source" package="hello"/>
    <build type="autotools" configure_arguments="--disable-nls"/></module>
</bakeconf>
EOF
)
apt_before=$(find /etc/apt -type f -exec sha256sum {} + 2>/dev/null | sort | sha256sum)
if run "$d" 0 configure -e iperf-patched -e iperf-pristine -e hello && run "$d" 0 download \
   && [ -s "$d/build/bake/src/iperf-patched/.pc/applied-patches" ] && [ ! -e "$d/build/bake/src/iperf-pristine/.pc/applied-patches" ] \
   && [ -f "$d/build/bake/src/iperf-pristine/debian/control" ] && grep -q 'Types: deb-src' "$d/build/bake/apt/sources.list.d/bake.sources" \
   && [ "$apt_before" = "$(find /etc/apt -type f -exec sha256sum {} + 2>/dev/null | sort | sha256sum)" ]; then
  ok "debian-source: iperf really downloaded via a private apt config; Debian patches applied or skipped as asked; /etc/apt untouched"
else not_ok "debian-source download"; fi
if run "$d" 0 build -j 2 && [ -x "$d/build/install/bin/hello" ] && "$d/build/install/bin/hello" | grep -q "Hello, world"; then
  ok "debian-source: autotools build of Debian's hello source installs a working binary"
else not_ok "debian-source build"; fi
run "$d" 0 download && has "already downloaded" && run "$d" 0 build && has "all 3 modules up to date" \
  && ok "debian-source: second download and build are no-ops" || not_ok "debian-source no-op"

# ---------------------------------------------------------------- fuzzing
if command -v clang >/dev/null; then
  fz="$tmp/fuzz"; mkdir -p "$fz/new"
  if clang -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -Ibake/src $(xml2-config --cflags) \
       test/bake/fuzz/fuzz_config.c bake/src/{arena,config,graph,suggest,sha256,util,xml,plan,context}.c $(xml2-config --libs) \
       -o "$fz/fuzz" >"$tmp/out" 2>&1 \
     && (cd "$fz" && ./fuzz -seed="${BAKE_FUZZ_SEED:-1}" -max_total_time="${BAKE_FUZZ_SECONDS:-25}" -max_len=8192 -timeout=10 \
           new "$top/test/bake/fuzz/corpus") >"$tmp/out" 2>&1; then
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$tmp/out")
    ok "fuzz (seed ${BAKE_FUZZ_SEED:-1}): bakeconf.xml reader, graph, bakefile.xml reader and write/read round trip, ${runs:-?} inputs in ${BAKE_FUZZ_SECONDS:-25} s, 0 crashes, leaks or hangs"
  else not_ok "fuzz (crash inputs, if any, are in the output above)"; fi
else
  ok "fuzz: skipped (no clang)"
fi

echo "# $count cases, $fails failed, $(( $(date +%s) - suite_start )) s"
[ $fails = 0 ]
