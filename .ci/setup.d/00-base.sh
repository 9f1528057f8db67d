# Packages the DNS tests and the quick start need (kdig is the reference client, nsd the authoritative upstream).
apt-get install -y -qq --no-install-recommends knot-dnsutils nsd >/dev/null
# nsd's Debian package starts a system instance on port 53; tests run their own on free loopback ports.
systemctl stop nsd 2>/dev/null || service nsd stop 2>/dev/null || true
