#!/usr/bin/env python3
"""udp-simple.py: the Python twin of examples/udp-simple.cc (and udp-simple.yaml).
A UDP echo server and client of our own (net-udp) on one node, over ns-3's
loopback; same seed: byte-identical program outputs.

    python3 examples/udp-simple.py [--out DIR] [--programs build/dce/test-programs]
"""
import argparse
import os

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--programs", default=os.path.join(os.path.dirname(__file__), "../build/dce/test-programs"))
opt = ap.parse_args()
programs = os.path.realpath(opt.programs)

net = dce.Network(seed=1, out=opt.out, stop="30s", map=[programs])
n0 = net.add_node("node0")
server = n0.run([programs + "/net-udp", "server", "2000", "5"], at="1s", stack="1M")
client = n0.run([programs + "/net-udp", "client", "127.0.0.1", "2000", "5"], at="2s", stack="1M")
net.run()
print(client.stdout, end="")
