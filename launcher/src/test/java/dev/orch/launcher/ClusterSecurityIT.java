package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 end to end: a real coordinator ({@code orch build-pool start}) makes its cluster secret and prints how to join; a
 * real build agent with that secret file runs a job; one without a secret does not start, and one with the wrong
 * secret is refused by the coordinator and never becomes a worker.
 */
class ClusterSecurityIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void h2_only_an_agent_holding_the_cluster_secret_joins_and_runs_jobs() throws Exception {
    int clusterPort = BuildPoolIT.freePort();
    String cluster = "sec-" + UUID.randomUUID();
    try (OrchHarness orch = new OrchHarness(tmp, new ScriptBook(), Map.of("build_pool.enabled", "true",
        "build_pool.cluster_port", String.valueOf(clusterPort), "build_pool.cluster_name", "\"" + cluster + "\"",
        "build_pool.git_daemon_port", "0", "build_pool.local_fallback.enabled", "false"))) {
      orch.tree.write("hello.txt", "hello from the commit\n");
      orch.commitPlan();
      String commit = orch.git("rev-parse", "HEAD");
      orch.startOrch("build-pool", "start");
      BuildPoolIT.await(() -> BuildPoolIT.status(orch), s -> s.getBoolean("coordinating", false), orch);
      Path secret = orch.stateDir().resolve("cluster-secret");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
      assertThat(orch.allLogs()).contains("build-agent --join 127.0.0.1:" + clusterPort, "--secret-file " + secret);
      String join = "127.0.0.1:" + clusterPort;

      Process without = orch.startAgent("nosecret", "--join", join, "--cluster-name", cluster);
      assertThat(without.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(without.exitValue()).isEqualTo(2);
      assertThat(orch.allLogs()).contains("no cluster secret");

      Path wrong = Files.writeString(tmp.resolve("wrong-secret"), "not-the-secret-orch-made\n");
      orch.startAgent("wrong", "--join", join, "--cluster-name", cluster, "--secret-file", wrong.toString());
      // Its cluster name carries a digest of its secret, so Hazelcast already keeps it apart; had it sniffed the name,
      // its seal would fail (RogueMemberTest). Either way it never registers.
      orch.startAgent("good", "--join", join, "--cluster-name", cluster, "--secret-file", secret.toString());
      BuildPoolIT.await(() -> BuildPoolIT.status(orch), s -> s.getJsonArray("workers").size() == 1, orch);

      long id = BuildPoolIT.submit(orch, commit, "cat hello.txt", 0);
      JsonObject done = BuildPoolIT.awaitDone(orch, id);
      assertThat(done.getString("state")).isEqualTo("succeeded");
      assertThat(done.getString("worker")).isEqualTo("good");
      assertThat(BuildPoolIT.output(orch, done)).isEqualTo("hello from the commit\n");
      BuildPoolIT.await(() -> new JsonObject().put("log", logOf("wrong")),
          log -> log.getString("log").contains("is not answering"), orch);
      assertThat(BuildPoolIT.status(orch).getJsonArray("workers")).extracting(w -> ((JsonObject) w).getString("worker_id"))
          .containsExactly("good");
    }
  }

  private String logOf(String agent) throws java.io.IOException {
    StringBuilder out = new StringBuilder();
    try (var files = Files.list(tmp)) {
      for (Path log : files.filter(p -> p.getFileName().toString().startsWith("agent-" + agent + "-")).toList()) {
        out.append(Files.readString(log));
      }
    }
    return out.toString();
  }
}
