#!/usr/bin/env python3
"""sweep-cc.py: a parameter sweep with the Python module: link delay x TCP
congestion control on Linux-stack nodes (each node its own Linux 6.1 kernel),
stock iperf3 -J, several simulations at once (multiprocessing), and a plot of
throughput against delay (matplotlib if installed: apt-get install
python3-matplotlib; else gnuplot; the numbers are in OUT/sweep.dat either way).

    python3 examples/sweep-cc.py [--out DIR] [--jobs 2] [--time 5]
"""
import argparse
import json
import multiprocessing
import os
import subprocess

import dce

DELAYS = ["5ms", "20ms", "50ms", "100ms"]
CCS = ["cubic", "bbr", "reno"]


def one(args):
    out, delay, cc, time = args
    net = dce.Network(seed=1, out=os.path.join(out, "%s-%s" % (cc, delay)))
    a = net.add_node("a", stack="linux", sysctl={"net.ipv4.tcp_congestion_control": cc})
    b = net.add_node("b", stack="linux")
    net.link(a, b, rate="20Mbps", delay=delay, queue="100p")
    b.run("iperf3 -s -1", at="1s")
    cli = a.run("iperf3 -c b -J -t %d" % time, at="2s")
    net.run(stop=time + 20)
    end = json.loads(cli.stdout)["end"]
    return delay, cc, end["sum_received"]["bits_per_second"] / 1e6, end["sum_sent"]["retransmits"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="sweep")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--time", type=int, default=5)
    opt = ap.parse_args()
    runs = [(opt.out, d, c, opt.time) for c in CCS for d in DELAYS]
    with multiprocessing.Pool(opt.jobs) as pool:
        results = pool.map(one, runs)
    os.makedirs(opt.out, exist_ok=True)
    dat = os.path.join(opt.out, "sweep.dat")
    with open(dat, "w") as f:
        for cc in CCS:
            f.write("# %s: delay (ms), throughput (Mbit/s), retransmits\n" % cc)
            for d, c, mbps, retr in results:
                if c == cc:
                    f.write("%s %.2f %d\n" % (d[:-2], mbps, retr))
                    print("%-6s delay %-6s %6.2f Mbit/s %4d retransmits" % (c, d, mbps, retr))
            f.write("\n\n")
    png = os.path.join(opt.out, "sweep.png")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        for cc in CCS:
            pts = [(int(d[:-2]), m) for d, c, m, _ in results if c == cc]
            plt.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=cc)
        plt.xlabel("one-way delay (ms)")
        plt.ylabel("iperf3 throughput (Mbit/s)")
        plt.title("Linux 6.1 TCP in dce over a 20 Mbit/s link")
        plt.legend()
        plt.savefig(png)
    except ImportError:
        plot = "set terminal png; set output '%s'; set xlabel 'delay (ms)'; set ylabel 'Mbit/s'; plot " % png
        plot += ", ".join("'%s' index %d using 1:2 with linespoints title '%s'" % (dat, i, c) for i, c in enumerate(CCS))
        if subprocess.run(["gnuplot", "-e", plot], stderr=subprocess.DEVNULL).returncode:
            png = None
    print("plot:", png or "not drawn (install python3-matplotlib or gnuplot-nox); data in " + dat)


if __name__ == "__main__":
    main()
