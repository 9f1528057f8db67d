#!/usr/bin/env bash
# PAP auth/s and accounting/s of tinyisp's RADIUS server vs FreeRADIUS 3.2 (Debian), in one run: the same 1000
# users (users file, the blog's three reply items), the same load generator (LoadGen.java, not radclient), detail
# accounting for FreeRADIUS and the fsynced accounting file for tinyisp. Prints each measurement and the ratios.
#
#   bench/radius/run.sh            # env: DURATION=10 WINDOW=32 SOCKETS=4 ROUNDS=2 TI_THREADS=4
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
DURATION=${DURATION:-10}; WINDOW=${WINDOW:-32}; SOCKETS=${SOCKETS:-4}; ROUNDS=${ROUNDS:-2}
TI_THREADS=${TI_THREADS:-4}   # tinyisp receive threads per port (FreeRADIUS runs 5-32 worker threads)
SECRET=testing123
RUN=$(mktemp -d /tmp/radius-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT

echo "# building the radius module and its classpath"
(cd "$ROOT" && ./mvnw -q -B -pl radius -am compile dependency:build-classpath -Dmdep.outputFile="$RUN/cp.txt" >/dev/null)
CP="$ROOT/radius/target/classes:$(cat "$RUN/cp.txt")"

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
FR_AUTH=31812; TI_AUTH=32812
for p in $FR_AUTH $((FR_AUTH+1)) $TI_AUTH $((TI_AUTH+1)); do
  if ss -Hlun "sport = :$p" | grep -q .; then echo "port $p busy" >&2; exit 1; fi
done

echo "# 1000 users"
for i in $(seq -w 1 1000); do
  n=$(printf %04d $((10#$i)))
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

echo "# tinyisp radius"
"$JAVA" -XX:+UseParallelGC -cp "$CP" net.tinyisp.radius.cli.RadiusCommand --auth 127.0.0.1:$TI_AUTH \
  --acct 127.0.0.1:$((TI_AUTH+1)) --client 127.0.0.1=$SECRET --users "$RUN/users" --receive-threads "$TI_THREADS" \
  --accounting-file "$RUN/tinyisp-acct.jsonl" > "$RUN/tinyisp.log" 2>&1 &
TI_PID=$!; PIDS+=("$TI_PID")
for _ in $(seq 100); do grep -q "ready" "$RUN/tinyisp.log" 2>/dev/null && grep -q "Ready to process" "$FR/out.log" 2>/dev/null && break; sleep 0.2; done

TICK=$(getconf CLK_TCK)
cpu() { awk -v t="$TICK" '{printf "%.2f", ($14+$15)/t}' "/proc/$1/stat"; }
load() { # server pid kind port seconds
  local before after out
  before=$(cpu "$2")
  out=$("$JAVA" -cp "$CP" "$ROOT/bench/radius/LoadGen.java" "$3" "127.0.0.1:$4" $SECRET 1000 "$5" $WINDOW $SOCKETS)
  after=$(cpu "$2")
  echo "$1 $out cpu=$(echo "$after - $before" | bc)"
}

echo "# warm-up (not counted)"
for k in auth acct; do
  load freeradius "$FR_PID" $k $([ $k = auth ] && echo $FR_AUTH || echo $((FR_AUTH+1))) 3 >/dev/null
  load tinyisp "$TI_PID" $k $([ $k = auth ] && echo $TI_AUTH || echo $((TI_AUTH+1))) 3 >/dev/null
done

echo "# measuring: ${ROUNDS} rounds x ${DURATION}s, window ${WINDOW} x ${SOCKETS} sockets; load $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$RUN/results"
for r in $(seq "$ROUNDS"); do
  for k in auth acct; do
    load freeradius "$FR_PID" $k $([ $k = auth ] && echo $FR_AUTH || echo $((FR_AUTH+1))) "$DURATION" | tee -a "$RUN/results"
    load tinyisp "$TI_PID" $k $([ $k = auth ] && echo $TI_AUTH || echo $((TI_AUTH+1))) "$DURATION" | tee -a "$RUN/results"
  done
done
echo "# accounting lines stored: tinyisp $(wc -l < "$RUN/tinyisp-acct.jsonl") (fsynced), FreeRADIUS detail $(cat "$FR"/log/radacct/*/detail-* | grep -c '^[A-Z][a-z][a-z] ') (not fsynced)"
python3 - "$RUN/results" <<'PY'
import re, sys, statistics
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\S+) (\S+) .*answered=(\d+) accepted=(\d+) lost=(\d+) seconds=([\d.]+) rate=(\d+) cpu=([\d.]+)', line)
    if not m: continue
    srv, kind, ans, acc, lost, secs, rate, cpu = m.groups()
    rows.setdefault((srv, kind), []).append((float(rate), int(ans) / max(float(cpu), 0.01), int(acc), int(ans), int(lost)))
print("# median of rounds: requests/s (wall) and requests per server CPU-second")
for kind in ("auth", "acct"):
    fr = rows[("freeradius", kind)]; ti = rows[("tinyisp", kind)]
    frr = statistics.median(r[0] for r in fr); tir = statistics.median(r[0] for r in ti)
    frc = statistics.median(r[1] for r in fr); tic = statistics.median(r[1] for r in ti)
    print(f"{kind}: freeradius {frr:.0f}/s ({frc:.0f}/cpu-s)  tinyisp {tir:.0f}/s ({tic:.0f}/cpu-s)  "
          f"ratio {tir/frr:.2f}x wall, {tic/frc:.2f}x per cpu-s;  accepted/answered tinyisp "
          f"{sum(r[2] for r in ti)}/{sum(r[3] for r in ti)}, freeradius {sum(r[2] for r in fr)}/{sum(r[3] for r in fr)}")
PY
