#!/usr/bin/env bash
# Builds orch from this checkout and puts `orch` (also as `claude-orch`, the reference project's name) and
# `build-agent` on PATH.
# Needs: git, Java 17+, Maven 3.8+, and access to Maven Central for the first build (scripts/check-deps.sh tells).
# Installs into PREFIX (default ~/.local): PREFIX/lib/orch/{orch.jar,build-agent.jar},
# PREFIX/bin/{orch,claude-orch,build-agent}.
#   scripts/install.sh [--prefix DIR] [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$HOME/.local
build=yes
while (($#)); do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --skip-build) build=no; shift ;;
    *) echo "usage: scripts/install.sh [--prefix DIR] [--skip-build]" >&2; exit 2 ;;
  esac
done
if [[ $build == yes ]]; then
  command -v mvn >/dev/null || { echo "Maven is missing: scripts/check-deps.sh --install" >&2; exit 1; }
  mvn -B -q -DskipTests package
fi
for jar in launcher/target/orch.jar agent/target/build-agent.jar; do
  [[ -f $jar ]] || { echo "$jar is missing: run without --skip-build" >&2; exit 1; }
done
mkdir -p "$prefix/lib/orch" "$prefix/bin"
install -m 644 launcher/target/orch.jar agent/target/build-agent.jar "$prefix/lib/orch/"
install -m 755 scripts/orch "$prefix/bin/orch"
# The same program under the reference project's name, so its scripts and habits work; relative, so the prefix can move.
ln -sfn orch "$prefix/bin/claude-orch"
cat > "$prefix/bin/build-agent" <<'AGENT'
#!/usr/bin/env bash
# The orch build agent (build-agent.jar beside orch's, in ../lib/orch). Extra JVM options: BUILD_AGENT_JAVA_OPTS.
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck disable=SC2086
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BUILD_AGENT_JAVA_OPTS:-} -jar "$here/../lib/orch/build-agent.jar" "$@"
AGENT
chmod 755 "$prefix/bin/build-agent"
echo "installed orch, claude-orch and build-agent in $prefix/bin"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "add $prefix/bin to PATH, e.g. export PATH=\"$prefix/bin:\$PATH\"" ;; esac
"$prefix/bin/orch" --version
