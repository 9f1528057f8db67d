# net module: namespace/TUN/AF_PACKET tests run `ip` and `ping` as root (sourced by .ci/run; idempotent)
apt-get install -y --no-install-recommends iproute2 iputils-ping
test -c /dev/net/tun || { mkdir -p /dev/net && mknod /dev/net/tun c 10 200 && chmod 0666 /dev/net/tun; }
