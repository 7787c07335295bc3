#!/usr/bin/env bash
# Wall time of `orch status` against a running orch (docs/benchmarks.md): plain `java -jar`, then scripts/orch
# without and with its class-data archive (AppCDS). A throw-away project, `orch run --scheduled` so no agent starts.
#   bench/cli-startup.sh [runs=9]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
if [[ ! -f launcher/target/orch.jar ]]; then
  mvn -B -q -DskipTests package
fi
root=$PWD
jar=$root/launcher/target/orch.jar
work=$(mktemp -d)
orch_pid=""
cleanup() { [[ -n "$orch_pid" ]] && kill "$orch_pid" 2>/dev/null; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
repo=$work/project
mkdir -p "$repo/docs/plans/core"
git -C "$repo" init -q -b main
git -C "$repo" config user.name bench
git -C "$repo" config user.email bench@orch.invalid
for i in 1 2 3 4 5; do
  printf -- '---\n---\n\n# Task %d\n\n## Acceptance Criteria\n\n- [ ] done\n' "$i" > "$repo/docs/plans/core/epic-0$i-task.md"
done
git -C "$repo" add -A && git -C "$repo" commit -qm plan
cd "$repo"
ORCH_WEB__PORT=0 ORCH_SHELL__TELNET_PORT=0 java -jar "$jar" run --scheduled > "$work/orch.log" 2>&1 &
orch_pid=$!
for _ in $(seq 1 120); do [[ -f .orch/orch.json ]] && break; sleep 0.25; done
export XDG_CACHE_HOME=$work/cache
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # measure LABEL COMMAND...
  local label=$1 times=()
  shift
  "$@" status > /dev/null # warms the file cache and, for scripts/orch, writes its archive
  for _ in $(seq 1 "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" status > /dev/null; t1=$(date +%s%N)
    times+=("$(( (t1 - t0) / 1000000 ))")
  done
  printf '| %s | median %s ms (min %s, max %s; %d runs) |\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" "$runs"
}
run_plain() { java -jar "$jar" "$@"; }
run_script_no_cds() { ORCH_CDS=off "$root/scripts/orch" "$@"; }
run_script() { "$root/scripts/orch" "$@"; }
echo "== orch status against a running orch ($(nproc) cores, $(java -version 2>&1 | head -1))"
measure "\`java -jar orch.jar status\`" run_plain
measure "scripts/orch status: C1 + serial GC, no archive (ORCH_CDS=off)" run_script_no_cds
measure "scripts/orch status: C1 + serial GC + AppCDS archive (the default)" run_script
