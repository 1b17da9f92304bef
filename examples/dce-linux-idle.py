#!/usr/bin/env python3
"""dce-linux-idle.py: the Python twin of examples/dce-linux-idle.cc (and dce-linux-idle.yaml).
N idle Linux-stack nodes (a kernel each) in a chain of 100 Mbps, 2 ms links, each
running `sleep 5`. (The C++ example's memory line is the host process's own
/proc/self: see docs/scenarios.md.)

    python3 examples/dce-linux-idle.py [--out DIR] [--nodes 10] [--stack linux|ns3]
"""
import argparse
import os

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--nodes", type=int, default=10)
ap.add_argument("--stack", default="linux", choices=("linux", "ns3"))
opt = ap.parse_args()

net = dce.Network(seed=1, out=opt.out, stop="7s", routing="none")
nodes = [net.add_node("node%d" % i, stack=opt.stack) for i in range(opt.nodes)]
for i in range(opt.nodes - 1):
    net.link(nodes[i], nodes[i + 1], rate="100Mbps", delay="2ms",
             subnet="10.%d.%d.0/24" % (1 + i // 256, i % 256))
for node in nodes:
    node.run("sleep 5", at="1s", stack="64K")
print("all ended as expected:", net.run())
