#!/usr/bin/env bash
# Measures `orch sync` on a generated plan of 5,000 tasks in 50 modules: in-process (parse, resolve, store)
# and as a cold process, each beside its floor. Prints the numbers docs/benchmarks.md records.
#   bench/sync-bench.sh [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if [[ ! -f launcher/target/orch.jar || ! -f bench/target/orch-bench.jar ]]; then
  mvn -B -q -DskipTests package
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo"
git -C "$repo" init -q -b main
java -cp bench/target/orch-bench.jar dev.orch.bench.PlanGenerator "$repo" 50 100 42

echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "== in-process"
java -cp bench/target/orch-bench.jar dev.orch.bench.SyncBench "$repo" "$runs"

millis() { date +%s%N | cut -c1-13; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "min %5d ms  median %5d ms  max %5d ms\n", a[1], a[int((NR+1)/2)], a[NR]}'; }
time_runs() {
  local label=$1; shift
  local out=()
  for ((i = 0; i < runs; i++)); do
    [[ -n "${BEFORE_EACH:-}" ]] && eval "$BEFORE_EACH"
    local t0; t0=$(millis)
    "$@" >/dev/null 2>&1 || true
    out+=($(( $(millis) - t0 )))
  done
  printf '%-66s %s\n' "$label" "$(printf '%s\n' "${out[@]}" | stats)"
}

echo "== cold processes"
time_runs "floor: cat every plan file" bash -c "find '$repo/docs/plans' -type f -exec cat {} + > /dev/null"
time_runs "floor: java -jar orch.jar --version (JVM start)" java -jar launcher/target/orch.jar --version
jar="$PWD/launcher/target/orch.jar"
BEFORE_EACH="rm -rf '$repo/.orch'" time_runs "orch sync into an empty store (cold JVM)" \
  bash -c "cd '$repo' && java -jar '$jar' sync"
time_runs "orch sync again, nothing changed (cold JVM)" bash -c "cd '$repo' && java -jar '$jar' sync"
wrapper="$PWD/scripts/orch"
BEFORE_EACH="rm -rf '$repo/.orch'" time_runs "scripts/orch sync into an empty store (C1 + serial GC)" \
  bash -c "cd '$repo' && '$wrapper' sync"
time_runs "scripts/orch sync again, nothing changed (C1 + serial GC)" bash -c "cd '$repo' && '$wrapper' sync"
