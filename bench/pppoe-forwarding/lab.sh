#!/usr/bin/env bash
# Three namespaces for traffic through tinyisp's access concentrator with load-client sessions:
#   $SUB  (tinyisp pppoe-client --tun: one TUN per session)  --veth-->  $AC (tinyisp pppoe + tinyisp radius)
#   $AC   --TUN pppoe0 / kernel forwarding / veth-->  $CORE (2001:db8:ff::2, iperf3 -s)
# Source it, then: lab_up USERS_FILE; lab_ac [extra pppoe args]; lab_client N [args]; ...; lab_down
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SUB=${SUB:-pfw-sub}
AC=${AC:-pfw-ac}
CORE=${CORE:-pfw-core}
WORK=${WORK:-$(mktemp -d /tmp/pppoe-fwd.XXXXXX)}
CORE_ADDR=2001:db8:ff::2
PIDS=()

lab_down() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  PIDS=()
  for ns in "$SUB" "$AC" "$CORE"; do ip netns del "$ns" 2>/dev/null || true; done
}

lab_up() {
  local users=$1
  lab_down
  for ns in "$SUB" "$AC" "$CORE"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip -n "$AC" link add ac-sub type veth peer name sub-ac netns "$SUB"
  ip -n "$AC" link add ac-core type veth peer name core-ac netns "$CORE"
  ip -n "$AC" link set ac-sub address 02:00:00:00:ac:01 up
  ip -n "$SUB" link set sub-ac up
  ip -n "$AC" addr add 2001:db8:ff::1/64 dev ac-core nodad
  ip -n "$AC" link set ac-core up
  ip -n "$CORE" addr add $CORE_ADDR/64 dev core-ac nodad
  ip -n "$CORE" link set core-ac up
  ip -n "$CORE" -6 route add default via 2001:db8:ff::1
  ip netns exec "$AC" sysctl -qw net.ipv6.conf.all.forwarding=1
  ip netns exec "$AC" "$ROOT/bin/tinyisp" radius --auth 127.0.0.1:1812 --acct 127.0.0.1:1813 \
    --client 127.0.0.1=testing123 --users "$users" --accounting-file "$WORK/acct.jsonl" >"$WORK/radius.log" 2>&1 &
  PIDS+=($!)
  wait_for "$WORK/radius.log" ready
}

# lab_ac [extra tinyisp pppoe options]: the access concentrator on ac-sub, admin API on 127.0.0.1:9153
lab_ac() {
  ip netns exec "$AC" "$ROOT/bin/tinyisp" pppoe --interface ac-sub --radius 127.0.0.1:1812 --radius-secret testing123 \
    --prefix-pool 2001:db8:1000::/36 --pd-length 48 --admin 127.0.0.1:9153 "$@" >"$WORK/pppoe.log" 2>&1 &
  AC_PID=$!
  PIDS+=($AC_PID)
  wait_for "$WORK/pppoe.log" "RunCommand: ready"
}

# lab_client N [extra pppoe-client options]: N sessions with TUNs tun0..; waits until every one has its address
lab_client() {
  local n=$1; shift
  ip netns exec "$SUB" "$ROOT/bin/tinyisp" pppoe-client --interface sub-ac --sessions "$n" --rate 200 \
    --password "pass%d" --tun tun --hold 100000 "$@" >"$WORK/client.log" 2>&1 &
  CLIENT_PID=$!
  PIDS+=($CLIENT_PID)
  local i
  for i in $(seq 1 600); do
    local got
    got=$(grep -c ' address=' "$WORK/client.log" 2>/dev/null || true)
    [ "${got:-0}" -ge "$n" ] && return 0
    kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$WORK/client.log" >&2; return 1; }
    sleep 0.1
  done
  echo "lab: sessions did not get addresses" >&2; cat "$WORK/client.log" >&2; return 1
}

# client_address I: the SLAAC address of session I
client_address() { sed -n "s/.* tun=tun$1 .* address=\([^ ]*\) .*/\1/p" "$WORK/client.log" | head -1; }

wait_for() {
  local i
  for i in $(seq 1 900); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "lab: no '$2' in $1" >&2; cat "$1" >&2; return 1
}
