#!/usr/bin/env python3
"""mutate.py SEED N OUTDIR FILE... - writes N mutants of the scenario files:
truncated, bytes swapped or overwritten, random keys, huge numbers, deep nesting,
aliases, control characters. Deterministic for a seed."""
import os
import random
import sys

seed, n, outdir, files = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
rng = random.Random(seed)
srcs = [open(f, "rb").read() for f in files]
words = [b"nodes", b"links", b"processes", b"generate", b"rate", b"delay", b"at", b"stop", b"cmd",
         b"argv", b"node", b"type", b"subnet", b"count", b"topology", b"stack", b"linux", b"wifi",
         b"csma", b"bogus", b"99999999999999999999999", b"-1", b"1e308", b"nan", b"0x10", b"&a",
         b"*a", b"[", b"]", b"{", b"}", b":", b"- ", b"\t", b"\x00", b"'", b'"', b"\xff\xfe",
         b"10.1.1.0/24", b"2001:db8::/64", b"1000000", b"4294967296", b"---", b"%YAML 1.1", b"!!binary",
         b"position", b"[1e9, -3]", b"layout", b"grid", b"data_mode", b"control_mode", b"OfdmRate54Mbps",
         b"HtMcs99", b"none", b"ipv6_stack", b"addresses", b"../../x", b"mode", b"ap"]


def mutate(data):
    d = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        i = rng.randrange(len(d) + 1) if d else 0
        if op == 0:
            d = d[:i]
        elif op == 1 and len(d) > 2:
            j = rng.randrange(len(d))
            i = min(i, len(d) - 1)
            d[i], d[j] = d[j], d[i]
        elif op == 2 and d:
            d[min(i, len(d) - 1)] = rng.randrange(256)
        elif op == 3:
            d[i:i] = rng.choice(words)
        elif op == 4:
            d[i:i] = b"\n%s: %s\n" % (rng.choice(words), rng.choice(words))
        elif op == 5:
            d[i:i] = b"[" * rng.randint(1, 5000)
        else:
            line = b"\n  - {node: %s, cmd: %s, at: %s}\n" % (rng.choice(words), rng.choice(words), rng.choice(words))
            d[i:i] = line
    return bytes(d)


os.makedirs(outdir, exist_ok=True)
for k in range(n):
    with open(os.path.join(outdir, "m%04d.yaml" % k), "wb") as f:
        f.write(mutate(rng.choice(srcs)))
