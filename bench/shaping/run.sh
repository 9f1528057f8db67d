#!/usr/bin/env bash
# CPU cost per packet of the shaping module (JMH): hierarchical shaper, per-session tbf, policer, for 1, 100 and
# 10,000 sessions. Not a test. Usage: bench/shaping/run.sh [--base GIT-REV] [JMH options], e.g. `-prof gc` to show
# bytes/op, `ShapingBenchmark.hierarchical -wi 3 -i 5` for one benchmark.
# --base REV also runs the same benchmarks against the shaping classes of REV (compiled from `git archive`, same
# JVM flags, right after), so before/after figures come from one run on one machine state.
# Figures and machine state go into docs/bench/shaping.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
base=""
main_class=net.tinyisp.shaping.bench.ShapingBenchmark
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --cpu) main_class=net.tinyisp.shaping.bench.ShapingCpuCost; shift ;;
    *) break ;;
  esac
done
./mvnw -q -B -pl shaping test-compile
cp_file="$PWD/shaping/target/bench-classpath.txt"
./mvnw -q -B -pl shaping dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
run() { # $1 = main classes dir, rest = JMH args
  local classes="$1"
  shift
  "$JAVA_HOME/bin/java" -cp "shaping/target/test-classes:$classes:$(cat "$cp_file")" \
    -Xms1g -Xmx1g "$main_class" "$@"
}
echo "=== this tree: $(git rev-parse --short HEAD)$(git diff --quiet -- shaping || echo ' (modified)')"
run shaping/target/classes "$@"
if [[ -n "$base" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  git archive "$base" shaping/src/main/java | tar -x -C "$work"
  mkdir -p "$work/classes"
  "$JAVA_HOME/bin/javac" -d "$work/classes" $(find "$work/shaping/src/main/java" -name '*.java')
  echo "=== base: $(git rev-parse --short "$base"), load $(cut -d' ' -f1-3 /proc/loadavg)"
  run "$work/classes" "$@"
fi
