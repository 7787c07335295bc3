#!/usr/bin/env bash
# GitHub API requests per open pull request per hour at steady state (docs/benchmarks.md).
#   bench/github-bench.sh [pull_requests=20] [poll_seconds=3] [window_seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f launcher/target/orch.jar || ! -f bench/target/orch-bench.jar ]]; then
  mvn -B -q -DskipTests package
fi
java -cp bench/target/orch-bench.jar dev.orch.bench.GitHubPollBench "$PWD/launcher/target/orch.jar" "${1:-20}" "${2:-3}" "${3:-60}"
