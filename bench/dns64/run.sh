#!/usr/bin/env bash
# DNS64 resolver benchmark: tinyisp vs unbound ("dns64 iterator") vs bind9 (the blog's dns64 block).
#
# Every resolver forwards to the same nsd on 127.0.0.1 serving a generated zone; caches are warmed, then dnsperf
# replays the same query mix against each server in turn (order A..E then E..A, so drift hits everyone alike).
# For each run it prints qps, latency percentiles (computed from dnsperf -v per-query lines: dnsperf 2.10 has no
# percentile output), the server's CPU (utime+stime from /proc/PID/stat) and queries per CPU-second, and at the
# end tinyisp's ratios to each anchor. See README.md next to this file.
#
# usage: bench/dns64/run.sh [--duration S] [--clients N] [options]   (run with --help for all options)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)

DURATION=15          # seconds per measured run
CLIENTS=8            # dnsperf -c: UDP sockets (several, so SO_REUSEPORT spreads flows over server threads)
OUTSTANDING=100      # dnsperf -q: queries in flight (closed loop: this sets the saturation latency)
THREADS=1            # dnsperf -T: client threads (one dnsperf thread saturates at ~150-170k qps here)
RATE=20000           # dnsperf -Q for the fixed-rate latency runs (0 = skip them)
RATE_DURATION=10     # seconds per fixed-rate run
REPEATS=2
SERVERS="tinyisp,unbound-1t,unbound-2t,bind-1t,bind-2t"
PORT_BASE=${DNSBENCH_PORT_BASE:-25300}
NAMES=5000           # names per zone category (A-only, dual-stack) and distinct NXDOMAIN names
QUERIES=50000        # lines in the query file (dnsperf loops over it)
KEEP=0
PROFILE=0
SYSCALLS=0
WARMUP=10            # seconds of unmeasured saturating load per server after the cache fill
NCPU=$(nproc)
PIN=1                # client and servers on separate CPUs (taskset), so they do not compete for the cores
CLIENT_CPUS=0        # dnsperf and nsd
SERVER_CPUS=""        # the servers under test (default: every CPU but the client's)
KXDP_RATES=""        # --kxdpgun: open-loop rates for the capacity runs (empty = no capacity runs)
KXDP_DURATION=5
INSIDE=""            # set when this script runs itself inside the server namespace (--kxdpgun)

usage() {
  cat <<EOF
usage: $0 [--duration S] [--clients N] [--outstanding Q] [--threads T] [--rate QPS] [--rate-duration S]
          [--repeats R] [--servers LIST] [--port-base P] [--names N] [--queries N] [--warmup S]
          [--client-cpus LIST] [--server-cpus LIST] [--no-pin] [--kxdpgun RATES] [--syscalls] [--profile] [--keep]

  --duration S       seconds of each saturating (closed-loop) run             (default $DURATION)
  --clients N        dnsperf -c, UDP client sockets                           (default $CLIENTS)
  --outstanding Q    dnsperf -q, queries in flight                            (default $OUTSTANDING)
  --threads T        dnsperf -T, client threads; with 1 the client is the limit on a quiet 2-core machine
                     (it saturates one core), with 2 client and server compete for the cores and the
                     server's CPU per answer decides                          (default $THREADS)
  --rate QPS         fixed offered load for the latency runs, 0 to skip them  (default $RATE)
  --rate-duration S  seconds of each fixed-rate run                           (default $RATE_DURATION)
  --repeats R        rounds; servers alternate A..E, E..A, ...                (default $REPEATS)
  --servers LIST     comma list from: $SERVERS (and tinyisp-b, see TINYISP_B_CMD;
                     tinyisp-xdp, tinyisp with its AF_XDP front end on the veth pair, with --kxdpgun)
  --port-base P      nsd on P, servers on P+1..P+7 (env DNSBENCH_PORT_BASE)   (default $PORT_BASE)
  --names N          names per category in the generated zone                 (default $NAMES)
  --queries N        lines in the generated query file                        (default $QUERIES)
  --warmup S         unmeasured saturating load per server after the cache fill (default $WARMUP)
  --client-cpus LIST CPUs for dnsperf and nsd (taskset -c list)                (default $CLIENT_CPUS)
  --server-cpus LIST CPUs for the server under test (all its threads)        (default: the other CPUs)
  --no-pin           no taskset: client and servers share every CPU, and on a 2-core machine a server that
                     leaves CPU idle lets the client run faster (the figures before 2026-11-26 09:00)
  --kxdpgun RATES    capacity runs too: kxdpgun (AF_XDP, open loop) sends at each rate (comma list of qps, e.g.
                     150000,250000,400000) for $KXDP_DURATION s from a namespace of its own over a veth pair to the
                     servers (in a second namespace); the row 'cap' is the most answers per second a server gave.
                     dnsperf needs a core for ~200k qps, kxdpgun a fraction of one, so this measures the server,
                     not the client. dnsperf then sends over the veth pair too (every server alike).
                     Needs root (namespaces, XDP) and kxdpgun (knot-dnsutils)
  --syscalls         count each server's socket/epoll/futex syscalls per query during the saturating runs
                     (perf stat on syscalls:sys_enter_* tracepoints; needs perf and tracefs)
  --profile          after the measured runs, one extra tinyisp run under JFR; prints hot methods and
                     allocation, keeps the run directory with the recording
  --keep             keep the temporary run directory (configs, logs, raw dnsperf output)

environment:
  TINYISP_CMD   command that starts tinyisp in the foreground; \$PORT and \$NSDPORT are expanded when it runs.
  TINYISP_B_CMD a second tinyisp build to compare in the same run (server name tinyisp-b, added to the list
                when set), e.g. bench/dns64/launch-dns-module.sh from another checkout
                default: "\$JAVA" --enable-native-access=ALL-UNNAMED -jar $REPO/app/target/tinyisp.jar dns64
                         --listen 127.0.0.1:\$PORT --upstream 127.0.0.1:\$NSDPORT --prefix 64:ff9b::/96
                         --mapped '!10/8; any;' --break-dnssec --admin off
                (--admin off: the admin listener's fixed port 9053 may be taken on a shared machine)
  JAVA_HOME     JDK 25 for the default command (default /usr/lib/jvm/temurin-25-jdk-amd64 if present)
EOF
}

ORIG_ARGS=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --outstanding) OUTSTANDING=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --rate-duration) RATE_DURATION=$2; shift 2 ;;
    --repeats) REPEATS=$2; shift 2 ;;
    --servers) SERVERS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --names) NAMES=$2; shift 2 ;;
    --queries) QUERIES=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --client-cpus) CLIENT_CPUS=$2; shift 2 ;;
    --server-cpus) SERVER_CPUS=$2; shift 2 ;;
    --no-pin) PIN=0; shift ;;
    --kxdpgun) KXDP_RATES=$2; shift 2 ;;
    --inside-netns) INSIDE=$2; shift 2 ;;
    --syscalls) SYSCALLS=1; shift ;;
    --profile) PROFILE=1; KEEP=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for v in DURATION CLIENTS OUTSTANDING RATE RATE_DURATION REPEATS PORT_BASE NAMES QUERIES WARMUP; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "--${v,,} must be a non-negative integer, got '${!v}'" >&2; exit 2; }
