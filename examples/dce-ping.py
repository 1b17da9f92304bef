#!/usr/bin/env python3
"""dce-ping.py: the Python twin of examples/dce-ping.cc (and dce-ping.yaml).
Stock ping across a 100 Mbps CSMA segment, IPv4 by name then IPv6 (the address
ns-3's Ipv6AddressHelper derives from node1's MAC).

    python3 examples/dce-ping.py [--out DIR] [--count 3]
"""
import argparse
import os

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--count", type=int, default=3)
opt = ap.parse_args()

net = dce.Network(seed=1, out=opt.out, stop=10 + 2 * opt.count, routing="none")
n0, n1 = net.add_node("node0"), net.add_node("node1")
v6 = "2001:db8::200:ff:fe00:2"
net.lan([n0, n1], rate="100Mbps", subnet="10.1.1.0/24", subnet6="2001:db8::/64", pcap=True,
        addresses={n0: "2001:db8::200:ff:fe00:1", n1: v6})
p4 = n0.run(["ping", "-c", str(opt.count), "node1"], at="1s", stack="1M")
p6 = n0.run(["ping", "-6", "-c", str(opt.count), v6], at=2 + opt.count, stack="1M")
net.run()
print(p4.stdout + p6.stdout, end="")
