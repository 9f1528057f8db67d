#!/usr/bin/env bash
# TUN echo: tinyisp's FFM TunDevice (bench/net/TunEcho.java) vs the same loop in C (bench/net/tun_echo.c).
# Load: `ping -6 -f` (flood: the next request leaves when the reply is back) inside a namespace whose route points
# into the TUN device, so the run measures round trips through the echo program. Needs root, gcc, JDK 25.
# Usage: sudo bench/net/run.sh [PACKETS]          (default 200000; a 20000-packet warm-up precedes each run)
set -euo pipefail
COUNT=${1:-200000}
WARMUP=20000
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
NS=tinyisp-bench-net-$$
WORK=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  ip netns delete "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

gcc -O2 -Wall -o "$WORK/tun_echo" "$ROOT/bench/net/tun_echo.c"
if [ ! -d "$ROOT/net/target/classes/net/tinyisp/net/tun" ]; then
  (cd "$ROOT" && ./mvnw -q -B -pl net -am compile)
fi
ip netns add "$NS"
ip -n "$NS" link set lo up
HZ=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run_one LABEL CMD... : starts the echo program in the namespace, floods it, prints one result line
run_one() {
  local label=$1; shift
  ip netns exec "$NS" "$@" bench0 > "$WORK/$label.out" 2>&1 &
  PID=$!
  for _ in $(seq 200); do ip -n "$NS" link show bench0 >/dev/null 2>&1 && break; sleep 0.05; done
  ip -n "$NS" link set bench0 up mtu 1500
  ip -n "$NS" -6 addr add 2001:db8:99::1/64 dev bench0 nodad
  ip netns exec "$NS" ping -6 -q -n -f -c "$WARMUP" 2001:db8:99::2 > /dev/null
  local c0 t0 c1 t1 out
  c0=$(cpu_ticks "$PID"); t0=$(date +%s%N)
  out=$(ip netns exec "$NS" ping -6 -q -n -f -c "$COUNT" 2001:db8:99::2)
  t1=$(date +%s%N); c1=$(cpu_ticks "$PID")
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  local received avg
  received=$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
  avg=$(echo "$out" | sed -n 's/^rtt [^=]*= [0-9.]*\/\([0-9.]*\)\/.*/\1/p')
  awk -v l="$label" -v n="$COUNT" -v r="$received" -v ns=$((t1 - t0)) -v cpu=$((c1 - c0)) -v hz="$HZ" -v avg="$avg" \
    'BEGIN { printf "%-5s replies %d/%d  %.0f round trips/s  rtt avg %s ms  echo CPU %.2f us/packet\n",
             l, r, n, n / (ns / 1e9), avg, cpu / hz * 1e6 / n }' | tee -a "$WORK/results"
}

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); $COUNT packets each"
run_c() { run_one C "$WORK/tun_echo"; }
run_java() {
  run_one Java "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
    -cp "$ROOT/net/target/classes" "$ROOT/bench/net/TunEcho.java"
}
# ORDER=java-first swaps the runs, to see whether the machine's load drifts between them
if [ "${ORDER:-c-first}" = java-first ]; then run_java; run_c; else run_c; run_java; fi
awk '/^C /{for(i=1;i<=NF;i++) if($i=="CPU") c=$(i+1); for(i=1;i<=NF;i++) if($i=="trips/s") ct=$(i-2)}
     /^Java/{for(i=1;i<=NF;i++) if($i=="CPU") j=$(i+1); for(i=1;i<=NF;i++) if($i=="trips/s") jt=$(i-2)}
     END { printf "ratio Java/C: CPU per packet %.2f, round trips/s %.2f\n", j / c, jt / ct }' "$WORK/results"
