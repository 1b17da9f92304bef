#!/usr/bin/env bash
# test/core-creds - who a process is and what it may do (issue 18, items 3, 5, 7):
# credentials with Linux's rules, file owners and modes per node, chroot, file
# locks between processes, O_ASYNC/SIGIO, mincore, a node's adjustable clock and
# all of /usr visible read-only. Our creds-test program, then stock Debian tools
# (setpriv, runuser, install, stat, chroot, flock, date, grep) and nginx with its
# default configuration (workers as www-data; installed when root and missing).
source "$(dirname "$0")/../lib.sh"
build_once
expect() { # NAME FILE <<EOF: the file's content is exactly the text
	local name=$1 actual=$2 exp
	exp=$(cat)
	if [ "$(cat "$actual" 2>/dev/null)" == "$exp" ]; then ok "$name"; else
		notok "$name"; diff <(echo "$exp") "$actual" 2>&1 | sed 's/^/#   /' | head -20
	fi
}

# ---- creds-test: credentials ----
run_dce creds "0: $PROGS/creds-test creds"
expect "ids, groups and capabilities follow Linux's rules: root drops for good, keepcaps, saved ids, EPERM" "$(stdout_of 0 1000)" <<'X'
root: uid 0 0 0 gid 0 0 0 groups 0 cap eff ffffffff prm ffffffff
setgroups: 0
capbset read CAP_NET_RAW: 1, cap 63: EINVAL
keepcaps: uid 1000 1000 1000 gid 100 100 100 groups 2 cap eff 00000000 prm ffffffff
seteuid 1000: 0
euid 1000: uid 0 1000 0 gid 0 0 0 groups 2 cap eff 00000000 prm ffffffff
seteuid 0: 0
back: uid 0 0 0 gid 0 0 0 groups 2 cap eff ffffffff prm ffffffff
setgid 100: 0
setuid 1000: 0
user: uid 1000 1000 1000 gid 100 100 100 groups 2 cap eff 00000000 prm 00000000
setuid 0: EPERM
setresuid -1 0 -1: EPERM
setgroups: EPERM
capbset drop: EPERM
setfsuid 0 -> old 1000, fsuid now 1000
no_new_privs: 0 then 1
settimeofday as user: EPERM
chroot as user: EPERM
X

# ---- file owners and modes, chroot ----
run_dce files "0: $PROGS/creds-test files"
expect "owners and modes checked on open/create/unlink/chmod/chown (sticky dirs too); chroot" "$(stdout_of 0 1000)" <<'X'
user open 0600 root file: EACCES
user access R_OK: EACCES
user create in 0755 root dir: EACCES
user create in sticky 1777: ok owner 1000:100 mode 640
user chown to root: EPERM
user chmod root file: EPERM
user unlink root file: EACCES
user unlink root file in sticky dir: EPERM
user unlink own file in sticky dir: 0
root chown: 0
stat after chown: 1000:100
owner reads it now: ok
chroot: 0
in chroot: cwd / /etc/motd 'inside' ../../tmp: ENOENT
X

# ---- locks ----
run_dce locks "0: $PROGS/creds-test locks"
expect "record locks (F_GETLK holder, F_SETLKW waits in simulated time, EDEADLK), OFD locks, flock" "$(stdout_of 0 1000)" <<'X'
F_SETLK write 0-9: 0
child F_SETLK read 5: EAGAIN
child F_GETLK: type WR start 0 len 10 pid is parent 1
parent F_SETLK 20 held by child: EAGAIN
parent F_SETLKW 20 (child waits for us): EDEADLK
parent flock LOCK_EX: 0
OFD lock 100 on one open file: 0
OFD lock 100 on another open file: EAGAIN
child F_SETLKW waited 1.000 s: 0
child flock LOCK_EX|LOCK_NB: EAGAIN
X

# ---- SIGIO, mincore ----
run_dce sigio "0: $PROGS/creds-test sigio" "0: $PROGS/creds-test memory"
expect "O_ASYNC + F_SETOWN on a pipe, FIOASYNC + F_SETSIG on a socketpair" "$(stdout_of 0 1000)" <<'X'
F_GETOWN is self: 1
pipe SIGIO: 1 sig POLL
FIOASYNC: 0
F_SETOWN: 0
socketpair signal: 1 sig USR1
X
expect "mincore: mapped pages resident, a hole ENOMEM, unaligned EINVAL" "$(stdout_of 0 1001)" <<'X'
mincore mapped: 0 1111
mincore with a hole: ENOMEM
mincore unaligned: EINVAL
X

# ---- the node's clock ----
run_dce clocks "0: $PROGS/creds-test clocks" "1: /bin/sh -c 'sleep 1; date -u +%Y'"
expect "settimeofday, adjtimex frequency (+100 ppm), adjtime slew (500 ppm), ADJ_SETOFFSET" "$(stdout_of 0 1000)" <<'X'
settimeofday: 0
time now 1700000000 (was 1262304000)
adjtimex freq: state 5 freq 6553600
10 s at +100 ppm: realtime gained 1000 us over monotonic
adjtime +50 ms: 0
after 50 s: left 25000 us, slewed 25000 us
clock_adjtime setoffset -3 s: 0
stepped by -3 s
clock_adjtime monotonic: EOPNOTSUPP
X
check "another node's clock is its own" grep -qx 2010 "$(stdout_of 1 1000)"
run_dce date "0: /bin/sh -c 'date -u -s @1700000000 >/dev/null; date -u +%F; setpriv --reuid=65534 --regid=65534 --clear-groups date -s @0 2>&1; echo rc=\$?'"
expect "date -s sets the node clock as root; as nobody: EPERM" "$(stdout_of 0 1000)" <<'X'
2023-11-14
date: cannot set date: Operation not permitted
Thu Jan  1 00:00:00 UTC 1970
rc=1
X

