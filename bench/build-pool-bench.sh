#!/usr/bin/env bash
# The build pool's figures (docs/benchmarks.md): submit-to-first-output latency on a warm pool, output streaming
# rate, incremental fetch against a full clone per job, and 200 `sleep 1` jobs on 2 agents x 4 slots against 25 s.
# The coordinator runs in the bench's JVM on a real Hazelcast cluster on 127.0.0.1; the two agents are
# build-agent.jar processes.
#   bench/build-pool-bench.sh [latency_runs=50] [throughput_jobs=200] [stream_mb=100]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f agent/target/build-agent.jar || ! -f bench/target/orch-bench.jar ]]; then
  mvn -B -q -DskipTests package
fi
exec java -cp bench/target/orch-bench.jar dev.orch.bench.BuildPoolBench "$PWD/agent/target/build-agent.jar" "$@"
