#!/usr/bin/env bash
# Forwarding through tinyisp's PPPoE access concentrator with load-client sessions (tinyisp pppoe-client --tun), and
# tinyisp's download shaper vs tc tbf on the same path. Prints one table; rerun with one command as root:
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/pppoe-forwarding/run.sh
# Knobs: DUR (s per test, 5), N (sessions for the multi-session rows, 4), SHAPE_MBIT (rate for the shaping rows, 50).
# CPU per packet = the AC process's utime+stime over the packets it forwarded (both directions, from its own per-
# session counters, which is what accounting reports); the NAT64 gateway figure to compare is docs/bench/nat64.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lab.sh"
DUR=${DUR:-5}
N=${N:-4}
SHAPE_MBIT=${SHAPE_MBIT:-50}
HZ=$(getconf CLK_TCK)
trap lab_down EXIT

[ -f "$ROOT/app/target/tinyisp.jar" ] || (cd "$ROOT" && ./mvnw -q -B -o -pl app -am package -DskipTests)
for i in $(seq 0 $((N - 1))); do printf 'user%d\tCleartext-Password := "pass%d"\n' "$i" "$i"; done >"$WORK/users"
printf 'user%d\tCleartext-Password := "pass%d"\n\tRP-Downstream-Speed-Limit = %d\n' "$N" "$N" $((SHAPE_MBIT * 1000)) >>"$WORK/users"
lab_up "$WORK/users"
lab_ac
lab_client $((N + 1))
CLIENT_JAVA=$CLIENT_PID
for p in $(seq 5201 $((5201 + N))); do
  ip netns exec "$CORE" iperf3 -s -B "$CORE_ADDR" -p "$p" >/dev/null 2>&1 &
  PIDS+=($!)
done
sleep 0.5

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ac_packets() {
  ip netns exec "$AC" curl -s 127.0.0.1:9153/api/pppoe/sessions |
    python3 -c 'import json,sys; print(sum(s["rxPackets"] + s["txPackets"] for s in json.load(sys.stdin)["sessions"]))'
}

# iperf SESSIONS ARGS...: one iperf3 client per session (user0..), in parallel; prints "Mbit/s pps" received
iperf() {
  local n=$1; shift
  local i pids=()
  for i in $(seq 0 $((n - 1))); do
    ip netns exec "$SUB" iperf3 -c "$CORE_ADDR" -p $((5201 + i)) -B "$(client_address "$i")" -t "$DUR" --json "$@" \
      >"$WORK/iperf-$i.json" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || true; done
  python3 - "$WORK" "$n" <<'PY'
import json, sys
bits = pkts = 0.0
for i in range(int(sys.argv[2])):
    d = json.load(open(f"{sys.argv[1]}/iperf-{i}.json"))
    if "error" in d:  # e.g. a UDP flood starving iperf3's control connection: say so, count nothing
        print(f"iperf3 session {i}: {d['error']}", file=sys.stderr)
        continue
    r = d["end"]
    if "lost_packets" not in r.get("sum", {}):  # TCP: receiver side
        bits += r["sum_received"]["bits_per_second"]
    else:  # UDP: the receiver's count (packets sent minus lost)
        s = r["sum"]
        bits += s["bits_per_second"] * (1 - s["lost_percent"] / 100)
        pkts += (s["packets"] - s["lost_packets"]) / s["seconds"]
print(f"{bits / 1e6:.1f} {pkts:.0f}")
PY
}

# measure LABEL SESSIONS ARGS...: one row with the received rate and the AC's (and the client's) CPU per packet
measure() {
  local label=$1 n=$2; shift 2
  local c0 k0 p0 c1 k1 p1 r
  c0=$(cpu "$AC_PID"); k0=$(cpu "$CLIENT_JAVA"); p0=$(ac_packets)
  r=$(iperf "$n" "$@")
  c1=$(cpu "$AC_PID"); k1=$(cpu "$CLIENT_JAVA"); p1=$(ac_packets)
  python3 - "$label" "$r" "$c0" "$c1" "$k0" "$k1" "$p0" "$p1" "$HZ" "$DUR" <<'PY'
import sys
label, r, c0, c1, k0, k1, p0, p1, hz, dur = sys.argv[1:]
mbit, pps = map(float, r.split())
pk = max(1, int(p1) - int(p0))
ac_us = (float(c1) - float(c0)) / float(hz) * 1e6 / pk
cl_us = (float(k1) - float(k0)) / float(hz) * 1e6 / pk
print(f"| {label} | {mbit:.1f} | {pps:.0f} | {pk / float(dur):.0f} | {ac_us:.2f} | {cl_us:.2f} |")
PY
}

