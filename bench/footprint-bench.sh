#!/usr/bin/env bash
# Footprint-aware scheduling (docs/benchmarks.md): a generated plan of 40 independent tasks in 4 modules, where each
# module's odd-numbered tasks (20 in all) append to the module's shared file (`shared/ledger-N.txt`, named in backticks
# in the task's text) and the even ones write a file of their own. Stand-in agents (shell scripts) edit the files their
# prompt names, work a fixed time, and commit; asked to resolve a conflict, they keep both sides. Run with
# max_parallel_agents = 4 under each scheduler.footprint mode; per run it prints:
#   conflicts   branch updates that conflicted: those that needed the agent (follow-up runs in the executor's runs
#               table, resumed_from > 0; no checks are configured, so every follow-up is a conflict, which prbot's
#               pull_requests confirm with follow_up = 'conflict') plus those that went to a person (pull requests
#               flagged after a conflict follow-up: prbot hands a second conflict to a person)
#   wall        from starting orch until all 40 tasks are complete (merged), or all but the flagged ones
#   agent       the sum of every run's duration (first runs and follow-ups), from the runs table
#   bench/footprint-bench.sh [modes="off prefer strict"] [repeats=2] [work_seconds=3] [fix_seconds=1]
# A mode written MODE+files also declares each task's file in its frontmatter (files:), so nothing has to be predicted.
# PERSON=1 plays a person who answers at once: each pull request flagged after a conflict is sent back to its agent
# (`orch pr reject`), so every mode ends with all 40 tasks merged. Needs the sqlite3 command. KEEP=1 keeps the
# temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
modes=${1:-off prefer strict}
repeats=${2:-2}
work_seconds=${3:-3}
fix_seconds=${4:-1}
modules=(billing catalog orders users)
per_module=10
tasks=$((${#modules[@]} * per_module))
command -v sqlite3 > /dev/null || { echo "footprint-bench: needs the sqlite3 command to read orch's store" >&2; exit 2; }
source bench/orch-bench-env.sh

# The stand-in agent. orch hands agents an allowlisted environment, so its settings sit in a file beside it.
cat > "$work/agent.sh" <<'AGENT'
#!/bin/bash
set -eu
here=$(dirname "$0")
. "$here/agent.env"
prompt=$(cat)
if [[ -f "$(git rev-parse --git-path MERGE_HEAD)" ]]; then
  # prbot's conflict follow-up: orch left a merge of the main branch in progress. Every edit appends a line, so keeping
  # both sides is dropping the markers.
  git diff --name-only --diff-filter=U | while read -r f; do
    sed -i -e '/^<<<<<<< /d' -e '/^=======$/d' -e '/^>>>>>>> /d' "$f"
    git add -- "$f"
  done
  sleep "$FIX_SECONDS"
  git commit -q --no-edit
else
  task=$(printf '%s\n' "$prompt" | sed -n 's/^You are implementing \([^:]*\):.*/\1/p' | head -1)
  # The files the task names: backticked paths with a folder and an extension (the prompt's own `orch` is neither).
  printf '%s\n' "$prompt" | grep -o '`[^`]*`' | tr -d '`' \
    | grep -E '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+\.[A-Za-z]+$' | sort -u | while read -r f; do
    mkdir -p "$(dirname "$f")"
    echo "$task was here" >> "$f"
  done
  sleep "$WORK_SECONDS"
  git add -A
  git commit -qm "$task"
fi
printf '%s\n' '{"type":"system","subtype":"init","session_id":"s","model":"stand-in","mcp_servers":[]}'
printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"ok","session_id":"s","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0}}'
AGENT
chmod +x "$work/agent.sh"
printf 'WORK_SECONDS=%s\nFIX_SECONDS=%s\n' "$work_seconds" "$fix_seconds" > "$work/agent.env"

# new_plan REPO DECLARE: the plan, the shared files (so two appends to one meet at its end), committed on main.
new_plan() {
  local repo=$1 declare=$2
  mkdir -p "$repo/shared"
  git -C "$repo" init -q -b main
  git -C "$repo" config user.name bench
  git -C "$repo" config user.email bench@orch.invalid
  for ((m = 0; m < ${#modules[@]}; m++)); do
    local module=${modules[m]} ledger="shared/ledger-$((m + 1)).txt"
    printf '# ledger %d\n' "$((m + 1))" > "$repo/$ledger"
    mkdir -p "$repo/docs/plans/$module"
    for ((n = 1; n <= per_module; n++)); do
      local id file text
      id=$(printf 'E%02d' "$n")
      if ((n % 2 == 1)); then
        file=$ledger
        text="Append your line to \`$file\`."
      else
        file="$module/notes/$(printf 'e%02d' "$n").txt"
        text="Write your notes to \`$file\`."
      fi
      {
        printf -- '---\nstandalone: true\n'
        [[ "$declare" == yes ]] && printf 'files:\n  - %s\n' "$file"
        printf -- '---\n# %s %s\n\n%s\n' "$module" "$id" "$text"
      } > "$repo/docs/plans/$module/epic-$(printf %02d "$n")-work.md"
    done
  done
  git -C "$repo" add -A && git -C "$repo" commit -qm plan
}

q() { sqlite3 -readonly -batch -noheader "$1" "$2" 2>/dev/null; }
millis() { date +%s%N | cut -c1-13; }

results=$work/results.txt
: > "$results"
run_once() { # run_once SPEC ROUND
  local spec=$1 round=$2 mode=${1%+files} declare=no
  [[ "$spec" == *+files ]] && declare=yes
  local repo=$work/$spec-$round
  new_plan "$repo" "$declare"
  cat > "$work/$spec-$round.toml" <<TOML
[general]
project_root = "$repo"
max_parallel_agents = 4
[claude]
command = "$work/agent.sh"
[scheduler]
footprint = "$mode"
max_retries = 0
[web]
port = 0
[shell]
telnet_port = 0
TOML
  local db=$repo/.orch/orch.db t0 t1 done=0 flagged=0 deadline=$((SECONDS + 600)) answers=0
  local -A answered=()
  t0=$(millis)
  ORCH_JAR=$jar scripts/orch --config "$work/$spec-$round.toml" run > "$work/$spec-$round.log" 2>&1 &
  orch_pid=$!
  while :; do
    done=$(q "$db" "SELECT count(*) FROM tasks WHERE status = 'complete'" || echo 0)
    flagged=$(q "$db" "SELECT count(*) FROM pull_requests WHERE state = 'flagged'" || echo 0)
    ((${done:-0} >= tasks)) && break
    if [[ -n "${PERSON:-}" ]]; then
      # Flagged again later (the main branch moved once more), it is answered again; the answer takes a while to land.
      for n in $(q "$db" "SELECT number FROM pull_requests WHERE state = 'flagged' AND follow_up = 'conflict'"); do
        ((SECONDS - ${answered[$n]:--100} < 10)) && continue
        answered[$n]=$SECONDS
        answers=$((answers + 1))
        ORCH_JAR=$jar scripts/orch --config "$work/$spec-$round.toml" pr reject "$n" \
          --reason "main moved again: resolve the conflict, keeping both sides" >> "$work/$spec-$round.person.log" 2>&1 &
      done
    # A flagged pull request waits for a person: the run is over when every other task is complete.
    elif ((${done:-0} + ${flagged:-0} >= tasks)); then
      break
    fi
    if ((SECONDS > deadline)); then echo "timed out: $spec round $round ($done of $tasks complete)" >&2; break; fi
    sleep 0.25
  done
  t1=$(millis)
  kill "$orch_pid"; wait "$orch_pid" 2>/dev/null || true; orch_pid=""
  local followups conflicts agent_ms first_ms fix_ms
  followups=$(q "$db" "SELECT count(*) FROM runs WHERE resumed_from > 0")
  conflicts=$(q "$db" "SELECT count(*) FROM pull_requests WHERE follow_up = 'conflict'")
  flagged=$(q "$db" "SELECT count(*) FROM pull_requests WHERE state = 'flagged' AND follow_up = 'conflict'")
  # The person's answers are follow-up runs too: they count with the person, not the agent.
  [[ -n "${PERSON:-}" ]] && flagged=$answers && followups=$((followups - answers))
  agent_ms=$(q "$db" "SELECT COALESCE(SUM(ended_at - started_at), 0) FROM runs WHERE ended_at > 0")
  fix_ms=$(q "$db" "SELECT COALESCE(SUM(ended_at - started_at), 0) FROM runs WHERE ended_at > 0 AND resumed_from > 0")
  done=$(q "$db" "SELECT count(*) FROM tasks WHERE status = 'complete'")
  printf '%s %s %s %s %s %s %s %s\n' "$spec" "$round" "$followups" "$conflicts" "$flagged" "$((t1 - t0))" \
    "$agent_ms" "$done" >> "$results"
  printf '%-13s round %d: %2d conflicts to the agent (%2d pull requests), %d to a person, wall %6.1f s, agent %6.1f s (follow-ups %5.1f s), %d/%d complete\n' \
    "$spec" "$round" "$followups" "$conflicts" "$flagged" "$(echo "scale=1; ($t1 - $t0) / 1000" | bc)" \
    "$(echo "scale=1; $agent_ms / 1000" | bc)" "$(echo "scale=1; $fix_ms / 1000" | bc)" "$done" "$tasks"
}

echo "== footprint-aware scheduling: $tasks tasks, half on 4 shared files, 4 agents at once, ${work_seconds} s of work" \
  "each (${fix_seconds} s per conflict); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= repeats; r++)); do
  for spec in $modes; do
    run_once "$spec" "$r"
  done
done

echo "== means over $repeats round(s); against off"
awk -v specs="$modes" '
  { n[$1]++; c[$1] += $3; p[$1] += $4; f[$1] += $5; w[$1] += $6; a[$1] += $7 }
  END {
    printf "%-13s %9s %9s %9s %8s %8s %13s %8s\n", "mode", "to agent", "to person", "conflicts", "wall s", "agent s", "conflicts vs", "wall vs"
    split(specs, order, " ")
    base = "off"
    for (i = 1; order[i] != ""; i++) {
      s = order[i]
      cm = (c[s] + f[s]) / n[s]; wm = w[s] / n[s] / 1000
      cb = (base in n) ? (c[base] + f[base]) / n[base] : 0; wb = (base in n) ? w[base] / n[base] / 1000 : 0
      dc = cb > 0 ? sprintf("%+.0f %%", 100 * (cm - cb) / cb) : "-"
      dw = wb > 0 ? sprintf("%+.1f %%", 100 * (wm - wb) / wb) : "-"
      printf "%-13s %9.1f %9.1f %9.1f %8.1f %8.1f %13s %8s\n", s, c[s] / n[s], f[s] / n[s], cm, wm, a[s] / n[s] / 1000, dc, dw
    }
  }' "$results"
