# dns encrypted transports (DoT, DoH, JSON, doh-proxy): real clients and a third-party DoH server.
#   kdig (+tls, +https, +https-get), curl (--doh-url, HTTP/1.1 and HTTP/2), nsd (the authoritative behind DNS64),
#   nghttp (HTTP/2 SETTINGS), dnsdist (the third-party DoH server the proxy is tested against).
# The benchmark (bench/dns-encrypted/run.sh, not run by CI) also needs: unbound dnsperf bc.
apt-get install -y --no-install-recommends knot-dnsutils curl nghttp2-client nsd dnsdist ca-certificates openssl
# Debian starts these on port 53 after install; the tests run their own instances on free loopback ports.
systemctl disable --now dnsdist 2>/dev/null || true
systemctl disable --now nsd 2>/dev/null || true
