#!/usr/bin/env bash
# PAP auth/s and durable accounting/s of tinyisp's RADIUS server on the subscriber store (SQLite, WAL,
# synchronous=FULL, group commit; and PostgreSQL when BENCH_PG_URL is set) vs FreeRADIUS 3.2 (users file, detail
# accounting, not fsynced), in one run, with the same 1000 users and the radius bench's load generator
# (bench/radius/LoadGen.java, not radclient). The store's users are imported from the same users file with
# `tinyisp radius import` (--keep-cleartext like the users file; HASHED=1 for PBKDF2 hashes).
#
#   bench/subscribers/run.sh      # env: DURATION=10 WINDOW=128 SOCKETS=4 ROUNDS=2 HASHED=0 BENCH_PG_URL=jdbc:postgresql://...
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
DURATION=${DURATION:-10}; WINDOW=${WINDOW:-128}; SOCKETS=${SOCKETS:-4}; ROUNDS=${ROUNDS:-2}
SECRET=testing123
RUN=$(mktemp -d /tmp/subscribers-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT

echo "# building the subscribers module and its classpath"
(cd "$ROOT" && ./mvnw -q -B -pl subscribers -am compile dependency:build-classpath -Dmdep.outputFile="$RUN/cp.txt" >/dev/null)
CP="$ROOT/subscribers/target/classes:$ROOT/radius/target/classes:$ROOT/common/target/classes:$(cat "$RUN/cp.txt")"

# a free UDP port pair (auth, auth+1) for each server; other benchmarks may run on this machine
free_pair() {
  local p
  for p in $(seq "$1" 10 $(($1 + 2000))); do
    if ! ss -Hlun "sport = :$p" | grep -q . && ! ss -Hlun "sport = :$((p+1))" | grep -q .; then echo "$p"; return; fi
  done
  echo "no free port pair from $1" >&2; exit 1
}
FR_AUTH=$(free_pair 41812); SQ_AUTH=$(free_pair 44812); PG_AUTH=$(free_pair 47812)

echo "# 1000 users"
for i in $(seq 1 1000); do
  n=$(printf %04d "$i")
  printf 'user%s Cleartext-Password := "pass%s"\n\tRP-Upstream-Speed-Limit = 5120,\n\tRP-Downstream-Speed-Limit = 10240,\n\tAcct-Interim-Interval = 300\n' "$n" "$n"
done > "$RUN/users"

echo "# FreeRADIUS from a private copy of /etc/freeradius/3.0"
FR=$RUN/freeradius
mkdir -p "$FR"; cp -a /etc/freeradius/3.0/. "$FR/"; mkdir -p "$FR/log" "$FR/run"
sed -i "s#^raddbdir = .*#raddbdir = $FR#; s#^logdir = .*#logdir = $FR/log#; s#^run_dir = .*#run_dir = $FR/run#; s#^\(\s*\)user = freerad#\1\#user = freerad#; s#^\(\s*\)group = freerad#\1\#group = freerad#" "$FR/radiusd.conf"
rm -f "$FR"/sites-enabled/* "$FR/mods-enabled/eap"
cp "$RUN/users" "$FR/mods-config/files/authorize"
cat > "$FR/sites-enabled/bench" <<CONF
server default {
listen {
	type = auth
	ipaddr = 127.0.0.1
	port = $FR_AUTH
	recv_buff = 4194304
}
listen {
	type = acct
	ipaddr = 127.0.0.1
	port = $((FR_AUTH+1))
	recv_buff = 4194304
}
authorize {
	preprocess
	files
	pap
}
authenticate {
	Auth-Type PAP {
		pap
	}
}
preacct {
	preprocess
	acct_unique
}
accounting {
	detail
}
post-auth {
	update reply {
		Message-Authenticator := 0x00
	}
	Post-Auth-Type REJECT {
		update reply {
			Message-Authenticator := 0x00
		}
	}
}
}
CONF
/usr/sbin/freeradius -f -d "$FR" -l "$FR/out.log" &
FR_PID=$!; PIDS+=("$FR_PID")

tinyisp() { "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -cp "$CP" net.tinyisp.subscribers.cli.RadiusStoreCommand "$@"; }
serve() { exec "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -cp "$CP" net.tinyisp.subscribers.cli.RadiusStoreCommand "$@"; }
# FreeRADIUS compares Cleartext-Password; the store does the same with --keep-cleartext (HASHED=1: PBKDF2 hashes,
# each user's first PAP check then costs one PBKDF2 run, paid in the warm-up)
IMPORT_OPTS=$([ "${HASHED:-0}" = 1 ] && echo "" || echo "--keep-cleartext")

echo "# tinyisp radius on SQLite (import, then serve)"
tinyisp import "$RUN/users" $IMPORT_OPTS --data-dir "$RUN/sqlite" >/dev/null
serve --auth 127.0.0.1:$SQ_AUTH --acct 127.0.0.1:$((SQ_AUTH+1)) --client 127.0.0.1=$SECRET \
  --data-dir "$RUN/sqlite" > "$RUN/sqlite.log" 2>&1 &
SQ_PID=$!; PIDS+=("$SQ_PID")
SERVERS="freeradius:$FR_PID:$FR_AUTH tinyisp-sqlite:$SQ_PID:$SQ_AUTH"
if [ -n "${BENCH_PG_URL:-}" ]; then
  echo "# tinyisp radius on PostgreSQL"
  tinyisp import "$RUN/users" $IMPORT_OPTS --store "$BENCH_PG_URL" >/dev/null
  serve --auth 127.0.0.1:$PG_AUTH --acct 127.0.0.1:$((PG_AUTH+1)) --client 127.0.0.1=$SECRET \
    --store "$BENCH_PG_URL" > "$RUN/pg.log" 2>&1 &
  PG_PID=$!; PIDS+=("$PG_PID")
  SERVERS="$SERVERS tinyisp-postgresql:$PG_PID:$PG_AUTH"
fi
for _ in $(seq 150); do
  grep -q "ready" "$RUN/sqlite.log" 2>/dev/null && grep -q "Ready to process" "$FR/out.log" 2>/dev/null \
    && { [ -z "${BENCH_PG_URL:-}" ] || grep -q ready "$RUN/pg.log"; } && break
  sleep 0.2
done

TICK=$(getconf CLK_TCK)
cpu() { awk -v t="$TICK" '{printf "%.2f", ($14+$15)/t}' "/proc/$1/stat"; }
load() { # name pid kind port seconds
  local before after out
  before=$(cpu "$2")
  out=$("$JAVA" -cp "$CP" "$ROOT/bench/radius/LoadGen.java" "$3" "127.0.0.1:$4" $SECRET 1000 "$5" $WINDOW $SOCKETS)
  after=$(cpu "$2")
  echo "$1 $out cpu=$(echo "$after - $before" | bc)"
}

echo "# warm-up (not counted; pays each stored user's first PBKDF2 check)"
for s in $SERVERS; do
  IFS=: read -r name pid port <<< "$s"
  load "$name" "$pid" auth "$port" 5 >/dev/null
  load "$name" "$pid" acct $((port+1)) 3 >/dev/null
done

echo "# measuring: ${ROUNDS} rounds x ${DURATION}s, window ${WINDOW} x ${SOCKETS} sockets; load $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
: > "$RUN/results"
for r in $(seq "$ROUNDS"); do
  for k in auth acct; do
    for s in $SERVERS; do
      IFS=: read -r name pid port <<< "$s"
      load "$name" "$pid" $k $([ $k = auth ] && echo "$port" || echo $((port+1))) "$DURATION" | tee -a "$RUN/results"
    done
  done
done
python3 - "$RUN/results" <<'PY'
import re, sys, statistics
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\S+) (\S+) .*answered=(\d+) accepted=(\d+) lost=(\d+) seconds=([\d.]+) rate=(\d+) cpu=([\d.]+)', line)
    if not m: continue
    srv, kind, ans, acc, lost, secs, rate, cpu = m.groups()
    rows.setdefault((srv, kind), []).append((float(rate), int(ans) / max(float(cpu), 0.01)))
print("# median of rounds: requests/s (wall) and requests per server CPU-second; ratio to FreeRADIUS")
for kind in ("auth", "acct"):
    fr = rows[("freeradius", kind)]
    frr = statistics.median(r[0] for r in fr); frc = statistics.median(r[1] for r in fr)
    out = [f"{kind}: freeradius {frr:.0f}/s ({frc:.0f}/cpu-s)"]
    for (srv, k), v in sorted(rows.items()):
        if k != kind or srv == "freeradius": continue
        r = statistics.median(x[0] for x in v); c = statistics.median(x[1] for x in v)
        out.append(f"{srv} {r:.0f}/s ({c:.0f}/cpu-s) = {r/frr:.2f}x wall, {c/frc:.2f}x per cpu-s")
    print("  ".join(out))
PY
