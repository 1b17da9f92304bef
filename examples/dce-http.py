#!/usr/bin/env python3
"""dce-http.py: the Python twin of examples/dce-http.cc (and dce-http.yaml).
The stock lighttpd on "server" and the stock curl on "client", three hops apart
through two ns-3 routers (100 Mbps, 5 ms per link, ns-3 global routing); both print
the page's SHA-256.

    python3 examples/dce-http.py [--out DIR] [--size 1000000] [--pcap 0]
"""
import argparse
import os

import dce

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="out")
ap.add_argument("--size", type=int, default=1000000)
ap.add_argument("--pcap", type=int, default=0)
opt = ap.parse_args()

net = dce.Network(seed=1, out=opt.out, stop="30s", routing="global", pcap=bool(opt.pcap))
client, r1, r2, server = (net.add_node(n) for n in ("client", "r1", "r2", "server"))
for a, b in ((client, r1), (r1, r2), (r2, server)):
    net.link(a, b, rate="100Mbps", delay="5ms")
conf = ('server.document-root = "/var/www/html"\n'
        "server.port = 80\n"
        'server.errorlog = "/var/log/lighttpd/error.log"\n'
        'server.modules = ("mod_accesslog")\n'
        'accesslog.filename = "/var/log/lighttpd/access.log"\n'
        'index-file.names = ("index.html")\n'
        'mimetype.assign = (".html" => "text/html")\n')
srv = server.run(["sh", "-c", "mkdir -p /var/www/html /etc/lighttpd /var/log/lighttpd /var/tmp && "
                  "head -c %d /dev/urandom | base64 > /var/www/html/index.html && "
                  "sha256sum < /var/www/html/index.html && printf '%s' > /etc/lighttpd/lighttpd.conf && "
                  "exec lighttpd -D -f /etc/lighttpd/lighttpd.conf" % (opt.size, conf)], at="1s", stack="1M",
                 expect="any")  # lighttpd runs until the end
cli = client.run(["sh", "-c", "curl -sS -o /tmp/page -w '%{http_code} %{size_download} bytes "
                  "%{time_total}s\\n' http://server/index.html > /tmp/curl.txt && "
                  "sha256sum < /tmp/page && cat /tmp/curl.txt"], at="2s", stack="1M")
net.run()
print("served ", srv.stdout, end="")
print("fetched", cli.stdout, end="")