done
(( NAMES >= 20 && NAMES <= 60000 )) || { echo "--names must be 20..60000" >&2; exit 2; }

# --kxdpgun: kxdpgun must send from another network namespace (an AF_XDP socket on one end of a veth pair, the
# servers behind the other end), so the whole run goes into a namespace of its own and the client end into a second
# one. This outer invocation creates them, runs the script again inside the server namespace, and removes them.
if [[ -n $KXDP_RATES && -z $INSIDE ]]; then
  [[ $KXDP_RATES =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "--kxdpgun wants a comma list of rates, got '$KXDP_RATES'" >&2; exit 2; }
  (( EUID == 0 )) || { echo "--kxdpgun needs root (network namespaces, XDP)" >&2; exit 2; }
  command -v kxdpgun >/dev/null || { echo "kxdpgun not found (Debian: knot-dnsutils)" >&2; exit 2; }
  NS_S="dnsbench-s$$"; NS_C="dnsbench-c$$"
  outer_cleanup() { ip netns del "$NS_S" 2>/dev/null; ip netns del "$NS_C" 2>/dev/null; true; }
  trap outer_cleanup EXIT
  ip netns add "$NS_S" && ip netns add "$NS_C"
  ip link add xgs$$ netns "$NS_S" type veth peer name xgc$$ netns "$NS_C"
  # 198.18.0.0/15: the benchmarking range (RFC 2544), only inside these two namespaces
  ip -n "$NS_S" addr add 198.18.0.2/24 dev xgs$$; ip -n "$NS_C" addr add 198.18.0.1/24 dev xgc$$
  for ns in "$NS_S" "$NS_C"; do ip -n "$ns" link set lo up; done
  ip -n "$NS_S" link set xgs$$ up; ip -n "$NS_C" link set xgc$$ up
  # in the background, so a TERM here reaches the inner run (which stops its servers) before the namespaces go
  ip netns exec "$NS_S" "$0" "${ORIG_ARGS[@]}" --inside-netns "$NS_C:xgc$$:xgs$$" &
  INNER=$!
  trap 'kill -TERM "$INNER" 2>/dev/null; wait "$INNER"; exit 130' INT TERM
  wait "$INNER"
  exit $?
fi
# With --kxdpgun dnsperf sends from the client namespace over the veth pair too, as kxdpgun does: every server is
# then measured on the path a NIC-facing resolver has, the only one the AF_XDP front end (tinyisp-xdp) sees.
if [[ -n $INSIDE ]]; then
  IFS=: read -r NS_C XGC XGS <<<"$INSIDE"
  SERVER_MAC=$(cat "/sys/class/net/$XGS/address")
  EXTRA_ADDR=198.18.0.2
  DNSPERF_AT=198.18.0.2
  VIA=(ip netns exec "$NS_C")
else
  EXTRA_ADDR=""
  DNSPERF_AT=127.0.0.1
  VIA=()
fi

# Placement: with PIN, dnsperf (and nsd, idle once the caches are warm) run on CLIENT_CPUS and each server on
# SERVER_CPUS, through taskset, which every thread they start inherits.
if (( PIN )) && (( NCPU < 2 )); then
  echo "one CPU: client and server cannot be kept apart, running without --pin" >&2; PIN=0
fi
if (( PIN )); then
  command -v taskset >/dev/null || { echo "taskset not found (Debian: util-linux)" >&2; exit 2; }
  [[ -n $SERVER_CPUS ]] || SERVER_CPUS="1-$(( NCPU - 1 ))"
  ON_CLIENT=(taskset -c "$CLIENT_CPUS")
  ON_SERVER=(taskset -c "$SERVER_CPUS")
  "${ON_CLIENT[@]}" true && "${ON_SERVER[@]}" true || { echo "bad --client-cpus/--server-cpus" >&2; exit 2; }
else
  ON_CLIENT=()
  ON_SERVER=()
fi

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

(( SYSCALLS )) && { command -v perf >/dev/null || { echo "--syscalls needs perf (Debian: linux-perf)" >&2; exit 2; }; }
for tool in dnsperf nsd unbound named kdig ss awk sort setsid; do
  command -v "$tool" >/dev/null || die "$tool not found (Debian: dnsperf nsd unbound bind9 knot-dnsutils iproute2)"
done

if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
DEFAULT_TINYISP_CMD='"$REPO/bin/tinyisp" dns64 --listen 127.0.0.1:$PORT --upstream 127.0.0.1:$NSDPORT --prefix 64:ff9b::/96 --mapped "!10/8; any;" --break-dnssec --admin off $EXTRA'
TINYISP_CMD=${TINYISP_CMD:-$DEFAULT_TINYISP_CMD}

NSDPORT=$PORT_BASE
declare -A PORT=([tinyisp]=$((PORT_BASE + 1)) [unbound-1t]=$((PORT_BASE + 2)) [unbound-2t]=$((PORT_BASE + 3))
                 [bind-1t]=$((PORT_BASE + 4)) [bind-2t]=$((PORT_BASE + 5)) [tinyisp-b]=$((PORT_BASE + 6))
                 [tinyisp-xdp]=$((PORT_BASE + 7)))
TINYISP_B_CMD=${TINYISP_B_CMD:-}
if [[ -n $TINYISP_B_CMD && ,$SERVERS, != *,tinyisp-b,* ]]; then SERVERS="tinyisp-b,$SERVERS"; fi
IFS=, read -r -a SERVER_LIST <<<"$SERVERS"
for s in "${SERVER_LIST[@]}"; do [[ -n ${PORT[$s]:-} ]] || die "unknown server '$s' (known: ${!PORT[*]})"; done
[[ " ${SERVER_LIST[*]} " != *" tinyisp-b "* || -n $TINYISP_B_CMD ]] || die "tinyisp-b needs TINYISP_B_CMD"
[[ " ${SERVER_LIST[*]} " != *" tinyisp-xdp "* || -n $KXDP_RATES ]] \
  || die "tinyisp-xdp (the AF_XDP front end) needs --kxdpgun: it serves the veth pair that mode sets up"

if [[ " ${SERVER_LIST[*]} " == *" tinyisp "* && $TINYISP_CMD == "$DEFAULT_TINYISP_CMD" \
      && ! -f $REPO/app/target/tinyisp.jar ]]; then
  log "tinyisp skipped: $REPO/app/target/tinyisp.jar does not exist (build app, or set TINYISP_CMD)"
  kept=(); for s in "${SERVER_LIST[@]}"; do [[ $s == tinyisp ]] || kept+=("$s"); done
  SERVER_LIST=("${kept[@]}")
fi
(( ${#SERVER_LIST[@]} > 0 )) || die "no servers to measure"

for p in $NSDPORT "${PORT[@]}"; do
  if ss -Hlnu "sport = :$p" | grep -q . || ss -Hlnt "sport = :$p" | grep -q .; then
    die "port $p is in use on this host; pick another --port-base"
  fi
done

RUN=$(mktemp -d /tmp/dnsbench.XXXXXX)
CHILD=                  # the dnsperf the main shell is waiting for, if any
declare -A PID=()       # server name -> pid of the process we started (its own process group, via setsid)

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n ${CHILD:-} ]] && kill -TERM "$CHILD" 2>/dev/null
  for name in "${!PID[@]}"; do
    kill -TERM -- "-${PID[$name]}" 2>/dev/null || true
  done
  for name in "${!PID[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "${PID[$name]}" 2>/dev/null || break; sleep 0.3; done
    kill -KILL -- "-${PID[$name]}" 2>/dev/null || true
  done
  if (( KEEP )); then log "run directory kept: $RUN"; else rm -rf "$RUN"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------- zone and queries
# lab.test: a<i> A-only (198.51.100.0/24, 203.0.113.0/24), d<i> dual-stack, t<i> A in 10/8 (the `mapped { !10/8; }`
# exclusion, checked but not in the load mix); nx<i> do not exist. Long TTLs and SOA minimum so nothing expires.
gen_zone() {
  mkdir -p "$RUN/zones"
  awk -v n="$NAMES" 'BEGIN {
    print "$TTL 86400"
    print "@ IN SOA ns.lab.test. hostmaster.lab.test. 1 86400 3600 604800 86400"
    print "@ IN NS ns"
    print "ns IN A 198.51.100.1"
    for (i = 0; i < n; i++) {
      net = (i % 2) ? "203.0.113." : "198.51.100."
      printf "a%d IN A %s%d\n", i, net, i % 250 + 2
      printf "d%d IN A %s%d\n", i, net, i % 250 + 2
      printf "d%d IN AAAA 2001:db8:d::%x\n", i, i
    }
    for (i = 0; i < 20; i++) printf "t%d IN A 10.0.%d.%d\n", i, i, i + 1
  }' >"$RUN/zones/lab.test.zone"
}

# The mix (fixed seed, so every server and every rerun sees the same file):
#   40% AAAA of an A-only name -> synthesized; 20% AAAA of a dual-stack name -> native;
#   25% A (half A-only, half dual-stack names); 15% NXDOMAIN (AAAA or A of a missing name).
gen_queries() {
  awk -v n="$NAMES" -v q="$QUERIES" 'BEGIN {
    srand(64)
    for (j = 0; j < q; j++) {
      r = rand(); i = int(rand() * n)
      if (r < 0.40)      printf "a%d.lab.test AAAA\n", i
      else if (r < 0.60) printf "d%d.lab.test AAAA\n", i
      else if (r < 0.85) printf "%s%d.lab.test A\n", (rand() < 0.5 ? "a" : "d"), i
      else               printf "nx%d.lab.test %s\n", i, (rand() < 0.5 ? "AAAA" : "A")
    }
  }' >"$RUN/queries.txt"
}

