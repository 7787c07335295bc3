package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build agents set up for the reference project join orch's cluster on 127.0.0.1 as they are: one with the reference's
 * own {@code [server] url} config (its secret in {@code cluster-secret} beside it), one with {@code --server URL}.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ReferenceAgentIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void agentsWithTheReferencesServerUrlAndServerFlagJoinAndRunJobs() throws Exception {
    int clusterPort = BuildPoolIT.freePort();
    try (OrchHarness orch = new OrchHarness(tmp, new ScriptBook(), Map.of("build_pool.enabled", "true",
        "build_pool.cluster_port", String.valueOf(clusterPort), "build_pool.git_daemon_port", "0",
        "build_pool.timeouts.heartbeat_interval_secs", "1"))) {
      orch.tree.write("hello.txt", "hello from the commit\n");
      orch.commitPlan();
      String commit = orch.git("rev-parse", "HEAD");
      orch.startOrch("build-pool", "start");
      BuildPoolIT.await(() -> BuildPoolIT.status(orch), s -> s.getBoolean("coordinating", false), orch);

      // The reference README's agent config, with this machine's host and folders; orch's port as orch reads it.
      Files.writeString(tmp.resolve("agent-ref.toml"), """
          # Single orchestrator (legacy format, still supported)
          [server]
          url = "ws://127.0.0.1:8081/ws"

          [worker]
          id = "worker-1"      # Defaults to hostname
          max_jobs = 4         # Concurrent build jobs

          [storage]
          git_cache_dir = "%s"
          worktree_dir = "%s"
          """.formatted(tmp.resolve("agents/cache"), tmp.resolve("agents/jobs")));
      Files.copy(orch.stateDir().resolve("cluster-secret"), tmp.resolve("cluster-secret"));
      orch.putEnv("ORCH_BUILD_POOL__CLUSTER_PORT", String.valueOf(clusterPort));
      orch.startAgent("ref");
      orch.startAgent("flag", "--server", "ws://127.0.0.1:8081/ws", "--secret-file",
          orch.stateDir().resolve("cluster-secret").toString());
      JsonObject status = BuildPoolIT.await(() -> BuildPoolIT.status(orch),
          s -> s.getJsonArray("workers").size() == 2, orch);
      assertThat(status.getJsonArray("workers").stream().map(w -> ((JsonObject) w).getString("worker_id"))
          .collect(Collectors.toSet())).containsExactlyInAnyOrder("ref", "flag");
      assertThat(orch.allLogs()).contains("server.url ws://127.0.0.1:8081/ws -> joining orch's cluster at 127.0.0.1:"
          + clusterPort).contains("--server ws://127.0.0.1:8081/ws -> joining orch's cluster at 127.0.0.1:" + clusterPort);

      JsonObject job = BuildPoolIT.awaitDone(orch, BuildPoolIT.submit(orch, commit, "cat hello.txt", 0));
      assertThat(job.getString("state")).isEqualTo("succeeded");
      assertThat(job.getString("worker")).isIn("ref", "flag");
      assertThat(BuildPoolIT.output(orch, job)).isEqualTo("hello from the commit\n");
    }
  }
}
