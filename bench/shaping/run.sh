#!/usr/bin/env bash
# CPU cost per packet of the shaping module (JMH): hierarchical shaper, per-session tbf, policer, for 1, 100 and
# 10,000 sessions. Not a test. Usage: bench/shaping/run.sh [JMH options], e.g. `-prof gc` to show bytes/op.
# Figures and machine state go into docs/bench/shaping.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -pl shaping test-compile
cp_file="$PWD/shaping/target/bench-classpath.txt"
./mvnw -q -B -pl shaping dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
exec "$JAVA_HOME/bin/java" -cp "shaping/target/test-classes:shaping/target/classes:$(cat "$cp_file")" \
  net.tinyisp.shaping.bench.ShapingBenchmark "$@"