# ------------------------------------------------------------------------------------------------------ configs
# As in /work/shared/reference/anchor-configs.md, minus the DoT/DoH listeners, plus: nsd rate limiting off (RRL
# would drop the warm-up burst), unbound caches large enough for the zone, thread counts per variant.
write_nsd_conf() {
  mkdir -p "$RUN/nsd"
  cat >"$RUN/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$NSDPORT
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$RUN/zones"
    database: ""
    zonelistfile: "$RUN/nsd/zone.list"
    xfrdfile: "$RUN/nsd/xfrd.state"
    xfrdir: "$RUN/nsd"
    pidfile: "$RUN/nsd.pid"
    logfile: "$RUN/nsd.log"
    server-count: 1
    verbosity: 1
    refuse-any: no
    hide-version: yes
    rrl-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "lab.test"
    zonefile: "lab.test.zone"
EOF
}

write_unbound_conf() { # name port threads
  local dir="$RUN/$1"
  mkdir -p "$dir"
  cat >"$dir/unbound.conf" <<EOF
server:
    interface: 127.0.0.1@$2
$( [[ -n $EXTRA_ADDR ]] && printf '    interface: %s@%s\n    access-control: 198.18.0.0/24 allow\n' "$EXTRA_ADDR" "$2" )
    outgoing-interface: 127.0.0.1
    do-ip6: no
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: "$dir/unbound.pid"
    logfile: "$dir/unbound.log"
    use-syslog: no
    verbosity: 1
    num-threads: $3
    so-reuseport: yes
    msg-cache-size: 64m
    rrset-cache-size: 128m
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    module-config: "dns64 iterator"
    dns64-prefix: 64:ff9b::/96
    local-zone: "test." nodefault
    domain-insecure: "lab.test."
remote-control:
    control-enable: no
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$NSDPORT
    forward-first: no
EOF
}

