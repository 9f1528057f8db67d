# dns module: the integration tests run real nsd (authoritative peer) and kdig (client).
apt-get install -y --no-install-recommends knot-dnsutils nsd
# Debian starts nsd on port 53 after install; the tests run their own on a free loopback port.
systemctl disable --now nsd 2>/dev/null || true