# ---- stock tools ----
run_dce tools "0: /bin/sh -c '
id; setpriv --reuid=65534 --regid=65534 --clear-groups id
setpriv --reuid=65534 --regid=65534 --clear-groups setpriv --reuid=0 id 2>&1; echo rc=\$?
install -d -o nobody -g nogroup -m 750 /srv/d; stat -c \"%U %G %a\" /srv/d
echo secret > /srv/f; chmod 600 /srv/f
runuser -u nobody -- cat /srv/f 2>&1; echo rc=\$?
chown nobody /srv/f; runuser -u nobody -- cat /srv/f
grep -c nobody /etc/passwd; grep -q ^www-data: /etc/passwd && echo www-data known
mkdir -p /jail/etc; echo jailed > /jail/etc/motd; chroot /jail /bin/cat /etc/motd
flock /srv/lock sleep 2 & sleep 1; flock -n /srv/lock true; echo flock-n rc=\$?; wait
stat -c %U /usr/share/common-licenses/GPL-3
'"
expect "setpriv, runuser, install -o, stat, chroot(8), flock(1); host users known" "$(stdout_of 0 1000)" <<'X'
uid=0(root) gid=0(root) groups=0(root)
uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)
setpriv: setresuid failed: Operation not permitted
rc=127
nobody nogroup 750
cat: /srv/f: Permission denied
rc=1
secret
1
www-data known
jailed
flock-n rc=1
root
X
check "grep asks mincore: no unknown-syscall: 27 line" bash -c "! grep -q 'unknown-syscall: 27 ' $OUT/files-0/var/log/*/status"
check "runuser's PAM asks keyctl: ENOSYS (no keyrings) named in its status" grep -q "unknown-syscall: 250 " $OUT/files-0/var/log/*/status

# ---- all of /usr: a program installed as a relative link into /usr/share ----
if [ -e /usr/bin/pg_dump ] && [ "$(readlink /usr/bin/pg_dump)" = ../share/postgresql-common/pg_wrapper ]; then
	run_dce usr "0: /bin/sh -c 'pg_dump --version'"
	check "pg_dump (a link to ../share/postgresql-common/pg_wrapper, perl) starts" grep -q "^pg_dump (PostgreSQL)" "$(stdout_of 0 1000)"
else
	echo "# skip pg_dump: postgresql-client not installed"
fi
run_dce usr2 "0: /bin/sh -c 'ls /usr/share/common-licenses/GPL-3 /usr/share/doc/base-files/README'"
check "/usr/share is visible (not only a hand-picked list)" grep -q GPL-3 "$(stdout_of 0 1000)"

# ---- nginx, default configuration: master as root, workers as www-data ----
if [ ! -x /usr/sbin/nginx ] && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >"$SCRATCH/apt.log" 2>&1 || true
fi
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") || lib=
if [ -x /usr/sbin/nginx ] && [ -n "$lib" ]; then
	export DCE_LINUX_LIBRARY=$lib
	run_dce nginx --linux --stop 3 \
		"0: /bin/sh -c 'mkdir -p /var/log/nginx /var/lib/nginx /run /var/www/html; echo hello-from-nginx > /var/www/html/index.html; exec nginx -g \"daemon off;\"'" \
		"0@1: curl -s http://127.0.0.1/" \
		"0@2: /bin/sh -c 'grep -h ^Uid /proc/1000/status /proc/1004/status'"
	check "nginx (default config: master/worker, FIOASYNC on the socketpair) serves the page" grep -qx hello-from-nginx "$(stdout_of 0 1001)"
	expect "nginx master runs as root, its worker as www-data" "$(stdout_of 0 1002)" <<'X'
Uid:	0	0	0	0
Uid:	33	33	33	33
X
	check "nginx: no error logged" bash -c "[ ! -s $OUT/files-0/var/log/nginx/error.log ]"
else
	echo "# skip nginx: not installed or no kernel library"
fi

# ---- sshd (openssh-server, default sshd_config: privilege separation) and ssh -i ----
if [ ! -x /usr/sbin/sshd ] && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server openssh-client >"$SCRATCH/apt-ssh.log" 2>&1 || true
fi
if [ -x /usr/sbin/sshd ] && [ -r /etc/ssh/ssh_host_ed25519_key ] && [ -n "$lib" ]; then
	export DCE_LINUX_LIBRARY=$lib
	run_dce sshd --linux --stop 10 "0: /bin/sh -c '
echo u:x:2000:2000::/home/u:/bin/sh >> /etc/passwd; echo u:x:2000: >> /etc/group
echo \"u:*:19000:0:99999:7:::\" > /etc/shadow; chmod 640 /etc/shadow
mkdir -p /run/sshd /home/u/.ssh; ssh-keygen -q -t ed25519 -N \"\" -f /root/key
cp /root/key.pub /home/u/.ssh/authorized_keys; chown -R u:u /home/u
chmod 700 /home/u/.ssh; chmod 600 /home/u/.ssh/authorized_keys
exec /usr/sbin/sshd -D -e'" \
		"0@2: ssh -i /root/key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes u@127.0.0.1 id"
	check "ssh -i key u@node id: the command ran as the user" grep -qx "uid=2000(u) gid=2000(u) groups=2000(u)" "$(stdout_of 0 1001)"
	check "sshd logged the key login (pre-auth child chrooted to /run/sshd as sshd)" grep -q "Accepted publickey for u from 127.0.0.1" "$(stdout_of 0 1000)" "$OUT/files-0/var/log/1000/stderr"
else
	echo "# skip sshd: openssh-server not installed, host keys unreadable or no kernel library"
fi
finish
