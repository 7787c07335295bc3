#!/usr/bin/env bash
# Two figures for running agents (docs/benchmarks.md):
#  1. launch overhead: from "a task's dependency is merged" to "its agent process has started" (scheduler, worktree,
#     prompt, spawn), against the floor of `git worktree add` plus spawning the same agent; a chain of tasks, one at a time.
#  2. following output: 20 agents at once, each printing 1,000 stream-json lines a second; orch's CPU and memory.
# Both use stand-in agents (shell scripts), so they measure orch, not a model.
#   bench/agent-bench.sh [chain_length=15] [flood_seconds=15]   (flood_seconds=0: the launch figure only)
set -euo pipefail
cd "$(dirname "$0")/.."
chain=${1:-15}
flood_seconds=${2:-15}
NEEDS_BENCH_JAR=1 source bench/orch-bench-env.sh

new_repo() {
  local repo=$1
  mkdir -p "$repo"
  git -C "$repo" init -q -b main
  git -C "$repo" config user.name bench
  git -C "$repo" config user.email bench@orch.invalid
}

wait_for() { # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    if ((SECONDS > deadline)); then echo "timed out waiting for: $*" >&2; exit 1; fi
    sleep 0.5
  done
}

# ---- 1. launch overhead
repo=$work/chain
new_repo "$repo"
for ((i = 1; i <= chain; i++)); do
  mkdir -p "$repo/docs/plans/chain"
  printf '# Step %d\n' "$i" > "$repo/docs/plans/chain/epic-$(printf %02d "$i")-step.md"
done
git -C "$repo" add -A && git -C "$repo" commit -qm plan
cat > "$work/agent.sh" <<'AGENT'
#!/bin/sh
# orch hands agents an allowlisted environment, so the file the start times go to sits beside this script.
echo "$(date +%s%N) $PWD" >> "$(dirname "$0")/starts.txt"
cat > /dev/null
echo done > "done-$(basename "$PWD").txt"
git add -A && git commit -qm done
printf '%s\n' '{"type":"system","subtype":"init","session_id":"s","model":"stand-in","mcp_servers":[]}'
printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"ok","session_id":"s","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0}}'
AGENT
chmod +x "$work/agent.sh"
cat > "$work/chain.toml" <<TOML
[general]
project_root = "$repo"
max_parallel_agents = 1
[claude]
command = "$work/agent.sh"
[web]
port = 0
[shell]
telnet_port = 0
TOML
: > "$work/starts.txt"
# The floor: `git worktree add` of a new branch and spawning the same agent, timed the same way, in the same repository
# before and after orch's run (this machine's timings drift; both ends of the run are sampled).
: > "$work/floor.txt"
floor() { # floor LABEL
  for ((i = 1; i <= chain; i++)); do
    t0=$(date +%s%N)
    git -C "$repo" worktree add -q -b "floor-$1-$i" "$work/floor-$1-$i" main
    (cd "$work/floor-$1-$i" && "$work/agent.sh" < /dev/null > /dev/null)
    t1=$(tail -1 "$work/starts.txt" | cut -d' ' -f1)
    echo "scale=3; ($t1 - $t0) / 1000000" | bc >> "$work/floor.txt"
    git -C "$repo" worktree remove --force "$work/floor-$1-$i"
    git -C "$repo" branch -q -D "floor-$1-$i"
  done
  : > "$work/starts.txt"
}
: > "$work/starts.txt"
floor before
# Through scripts/orch, as people run it (its JVM options for `orch run`).
ORCH_JAR=$jar scripts/orch --config "$work/chain.toml" ${ORCH_BENCH_VERBOSE:-} run > "$work/chain.log" 2>&1 &
orch_pid=$!
all_complete() { [[ $(git -C "$repo" log --oneline main | wc -l) -ge $((chain + 1)) ]]; }
wait_for 120 all_complete
sleep 1
kill "$orch_pid"; wait "$orch_pid" 2>/dev/null || true; orch_pid=""

mv "$work/starts.txt" "$work/chain-starts.txt"
: > "$work/starts.txt"
floor after
echo "== launch overhead ($(nproc) cores, chain of $chain tasks, one agent at a time)"
java -cp bench/target/orch-bench.jar dev.orch.bench.LaunchOverhead "$repo/.orch/orch.db" "$work/chain-starts.txt" "$work/floor.txt"

# ---- 2. twenty agents flooding output (skipped with flood_seconds=0)
if ((flood_seconds == 0)); then exit 0; fi
repo=$work/flood
new_repo "$repo"
for ((i = 1; i <= 20; i++)); do
  mkdir -p "$repo/docs/plans/m$i"
  printf '# Flood %d\n' "$i" > "$repo/docs/plans/m$i/epic-01-flood.md"
done
git -C "$repo" add -A && git -C "$repo" commit -qm plan
cat > "$work/flood.sh" <<AGENT
#!/bin/bash
cat > /dev/null
line='{"type":"assistant","message":{"id":"m","content":[{"type":"text","text":"still working on the task, making progress"}]},"session_id":"s"}'
block=""
for i in \$(seq 1 1000); do block+="\$line"$'\n'; done
printf '%s\n' '{"type":"system","subtype":"init","session_id":"s","model":"stand-in","mcp_servers":[]}'
for s in \$(seq 1 $flood_seconds); do
  start=\$(date +%s%N)
  printf '%s' "\$block"
  sleep "\$(echo "scale=3; (1000000000 - (\$(date +%s%N) - \$start)) / 1000000000" | bc)"
done
printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"ok","session_id":"s","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0}}'
AGENT
chmod +x "$work/flood.sh"
cat > "$work/flood.toml" <<TOML
[general]
project_root = "$repo"
max_parallel_agents = 20
[claude]
command = "$work/flood.sh"
[scheduler]
max_retries = 0
[web]
port = 0
[shell]
telnet_port = 0
TOML
java -jar "$jar" --config "$work/flood.toml" run > "$work/flood.log" 2>&1 &
orch_pid=$!
twenty_running() { [[ $(ls "$repo/.orch/logs"/m*/E01/run-*.jsonl 2>/dev/null | wc -l) -ge 20 ]]; }
wait_for 120 twenty_running
sleep 2
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$orch_pid/stat"; }
c0=$(cpu); t0=$(date +%s%N); peak=0; samples=0; rss_sum=0
window=$((flood_seconds - 5))
for ((s = 0; s < window * 2; s++)); do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$orch_pid/status")
  ((rss > peak)) && peak=$rss
  rss_sum=$((rss_sum + rss)); samples=$((samples + 1))
  sleep 0.5
done
c1=$(cpu); t1=$(date +%s%N)
lines_per_sec=$(( 20 * 1000 ))
cpu_pct=$(echo "scale=1; 100 * ($c1 - $c0) / $ticks / (($t1 - $t0) / 1000000000)" | bc)
all_results() { [[ $(grep -l '"type":"result"' "$repo/.orch/logs"/m*/E01/run-*.jsonl | wc -l) -ge 20 ]]; }
wait_for 120 all_results
lines=$(cat "$repo/.orch/logs"/m*/E01/run-*.jsonl | wc -l)
echo "== 20 agents x 1,000 stream-json lines/s for ${flood_seconds}s (${lines_per_sec} lines/s in all)"
echo "orch CPU while all 20 ran: ${cpu_pct}% of one core over $((window)) s"
echo "orch resident memory: peak $((peak / 1024)) MB, mean $((rss_sum / samples / 1024)) MB"
echo "lines the agents wrote: $lines"