write_bind_conf() { # name port
  local dir="$RUN/$1"
  mkdir -p "$dir"
  cat >"$dir/named.conf" <<EOF
options {
    directory "$dir";
    pid-file "$dir/named.pid";
    session-keyfile "$dir/session.key";
    managed-keys-directory "$dir";
    listen-on port $2 { 127.0.0.1; ${EXTRA_ADDR:+$EXTRA_ADDR;} };
    listen-on-v6 { none; };
    recursion yes;
    allow-query { 127.0.0.0/8; ${EXTRA_ADDR:+198.18.0.0/24;} };
    allow-recursion { 127.0.0.0/8; ${EXTRA_ADDR:+198.18.0.0/24;} };
    forwarders { 127.0.0.1 port $NSDPORT; };
    forward only;
    query-source address 127.0.0.1;
    dnssec-validation no;
    empty-zones-enable no;
    notify no;
    // the exact block from the seed blog post
    dns64 64:ff9b::/96 {
        clients { any; };
        mapped { !10/8; any; };
        break-dnssec yes;
    };
};
controls { };
logging {
    channel lab { file "$dir/named.log"; severity info; print-time yes; print-category yes; };
    category default { lab; };
    category lame-servers { null; };
};
EOF
}

# ----------------------------------------------------------------------------------------------- process control
start_bg() { # name logfile cmd... : own session/process group, so cleanup can kill it with its children
  local name=$1 logf=$2; shift 2
  setsid "$@" >"$logf" 2>&1 </dev/null &
  PID[$name]=$!
}

start_server_bg() { # name logfile cmd... : start_bg on the server CPUs
  local name=$1 logf=$2; shift 2
  start_bg "$name" "$logf" "${ON_SERVER[@]}" "$@"
}

start_server() { # name
  local name=$1 port=${PORT[$1]}
  case "$name" in
    unbound-1t) write_unbound_conf "$name" "$port" 1; start_server_bg "$name" "$RUN/$name/stdout" unbound -d -c "$RUN/$name/unbound.conf" ;;
    unbound-2t) write_unbound_conf "$name" "$port" 2; start_server_bg "$name" "$RUN/$name/stdout" unbound -d -c "$RUN/$name/unbound.conf" ;;
    bind-1t) write_bind_conf "$name" "$port"; start_server_bg "$name" "$RUN/$name/stdout" named -f -n 1 -c "$RUN/$name/named.conf" ;;
    bind-2t) write_bind_conf "$name" "$port"; start_server_bg "$name" "$RUN/$name/stdout" named -f -n 2 -c "$RUN/$name/named.conf" ;;
    tinyisp|tinyisp-b|tinyisp-xdp)
      local cmd=$TINYISP_CMD
      [[ $name == tinyisp-b ]] && cmd=$TINYISP_B_CMD
      mkdir -p "$RUN/$name"
      # exec: the pid we measure is the JVM itself, not a shell
      # EXTRA: with --kxdpgun, also listen where kxdpgun's queries arrive, and answer them
      local extra=""
      [[ -n $EXTRA_ADDR ]] && extra="--listen $EXTRA_ADDR:$port --allow-query 127.0.0.0/8;198.18.0.0/24;"
      # tinyisp-xdp: the same, with the AF_XDP front end on the server end of the veth pair
      [[ $name == tinyisp-xdp ]] && extra="$extra --xdp-interface $XGS"
      start_server_bg "$name" "$RUN/$name/stdout" env PORT="$port" NSDPORT="$NSDPORT" JAVA="$JAVA" REPO="$REPO" EXTRA="$extra" \
        bash -c "cd '$RUN/$name' && exec $cmd" ;;
  esac
}

wait_ready() { # name port
  local name=$1 port=$2 i
  for i in $(seq 1 120); do
    if [[ -n ${PID[$name]:-} ]] && ! kill -0 "${PID[$name]}" 2>/dev/null; then
      tail -n 20 "$RUN/$name/stdout" "$RUN/$name/"*.log 2>/dev/null >&2 || true
      die "$name exited during start (logs above)"
    fi
    if kdig @127.0.0.1 -p "$port" +time=1 +retry=0 lab.test SOA 2>/dev/null | grep -q 'status: NOERROR'; then
      return 0
    fi
    sleep 0.5
  done
  die "$name did not answer on 127.0.0.1:$port within 60 s"
}

alive() { # name: stop with the server's last log lines if it is gone (a benchmark of a dead server is nonsense)
  kill -0 "${PID[$1]}" 2>/dev/null && return 0
  tail -n 15 "$RUN/$1/stdout" "$RUN/$1/"*.log 2>/dev/null >&2 || true
  die "$1 (pid ${PID[$1]}) is gone (its last log lines are above)"
}

