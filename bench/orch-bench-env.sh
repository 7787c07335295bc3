# Sourced by the bench scripts that run orch on a throw-away project: builds the jars when missing, then sets
# $jar (the shaded orch.jar) and $work (a temporary folder, removed at exit unless KEEP=1), and stops the orch whose
# pid the script leaves in $orch_pid. Expects to be sourced from the repository's root.
if [[ ! -f launcher/target/orch.jar || ( -n "${NEEDS_BENCH_JAR:-}" && ! -f bench/target/orch-bench.jar ) ]]; then
  mvn -B -q -DskipTests package
fi
jar=$PWD/launcher/target/orch.jar
work=$(mktemp -d)
orch_pid=""
cleanup() { [[ -n "$orch_pid" ]] && kill "$orch_pid" 2>/dev/null; sleep 1; [[ -n "${KEEP:-}" ]] || rm -rf "$work"; }
trap cleanup EXIT
