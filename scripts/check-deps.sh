#!/usr/bin/env bash
# What orch needs, and what is missing. Report only by default; --local installs what it can for this user
# (the claude CLI into ~/.local with npm); --install installs system-wide with apt-get or brew (asks sudo).
#   scripts/check-deps.sh [--local | --install]
set -uo pipefail
mode=${1:-report}
case "$mode" in report|--local|--install) ;; *) echo "usage: scripts/check-deps.sh [--local | --install]" >&2; exit 2 ;; esac
claude_version=2.1.331
missing=()

check() { # check NAME REQUIRED(yes/no) WHY COMMAND...
  local name=$1 required=$2 why=$3; shift 3
  if "$@" >/dev/null 2>&1; then
    printf '  ok       %-10s %s\n' "$name" "$why"
  else
    printf '  %-8s %-10s %s\n' "$([[ $required == yes ]] && echo MISSING || echo optional)" "$name" "$why"
    [[ $required == yes ]] && missing+=("$name")
  fi
}
java_ok() { java -version 2>&1 | head -1 | grep -Eq '"(1[7-9]|[2-9][0-9])'; }

echo "orch needs:"
check git yes "the project's repository, worktrees" git --version
check java yes "Java 17 or newer runs orch" java_ok
check mvn yes "Maven builds orch from source (scripts/install.sh)" mvn -v
check claude yes "the Claude Code CLI runs the agents (npm: @anthropic-ai/claude-code)" claude --version
check npm no "installs the claude CLI" npm --version
check nix no "build agents run commands in nix develop when a project has a flake" nix --version
check tmux no "only for orch's own shell tests" tmux -V
check chromium no "only for orch's own browser tests" chromium --version

if ((${#missing[@]} == 0)); then
  echo "Everything orch needs is here."
  exit 0
fi
echo "Missing: ${missing[*]}"
case "$mode" in
  report)
    echo "Run scripts/check-deps.sh --local (the claude CLI for this user) or --install (system-wide)."
    exit 1 ;;
  --local)
    if [[ " ${missing[*]} " == *" claude "* ]] && command -v npm >/dev/null; then
      npm install --no-audit --no-fund --prefix "$HOME/.local/lib/claude" "@anthropic-ai/claude-code@$claude_version" \
        && mkdir -p "$HOME/.local/bin" && ln -sf "$HOME/.local/lib/claude/node_modules/.bin/claude" "$HOME/.local/bin/claude" \
        && echo "claude installed in ~/.local/bin (put it on PATH)"
    fi
    echo "git, Java 17 and Maven come from your system's packages: scripts/check-deps.sh --install, or your package manager."
    exit 1 ;;
  --install)
    sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd=sudo
    if command -v apt-get >/dev/null; then
      $sudo_cmd apt-get update -q && $sudo_cmd apt-get install -y -q git openjdk-17-jdk-headless maven nodejs npm
    elif command -v brew >/dev/null; then
      brew install git openjdk@17 maven node
    else
      echo "no apt-get or brew here: install git, Java 17, Maven and npm with your package manager" >&2
      exit 1
    fi
    command -v claude >/dev/null || $sudo_cmd npm install -g "@anthropic-ai/claude-code@$claude_version"
    exec "$0" ;;
esac
