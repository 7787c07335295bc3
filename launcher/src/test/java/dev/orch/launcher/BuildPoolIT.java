package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build pool as separate processes on 127.0.0.1: the coordinator ({@code orch build-pool start}) and two build
 * agents (build-agent.jar), on a real Hazelcast cluster, fetching from the coordinator's git daemon.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BuildPoolIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  java.nio.file.Path tmp;

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void jobsSpreadOverTwoAgentsSurviveAKilledAgentAndACoordinatorRestartAndFallBackToThisHost() throws Exception {
    int clusterPort = freePort();
    String cluster = "it-" + UUID.randomUUID();
    try (OrchHarness orch = new OrchHarness(tmp, new ScriptBook(), Map.of("build_pool.enabled", "true",
        "build_pool.cluster_port", String.valueOf(clusterPort), "build_pool.cluster_name", "\"" + cluster + "\"",
        "build_pool.git_daemon_port", "0", "build_pool.timeouts.heartbeat_interval_secs", "1",
        "build_pool.timeouts.heartbeat_timeout_secs", "5"))) {
      orch.tree.write("hello.txt", "hello from the commit\n");
      orch.commitPlan();
      String commit = orch.git("rev-parse", "HEAD");
      orch.startOrch("build-pool", "start");
      JsonObject status = await(() -> status(orch), s -> s.getBoolean("coordinating", false), orch);
      assertThat(status.getString("git_daemon")).startsWith("git://127.0.0.1:");

      // No agent yet: the job runs here.
      JsonObject local = awaitDone(orch, submit(orch, commit, "cat hello.txt", 0));
      assertThat(local.getString("worker")).isEqualTo("local");
      assertThat(output(orch, local)).isEqualTo("hello from the commit\n");

      String join = "127.0.0.1:" + clusterPort;
      String secret = orch.stateDir().resolve("cluster-secret").toString();
      orch.startAgent("a1", "--join", join, "--cluster-name", cluster, "--secret-file", secret, "--jobs", "2");
      orch.startAgent("a2", "--join", join, "--cluster-name", cluster, "--secret-file", secret, "--jobs", "2");
      await(() -> status(orch), s -> s.getJsonArray("workers").size() == 2, orch);

      List<Long> spread = List.of(submit(orch, commit, "sleep 2; cat hello.txt", 0), submit(orch, commit, "sleep 2", 0),
          submit(orch, commit, "sleep 2", 0), submit(orch, commit, "sleep 2", 0));
      Set<String> workers = new HashSet<>();
      for (long id : spread) {
        JsonObject job = awaitDone(orch, id);
        assertThat(job.getString("state")).isEqualTo("succeeded");
        workers.add(job.getString("worker"));
      }
      assertThat(workers).containsExactlyInAnyOrder("a1", "a2");
      assertThat(output(orch, job(orch, spread.get(0)))).isEqualTo("hello from the commit\n");

      // kill -9 the agent running a job: the job starts again on the other one and finishes there.
      long moved = submit(orch, commit, "echo start; sleep 6; echo end", 0);
      JsonObject running = await(() -> job(orch, moved), j -> "running".equals(j.getString("state")), orch);
      String victim = running.getString("worker");
      ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains("--id " + victim)
          && c.contains("build-agent.jar")).orElse(false)).forEach(ProcessHandle::destroyForcibly);
      JsonObject finished = awaitDone(orch, moved);
      assertThat(finished.getString("state")).isEqualTo("succeeded");
      assertThat(finished.getString("worker")).isNotEqualTo(victim);
      assertThat(finished.getInteger("attempts")).isEqualTo(2);
      assertThat(output(orch, finished)).contains("went away").endsWith("start\nend\n");
      String survivor = finished.getString("worker");

      long cancelled = submit(orch, commit, "echo waiting; sleep 60", 0);
      await(() -> job(orch, cancelled), j -> "running".equals(j.getString("state")), orch);
      orch.api("buildpool", "cancel", new JsonObject().put("job_id", cancelled));
      assertThat(awaitDone(orch, cancelled).getString("state")).isEqualTo("cancelled");

      JsonObject timedOut = awaitDone(orch, submit(orch, commit, "sleep 60", 2));
      assertThat(timedOut.getString("state")).isEqualTo("timed_out");
      assertThat(timedOut.getString("worker")).isEqualTo(survivor);

      // kill -9 the coordinator; a new one starts, the surviving agent finds it, and jobs go to the agent again.
      ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains("build-pool start")
          && c.contains(orch.configFile.toString())).orElse(false)).forEach(ProcessHandle::destroyForcibly);
      orch.startOrch("build-pool", "start");
      await(() -> status(orch), s -> s.getJsonArray("workers").size() == 1, orch);
      JsonObject after = awaitDone(orch, submit(orch, commit, "cat hello.txt", 0));
      assertThat(after.getString("worker")).isEqualTo(survivor);
      assertThat(output(orch, after)).isEqualTo("hello from the commit\n");

      OrchProcess.Result cli = orch.orch("build-pool", "status");
      assertThat(cli.out()).contains("1 agent(s)").contains(survivor);
      OrchProcess.Result jobs = orch.orch("build-pool", "jobs");
      assertThat(jobs.out()).contains("timed_out").contains("cancelled").contains("local");
    }
  }

  @Test
  void runKeepsTheArgumentVector() throws Exception {
    try (OrchHarness orch = new OrchHarness(tmp, new ScriptBook(), Map.of("build_pool.git_daemon_port", "0"))) {
      orch.tree.write("hello.txt", "hello\n");
      orch.commitPlan();
      orch.startOrch("build-pool", "start");
      await(() -> status(orch), s -> s.getBoolean("coordinating", false), orch);
      OrchProcess.Result run = orch.orch("build-pool", "run", "--", "printf", "[%s]\\n", "a b", "c");
      assertThat(run.exit()).as(run.toString()).isZero();
      assertThat(run.out()).isEqualTo("[a b]\n[c]\n");
    }
  }

  static JsonObject status(OrchHarness orch) throws Exception {
    return (JsonObject) orch.api("buildpool", "status", new JsonObject());
  }

  static long submit(OrchHarness orch, String commit, String command, int timeoutSecs) throws Exception {
    JsonObject job = (JsonObject) orch.api("buildpool", "submit", new JsonObject().put("commit", commit)
        .put("command", command).put("timeout_secs", timeoutSecs).put("label", "it"));
    return job.getLong("job_id");
  }

  static JsonObject job(OrchHarness orch, long id) throws Exception {
    return (JsonObject) orch.api("buildpool", "job", new JsonObject().put("job_id", id));
  }

  static String output(OrchHarness orch, JsonObject job) throws Exception {
    return ((JsonObject) orch.api("buildpool", "output", new JsonObject().put("job_id", job.getLong("job_id"))))
        .getString("text");
  }

  static JsonObject awaitDone(OrchHarness orch, long id) throws Exception {
    return await(() -> job(orch, id), j -> !List.of("queued", "running").contains(j.getString("state")), orch);
  }

  static JsonObject await(Callable<JsonObject> read, Predicate<JsonObject> until, OrchHarness orch) throws Exception {
    AtomicReference<JsonObject> last = new AtomicReference<>();
    try {
      return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
        last.set(read.call());
        return last.get();
      }, until);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out; last: " + last.get() + "; " + e.getMessage() + orch.allLogs());
    }
  }

}
