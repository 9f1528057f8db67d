#!/usr/bin/env python3
"""Writes the bench inputs: the nsd zone, a dnsperf query file and an h2load URL list (DoH GET, RFC 8484 §4.1)."""
import base64, random, struct, sys

out, names, doh_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
zone = ["$ORIGIN lab.test.", "$TTL 86400",
        "@ IN SOA ns.lab.test. hostmaster.lab.test. 1 3600 900 604800 86400", "@ IN NS ns", "ns IN A 198.51.100.1"]
for i in range(names):
    zone.append("h%d IN A 198.51.100.%d" % (i, 1 + i % 250))   # IPv4-only: every AAAA is synthesized
open(out + "/lab.test.zone", "w").write("\n".join(zone) + "\n")

def wire(name, qtype):
    q = struct.pack(">HHHHHH", 0, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", qtype, 1)

random.seed(7)
with open(out + "/queries.txt", "w") as f, open(out + "/urls.txt", "w") as u:
    for i in range(names):
        n = "h%d.lab.test" % i
        f.write("%s AAAA\n" % n)
        u.write("https://127.0.0.1:%d/dns-query?dns=%s\n" % (doh_port, base64.urlsafe_b64encode(wire(n, 28)).rstrip(b"=").decode()))
