#!/usr/bin/env python3
"""dce-wifi.py: the Python twin of examples/dce-wifi.cc (and dce-wifi.yaml).
The stock iperf3 between two stations of an 802.11a network (54 Mbit/s) through an
access point between them (infrastructure mode), or --adhoc 1: the two stations
alone, 10 m apart. Same seed: byte-identical program outputs.

    python3 examples/dce-wifi.py [--out DIR] [--time 5] [--adhoc 0] [--udp 0] [--pcap 0]
"""
import argparse

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--time", type=int, default=5)
ap.add_argument("--adhoc", type=int, default=0)
ap.add_argument("--udp", type=int, default=0)
ap.add_argument("--pcap", type=int, default=0)
opt = ap.parse_args()

net = dce.Network(seed=1, out=opt.out, stop=opt.time + 30, routing="none")
sta0 = net.add_node("sta0", position=(0, 0))
sta1 = net.add_node("sta1", position=(10, 0))
rates = dict(standard="80211a", data_mode="OfdmRate54Mbps", control_mode="OfdmRate24Mbps",
             subnet="10.1.1.0/24", pcap=bool(opt.pcap))
if opt.adhoc:
    net.wifi([sta0, sta1], mode="adhoc", **rates)
else:
    access = net.add_node("ap", position=(5, 0))
    net.wifi([access, sta0, sta1], mode="ap", addresses={access: "10.1.1.3"}, **rates)
sta1.run("iperf3 -s -1", at="1s", stack="1M")
cmd = ["iperf3", "-c", "10.1.1.2", "-t", str(opt.time)] + (["-u", "-b", "30M"] if opt.udp else [])
cli = sta0.run(cmd, at="2s", stack="1M")
net.run()
print(cli.stdout, end="")
