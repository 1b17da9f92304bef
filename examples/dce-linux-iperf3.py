#!/usr/bin/env python3
"""dce-linux-iperf3.py: the Python twin of examples/dce-linux-iperf3.cc (and
dce-linux-iperf3.yaml). Stock iperf3 over the real Linux TCP, one pair of
Linux-stack nodes per congestion control on identical bottleneck links; the client
picks its congestion control with the stock sysctl. Prints one summary line per
congestion control and, with matplotlib (Debian's python3-matplotlib), draws
throughput and cwnd over time into OUT/cc.png. Same seed: byte-identical outputs.

    python3 examples/dce-linux-iperf3.py [--out DIR] [--cc cubic,bbr] [--rate 100Mbps]
        [--delay 10ms] [--queue 100] [--time 10] [--ipv6 0] [--pcap 1] [--plot 1]
"""
import argparse
import os
import re

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--cc", default="cubic,bbr")
ap.add_argument("--rate", default="100Mbps")
ap.add_argument("--delay", default="10ms")
ap.add_argument("--queue", type=int, default=100)
ap.add_argument("--time", type=int, default=10)
ap.add_argument("--ipv6", type=int, default=0)
ap.add_argument("--pcap", type=int, default=1)
ap.add_argument("--plot", type=int, default=1)
opt = ap.parse_args()
ccs = [c for c in opt.cc.split(",") if c]

net = dce.Network(seed=1, out=opt.out, stop=opt.time + 30, routing="none")
clients = []
for i, cc in enumerate(ccs):
    client = net.add_node("node%d" % (2 * i), stack="linux")
    server = net.add_node("node%d" % (2 * i + 1), stack="linux")
    net.link(client, server, rate=opt.rate, delay=opt.delay, queue="%dp" % opt.queue,
             subnet="10.1.%d.0/24" % (i + 1), subnet6="2001:db8:%d::/64" % (i + 1), pcap=bool(opt.pcap))
    client.run(["sysctl", "-w", "net.ipv4.tcp_congestion_control=" + cc], at=0.5, stack="1M")
    server.run("iperf3 -s -1", at=1, stack="1M")
    dst = "2001:db8:%d::2" % (i + 1) if opt.ipv6 else "10.1.%d.2" % (i + 1)
    clients.append(client.run(["iperf3", "-c", dst, "-t", str(opt.time), "-i", "0.5", "-C", cc],
                              at=2, stack="1M"))
net.run()

unit = {"G": 1000, "K": 0.001}
series = {}
for cc, p in zip(ccs, clients):
    samples, total, retr = [], 0, 0
    for line in p.stdout.splitlines():
        m = re.match(r"\[\s*\d+\]\s+([\d.]+)-([\d.]+)\s+sec\s+\S+ \S+\s+([\d.]+) (\w)bits/sec\s+(\d+)"
                     r"(?:\s+([\d.]+) (\w)Bytes)?", line)
        if not m:
            continue
        a, b, rate = float(m.group(1)), float(m.group(2)), float(m.group(3)) * unit.get(m.group(4), 1)
        if m.group(6) and b - a < 5:
            cwnd = float(m.group(6)) * {"M": 1024, "G": 1048576}.get(m.group(7), 1)
            samples.append((b, rate, cwnd))
        elif "sender" in line:
            total, retr = rate, int(m.group(5))
    series[cc] = samples
    print("cc %s: %.1f Mbit/s, %d retransmits, max cwnd %.0f KBytes, %d samples"
          % (cc, total, retr, max([s[2] for s in samples] or [0]), len(samples)))
if opt.plot:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    for cc, s in series.items():
        top.plot([x[0] for x in s], [x[1] for x in s], marker="o", label=cc)
        bottom.plot([x[0] for x in s], [x[2] for x in s], marker="o", label=cc)
    top.set_ylabel("throughput (Mbit/s)")
    bottom.set_ylabel("cwnd (KBytes)")
    bottom.set_xlabel("time (s)")
    top.legend()
    fig.suptitle("iperf3 over Linux TCP in dce: %s, %s, %d-packet queue" % (opt.rate, opt.delay, opt.queue))
    fig.savefig(os.path.join(opt.out, "cc.png"))
    print("plot:", os.path.join(opt.out, "cc.png"))
