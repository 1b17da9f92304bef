#!/usr/bin/env python3
"""dce-udp-many.py: the Python twin of examples/dce-udp-many.cc (and dce-udp-many.yaml).
NODES nodes on one 100 Mbps CSMA LAN (10.0.0.0/16), each running a UDP echo
server and a client of our own (net-udp); node i's client sends COUNT datagrams
to node i+1's server by name. Prints how many clients got every echo.

    python3 examples/dce-udp-many.py [--out DIR] [--nodes 200] [--count 3] [--programs DIR]
"""
import argparse
import os

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--nodes", type=int, default=200)
ap.add_argument("--count", type=int, default=3)
ap.add_argument("--programs", default=os.path.join(os.path.dirname(__file__), "../build/dce/test-programs"))
opt = ap.parse_args()
programs = os.path.realpath(opt.programs)
n, count = opt.nodes, str(opt.count)

net = dce.Network(seed=1, out=opt.out, stop="60s", routing="none", map=[programs], ipv6_stack=False)
nodes = [net.add_node("node%d" % i) for i in range(n)]
net.lan(nodes, rate="100Mbps", delay="10us", subnet="10.0.0.0/16")
clients = []
for i, node in enumerate(nodes):
    node.run([programs + "/net-udp", "server", "2000", count], at="1s", stack="64K")
    clients.append(node.run([programs + "/net-udp", "client", "node%d" % ((i + 1) % n), "2000", count],
                            at="%dms" % (2000 + i), stack="64K"))
net.run()
good = sum(c.stdout.splitlines()[-1:] == ["client: %s/%s echoes" % (count, count)] for c in clients)
print("udp-many: %d/%d clients got every echo" % (good, n))
