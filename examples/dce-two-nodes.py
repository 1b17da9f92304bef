#!/usr/bin/env python3
"""dce-two-nodes.py: the Python twin of examples/dce-two-nodes.cc (and dce-two-nodes.yaml).
Two nodes on a 100 Mbps, 1 ms link (10.1.1.1, 10.1.1.2), each running one shell
command line (CMD0, CMD1 from the environment, as the C++ example; defaults: node0
sends its /etc/hostname to node1 with netcat). --linux 1: Linux-stack nodes.

    python3 examples/dce-two-nodes.py [--out DIR] [--linux 0] [--pcap 1] [--stop 60]
"""
import argparse
import os

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--linux", type=int, default=0)
ap.add_argument("--pcap", type=int, default=1)
ap.add_argument("--stop", type=float, default=60)
ap.add_argument("--start0", type=float, default=2)
ap.add_argument("--start1", type=float, default=1)
opt = ap.parse_args()
cmd0 = os.environ.get("CMD0", "nc -N 10.1.1.2 8080 < /etc/hostname")
cmd1 = os.environ.get("CMD1", "nc -l 8080 > /tmp/f; cat /tmp/f")

net = dce.Network(seed=1, out=opt.out, stop=opt.stop, routing="none", segment_size=536)
stack = "linux" if opt.linux else "ns3"
n0, n1 = net.add_node("node0", stack=stack), net.add_node("node1", stack=stack)
net.link(n0, n1, rate="100Mbps", delay="1ms", pcap=bool(opt.pcap))
p1 = n1.run(["sh", "-c", cmd1], at=opt.start1, stack="1M") if cmd1 else None
p0 = n0.run(["sh", "-c", cmd0], at=opt.start0, stack="1M") if cmd0 else None
net.run()
for p in (p0, p1):
    if p:
        print(p.node.name, "exit", p.exit, p.stdout, end="")
