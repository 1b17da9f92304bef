"""dce: real Linux programs on simulated networks, from Python.

    import dce
    net = dce.Network(seed=1, out="out")
    a = net.add_node("a")                      # stack="ns3" (default) or "linux"
    b = net.add_node("b", stack="linux")
    net.link(a, b, rate="10Mbps", delay="2ms") # also net.lan([...]) and net.wifi([...])
    srv = b.run("iperf3 -s -1", at="1s")
    cli = a.run("iperf3 -c b -t 5 -J", at="2s")
    net.run(stop="30s")
    print(cli.exit_code, cli.stdout)

Every call is checked at once by the scenario layer (src/scenario/scenario.h);
a refused one raises dce.Error with one line naming the script's line and what
to do. net.run() saves the scenario as a file (OUT/scenario.yaml) and runs it
with dce-run in a child process, so runs can go on in parallel
(multiprocessing) or one after another in the same script. docs/scenarios.md.
"""
import os
import subprocess
import sys

from . import _dce
from ._dce import Error

__all__ = ["Network", "Node", "Process", "Link", "Error"]


def _where():
    """file:line of the user's call (the first frame outside this module)."""
    f = sys._getframe(1)
    here = os.path.dirname(os.path.abspath(__file__))
    while f and os.path.dirname(os.path.abspath(f.f_code.co_filename)) == here:
        f = f.f_back
    if not f:
        return "dce"
    return "%s:%d" % (f.f_code.co_filename, f.f_lineno)