echo "# pppoe-forwarding $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg) DUR=$DUR N=$N"
iperf 1 -R >/dev/null  # JIT warm-up of both JVMs' data paths, not measured
# the AC's CPU with sessions up and no traffic (control loop polls, timers, GC): the floor under every figure below,
# which dominates CPU per packet at low packet rates
i0=$(cpu "$AC_PID"); sleep "$DUR"; i1=$(cpu "$AC_PID")
echo "# AC idle CPU with $((N + 1)) sessions up: $(python3 -c "print(round(($i1 - $i0) / $HZ * 1000 / $DUR, 1))") ms per second"
echo "| test | received Mbit/s | received pps (UDP) | AC packets/s (both directions) | AC CPU µs/packet | load client CPU µs/packet |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
measure "TCP up, 1 session" 1
measure "TCP down, 1 session" 1 -R
measure "UDP 64 B up, 1 session" 1 -u -l 64 -b 0
measure "UDP 64 B down, 1 session" 1 -u -l 64 -b 0 -R
measure "TCP up, $N sessions" "$N"
measure "TCP down, $N sessions" "$N" -R
measure "UDP 64 B up, $N sessions" "$N" -u -l 64 -b 0
measure "UDP 64 B down, $N sessions" "$N" -u -l 64 -b 0 -R

# shaping: tinyisp's tbf-like shaper (user$N, RADIUS rate) vs tc tbf on the AC's subscriber-facing veth (user0,
# unshaped in tinyisp), same rate, same path, TCP download; and an unshaped session paced by iperf3 at that rate
# (the forwarding cost at that rate without any shaper). tbf counts Ethernet frames (22 bytes more than the IPv6
# packet per PPPoE frame), tinyisp counts IPv6 bytes; each is compared with its own unit's payload share.
echo
echo "| shaping at $SHAPE_MBIT Mbit/s, TCP down | received Mbit/s | of the expected goodput | AC CPU µs/packet |"
echo "| --- | ---: | ---: | ---: |"
shape_row() {
  local label=$1 frame=$2 row
  row=$(measure x "${@:3}")
  python3 - "$label" "$row" "$SHAPE_MBIT" "$frame" <<'PY'
import sys
label, row, rate, frame = sys.argv[1:]
cells = [c.strip() for c in row.strip("|").split("|")]
mbit, ac_us = float(cells[1]), cells[4]
expected = float(rate) * 1420 / float(1492 if frame == "paced" else frame)  # 1420 B of TCP payload per full segment
ratio = "(paced by the sender)" if frame == "paced" else f"{mbit / expected:.3f}"
print(f"| {label} | {mbit:.2f} | {ratio} | {ac_us} |")
PY
}
session_n() {  # session N's address stands in for session 0 in iperf(): swap the TUN index
  sed -i "s/ tun=tun$N / tun=tunS /; s/ tun=tun0 / tun=tun$N /; s/ tun=tunS / tun=tun0 /" "$WORK/client.log"
}
session_n
shape_row "tinyisp shaper (RADIUS $SHAPE_MBIT Mbit/s, IPv6 bytes)" 1492 1 -R -O 1
session_n
ip netns exec "$AC" tc qdisc add dev ac-sub root tbf rate "${SHAPE_MBIT}mbit" burst $((SHAPE_MBIT * 1250)) latency 50ms
shape_row "tc tbf on ac-sub (rate ${SHAPE_MBIT}mbit, Ethernet bytes)" 1514 1 -R -O 1
ip netns exec "$AC" tc -s qdisc show dev ac-sub | sed -n 's/^ *Sent/  tbf: Sent/p'
ip netns exec "$AC" tc qdisc del dev ac-sub root
shape_row "no shaper, iperf3 paced at ${SHAPE_MBIT}M" paced 1 -R -O 1 -b "${SHAPE_MBIT}M"
echo "# end $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg)"
