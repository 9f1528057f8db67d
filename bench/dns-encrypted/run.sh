#!/usr/bin/env bash
# DoH and DoT throughput of tinyisp against dnsdist 1.7 (DoH+DoT frontends in front of unbound) and unbound's own
# DoH/DoT, all resolving through the same nsd, in one run. Prints qps, server CPU-seconds and ratios.
#   bench/dns-encrypted/run.sh            (from the repository root; JAVA_HOME=JDK 25; as root or any user)
# Knobs: DURATION (s per run, default 15), ROUNDS (default 2), NAMES (default 1000), BASE (first port, 27300).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-15}; ROUNDS=${ROUNDS:-2}; NAMES=${NAMES:-1000}; BASE=${BASE:-27300}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RUN=$(mktemp -d /tmp/bench-dns-encrypted.XXXXXX)
NSD=$BASE; UB=$((BASE+1)); UB_DOT=$((BASE+2)); UB_DOH=$((BASE+3))
DD=$((BASE+4)); DD_DOT=$((BASE+5)); DD_DOH=$((BASE+6))
TI=$((BASE+7)); TI_DOT=$((BASE+8)); TI_DOH=$((BASE+9))
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$RUN"; }
trap cleanup EXIT

for t in nsd unbound dnsdist h2load dnsperf openssl python3; do
  command -v $t >/dev/null || [ -x /usr/sbin/$t ] || { echo "missing $t (apt-get install nsd unbound dnsdist nghttp2-client dnsperf)"; exit 1; }
done

# --- inputs and certificate
python3 "$ROOT/bench/dns-encrypted/gen.py" "$RUN" "$NAMES" 0 >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$RUN/key.pem" -out "$RUN/cert.pem" \
  -days 2 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null

# --- nsd, the shared upstream
mkdir -p "$RUN/nsd"
cat > "$RUN/nsd.conf" <<EOF2
server:
    ip-address: 127.0.0.1@$NSD
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$RUN"
    database: ""
    zonelistfile: "$RUN/nsd/zone.list"
    xfrdfile: "$RUN/nsd/xfrd.state"
    xfrdir: "$RUN/nsd"
    pidfile: "$RUN/nsd.pid"
    logfile: "$RUN/nsd.log"
    server-count: 1
remote-control:
    control-enable: no
zone:
    name: "lab.test"
    zonefile: "lab.test.zone"
EOF2
/usr/sbin/nsd -d -c "$RUN/nsd.conf" & PIDS+=($!)

# --- unbound with DNS64 and its native DoT/DoH (the anchor config)
mkdir -p "$RUN/unbound"
cat > "$RUN/unbound.conf" <<EOF2
server:
    interface: 127.0.0.1@$UB
    interface: 127.0.0.1@$UB_DOT
    interface: 127.0.0.1@$UB_DOH
    tls-port: $UB_DOT
    https-port: $UB_DOH
    http-endpoint: "/dns-query"
    tls-service-key: "$RUN/key.pem"
    tls-service-pem: "$RUN/cert.pem"
    outgoing-interface: 127.0.0.1
    do-ip6: no
    username: ""
    chroot: ""
    directory: "$RUN/unbound"
    pidfile: "$RUN/unbound.pid"
    logfile: "$RUN/unbound.log"
    use-syslog: no
    num-threads: 2
    so-reuseport: yes
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    module-config: "dns64 iterator"
    dns64-prefix: 64:ff9b::/96
    local-zone: "test." nodefault
    domain-insecure: "lab.test."
    msg-cache-size: 64m
    rrset-cache-size: 64m
remote-control:
    control-enable: no
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$NSD
EOF2
/usr/sbin/unbound -d -c "$RUN/unbound.conf" & PIDS+=($!); UNBOUND_PID=$!

# --- dnsdist 1.7 DoH+DoT in front of unbound (the anchor config)
cat > "$RUN/dnsdist.conf" <<EOF2
setSecurityPollSuffix("")
setACL({"127.0.0.0/8"})
setLocal("127.0.0.1:$DD")
addTLSLocal("127.0.0.1:$DD_DOT", "$RUN/cert.pem", "$RUN/key.pem", { minTLSVersion="tls1.2" })
addDOHLocal("127.0.0.1:$DD_DOH", "$RUN/cert.pem", "$RUN/key.pem", { "/dns-query" }, { minTLSVersion="tls1.2" })
newServer({ address="127.0.0.1:$UB", name="unbound-dns64", source="127.0.0.1", sockets=2,
            checkName="lab.test.", checkType="SOA", checkInterval=5 })
EOF2
dnsdist --supervised --disable-syslog -C "$RUN/dnsdist.conf" > "$RUN/dnsdist.log" 2>&1 & PIDS+=($!); DNSDIST_PID=$!

