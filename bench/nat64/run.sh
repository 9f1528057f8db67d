#!/usr/bin/env bash
# NAT64 side by side, one run, one namespace topology:
#   tinyisp nat64 (TUN, TSO/USO super-packets)  vs  TAYGA + nft masquerade (its documented stateful setup)
#   vs plain kernel IPv6 forwarding over the same veths (the ceiling).
# Prints throughput, pps, latency, gateway CPU per packet and the ratios. Needs root, iperf3, tayga, nft, ethtool.
#   usage: bench/nat64/run.sh            (DUR=10 seconds per test; QUEUES=1 tinyisp queues; OFFLOAD=1)
#   TESTS="up down udp" picks the iperf3 tests, CONTENDERS="kernel tayga tinyisp" the gateways (keep tinyisp and
#   TAYGA in the same run when comparing). Contender "variant" is tinyisp again with VARIANT_ARGS added, for an A/B
#   in one run: VARIANT_ARGS="--rx-coalesce-usecs 0" CONTENDERS="tayga tinyisp variant". ROUNDS=N runs the
#   contenders N times in turn (interleaved, so load drift hits all alike; the table shows medians).
#   THREADED_NAPI=1 moves the gateway veths' NAPI into kernel threads, for every contender alike.
#   TINYISP_ARGS adds options to every tinyisp run. VARIANT_ROOT=/path/to/another/checkout makes "variant" that
#   tree's build (before/after in one run), e.g. `git archive <old commit> | tar -x -C /tmp/old`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DUR=${DUR:-10}
TESTS=${TESTS:-up down udp}
CONTENDERS=${CONTENDERS:-kernel tayga tinyisp}
ROUNDS=${ROUNDS:-1}
QUEUES=${QUEUES:-1}
OFFLOAD=${OFFLOAD:-1}
TUN_QLEN=${TUN_QLEN:-500}   # both TUN devices get the same queue length (500 is the kernel default)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
P=b64$$
H6=$P-h6; GW=$P-gw; H4=$P-h4
RUN=$(mktemp -d /tmp/nat64-bench.XXXXXX)
GWPID=""
IPERF=""

