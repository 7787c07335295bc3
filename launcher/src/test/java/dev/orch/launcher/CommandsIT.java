package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.scripted.ScriptStep;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** orch start, stop, logs -f, cleanup and cost limits, as a person uses them, with the real Claude Code CLI. */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CommandsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void startRunsNamedTasksInTheForegroundAndRefusesOnesThatAreNotReady() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/core/epic-01-first.md", ScriptBook.writeAndCommit("first.txt", "1\n", "first", "done"))
        .on("docs/plans/core/epic-02-second.md", ScriptBook.writeAndCommit("second.txt", "2\n", "second", "done"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of())) {
      orch.tree.plan("core/epic-01-first.md", PlanTree.task("First"))
          .plan("core/epic-02-second.md", PlanTree.task("Second"));
      orch.commitPlan();
      OrchProcess.Result refused = orch.orch("start", "core/E02");
      assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
      assertThat(refused.out()).contains("not starting core/E02: its dependencies are not complete: core/E01 (not_started)");

      OrchProcess.Result started = orch.orch("start", "core/E01");
      assertThat(started.exit()).as(started.toString()).isZero();
      assertThat(started.out()).contains("starting: core/E01", "core/E01         running -> in_review", "core/E01         complete");
      OrchProcess.Result list = orch.orch("list", "--json");
      assertThat(list.out()).contains("\"id\" : \"core/E02\"");
      assertThat(new io.vertx.core.json.JsonArray(list.out()).stream().map(o -> (JsonObject) o)
          .filter(t -> t.getString("id").equals("core/E02")).findFirst().orElseThrow().getString("status"))
          .as("only the named task ran").isEqualTo("not_started");
      assertThat(orch.git("show", "main:first.txt")).isEqualTo("1");
    }
  }

  @Test
  void stopEndsALiveRunThatLogsFollowsAndCleanupRemovesItsWorktree() throws Exception {
    ScriptBook book = new ScriptBook().on("docs/plans/slow/epic-01-long.md", List.of(
        ScriptStep.tool("Write", new JsonObject().put("file_path", "${cwd}/notes.txt").put("content", "half done\n")),
        ScriptStep.tool("Bash", new JsonObject().put("command", "echo working && sleep 120").put("description", "work"))));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of())) {
      orch.tree.plan("slow/epic-01-long.md", PlanTree.task("Long"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> !t.isEmpty() && "running".equals(t.get("slow/E01").getString("status")), TIMEOUT);
      Awaitility.await().atMost(TIMEOUT).until(() -> orch.runs("slow/E01").get(0).getLong("last_output_at") > 0);
      Path followed = tmp.resolve("follow.txt");
      Process follow = followLogs(orch, followed);
      // Following: it has printed the run so far, so the stop below reaches a follower, not a reader of the past.
      Awaitility.await().atMost(TIMEOUT).ignoreExceptions()
          .until(() -> Files.readString(followed, StandardCharsets.UTF_8).contains("notes.txt"));

      OrchProcess.Result stop = orch.orch("stop", "slow/E01");
      assertThat(stop.exit()).as(stop.toString()).isZero();
      assertThat(follow.waitFor(60, TimeUnit.SECONDS)).as("logs -f ends with the run").isTrue();
      String log = Files.readString(followed, StandardCharsets.UTF_8);
      assertThat(log).contains("[tool]   Write", "notes.txt", "run 1 stopped: stopped by a person");

      Map<String, JsonObject> tasks = orch.awaitTasks(t -> "failed".equals(t.get("slow/E01").getString("status")), TIMEOUT);
      assertThat(tasks.get("slow/E01").getLong("retry_at")).as("a stop by a person is not retried").isZero();
      assertThat(tasks.get("slow/E01").getString("last_error")).contains("stopped by a person");

      OrchProcess.Result dry = orch.orch("cleanup", "--dry-run");
      assertThat(dry.out()).contains("Would remove the worktrees and branches of: slow/E01");
      assertThat(tmp.resolve("worktrees/slow-E01/notes.txt")).exists();
      OrchProcess.Result clean = orch.orch("cleanup");
      assertThat(clean.out()).contains("Removed the worktrees and branches of: slow/E01", "kept refs/orch/archive/slow-E01/");
      assertThat(tmp.resolve("worktrees/slow-E01")).doesNotExist();
      assertThat(orch.git("show", "refs/orch/archive/slow-E01/cleanup:notes.txt"))
          .as("uncommitted work is committed and kept before removal").isEqualTo("half done");
      try (var bundles = Files.list(tmp.resolve("state/bundles"))) {
        assertThat(bundles.map(p -> p.getFileName().toString())).anySatisfy(name -> assertThat(name).startsWith("slow-E01-cleanup"));
      }
      orch.stop(run);
    }
  }

  @Test
  void aTaskThatReachesItsCostLimitIsNotRetried() throws Exception {
    ScriptBook book = new ScriptBook().on("docs/plans/spend/epic-01-nothing.md", List.of(ScriptStep.text("nothing to do")));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("observer.max_cost_usd_per_task", "0.01",
        "scheduler.retry_base_delay", "\"1s\""))) {
      orch.tree.plan("spend/epic-01-nothing.md", PlanTree.task("Nothing"));
      orch.commitPlan();
      Process run = orch.startRun();
      Map<String, JsonObject> tasks = orch.awaitTasks(t -> !t.isEmpty() && "failed".equals(t.get("spend/E01").getString("status"))
          && t.get("spend/E01").getLong("retry_at") == 0, TIMEOUT);
      assertThat(tasks.get("spend/E01").getString("last_error")).contains("cost limit reached", "observer.max_cost_usd_per_task");
      // retry_at 0 is the scheduler's decision not to retry, recorded with the failure: nothing to wait for.
      assertThat(orch.runs("spend/E01")).as("no retry once over the limit").hasSize(1);
      orch.stop(run);
    }
  }

  private static Process followLogs(OrchHarness orch, Path output) throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        OrchProcess.jar().toString(), "--config", orch.configFile.toString(), "logs", "-f", "slow/E01");
    return new ProcessBuilder(command).directory(orch.tree.root().toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
  }

  @Test
  void aRunCanBeResumedInItsSessionWithAFollowUpPrompt() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/lazy/epic-01-later.md", List.of(ScriptStep.text("I will do it later.")))
        .on("Please finish the task now", ScriptBook.writeAndCommit("lazy/done.txt", "done\n", "lazy done", "finished"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("scheduler.max_retries", "0"))) {
      orch.tree.plan("lazy/epic-01-later.md", PlanTree.task("Later"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> !t.isEmpty() && "failed".equals(t.get("lazy/E01").getString("status")), TIMEOUT);
      JsonObject first = orch.runs("lazy/E01").get(0);

      JsonObject resumed = (JsonObject) orch.web("POST", "/api/tasks/lazy/E01/resume",
          new JsonObject().put("prompt", "Please finish the task now and commit it."));
      assertThat(resumed.getLong("resumed_from")).isEqualTo(first.getLong("run_id"));
      assertThat(resumed.getString("session_id")).isEqualTo(first.getString("session_id"));
      assertThat(resumed.getString("worktree")).isEqualTo(first.getString("worktree"));

      orch.awaitTasks(t -> "complete".equals(t.get("lazy/E01").getString("status")), TIMEOUT);
      assertThat(orch.git("show", "main:lazy/done.txt")).isEqualTo("done");
      OrchProcess.Result logs = orch.orch("logs", "lazy/E01");
      assertThat(logs.out()).contains("resumes run " + first.getLong("run_id"));
      orch.stop(run);
    }
  }
}
