# test/net/unix.py DIR - AF_UNIX sockets as a program sees them. Prints the same
# lines on Linux and under dce (test/net/run.sh compares the two).
import array, os, select, socket, stat, sys
D = sys.argv[1]
P = D + "/s.sock"
a, b = socket.socketpair()
a.sendall(b"hello"); print("pair", b.recv(10))
a.close(); print("eof", b.recv(10))
x, y = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
x.send(b"one"); x.send(b"two"); print("seqpacket", y.recv(100), y.recv(100))
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(P); srv.listen(5)
print("socket file", stat.S_ISSOCK(os.stat(P).st_mode))
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.connect(P)
s, addr = srv.accept(); print("accepted", repr(addr), s.getsockname() == P, c.getpeername() == P)
c.sendall(b"x" * 100000)
got = 0
while got < 100000:
    got += len(s.recv(65536))
print("stream bytes", got)
r, w = os.pipe()
c.sendmsg([b"F"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [w]))])
msg, anc, flags, _ = s.recvmsg(10, socket.CMSG_SPACE(4))
fd = array.array("i", anc[0][2])[0]
os.write(fd, b"via fd"); print("SCM_RIGHTS", msg, os.read(r, 10))
pid, uid, gid = array.array("i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
print("SO_PEERCRED", pid == os.getpid(), uid, gid)
d1 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d1.bind("\0dce-abstract")
d2 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d2.bind("")
name = d2.getsockname()
d2.sendto(b"dg", "\0dce-abstract")
data, frm = d1.recvfrom(10)
print("dgram", data, len(name), frm == name)
d3 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d3.bind(D + "/d.sock")
d2.connect(D + "/d.sock"); d2.send(b"conn"); print("dgram connected", d3.recv(10))
e = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
for p in [D + "/nonexist/x", D + "/nope.sock", "\0nope", D]:
    try: e.connect(p)
    except OSError as x: print("connect", p.replace(D, "D"), os.strerror(x.errno))
try: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind(P)
except OSError as x: print("bind twice", os.strerror(x.errno))
try: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).connect(P)
except OSError as x: print("wrong type", os.strerror(x.errno))
try: c.sendto(b"x", P)
except OSError as x: print("sendto on stream", os.strerror(x.errno))
try: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).recv(1)
except OSError as x: print("recv unconnected", os.strerror(x.errno))
s.setblocking(False)
try: s.recv(1)
except OSError as x: print("nonblocking recv", os.strerror(x.errno))
p = select.poll(); p.register(s, select.POLLIN | select.POLLOUT | select.POLLRDHUP)
print("poll idle", p.poll(0)); c.send(b"z"); print("poll data", p.poll(0))
c.shutdown(socket.SHUT_WR); s.recv(10); print("poll peer shut", p.poll(0))
c.close(); print("poll peer closed", p.poll(0))
try: s.send(b"x")
except OSError as x: print("send to closed", os.strerror(x.errno))
ep = select.epoll(); q1, q2 = socket.socketpair(); ep.register(q2, select.EPOLLIN | select.EPOLLET)
q1.send(b"a"); print("epollet 1", [e for _, e in ep.poll(0)]); print("epollet again", ep.poll(0))
q1.send(b"b"); print("epollet new data", [e for _, e in ep.poll(0)])
print("fstat socket", stat.S_ISSOCK(os.fstat(s.fileno()).st_mode))
# a datagram socket whose peer closed: ECONNREFUSED once, then ENOTCONN
e1 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); e1.bind(D + "/e1.sock")
e2 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); e2.connect(D + "/e1.sock")
e2.send(b"x"); e1.close()
for i in range(2):
    try: e2.send(b"y"); print("dgram send after peer closed: sent")
    except OSError as x: print("dgram send after peer closed", os.strerror(x.errno))
# the listen backlog: non-blocking connects past it get EAGAIN
bl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); bl.bind(D + "/bl.sock"); bl.listen(2)
ok, err, cs = 0, None, []
for i in range(6):
    k = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); k.setblocking(False); cs.append(k)
    try: k.connect(D + "/bl.sock"); ok += 1
    except OSError as x: err = os.strerror(x.errno); break
print("backlog 2: connected", ok, "then", err)
bl.accept(); k = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); k.setblocking(False)
try: k.connect(D + "/bl.sock"); print("after accept: connected")
except OSError as x: print("after accept", os.strerror(x.errno))