cleanup() {
  [ -n "$GWPID" ] && kill "$GWPID" 2>/dev/null && wait "$GWPID" 2>/dev/null || true
  [ -n "$IPERF" ] && kill "$IPERF" 2>/dev/null || true
  for n in $H6 $GW $H4; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT

inns() { ip netns exec "$@"; }
# the gateway may be a grandchild (started through a function in the background): wait until it is gone, so its
# TUN device and routes are too
stop_gateway() {
  kill $GWPID 2>/dev/null || true
  for i in $(seq 100); do kill -0 $GWPID 2>/dev/null || break; sleep 0.1; done
  GWPID=""
}

topology() {
  for n in $H6 $GW $H4; do ip netns add "$n"; ip -n "$n" link set lo up; done
  ip -n $H6 link add eth0 type veth peer name h6 netns $GW
  ip -n $GW link add h4 type veth peer name eth0 netns $H4
  for l in "$H6 eth0" "$GW h6" "$GW h4" "$H4 eth0"; do set -- $l; ip -n $1 link set $2 up; done
  ip -n $H6 -6 addr add 2001:db8:1::10/64 dev eth0 nodad
  ip -n $H6 -6 route add default via 2001:db8:1::1
  ip -n $GW -6 addr add 2001:db8:1::1/64 dev h6 nodad
  ip -n $GW -6 addr add 2001:db8:2::1/64 dev h4 nodad
  ip -n $GW addr add 203.0.113.1/24 dev h4
  ip -n $H4 addr add 203.0.113.20/24 dev eth0
  ip -n $H4 route add default via 203.0.113.1
  ip -n $H4 -6 addr add 2001:db8:2::20/64 dev eth0 nodad
  ip -n $H4 -6 route add default via 2001:db8:2::1
  inns $GW sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  # GRO on the gateway's veths (NAPI), also for forwarded UDP (rx-udp-gro-forwarding): forwarded flows stay
  # aggregated as TSO/USO super-packets, the same for every contender (TAYGA's TUN has no offloads, so the kernel
  # segments before handing packets to it)
  for d in h6 h4; do
    inns $GW ethtool -K $d gro on >/dev/null 2>&1 || true
    [ "${UDP_GRO:-1}" = 1 ] && { inns $GW ethtool -K $d rx-udp-gro-forwarding on >/dev/null 2>&1 || true; }
    [ "${THREADED_NAPI:-0}" = 1 ] && inns $GW sh -c "echo 1 > /sys/class/net/$d/threaded"
  done
  sleep 1
}

ticks() { awk '{print $14+$15}' /proc/$1/stat; }
pkts() { inns $GW cat /sys/class/net/h6/statistics/rx_packets /sys/class/net/h6/statistics/tx_packets | paste -sd+ | bc; }
# datagrams the IPv4 host's UDP layer got (InDatagrams + InErrors, so receive-buffer drops count as delivered):
# every datagram the gateway translated, none of those it never read
udp_delivered() { inns $H4 awk '/^Udp: [0-9]/ {print $2+$4}' /proc/net/snmp; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# measure NAME TARGET: runs the four tests against TARGET, appends "NAME key value" lines to $RUN/results
measure() {
  local name=$1 target=$2
  # latency first, on an idle path (after two warm-up echoes for neighbour discovery): min and average of 200
  inns $H6 ping -6 -q -c 2 -W 2 $target >/dev/null || true
  local rtt; rtt=$(inns $H6 ping -6 -q -c 200 -i 0.005 $target | awk -F'[/ ]' '/rtt/ {print $7, $8}')
  echo "$name ping_min_ms ${rtt% *}" >> $RUN/results
  echo "$name ping_avg_ms ${rtt#* }" >> $RUN/results
  inns $H4 iperf3 -s -D -I $RUN/iperf.pid >/dev/null; sleep 0.5; IPERF=$(cat $RUN/iperf.pid)
  local t
  for t in $TESTS; do
    local args=""
    case $t in up) args="";; down) args="-R";; udp) args="-u -l 64 -b 0 -P 4";; esac
    local count=pkts; [ $t = udp ] && count=udp_delivered
    local c0=0 p0; p0=$($count); [ -n "$GWPID" ] && c0=$(ticks $GWPID)
    inns $H6 iperf3 -c $target -t $DUR $args -J > $RUN/$name-$t.json || true
    local c1=0 p1; p1=$($count); [ -n "$GWPID" ] && c1=$(ticks $GWPID)
    local us="n/a"
    [ -n "$GWPID" ] && us=$(echo "scale=2; ($c1-$c0)*10000/($p1-$p0)" | bc)
    if [ $t = udp ]; then
      echo "$name udp_pps $(json $RUN/$name-$t.json "int((d['end']['sum']['packets']-d['end']['sum']['lost_packets'])/d['end']['sum']['seconds'])")" >> $RUN/results
      echo "$name udp_loss_pct $(json $RUN/$name-$t.json "round(d['end']['sum']['lost_percent'],1)")" >> $RUN/results
    else
      echo "$name tcp_${t}_gbps $(json $RUN/$name-$t.json "round(d['end']['sum_received']['bits_per_second']/1e9,2)")" >> $RUN/results
    fi
    echo "$name cpu_us_per_pkt_$t $us" >> $RUN/results
  done
  kill $IPERF; IPERF=""; sleep 0.5
}

topology
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee $RUN/state

# 1. ceiling: plain IPv6 forwarding h6 -> gw -> h4
run_kernel() {
  measure kernel 2001:db8:2::20
}

# 2. TAYGA + nft masquerade (anchor-configs.md; dynamic pool in 198.51.100.128/25)
run_tayga() {
mkdir -p $RUN/tayga
cat > $RUN/tayga.conf <<CONF
tun-device nat64t
ipv4-addr 198.51.100.254
prefix 2001:db8:64::/96
dynamic-pool 198.51.100.128/25
data-dir $RUN/tayga
CONF
inns $GW tayga -c $RUN/tayga.conf --mktun >/dev/null
ip -n $GW link set nat64t up txqueuelen $TUN_QLEN
ip -n $GW route add 198.51.100.128/25 dev nat64t
ip -n $GW -6 route add 2001:db8:64::/96 dev nat64t
inns $GW nft -f - <<NFT
table ip nat64_anchor {
  chain masq  { type nat hook postrouting priority srcnat; policy accept;
                ip saddr 198.51.100.128/25 oifname != "nat64t" masquerade; }
  chain guard { type filter hook forward priority filter; policy accept;
                iifname != "nat64t" ip daddr 198.51.100.128/25 ct state != { established, related } counter drop; }
}
NFT
inns $GW setsid tayga -c $RUN/tayga.conf -d > $RUN/tayga.log 2>&1 &
sleep 1; GWPID=$(inns $GW pgrep -n -x tayga)
inns $H6 ping -6 -c 2 -W 2 2001:db8:64::cb00:7114 >/dev/null
measure tayga 2001:db8:64::cb00:7114
stop_gateway
inns $GW nft delete table ip nat64_anchor
ip -n $GW link del nat64t
inns $GW conntrack -F >/dev/null 2>&1 || true
}

