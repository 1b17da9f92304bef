#!/usr/bin/env python3
"""dce-iperf3.py: the Python twin of examples/dce-iperf3.cc (and dce-iperf3.yaml).
Stock iperf3 server and client on two nodes joined by a 10 Mbps, 2 ms
point-to-point link over ns-3's TCP/IP; with the same seed the programs' outputs
are byte-identical to the C++ example's.

    python3 examples/dce-iperf3.py [--out DIR] [--rate 10Mbps] [--delay 2ms] [--time 10]
"""
import argparse

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--rate", default="10Mbps")
ap.add_argument("--delay", default="2ms")
ap.add_argument("--time", type=int, default=10)
opt = ap.parse_args()

net = dce.Network(seed=1, out=opt.out)
client, server = net.add_node("client"), net.add_node("server")
net.link(client, server, rate=opt.rate, delay=opt.delay, pcap=True)
server.run("iperf3 -s -1", at="1s", stack="1M")
cli = client.run("iperf3 -c 10.1.1.2 -t %d" % opt.time, at="2s", stack="1M")
net.run(stop=opt.time + 30)
print(cli.stdout, end="")
print("client exit code:", cli.exit_code)