def _text(v, unit=""):
    """A value as the scenario layer takes it: numbers get a unit (seconds...)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v) + unit
    if not isinstance(v, str):
        raise Error("%s: expected a string or a number, got %r" % (_where(), v))
    return v


class Node:
    """A simulated node (net.add_node). node.run(...) starts a program on it."""

    def __init__(self, net, index, name):
        self.net, self.index, self.name = net, index, name

    def __repr__(self):
        return "<dce.Node %s>" % self.name

    def run(self, cmd, at=0, stop=None, env=None, stdin=None, expect=0, stack=None):
        """A program: cmd is a command line ("iperf3 -s -1") or a list of words.
        at/stop: times ("1s", "200ms", or seconds as a number); env: dict or list
        of "NAME=VALUE"; stdin: a host file; expect: the exit code the run
        requires ("any", "signal"). Returns a Process."""
        return self.net._process(self, cmd, at, stop, env, stdin, expect, stack)

    def sysctl(self, key, value):
        """A sysctl set at boot (linux stack)."""
        self.net._call(_dce.node_sysctl, self.index, key, _text(value))

    def file(self, path, content):
        """A file placed at path inside the node before the run."""
        self.net._call(_dce.node_file, self.index, path, content)

    def route(self, to, via=None, dev=None):
        """A static route: to "10.2.0.0/16" or "default"; via a gateway; dev "eth0"."""
        self.net._call(_dce.add_route, self.index, to, via, dev)

    def position(self, x, y, z=0):
        """The node's position in meters (Wi-Fi); default: its Wi-Fi link's layout."""
        self.net._call(_dce.node_position, self.index, "%r,%r,%r" % (float(x), float(y), float(z)))

    def pcap(self):
        """Capture every device of the node."""
        self.net._call(_dce.node_pcap, self.index)


class Link:
    def __init__(self, net, index):
        self.net, self.index = net, index

    def address(self, node, address):
        """An explicit address of node on this link ("10.1.1.7/24", "2001:db8::7")."""
        self.net._call(_dce.link_address, self.index, self.net._node(node).index, address)


class Process:
    """A program of the scenario; after net.run(): pid, exit_code, signal, stdout."""

    def __init__(self, net, index, node):
        self.net, self.index, self.node = net, index, node
        self.pid = None
        self.exit = None  # exitprocs' EXIT column: "0", "SIGKILL", "RUNNING", "NOTSTARTED"

    def __repr__(self):
        return "<dce.Process %d on %s: %s>" % (self.index, self.node and self.node.name, self.exit)

    @property
    def exit_code(self):
        """The exit status, or None if it was killed by a signal or did not run."""
        return int(self.exit) if self.exit and self.exit.isdigit() else None

    @property
    def signal(self):
        return self.exit if self.exit and self.exit.startswith("SIG") else None

    def _log(self, what):
        if self.pid is None:
            raise Error("%s: the process has not run yet: call net.run() first" % _where())
        path = os.path.join(self.net.out, "files-%d" % self.node.index, "var", "log", str(self.pid), what)
        try:
            with open(path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    @property
    def stdout(self):
        return self._log("stdout")

    @property
    def stderr(self):
        return self._log("stderr")


class Network:
    """A scenario: nodes, links, programs. Settings: seed, run (ns-3's RngSeed and
    RngRun), out (output directory), stop, routing ("auto", "global", "none"),
    ipv6, pcap, map (host directories the nodes may run programs from)."""

    def __init__(self, seed=1, out=".", stop=None, run=1, routing="auto", ipv6=False, pcap=False, map=(),
                 segment_size=None, ipv6_stack=True):
        self._s = _dce.new()
        self.nodes = {}
        self.processes = []
        self.returncode = None
        self.log = ""
        self._call(_dce.set, "seed", _text(seed))
        self._call(_dce.set, "run", _text(run))
        self.out = out
        self._call(_dce.set, "out", out)
        self._call(_dce.set, "routing", routing)
        self._call(_dce.set, "ipv6", _text(bool(ipv6)))
        self._call(_dce.set, "pcap", _text(bool(pcap)))
        if not ipv6_stack:
            self._call(_dce.set, "ipv6_stack", "false")
        if segment_size is not None:
            self._call(_dce.set, "segment_size", _text(segment_size))
        for m in map:
            self._call(_dce.set, "map", m)
        if stop is not None:
            self._call(_dce.set, "stop", _text(stop, "s"))

    def _call(self, fn, *args):
        _dce.where(self._s, _where())
        return fn(self._s, *args)

    def _node(self, n):
        if isinstance(n, Node):
            return n
        if isinstance(n, str) and n in self.nodes:
            return self.nodes[n]
        raise Error("%s: unknown node %r: add it with net.add_node first" % (_where(), n))

    def add_node(self, name, stack="ns3", sysctl=None, files=None, pcap=False, position=None, rank=None):
        """A node named name on stack "ns3" (ns-3's TCP/IP) or "linux" (a Linux kernel);
        position=(x, y[, z]) in meters for Wi-Fi; rank=R: the MPI rank that runs it in a
        distributed run (docs/mpi.md; default: an automatic cut)."""
        i = self._call(_dce.add_node, name, stack)
        node = self.nodes[name] = Node(self, i, name)
        if rank is not None:
            self._call(_dce.node_rank, i, rank)
        for k, v in (sysctl or {}).items():
            node.sysctl(k, v)
        for k, v in (files or {}).items():
            node.file(k, v)
        if pcap:
            node.pcap()
        if position is not None:
            node.position(*position)
        return node

    def _link(self, kind, nodes, opts):
        idx = [self._node(n).index for n in nodes]
        addresses = opts.pop("addresses", None) or {}
        opts = [(k, _text(v, "s" if k == "delay" else "")) for k, v in opts.items() if v is not None]
        # the options on a scratch link first: a refused one adds nothing
        probe = _dce.new()
        _dce.where(probe, _where())
        for i in range(len(idx)):
            _dce.add_node(probe, "p%d" % i, "ns3")
        pl = _dce.add_link(probe, kind, list(range(len(idx)))) if len(set(idx)) == len(idx) else None
        for k, v in opts:
            if pl is not None:
                _dce.link_set(probe, pl, k, v)
        link = Link(self, self._call(_dce.add_link, kind, idx))
        for k, v in opts:
            self._call(_dce.link_set, link.index, k, v)
        for n, a in addresses.items():
            for x in ([a] if isinstance(a, str) else a):
                link.address(n, x)
        return link

    def link(self, a, b, rate=None, delay=None, **opts):
        """A point-to-point link: rate "10Mbps", delay "2ms"; also queue ("100p"),
        queue_disc, loss (0..1), subnet, subnet6, ipv6, pcap, addresses={node: addr}."""
        opts.update(rate=rate, delay=delay)
        return self._link("p2p", [a, b], opts)

    def lan(self, nodes, rate=None, delay=None, **opts):
        """A CSMA (Ethernet) LAN of the nodes; options as link()."""
        opts.update(rate=rate, delay=delay)
        return self._link("csma", nodes, opts)

    def wifi(self, nodes, mode="adhoc", standard=None, spacing=None, layout=None, data_mode=None,
             control_mode=None, **opts):
        """An 802.11 network: mode "adhoc" or "ap" (the first node is the access
        point); nodes without a position on a line (layout="grid": rows) `spacing`
        meters apart; data_mode/control_mode ("OfdmRate54Mbps"): constant rates."""
        opts.update(mode=mode, standard=standard, spacing=spacing, layout=layout, data_mode=data_mode,
                    control_mode=control_mode)
        return self._link("wifi", nodes, opts)

    def generate(self, topology, n, prefix="n", stack="ns3", width=0, **opts):
        """n nodes prefix0.. in a "line", "star", "tree", "grid" or "lan"; link
        options (rate, delay, ...) for every link. Returns the new nodes."""
        flat = []
        for k, v in opts.items():
            flat += [k, _text(v, "s" if k == "delay" else "")]
        first = self._call(_dce.generate, topology, int(n), prefix, stack, int(width), flat)
        made = []
        for i in range(first, first + int(n)):
            name = _dce.node_name(self._s, i)
            made.append(self.nodes.setdefault(name, Node(self, i, name)))
        return made

    def route(self, node, to, via=None, dev=None):
        self._node(node).route(to, via, dev)

    def _process(self, node, cmd, at, stop, env, stdin, expect, stack):
        opts = [("at", _text(at, "s"))]
        if stop is not None:
            opts.append(("stop", _text(stop, "s")))
        items = env.items() if isinstance(env, dict) else [tuple(e.split("=", 1)) for e in (env or [])]
        opts += [("env", "%s=%s" % kv) for kv in items]
        if stdin is not None:
            opts.append(("stdin", stdin))
        opts.append(("expect", _text(expect)))
        if stack is not None:
            opts.append(("stack", _text(stack)))
        # the options on a scratch process first: a refused one adds nothing
        probe = _dce.new()
        _dce.where(probe, _where())
        _dce.add_node(probe, "p", "ns3")
        pp = _dce.add_process(probe, 0, ["/bin/sh"])
        for k, v in opts:
            _dce.process_set(probe, pp, k, v)
        i = self._call(_dce.add_process, node.index, cmd if isinstance(cmd, str) else list(cmd))
        for k, v in opts:
            self._call(_dce.process_set, i, k, v)
        p = Process(self, i, node)
        self.processes.append(p)
        return p

    def check(self):
        """Check the whole scenario (addresses, routes, times); raises dce.Error."""
        self._call(_dce.check)

    def save(self, path):
        """Write the scenario as a scenario file (dce-run PATH runs it)."""
        self._call(_dce.save, path)

    @classmethod
    def load(cls, path):
        """A Network from a scenario file; its nodes in net.nodes, its processes
        in net.processes (in file order)."""
        net = cls.__new__(cls)
        net._s = _dce.new()
        net.returncode, net.log = None, ""
        net._call(_dce.load_yaml, path)
        net.nodes = {}
        for i in range(_dce.node_count(net._s)):
            name = _dce.node_name(net._s, i)
            net.nodes[name] = Node(net, i, name)
        net.processes = [Process(net, i, None) for i in range(_dce.process_count(net._s))]
        # out as the file gives it: read back from a saved copy
        net.out = "."
        with open(path, errors="replace") as f:
            for line in f:
                if line.startswith("out:"):
                    v = line[4:].strip()
                    net.out = v[1:-1] if v[:1] in "\"'" and len(v) > 1 else v.split(" #")[0]
        return net

    def _dce_run(self):
        env = os.environ.get("DCE_RUN")
        if env:
            return env
        installed, build = _dce.run_paths()
        for p in (installed, build):
            if os.access(p, os.X_OK):
                return p
        raise Error("%s: dce-run not found (%s): run make install" % (_where(), installed))

    def run(self, stop=None, quiet=True, ranks=None, mpi_engine=None):
        """Check, then run the scenario in a child process (dce-run on the saved
        file OUT/scenario.yaml); ranks=N: on N MPI ranks (docs/mpi.md), mpi_engine
        "gtw" (default) or "nullmsg". Returns True when every process ended as expected
        (exit code 0 unless told otherwise); raises dce.Error if it cannot run."""
        if stop is not None:
            self._call(_dce.set, "stop", _text(stop, "s"))
        self.check()
        os.makedirs(self.out, exist_ok=True)
        path = os.path.join(self.out, "scenario.yaml")
        self.save(path)
        extra = ["--ranks", str(ranks)] if ranks is not None else []
        extra += ["--mpi-engine", mpi_engine] if mpi_engine is not None else []
        r = subprocess.run([self._dce_run()] + extra + [path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           errors="replace")
        self.log, self.returncode = r.stdout, r.returncode
        if not quiet:
            sys.stdout.write(r.stdout)
        if r.returncode not in (0, 1):
            lines = [l for l in r.stdout.splitlines() if l.strip()]
            raise Error(lines[-1] if lines else "dce-run failed with status %d" % r.returncode)
        results = {}
        with open(os.path.join(self.out, "scenario-procs")) as f:
            for line in f:
                if line.startswith("#"):
                    continue
                idx, node, pid, exit = line.split()
                results[int(idx)] = (int(node), int(pid), exit)
        byindex = {n.index: n for n in self.nodes.values()}
        for p in self.processes:
            node, pid, exit = results.get(p.index, (None, None, "NOTSTARTED"))
            p.pid, p.exit = pid, exit
            if p.node is None and node is not None:
                p.node = byindex.get(node)
        return r.returncode == 0
