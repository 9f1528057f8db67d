#!/usr/bin/env bash
# Starts the dns module's Dns64Service directly (Dns64Launch.java), for benchmarking before `tinyisp dns64` exists
# in the app jar. Same flags as `tinyisp dns64`: --listen, --upstream, --prefix, --mapped, --break-dnssec.
#
#   bench/dns64/launch-dns-module.sh --build      # once: package common+dns (no tests), write the classpath
#   TINYISP_CMD='bench/dns64/launch-dns-module.sh --listen 127.0.0.1:$PORT --upstream 127.0.0.1:$NSDPORT
#     --prefix 64:ff9b::/96 --mapped "!10/8; any;" --break-dnssec' bench/dns64/run.sh
# (use the absolute path in TINYISP_CMD: run.sh starts servers from its temporary run directory)
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
CP_FILE=$REPO/dns/target/dnsbench.classpath

if [[ ${1:-} == --build ]]; then
  cd "$REPO"
  ./mvnw -q -B -pl dns -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$CP_FILE.deps" -DincludeScope=runtime
  echo "$REPO/dns/target/classes:$(<"$CP_FILE.deps")" >"$CP_FILE"
  echo "classpath written to $CP_FILE"
  exit 0
fi
[[ -f $CP_FILE ]] || { echo "run '$0 --build' first" >&2; exit 1; }
# exec: the benchmark measures this pid's CPU, so it must be the JVM itself
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${DNSBENCH_JVM_OPTS:-} -cp "$(<"$CP_FILE")" \
  "$SCRIPT_DIR/Dns64Launch.java" "$@"
