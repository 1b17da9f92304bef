#!/usr/bin/env python3
"""dce-basic.py: the Python twin of examples/dce-basic.cc (and dce-basic.yaml):
stock programs on two nodes in simulated time, no network.

    python3 examples/dce-basic.py [--out DIR]
"""
import sys

import dce

out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else "out"
net = dce.Network(seed=1, out=out, stop="100s")
n0, n1 = net.add_node("node0"), net.add_node("node1")
n0.run("date", at=1)
n0.run("sleep 5", at=1)
n0.run(["sh", "-c", "seq 1 1000 | sort -rn | head -3; date"], at=6.5)
n1.run(["python3", "-c", "import os, time, platform; "
        "print(platform.node(), os.getpid(), time.strftime('%H:%M:%S'))"], at=2)
n1.run(["bash", "-c", "for i in 1 2 3; do echo tick $i $(date +%s); sleep 1; done"], at=3)
net.run()
for p in net.processes:
    print("%-8s exit %-4s %s" % (p.node.name, p.exit, p.stdout.strip().replace("\n", " | ")))