# 3. tinyisp nat64 (same prefix; pool4 198.51.100.5)
( cd "$ROOT" && ./mvnw -B -q -o -pl nat64 -am compile dependency:build-classpath -Dmdep.outputFile=$RUN/cp >/dev/null )
CP="$ROOT/nat64/target/classes:$(cat $RUN/cp)"
run_variant() {
  local cp=$CP
  if [ -n "${VARIANT_ROOT:-}" ]; then
    ( cd "$VARIANT_ROOT" && ./mvnw -B -q -o -pl nat64 -am compile dependency:build-classpath \
        -Dmdep.outputFile=$RUN/variant-cp >/dev/null )
    CP="$VARIANT_ROOT/nat64/target/classes:$(cat $RUN/variant-cp)"
  fi
  run_tinyisp variant ${VARIANT_ARGS:-}
  CP=$cp
}
run_tinyisp() {
local name=${1:-tinyisp}; shift || true
OFF=""; [ "$OFFLOAD" = 1 ] || OFF="--no-offload"
inns $GW $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -cp "$CP" \
  net.tinyisp.nat64.cli.Nat64Command --pool6 2001:db8:64::/96 --pool4 198.51.100.5 \
  --tcp-ports 1024-65535 --udp-ports 1024-65535 --icmp-ids 1024-65535 --tun nat64 --setup --queues $QUEUES $OFF \
  ${TINYISP_ARGS:-} "$@" > $RUN/$name.log 2>&1 &
GWPID=$!
for i in $(seq 50); do inns $H6 ping -6 -c 1 -W 1 2001:db8:64::cb00:7114 >/dev/null 2>&1 && break; sleep 0.2; done
ip -n $GW link set nat64 txqueuelen $TUN_QLEN
# warm the JIT before measuring
inns $H4 iperf3 -s -D -I $RUN/iperf.pid >/dev/null; sleep 0.5
inns $H6 iperf3 -c 2001:db8:64::cb00:7114 -t 3 >/dev/null; inns $H6 iperf3 -c 2001:db8:64::cb00:7114 -t 2 -u -l 64 -b 0 >/dev/null
inns $H6 ping -6 -q -c 300 -i 0.002 2001:db8:64::cb00:7114 >/dev/null
kill $(cat $RUN/iperf.pid); sleep 0.5
GWPID=$(inns $GW pgrep -n -f Nat64Command)
measure $name 2001:db8:64::cb00:7114
stop_gateway
inns $GW conntrack -F >/dev/null 2>&1 || true
}

for round in $(seq $ROUNDS); do
  for c in $CONTENDERS; do run_$c; done
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $RUN/state
python3 - $RUN/results <<'PY'
import sys, collections
import statistics
all = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    n, k, v = line.split()
    all[n][k].append(v)
def med(vs):
    try:
        x = statistics.median(float(v) for v in vs)
        return ("%d" % x) if x >= 1000 else ("%.3g" % x if x < 1 else "%.2f" % x)
    except ValueError:
        return vs[0]
r = {n: {k: med(vs) for k, vs in ks.items()} for n, ks in all.items()}
r.setdefault("kernel", {}); r.setdefault("tayga", {}); r.setdefault("tinyisp", {})
if max(len(vs) for ks in all.values() for vs in ks.values()) > 1:
    for n, ks in all.items():
        for k in ("udp_pps", "cpu_us_per_pkt_udp", "tcp_up_gbps", "tcp_down_gbps"):
            if k in ks: print("%-8s %-20s %s" % (n, k, " ".join(ks[k])))
keys = ["tcp_up_gbps", "tcp_down_gbps", "udp_pps", "udp_loss_pct", "ping_min_ms", "ping_avg_ms",
        "cpu_us_per_pkt_up", "cpu_us_per_pkt_down", "cpu_us_per_pkt_udp"]
cols = ["kernel", "tayga", "tinyisp"] + (["variant"] if "variant" in r else [])
print("%-22s" % "metric" + "".join("%10s" % c for c in cols))
for k in keys:
    print("%-22s" % k + "".join("%10s" % r[c].get(k, "-") for c in cols))
def ratio(k, inverse=False):
    try:
        a, b = float(r["tinyisp"][k]), float(r["tayga"][k])
        return "%.2fx" % ((b / a) if inverse else (a / b))
    except (KeyError, ValueError, ZeroDivisionError):
        return "-"
print("ratio tinyisp/tayga: tcp_up %s, tcp_down %s, udp_pps %s, ping min (tayga/tinyisp) %s, avg %s" % (
    ratio("tcp_up_gbps"), ratio("tcp_down_gbps"), ratio("udp_pps"), ratio("ping_min_ms", True),
    ratio("ping_avg_ms", True)))
if "variant" in r:
    for k in ("udp_pps", "tcp_up_gbps", "tcp_down_gbps"):
        try: print("variant/tayga %s %.2fx" % (k, float(r["variant"][k]) / float(r["tayga"][k])))
        except (KeyError, ValueError, ZeroDivisionError): pass
PY
