# tools.sh - stock Debian tools on a node's file system (run by sh inside dce).
set -u
fail=0
ok() { echo "ok $1"; }
bad() { echo "FAIL $1"; fail=1; }
t() { name=$1; shift; if "$@" >/tmp/t.out 2>&1; then ok "$name"; else bad "$name: $(cat /tmp/t.out)"; fi; }
cd /root
t mkdir-p mkdir -p work/a/b/c work/x
seq 1 2000 | sort -rn > work/a/nums
t sort-result test "$(head -1 work/a/nums)" = 2000
printf 'pear\napple\nfig\n' > work/a/fruits
t sort-file sh -c 'sort work/a/fruits | tr "\n" " " | grep -qx "apple fig pear "'
t cp cp work/a/fruits work/x/f2
t cp-content cmp work/a/fruits work/x/f2
touch -d '2009-06-01 12:00:00' work/a/old
t touch-d sh -c 'test "$(stat -c %Y work/a/old)" = 1243857600'
t cp-p cp -p work/a/old work/x/old2
t cp-p-keeps-mtime sh -c 'test "$(stat -c %Y work/x/old2)" = 1243857600'
t cp-r cp -r work/a work/a2
t cp-r-content cmp work/a/nums work/a2/nums
t mv mv work/a2 work/a3
t mv-gone sh -c '! test -e work/a2 && test -f work/a3/nums'
t mv-file mv work/x/f2 work/a/b/c/f3
t find-newer sh -c 'test "$(find work/a -newer work/a/old -name fruits)" = work/a/fruits'
t find-not-newer sh -c 'test -z "$(find work/a -name old -newer work/a/fruits)"'
t find-list sh -c 'find work | sort > /tmp/find.txt && grep -q work/a/b/c/f3 /tmp/find.txt'
t tar-c tar cf /tmp/w.tar work
t tar-t sh -c 'tar tf /tmp/w.tar | grep -q work/a/nums'
mkdir /tmp/untar
t tar-x tar xf /tmp/w.tar -C /tmp/untar
t tar-x-content cmp /tmp/untar/work/a/nums work/a/nums
t tar-x-mtime sh -c 'test "$(stat -c %Y /tmp/untar/work/a/old)" = 1243857600'
t rm-r rm -r work/a3 /tmp/untar
t rm-r-gone sh -c '! test -e work/a3'
t ln-s ln -s /root/work/a/fruits /tmp/fl
t readlink sh -c 'test "$(readlink /tmp/fl)" = /root/work/a/fruits'
t cat-through-link sh -c 'cat /tmp/fl | grep -q fig'
t dd sh -c 'dd if=/dev/zero of=/tmp/z bs=1k count=64 2>/dev/null && test "$(stat -c %s /tmp/z)" = 65536'
t ls-mapped ls /usr/bin/ls
t rm-mapped-refused sh -c '! rm -f /usr/bin/ls 2>/dev/null && test -x /usr/bin/ls'
t write-mapped-refused sh -c '! (echo x > /usr/bin/ls) 2>/dev/null'
t touch-mapped-refused sh -c '! touch /usr/bin/ls 2>/dev/null'
t chmod-mapped-refused sh -c '! chmod 777 /usr/bin/ls 2>/dev/null'
t du du -s work
t wc sh -c 'test "$(wc -l < work/a/nums)" = 2000'
t link-to-mapped-bin sh -c 'ln -s /usr/bin/ls /tmp/myls && /tmp/myls /etc/hostname'
t link-to-mapped-dir sh -c 'ln -s /usr/lib /opt && test -f /opt/x86_64-linux-gnu/libc.so.6'
t link-relative-to-mapped sh -c 'ln -s ../usr/bin /tmp/bin2 && /tmp/bin2/ls -d /tmp'
t dotdot-after-link sh -c 'ls /opt/../../etc | grep -q hostname'
t link-via-mapped-out sh -c 'ln -s /usr/lib/../../../../etc/shadow /tmp/sh && ! cat /tmp/sh 2>/dev/null'
t proc-self-root-cat sh -c 'cat /proc/self/root/etc/hostname | grep -q node'
# what the determinism check compares
ls -la --full-time / /root/work /root/work/a /var/log/1000 2>&1
ls -lai /root/work/a
stat /root/work/a/nums /root/work /tmp/z /etc/hostname
find /root /tmp -newer /root/work/a/old | sort
python3 -c 'import os; print(sorted(os.listdir("/root/work/a")))'
[ $fail = 0 ] && echo TOOLS-TEST-PASSED || echo TOOLS-TEST-FAILED
exit $fail
