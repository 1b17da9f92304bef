#!/usr/bin/env python3
"""dce-linux-line.py: the Python twin of examples/dce-linux-line.cc (and
dce-linux-line.yaml). A line of Linux-stack nodes configured with the stock ip and
sysctl, two of them forwarding, and an ns-3-stack node at the end (5 Mbit/s, 2 ms
links; --csma 1: two-node CSMA segments instead). Same seed: byte-identical outputs.

    python3 examples/dce-linux-line.py [--out DIR] [--pcap 1] [--csma 0]
"""
import argparse

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--pcap", type=int, default=1)
ap.add_argument("--csma", type=int, default=0)
opt = ap.parse_args()

net = dce.Network(seed=1, out=opt.out, stop="25s", routing="none", pcap=bool(opt.pcap))
n0, n1, n2 = (net.add_node("node%d" % i, stack="linux") for i in range(3))
n3 = net.add_node("node3")
link = net.lan if opt.csma else (lambda nodes, **o: net.link(nodes[0], nodes[1], **o))
link([n0, n1], rate="5Mbps", delay="2ms", subnet="10.1.1.0/24", subnet6="2001:db8:1::/64",
     addresses={n0: "none", n1: ["10.1.1.2/24", "2001:db8:1::2"]})
link([n1, n2], rate="5Mbps", delay="2ms", subnet="10.1.2.0/24", subnet6="2001:db8:2::/64",
     addresses={n1: ["10.1.2.1/24", "2001:db8:2::1"], n2: ["10.1.2.2/24", "2001:db8:2::2"]})
link([n2, n3], rate="5Mbps", delay="2ms", subnet="10.1.3.0/24")
n1.route("10.1.3.0/24", via="10.1.2.2")
n2.route("10.1.1.0/24", via="10.1.2.1")
n2.route("2001:db8:1::/64", via="2001:db8:2::1")
n3.route("default", via="10.1.3.1")

for r in (n1, n2):
    r.run("sysctl -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1", at=0.1, stack="1M")
n0.run(["sh", "-c", "ip addr add 10.1.1.1/24 dev eth0 && ip -6 addr add 2001:db8:1::1/64 dev eth0 nodad"
        " && ip route add default via 10.1.1.2 && ip -6 route add default via 2001:db8:1::2"], at=0.2, stack="1M")
show = n0.run(["sh", "-c", "ip addr show dev eth0; ip route show; ip -6 route show"], at=1, stack="1M")
pings = [n0.run(["ping"] + args, at=at, stack="1M")
         for args, at in ((["-c", "3", "10.1.2.2"], 2), (["-6", "-c", "3", "2001:db8:2::2"], 6),
                          (["-c", "3", "10.1.3.2"], 10))]
n3.run("iperf3 -s -1", at=13, stack="1M")
iperf = n0.run("iperf3 -c 10.1.3.2 -t 2", at=14, stack="1M")
net.run()
print(show.stdout + "".join(p.stdout for p in pings) + iperf.stdout, end="")
