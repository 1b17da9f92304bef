#!/usr/bin/env python3
"""dce-linux-chain.py: the Python twin of examples/dce-linux-chain.cc (and dce-linux-chain.yaml).
N Linux-stack nodes in a line, the inner ones forwarding, with the C++ example's
addresses (link i: 10.<i/250>.<i%250>.0/24) and routes; stock ping and iperf3 end to end.

    python3 examples/dce-linux-chain.py [--out DIR] [--nodes 32]
"""
import argparse
import os

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--nodes", type=int, default=32)
opt = ap.parse_args()
n = opt.nodes
net_of = lambda i: "10.%d.%d" % (i // 250, i % 250)

net = dce.Network(seed=1, out=opt.out, stop="15s", routing="none")
nodes = [net.add_node("node%d" % i, stack="linux") for i in range(n)]
for i in range(n - 1):
    net.link(nodes[i], nodes[i + 1], rate="100Mbps", delay="1ms", subnet=net_of(i) + ".0/24")
for i in range(n):
    if i + 1 < n:
        nodes[i].route("default", via=net_of(i) + ".2")
    for j in range(i - 1 if i >= 2 else 0):
        nodes[i].route(net_of(j) + ".0/24", via=net_of(i - 1) + ".1")
    if 0 < i < n - 1:
        nodes[i].sysctl("net.ipv4.ip_forward", 1)
last = net_of(n - 2) + ".2"
ping = nodes[0].run(["ping", "-c", "2", last], at="1s", stack="1M")
nodes[n - 1].run(["iperf3", "-s", "-1"], at="4s", stack="1M")
iperf = nodes[0].run(["iperf3", "-c", last, "-t", "2"], at="5s", stack="1M")
net.run()
print(ping.stdout + iperf.stdout, end="")
