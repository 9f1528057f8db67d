#!/usr/bin/env bash
# PPPoE session setup through tinyisp: N load-client subscribers (tinyisp pppoe-client, random MACs, CHAP) dial the
# access concentrator over a veth pair in a namespace, authenticated by tinyisp's RADIUS server; setup time is PADI
# to IPv6CP Opened (after RADIUS accepted). Prints setup rate, p50/p99, CPU per session of each process, heap per
# live session of the access concentrator, and the load average.
#   sudo bench/pppoe-setup/run.sh          (from the repository root; needs root, JDK 25, curl)
# Knobs: SIZES (default "1000 10000"), RATE (dial rate per second, default 2000), ROUNDS (per size, default 3: the
# first warms both JITs; the last is reported), PADI_LIMIT (the AC's padi-per-second, default 5000 so that the AC,
# not its flood policy, is measured; tinyisp's default is 1000), HOLD (s, default 4).
# rp-pppoe's pppoe-server needs kernel PPP (absent on this host); it runs only in the lab VM pair
# (lab/pppoe-client-vm/pair-test.sh, one session, TCG emulation), see docs/bench/pppoe-setup.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIZES=${SIZES:-"1000 10000"}; RATE=${RATE:-2000}; ROUNDS=${ROUNDS:-3}; PADI_LIMIT=${PADI_LIMIT:-5000}; HOLD=${HOLD:-4}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
NS=bench-pppoe-setup
RUN=$(mktemp -d /tmp/bench-pppoe-setup.XXXXXX)
[ "$(id -u)" = 0 ] || { echo "needs root (namespace, AF_PACKET)"; exit 1; }
[ -f "$ROOT/app/target/tinyisp.jar" ] || (cd "$ROOT" && ./mvnw -q -B -o -pl app -am package -DskipTests)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; ip netns del $NS 2>/dev/null || true; rm -rf "$RUN"; }
trap cleanup EXIT

max=0; for n in $SIZES; do [ "$n" -gt "$max" ] && max=$n; done
for i in $(seq 0 $((max - 1))); do printf 'user%d\tCleartext-Password := "pass%d"\n' "$i" "$i"; done > "$RUN/users"
ip netns del $NS 2>/dev/null || true
ip netns add $NS; ip -n $NS link set lo up
ip -n $NS link add veth-ac type veth peer name veth-cl
ip -n $NS link set veth-ac up; ip -n $NS link set veth-cl up

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, clock ticks
hz=$(getconf CLK_TCK)
heap_kb() {  # live heap after a full GC (ParallelGC: young + old "used")
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info | grep -oE 'used [0-9]+K' | awk '{s += $2} END {print s + 0}'
}
wait_for() { for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "timeout waiting for '$2' in $1"; cat "$1"; exit 1; }

ip netns exec $NS "$ROOT/bin/tinyisp" radius --auth 127.0.0.1:1812 --acct 127.0.0.1:1813 --client 127.0.0.1=testing123 \
  --users "$RUN/users" --accounting-file "$RUN/acct.jsonl" > "$RUN/radius.log" 2>&1 & RP=$!; PIDS+=($RP)
ip netns exec $NS "$ROOT/bin/tinyisp" pppoe --interface veth-ac --radius 127.0.0.1:1812 --radius-secret testing123 \
  --prefix-pool 2001:db8::/32 --pd-length 48 --admin 127.0.0.1:9153 --coa-listen off --padi-per-second "$PADI_LIMIT" \
  --max-sessions 65534 > "$RUN/pppoe.log" 2>&1 & AP=$!; PIDS+=($AP)
wait_for "$RUN/radius.log" ready; wait_for "$RUN/pppoe.log" "RunCommand: ready"
base_kb=$(heap_kb $AP)

echo "# pppoe-setup $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# dial rate $RATE/s, $ROUNDS rounds per size (last reported), AC padi-per-second $PADI_LIMIT, AC idle heap ${base_kb} KiB"
printf '%-7s %-6s %-10s %-8s %-8s %-8s %-12s %-12s %-12s %-10s\n' sessions up rate/s p50_ms p99_ms max_ms ac_cpu_ms/sess radius_ms/sess client_ms/sess heap_B/sess
for n in $SIZES; do
  a0=$(ticks $AP); r0=$(ticks $RP)
  out="$RUN/client-$n.log"
  ip netns exec $NS "$ROOT/bin/tinyisp" pppoe-client --interface veth-cl --sessions "$n" --rate "$RATE" \
    --password 'pass%d' --rounds "$ROUNDS" --hold "$HOLD" --timeout 120 > "$out" 2>&1 & CP=$!; PIDS+=($CP)
  # the last round's sessions are up: measure the AC's heap while they are held
  for _ in $(seq 1200); do [ "$(grep -c "^pppoe-client: $n sessions up" "$out")" -ge "$ROUNDS" ] && break; sleep 0.1; done
  kb=$(heap_kb $AP)
  c0=$(ticks $CP)
  wait $CP || true
  a1=$(ticks $AP); r1=$(ticks $RP)
  line=$(grep "round $ROUNDS \|^pppoe-client: sessions=" "$out" | tail -1)
  up=$(sed -E 's/.* up=([0-9]+).*/\1/' <<<"$line"); rate=$(sed -E 's/.*setup_rate=([0-9]+).*/\1/' <<<"$line")
  p50=$(sed -E 's/.*p50=([0-9]+).*/\1/' <<<"$line"); p99=$(sed -E 's/.*p99=([0-9]+).*/\1/' <<<"$line")
  mx=$(sed -E 's/.*max=([0-9]+).*/\1/' <<<"$line")
  total=$((n * ROUNDS))
  printf '%-7s %-6s %-10s %-8s %-8s %-8s %-12s %-12s %-12s %-10s\n' "$n" "$up" "$rate" "$p50" "$p99" "$mx" \
    "$(awk -v t=$((a1 - a0)) -v n=$total -v hz=$hz 'BEGIN{printf "%.3f", t * 1000 / hz / n}')" \
    "$(awk -v t=$((r1 - r0)) -v n=$total -v hz=$hz 'BEGIN{printf "%.3f", t * 1000 / hz / n}')" \
    "$(awk -v t="$c0" -v n=$total -v hz=$hz 'BEGIN{printf "%.3f", t * 1000 / hz / n}')" \
    "$(( (kb - base_kb) * 1024 / n ))"
  grep "^pppoe-client: .*sessions=" "$out" | sed 's/^/#   /'
  sleep 3
done
ip netns exec $NS curl -s 127.0.0.1:9153/metrics | grep -E '^tinyisp_pppoe_drops_total' | grep -v ' 0.0$' | sed 's/^/# /' || true
echo "# rp-pppoe pppoe-server: not run here (needs kernel PPP); lab VM pair (pair-test.sh): 3.3 s PADI to IPv6CP up per session"