cpu_ticks() { # pid -> utime+stime of the whole process (all threads), in clock ticks
  local stat rest
  stat=$(<"/proc/$1/stat")
  rest=${stat##*) }          # the command name may contain spaces; fields after it are fixed
  read -r -a f <<<"$rest"
  echo $(( f[11] + f[12] ))  # fields 14 and 15 of proc(5), counted from field 3 (state) here
}

sys_busy_ticks() { # all CPUs: busy ticks (everything but idle and iowait)
  local cpu user nice system idle iowait irq softirq steal _
  read -r cpu user nice system idle iowait irq softirq steal _ </proc/stat
  echo $(( user + nice + system + irq + softirq + steal ))
}

HZ=$(getconf CLK_TCK)
SYSCALL_EVENTS=$(printf 'syscalls:sys_enter_%s,' recvfrom recvmsg recvmmsg sendto sendmsg sendmmsg epoll_wait \
  epoll_pwait epoll_pwait2 futex io_uring_enter)
SYSCALL_EVENTS=${SYSCALL_EVENTS%,}

# ------------------------------------------------------------------------------------------------- correctness
# Same answers from every server, or the figures mean nothing: synthesized AAAA from the A record, native AAAA
# left alone, A passed through, NXDOMAIN passed through. The 10/8 name is informational (unbound has no
# `mapped` exclusion; bind and tinyisp should answer NODATA).
check_answers() { # name port -> prints one line, returns 1 on a wrong answer
  local name=$1 port=$2 ok=1 got msgs=()
  q() { "${VIA[@]}" kdig @"$DNSPERF_AT" -p "$port" +time=2 +retry=1 "$@" 2>/dev/null; }
  got=$(q +short a6.lab.test AAAA | sort | tr '\n' ' ')
  [[ $got == "64:ff9b::c633:6408 " ]] || { ok=0; msgs+=("a6 AAAA='$got'"); }
  got=$(q +short a7.lab.test AAAA | sort | tr '\n' ' ')
  [[ $got == "64:ff9b::cb00:7109 " ]] || { ok=0; msgs+=("a7 AAAA='$got'"); }
  got=$(q +short d7.lab.test AAAA | sort | tr '\n' ' ')
  [[ $got == "2001:db8:d::7 " ]] || { ok=0; msgs+=("d7 AAAA='$got' (want native only)"); }
  got=$(q +short a7.lab.test A | sort | tr '\n' ' ')
  [[ $got == "203.0.113.9 " ]] || { ok=0; msgs+=("a7 A='$got'"); }
  got=$(q nx7.lab.test AAAA | grep -o 'status: [A-Z]*' || true)
  [[ $got == "status: NXDOMAIN" ]] || { ok=0; msgs+=("nx7 AAAA $got"); }
  got=$(q +short t3.lab.test AAAA | tr '\n' ' ')
  local ten="10/8 AAAA: ${got:-NODATA}"
  if (( ok )); then echo "answers OK ($ten)"; return 0; fi
  echo "WRONG ANSWERS: ${msgs[*]} ($ten)"; return 1
}

# ------------------------------------------------------------------------------------------------ measurement
# One dnsperf run; writes "qps p50_ms p99_ms p999_ms lost nxdomain_pct other_rcodes srv_cpu_s q_per_cpu_s
# client_cpu_s others_cores" to stdout.
# Latency percentiles come from dnsperf -v: one "> RCODE name type seconds" line per answered query (stdout
# redirected to a file, so fully buffered; measured here: no qps difference with and without -v). Lost queries
# ("> T ...") count as slower than every answer, so they push p99 up instead of vanishing.
measure() { # name port duration rate tag [verbose: 1 = -v and latency percentiles (default), 0 = qps and CPU only]
  local name=$1 port=$2 dur=$3 rate=$4 tag=$5 verbose=${6:-1} pid=${PID[$1]} out="$RUN/dnsperf.$1.$5.txt"
  local c0 c1 b0 b1 cl rateopt=() vopt=()
  (( rate > 0 )) && rateopt=(-Q "$rate")
  (( verbose )) && vopt=(-v)
  local perfpid=
  if (( SYSCALLS )) && (( rate == 0 && ! verbose )); then
    perf stat -x, -e "$SYSCALL_EVENTS" -p "$pid" -o "$out.perf" &
    perfpid=$!
  fi
  c0=$(cpu_ticks "$pid"); b0=$(sys_busy_ticks)
  # the subshell reads its own cutime+cstime after waiting for dnsperf: the client's CPU, without GNU time
  cl=$( ("${VIA[@]}" "${ON_CLIENT[@]}" dnsperf -s "$DNSPERF_AT" -p "$port" -d "$RUN/queries.txt" -l "$dur" -c "$CLIENTS" -q "$OUTSTANDING" -T "$THREADS" \
          "${rateopt[@]}" "${vopt[@]}" >"$out" 2>&1 || true
        read -r st <"/proc/$BASHPID/stat"; st=${st##*) }; read -r -a f <<<"$st"; echo $(( f[13] + f[14] ))) )
  c1=$(cpu_ticks "$pid"); b1=$(sys_busy_ticks)
  if [[ -n $perfpid ]]; then
    kill -INT "$perfpid" 2>/dev/null || true
    wait "$perfpid" 2>/dev/null || true
    local answered
    answered=$(awk '/Queries completed:/ { print $3 }' "$out")
    # perf -x, lines: count,unit,event,...; per answered query, short names (recvmsg, sendto, ...)
    awk -F, -v q="$answered" -v who="$name $tag" '
      $3 ~ /^syscalls:sys_enter_/ && $1 ~ /^[0-9]+$/ && $1 > 0 {
        ev = $3; sub(/^syscalls:sys_enter_/, "", ev); line = line sprintf(" %s %.3f", ev, $1 / q) }
      END { printf "%-24s%s\n", who, line }' "$out.perf" >>"$RUN/syscalls.txt"
  fi
  grep -q 'Queries per second' "$out" || { tail -n 20 "$out" >&2; die "dnsperf failed against $name"; }
  awk -v srv=$((c1 - c0)) -v busy=$((b1 - b0)) -v cl="$cl" -v hz="$HZ" -v verbose="$verbose" '
    verbose && /^> / { if ($2 == "T") lost++; else if ($2 != "I") { n++; if ($2 == "NXDOMAIN") nx++; else if ($2 != "NOERROR") other++ } }
    !verbose && /Queries completed:/ { n = $3 }
    !verbose && /Queries lost:/ { lost = $3 }
    !verbose && /Response codes:/ { for (i = 3; i < NF; i += 3) { c = $(i + 1); if ($i == "NXDOMAIN") nx = c; else if ($i != "NOERROR") other += c } }
    /Queries per second:/ { qps = $4 }
    /Run time \(s\):/ { rt = $4 }
    END {
      # percentile over answered + lost (lost rank last); needs the latencies sorted: done by the caller via sort
      printf "%s %d %d %d %d %s %s %s\n", qps, n, lost + 0, nx + 0, other + 0, srv / hz, cl / hz, busy / hz / rt
    }' "$out" >"$out.summary"
  awk '/^> / && $2 != "T" && $2 != "I" { print $NF }' "$out" | sort -g >"$out.lat"
  read -r qps n lost nx other srv_s cl_s busy_cores <"$out.summary"
  local total=$((n + lost))
  pct() { # fraction -> milliseconds, or "lost" if that rank falls among the lost queries
    local k
    k=$(awk -v t="$total" -v p="$1" 'BEGIN { k = int(t * p); if (k < t * p) k++; if (k < 1) k = 1; print k }')
    if (( k > n )); then echo lost; else sed -n "${k}p" "$out.lat" | awk '{ printf "%.3f", $1 * 1000 }'; fi
  }
  local p50 p99 p999 qpc others
  if (( verbose )); then p50=$(pct 0.50); p99=$(pct 0.99); p999=$(pct 0.999); else p50=-; p99=-; p999=-; fi
  qpc=$(awk -v q="$qps" -v rt="$(awk '/Run time/ { print $4 }' "$out")" -v s="$srv_s" \
        'BEGIN { if (s > 0) printf "%.0f", q * rt / s; else print "n/a" }')
  others=$(awk -v b="$busy_cores" -v s="$srv_s" -v c="$cl_s" -v rt="$(awk '/Run time/ { print $4 }' "$out")" \
        'BEGIN { o = b - (s + c) / rt; if (o < 0) o = 0; printf "%.2f", o }')
  printf '%.0f %s %s %s %d %.1f %d %.2f %s %.2f %s\n' "$qps" "$p50" "$p99" "$p999" "$lost" \
    "$(awk -v a="$nx" -v t="$n" 'BEGIN { print (t ? 100 * a / t : 0) }')" "$other" "$srv_s" "$qpc" "$cl_s" "$others"
  (( KEEP )) || rm -f "$out.lat"
  (( KEEP )) || : >"$out"   # raw per-query output is large; keep only with --keep
}

# Capacity: kxdpgun sends at each --kxdpgun rate, open loop, from the client namespace; the most answers per
# second at any rate is the server's capacity. Writes the same fields as measure() ("-" where there is no figure):
# qps = that capacity, lost = queries without an answer in that run, srv_cpu_s and q/cpu_s from that run.
capacity() { # name port tag
  local name=$1 port=$2 tag=$3 pid=${PID[$1]} out best=0 best_sent=0 best_cpu=0 rate a c0 c1 line
  for rate in ${KXDP_RATES//,/ }; do
    out="$RUN/kxdpgun.$name.$tag.$rate.txt"
    for a in 1 2 3 4 5 6; do # the previous run's XDP socket may still be closing: "resource busy"
      c0=$(cpu_ticks "$pid")
      ip netns exec "$NS_C" kxdpgun -t "$KXDP_DURATION" -Q "$rate" -F "${CLIENT_CPUS%%[-,]*}" -I "$XGC" \
        -l 198.18.0.1 -R "$SERVER_MAC" -p "$port" -i "$RUN/queries.txt" 198.18.0.2 >"$out" 2>&1 || true
      c1=$(cpu_ticks "$pid")
      grep -q 'resource busy' "$out" || break
      sleep 2
    done
    line=$(awk '/^total queries:/ { s = $3 } /^total replies:/ { r = $3; gsub(/[()]/, "", $4); pps = $4 }
                END { if (r == "") exit 1; print s, r, pps }' "$out") || { tail -n 5 "$out" >&2; die "kxdpgun failed against $name"; }
    read -r sent answered pps <<<"$line"
    log "  $name at $rate qps offered: $pps answered per second ($answered of $sent)"
    if (( pps > best )); then best=$pps; best_sent=$((sent - answered)); best_cpu=$((c1 - c0)); fi
    sleep 1
  done
  awk -v q="$best" -v lost="$best_sent" -v t="$best_cpu" -v hz="$HZ" -v d="$KXDP_DURATION" \
    'BEGIN { s = t / hz; printf "%d - - - %d - - %.2f %s - - -\n", q, lost, s, (s > 0 ? sprintf("%.0f", q * d / s) : "n/a") }'
}

# ------------------------------------------------------------------------------------------------------ main
log "run directory $RUN; ports: nsd $NSDPORT, $(for s in "${SERVER_LIST[@]}"; do printf '%s %s ' "$s" "${PORT[$s]}"; done)"
gen_zone; gen_queries; write_nsd_conf
PID[nsd]=
start_bg nsd "$RUN/nsd.stdout" "${ON_CLIENT[@]}" nsd -d -c "$RUN/nsd.conf"
wait_ready nsd "$NSDPORT"
for s in "${SERVER_LIST[@]}"; do start_server "$s"; done
for s in "${SERVER_LIST[@]}"; do wait_ready "$s" "${PORT[$s]}"; done

declare -A CHECK=()
for s in "${SERVER_LIST[@]}"; do
  CHECK[$s]=$(check_answers "$s" "${PORT[$s]}" || true)
  log "$s: ${CHECK[$s]}"
done

# Warm: one pass over the whole query file fills every cache (every name in the file is then cached, TTLs are a
# day), then --warmup seconds of saturating load warm the JIT (C2 needs several seconds when the machine is busy)
# and let every server reach steady state. Not measured.
# dnsperf runs in the background and the script waits for it, so a TERM to the script is handled at once (bash
# defers traps until a foreground child exits). The fill pass is bounded too: against a dead server a pass at
# -q 20 with 5 s timeouts would take hours.
for s in "${SERVER_LIST[@]}"; do
  alive "$s"
  log "warming $s"
  "${VIA[@]}" "${ON_CLIENT[@]}" dnsperf -s "$DNSPERF_AT" -p "${PORT[$s]}" -d "$RUN/queries.txt" -n 1 -l 120 -t 2 -c "$CLIENTS" -q 20 \
    >"$RUN/warm1.$s.txt" 2>&1 &
  CHILD=$!; wait "$CHILD" || true; CHILD=
  grep -E 'Queries lost' "$RUN/warm1.$s.txt" | sed "s/^ */  $s cache fill: /" >&2 || true
  if (( WARMUP > 0 )); then
    "${VIA[@]}" "${ON_CLIENT[@]}" dnsperf -s "$DNSPERF_AT" -p "${PORT[$s]}" -d "$RUN/queries.txt" -l "$WARMUP" -c "$CLIENTS" -q "$OUTSTANDING" \
      >"$RUN/warm2.$s.txt" 2>&1 &
    CHILD=$!; wait "$CHILD" || true; CHILD=
  fi
done

HEADER='server round mode qps p50_ms p99_ms p99.9_ms lost nx% other_rcodes srv_cpu_s q/cpu_s client_cpu_s others_cores qps_v'
RESULTS="$RUN/results.tsv"
: >"$RESULTS"
order=("${SERVER_LIST[@]}")
for (( r = 1; r <= REPEATS; r++ )); do
  for s in "${order[@]}"; do
    alive "$s"
    log "round $r: $s saturating ${DURATION}s"
    # qps and CPU from a run without -v: writing a line per answer costs dnsperf 10-15 % of its core, and on a
    # 2-core machine dnsperf is the limit, so with -v it would measure the client's logging. The percentiles come
    # from a second run of the same length with -v; its qps is the last column (qps_v).
    line=$(measure "$s" "${PORT[$s]}" "$DURATION" 0 "r$r.sat" 0); [[ -n $line ]] || die "measuring $s failed"
    alive "$s"
    log "round $r: $s saturating ${DURATION}s with -v (latency percentiles)"
    lat=$(measure "$s" "${PORT[$s]}" "$DURATION" 0 "r$r.satlat"); [[ -n $lat ]] || die "measuring $s failed"
    read -r -a L <<<"$lat"; read -r -a Q <<<"$line"
    Q[1]=${L[1]}; Q[2]=${L[2]}; Q[3]=${L[3]}
    echo "$s $r sat ${Q[*]} ${L[0]}" >>"$RESULTS"
    if (( RATE > 0 )); then
      alive "$s"
      log "round $r: $s at $RATE qps ${RATE_DURATION}s"
      line=$(measure "$s" "${PORT[$s]}" "$RATE_DURATION" "$RATE" "r$r.rate"); [[ -n $line ]] || die "measuring $s failed"
      echo "$s $r $RATE $line -" >>"$RESULTS"
    fi
    if [[ -n $KXDP_RATES ]]; then
      alive "$s"
      log "round $r: $s capacity (kxdpgun at $KXDP_RATES qps)"
      line=$(capacity "$s" "${PORT[$s]}" "r$r.cap"); [[ -n $line ]] || die "measuring $s failed"
      echo "$s $r cap $line" >>"$RESULTS"
    fi
  done
  # alternate: A..E, then E..A
  for (( i = 0, j = ${#order[@]} - 1; i < j; i++, j-- )); do t=${order[i]}; order[i]=${order[j]}; order[j]=$t; done
done

declare -A PROC=()
for s in "${SERVER_LIST[@]}"; do
  if ! kill -0 "${PID[$s]}" 2>/dev/null; then log "WARNING: $s died during the run"; PROC[$s]="(exited)"; continue; fi
  PROC[$s]=$(awk '/^VmRSS:/ { rss = $2 } /^Threads:/ { th = $2 } END { printf "rss %.0f MiB, %d threads", rss / 1024, th }' \
             "/proc/${PID[$s]}/status")
done

echo
echo "== dnsbench dns64: $(date -u '+%F %T UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
if (( PIN )); then
  echo "   placement: dnsperf and nsd on CPU $CLIENT_CPUS, each server on CPU $SERVER_CPUS (taskset)"
else
  echo "   placement: none (--no-pin): client and servers share all $NCPU CPUs"
fi
[[ -n $KXDP_RATES ]] && echo "   capacity runs: kxdpgun -t $KXDP_DURATION at $KXDP_RATES qps from namespace $NS_C over a veth pair to 198.18.0.2 (servers and everything else in their own namespace); dnsperf sends over the same veth pair"
echo "   dnsperf -c $CLIENTS -q $OUTSTANDING -T $THREADS, ${DURATION}s saturating runs$( ((RATE > 0)) && echo ", ${RATE_DURATION}s runs at -Q $RATE"), $REPEATS rounds, $QUERIES-line query file over $NAMES names per category"
for s in "${SERVER_LIST[@]}"; do echo "   $s ($DNSPERF_AT:${PORT[$s]}, ${PROC[$s]}): ${CHECK[$s]}"; done
echo
{ echo "$HEADER"; cat "$RESULTS"; } | column -t
echo

# Summary: mean of the rounds per server and mode; ratios of tinyisp (and tinyisp-b) to each anchor.
awk -v servers="${SERVER_LIST[*]}" '
  { k = $1 SUBSEP $3; cnt[k]++; qps[k] += $4; p99[k] += ($6 == "lost" || $6 == "-" ? 1e9 : $6); qpc[k] += $12; if ($6 == "lost") p99lost[k] = 1; if ($6 == "-") nop99[k] = 1; modes[$3] = 1 }
  function m(a, k) { return a[k] / cnt[k] }
  function p(k) { return nop99[k] ? "-" : p99lost[k] ? "lost" : sprintf("%.3f", m(p99, k)) }
  END {
    n = split(servers, S, " ")
    printf "%-12s %-6s %10s %10s %10s\n", "mean of", "mode", "qps", "p99_ms", "q/cpu_s"
    for (mo in modes) for (i = 1; i <= n; i++) { k = S[i] SUBSEP mo; if (cnt[k]) printf "%-12s %-6s %10.0f %10s %10.0f\n", S[i], mo, m(qps, k), p(k), m(qpc, k) }
    nt = 0; for (i = 1; i <= n; i++) if (S[i] ~ /^tinyisp/) T[++nt] = S[i]
    if (!nt) { print "\n(tinyisp not measured: no ratios)"; exit }
    for (j = 1; j <= nt; j++) {
      print ""
      printf "%-28s %10s %10s %10s\n", T[j] " / anchor", "qps", "p99", "q/cpu_s"
      for (mo in modes) for (i = 1; i <= n; i++) {
        if (S[i] ~ /^tinyisp/) continue
        t = T[j] SUBSEP mo; a = S[i] SUBSEP mo
        if (!cnt[t] || !cnt[a]) continue
        pr = (p99lost[t] || p99lost[a] || nop99[t] || nop99[a]) ? "n/a" : sprintf("%.2fx", m(p99, t) / m(p99, a))
        printf "%-28s %9.2fx %10s %9.2fx\n", "vs " S[i] " (" mo ")", m(qps, t) / m(qps, a), pr, m(qpc, t) / m(qpc, a)
      }
      for (i = 1; i <= n; i++) {
        if (S[i] !~ /^unbound/) continue
        t = T[j] SUBSEP "sat"; a = S[i] SUBSEP "sat"
        if (!cnt[t] || !cnt[a]) continue
        okq = m(qps, t) >= 1.2 * m(qps, a)
        okp = !p99lost[t] && m(p99, t) <= m(p99, a)
        for (mo in modes) if (mo != "sat" && mo != "cap") { tr = T[j] SUBSEP mo; ar = S[i] SUBSEP mo
          if (cnt[tr] && cnt[ar]) okp = okp && !p99lost[tr] && m(p99, tr) <= m(p99, ar) }
        printf "%s target vs %s (qps >= 1.2x, p99 no worse): %s\n", T[j], S[i], (okq && okp) ? "MET" : "MISSED"
        t = T[j] SUBSEP "cap"; a = S[i] SUBSEP "cap"
        if (cnt[t] && cnt[a]) printf "%s capacity vs %s (kxdpgun, open loop; p99 from the dnsperf runs above): %.2fx %s\n", \
          T[j], S[i], m(qps, t) / m(qps, a), (m(qps, t) >= 1.2 * m(qps, a) && okp) ? "MET" : "MISSED"
      }
    }
  }' "$RESULTS"

if [[ -s $RUN/syscalls.txt ]]; then
  echo
  echo "syscalls per answered query (saturating runs, perf stat on the server process):"
  cat "$RUN/syscalls.txt"
fi
awk '{ o += $14; n++ } END { if (n && o / n > 0.5) printf "\nWARNING: other processes used %.2f of the CPUs on average during the runs: qps and latency are not reliable here; compare q/cpu_s, and rerun on a quiet machine\n", o / n }' "$RESULTS"

# ------------------------------------------------------------------------------------------------ profiling
if (( PROFILE )) && [[ -n ${PID[tinyisp]:-} ]]; then
  JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd; JFR=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
  jpid=${PID[tinyisp]}
  log "profiling tinyisp (pid $jpid) under JFR for ${DURATION}s (not part of the figures above)"
  # JDK 25 CPU-time sampling (JEP 509) sees time spent in native code and syscalls too; execution samples alone
  # miss an event loop that mostly sits in recvmmsg/sendmsg. Older JDKs reject the setting: fall back.
  "$JCMD" "$jpid" JFR.start name=dnsbench settings=profile 'jdk.CPUTimeSample#enabled=true' \
    'jdk.CPUTimeSample#throttle=1ms' filename="$RUN/tinyisp.jfr" >/dev/null \
    || "$JCMD" "$jpid" JFR.start name=dnsbench settings=profile filename="$RUN/tinyisp.jfr" >/dev/null
  measure tinyisp "${PORT[tinyisp]}" "$DURATION" 0 profile >"$RUN/profile.summary"
  "$JCMD" "$jpid" JFR.stop name=dnsbench >/dev/null
  echo
  echo "== JFR, tinyisp under load (qps with JFR on: $(cut -d' ' -f1 "$RUN/profile.summary"))"
  for view in cpu-time-hot-methods hot-methods allocation-by-site allocation-by-class gc thread-cpu-load; do
    "$JFR" view --width 160 "$view" "$RUN/tinyisp.jfr" 2>&1 | head -n 40
  done
  log "recording: $RUN/tinyisp.jfr (run directory kept)"
fi
