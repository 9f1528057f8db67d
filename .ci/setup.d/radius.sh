# radius module: radclient/radtest (freeradius-utils) and FreeRADIUS 3.2 as test peers.
# The tests start their own FreeRADIUS from a private copy of /etc/freeradius/3.0; the packaged service must not
# hold 1812/1813 (harmless either way: the tests use ephemeral ports).
apt-get install -y --no-install-recommends freeradius freeradius-utils
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now freeradius >/dev/null 2>&1 || true; fi
# large UDP receive buffers for the RADIUS listeners (the server asks for 8 MiB; the kernel caps at rmem_max)
sysctl -q -w net.core.rmem_max=16777216 || true