# --- tinyisp: DNS64 resolver with DoT and DoH listeners, upstream nsd
( cd "$ROOT" && JAVA_HOME=$JAVA_HOME ./mvnw -q -B -pl dns -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$RUN/cp.txt" ) >/dev/null
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m \
  -cp "$ROOT/dns/target/classes:$ROOT/dns/target/test-classes:$ROOT/common/target/classes:$(cat "$RUN/cp.txt")" \
  net.tinyisp.dns.encrypted.EncryptedBenchServer 127.0.0.1:$NSD 127.0.0.1:$TI 127.0.0.1:$TI_DOT 127.0.0.1:$TI_DOH \
  "$RUN/cert.pem" "$RUN/key.pem" > "$RUN/tinyisp.log" 2>&1 & PIDS+=($!); TINYISP_PID=$!

for i in $(seq 100); do grep -q ready "$RUN/tinyisp.log" 2>/dev/null && grep -q "'up'" "$RUN/dnsdist.log" && break; sleep 0.2; done
grep -q ready "$RUN/tinyisp.log" || { cat "$RUN/tinyisp.log"; exit 1; }

cpu() { awk '{print $14+$15}' /proc/$1/stat; }
TICK=$(getconf CLK_TCK)
urls() { sed "s/:0\//:$1\//" "$RUN/urls.txt" > "$RUN/urls-$1.txt"; echo "$RUN/urls-$1.txt"; }

doh() { # name pid port -> "qps cpu_s"
  local f; f=$(urls $3)
  local c0; c0=$(cpu $2)
  local out; out=$(h2load -c 4 -m 25 -D "$DURATION" --warm-up-time=1 -i "$f" 2>&1)
  local c1; c1=$(cpu $2)
  local qps; qps=$(echo "$out" | awk '/^finished in/ {gsub(",","",$4); print $4}')
  local ok; ok=$(echo "$out" | awk '/^status codes:/ {print $3}')
  echo "$qps $(echo "($c1-$c0)/$TICK" | bc -l) $ok"
}
dot() {
  local c0; c0=$(cpu $2)
  local out; out=$(dnsperf -m dot -s 127.0.0.1 -p $3 -d "$RUN/queries.txt" -l "$DURATION" -c 4 -q 100 2>&1)
  local c1; c1=$(cpu $2)
  local qps; qps=$(echo "$out" | awk '/Queries per second/ {print $4}')
  local lost; lost=$(echo "$out" | awk '/Queries lost/ {print $3}')
  echo "$qps $(echo "($c1-$c0)/$TICK" | bc -l) $lost"
}

# warm every cache: each server's resolver asks nsd once per name
for p in $UB_DOT $DD_DOT $TI_DOT; do dnsperf -m dot -s 127.0.0.1 -p $p -d "$RUN/queries.txt" -n 1 -c 1 >/dev/null 2>&1 || true; done
for p in $TI_DOH; do h2load -c 1 -m 10 -n $NAMES -i "$(urls $p)" >/dev/null 2>&1 || true; done

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); DURATION=$DURATION s, h2load -c 4 -m 25, dnsperf -m dot -c 4 -q 100"
printf "%-6s %-5s %-10s %10s %10s %12s %s\n" round proto server qps cpu_s qps_per_cpu "ok/lost"
declare -A SUM
for r in $(seq $ROUNDS); do
  for s in tinyisp dnsdist unbound; do
    case $s in tinyisp) pid=$TINYISP_PID; dohp=$TI_DOH; dotp=$TI_DOT;; dnsdist) pid=$DNSDIST_PID; dohp=$DD_DOH; dotp=$DD_DOT;;
               unbound) pid=$UNBOUND_PID; dohp=$UB_DOH; dotp=$UB_DOT;; esac
    read -r q c ok <<<"$(doh $s $pid $dohp)"
    printf "%-6s %-5s %-10s %10.0f %10.2f %12.0f %s\n" $r DoH $s "$q" "$c" "$(echo "$q*$DURATION/($c+0.001)" | bc -l)" "$ok"
    SUM[doh_$s]=$(echo "${SUM[doh_$s]:-0}+$q" | bc -l)
    read -r q c lost <<<"$(dot $s $pid $dotp)"
    printf "%-6s %-5s %-10s %10.0f %10.2f %12.0f %s\n" $r DoT $s "$q" "$c" "$(echo "$q*$DURATION/($c+0.001)" | bc -l)" "$lost"
    SUM[dot_$s]=$(echo "${SUM[dot_$s]:-0}+$q" | bc -l)
  done
done
echo
for p in doh dot; do
  printf "%s mean qps: tinyisp %.0f  dnsdist %.0f  unbound %.0f   tinyisp/dnsdist %.2f  tinyisp/unbound %.2f\n" ${p^^} \
    "$(echo "${SUM[${p}_tinyisp]}/$ROUNDS" | bc -l)" "$(echo "${SUM[${p}_dnsdist]}/$ROUNDS" | bc -l)" \
    "$(echo "${SUM[${p}_unbound]}/$ROUNDS" | bc -l)" \
    "$(echo "${SUM[${p}_tinyisp]}/${SUM[${p}_dnsdist]}" | bc -l)" "$(echo "${SUM[${p}_tinyisp]}/${SUM[${p}_unbound]}" | bc -l)"
done
