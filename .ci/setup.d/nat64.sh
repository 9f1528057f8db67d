# nat64 module: the namespace IT (Nat64IT) runs ping, curl, python3 -m http.server, traceroute6 and ip as root;
# TsharkCrossCheckTest decodes golden packets with tshark. bench/nat64 also needs iperf3, tayga, nftables, ethtool.
# Sourced by .ci/run after apt-get update; idempotent.
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  iproute2 iputils-ping curl python3 traceroute tshark iperf3 tayga nftables ethtool bc
test -c /dev/net/tun || { mkdir -p /dev/net && mknod /dev/net/tun c 10 200 && chmod 0666 /dev/net/tun; }
