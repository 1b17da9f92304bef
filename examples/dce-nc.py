#!/usr/bin/env python3
"""dce-nc.py: the Python twin of examples/dce-nc.cc (and dce-nc.yaml).
Stock netcat sends SIZE random bytes from node0 to node1 over a 100 Mbps, 1 ms
link; both sides print the file's SHA-256 (they must be equal).

    python3 examples/dce-nc.py [--out DIR] [--size 1000000]
"""
import argparse
import os

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--size", type=int, default=1000000)
opt = ap.parse_args()

net = dce.Network(seed=1, out=opt.out, stop="60s", routing="none", segment_size=536)
n0, n1 = net.add_node("node0"), net.add_node("node1")
net.link(n0, n1, rate="100Mbps", delay="1ms")
rx = n1.run(["sh", "-c", "nc -l 8080 > /tmp/received && sha256sum < /tmp/received"], at="1s", stack="1M")
tx = n0.run(["sh", "-c", "head -c %d /dev/urandom > /tmp/send && sha256sum < /tmp/send && "
             "nc -N node1 8080 < /tmp/send" % opt.size], at="2s", stack="1M")
net.run()
print("sent    ", tx.stdout, end="")
print("received", rx.stdout, end="")
