#!/usr/bin/env bash
# The dashboard's figures (docs/benchmarks.md): with 1,000 tasks and 20 live agents streaming logs, the time to an
# interactive page and the delay of bus events to the browser, measured in headless Chromium (Debian's chromium,
# driven by playwright-core; .ci/run installs both, or set ORCH_TEST_PLAYWRIGHT to a node_modules holding it).
# The agents are stand-ins (shell scripts printing stream-json), so this measures orch and the page, not a model.
#   bench/dashboard-bench.sh [loads=7] [listen_seconds=20] [lines_per_agent_per_sec=20]
set -euo pipefail
cd "$(dirname "$0")/.."
loads=${1:-7}
listen=${2:-20}
rate=${3:-20}
source bench/orch-bench-env.sh

repo=$work/plan
mkdir -p "$repo"
git -C "$repo" init -q -b main
git -C "$repo" config user.name bench
git -C "$repo" config user.email bench@orch.invalid
# 1,000 tasks: 50 modules of 20, each task after the one before in its module, and every even module's first task after
# the last task of the module before: 25 tasks ready at once, chains of 40, and cross-module edges.
for ((m = 1; m <= 50; m++)); do
  mkdir -p "$repo/docs/plans/mod$m"
  for ((t = 1; t <= 20; t++)); do
    deps=""
    if ((t == 1 && m % 2 == 0)); then deps="depends_on: [mod$((m - 1))/E20]"; fi
    printf -- '---\n%s\n---\n\n# Task %d of module %d\n\n## Acceptance Criteria\n\n- [ ] done\n' "$deps" "$t" "$m" \
      > "$repo/docs/plans/mod$m/epic-$(printf %02d "$t")-task.md"
  done
done
git -C "$repo" add -A && git -C "$repo" commit -qm plan
# Prints its lines once a second in a burst (orch reads agent logs every 200 ms anyway), so the stand-ins
# themselves cost little CPU next to orch and the browser.
cat > "$work/agent.sh" <<AGENT
#!/bin/bash
cat > /dev/null
printf '%s\n' '{"type":"system","subtype":"init","session_id":"s","model":"stand-in","mcp_servers":[]}'
for i in \$(seq 1 100000); do
  for j in \$(seq 1 $rate); do
    printf '%s\n' '{"type":"assistant","message":{"id":"m'\$i-\$j'","content":[{"type":"text","text":"still working on the task, step '\$i'"}]},"session_id":"s"}'
  done
  sleep 1
done
AGENT
chmod +x "$work/agent.sh"
cat > "$work/orch.toml" <<TOML
[general]
project_root = "$repo"
max_parallel_agents = 20
[claude]
command = "$work/agent.sh"
[scheduler]
max_retries = 0
[observer]
idle_timeout = "30m"
run_timeout = "60m"
[web]
port = 0
[shell]
telnet_port = 0
TOML
java -jar "$jar" --config "$work/orch.toml" run > "$work/orch.log" 2>&1 &
orch_pid=$!
deadline=$((SECONDS + 180))
until [[ -f "$repo/.orch/orch.json" ]] && (( $(ls "$repo/.orch/logs"/mod*/E*/run-*.jsonl 2>/dev/null | wc -l) >= 20 )); do
  if ((SECONDS > deadline)); then echo "orch did not start 20 agents; see $work/orch.log" >&2; KEEP=1; exit 1; fi
  sleep 0.5
done
sleep 3
port=$(sed -n 's/.*"port" *: *\([0-9]*\).*/\1/p' "$repo/.orch/orch.json")
echo "== dashboard: 1,000 tasks, 20 agents each printing $rate stream-json lines/s ($(nproc) cores)"
node bench/dashboard-bench.mjs "http://127.0.0.1:$port" "$loads" "$listen"
