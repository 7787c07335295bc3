package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.scripted.ScriptStep;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonObject;
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

/** orch run with the real Claude Code CLI against the scripted model: whole plans, failures, and kill -9. */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RunPlanIT {
  private static final Duration PLAN_TIMEOUT = Duration.ofSeconds(180);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void aPlanAcrossTwoModulesRunsToCompletionInDependencyOrder() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/core/epic-01-base.md", ScriptBook.writeAndCommit("core/base.txt", "base\n", "core base", "done"))
        .on("docs/plans/core/epic-02-more.md", ScriptBook.writeAndCommit("core/more.txt", "more\n", "core more", "done"))
        .on("docs/plans/web/epic-01-page.md", ScriptBook.writeAndCommit("web/page.html", "<p>page</p>\n", "web page", "done"))
        .on("docs/plans/web/epic-02-style.md", ScriptBook.writeAndCommit("web/style.css", "p {}\n", "web style", "done"))
        .on("docs/plans/tools/epic-01-lint.md", ScriptBook.writeAndCommit("tools/lint.sh", "true\n", "tools lint", "done"))
        .on("docs/plans/tools/epic-02-late.md", ScriptBook.writeAndCommit("tools/late.txt", "late\n", "tools late", "done"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("general.max_parallel_agents", "2",
        "scheduler.retry_base_delay", "\"1s\"", "claude.max_tokens", "1234"))) {
      orch.tree.plan("core/epic-01-base.md", PlanTree.task("Base", "priority: high"))
          .plan("core/epic-02-more.md", PlanTree.task("More"))
          .plan("tools/epic-01-lint.md", PlanTree.task("Lint"))
          .plan("web/epic-01-page.md", PlanTree.task("Page", "depends_on: [core/E02, tools/E01]"))
          .plan("web/epic-02-style.md", PlanTree.task("Style"))
          .write("README.md", "# Project\n\n| Task | Status |\n|---|---|\n| [core/E01](docs/plans/core/epic-01-base.md) | 🔴 |\n"
              + "| web/E02 | 🔴 |\n");
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(tasks -> tasks.size() == 5 && OrchHarness.all(tasks, "complete"), PLAN_TIMEOUT);

      List<String> merges = List.of(orch.git("log", "--format=%s", "--reverse", "main").split("\n"));
      assertThat(merges).hasSize(6);
      assertThat(orch.model.requests()).as("claude.max_tokens reached the model through the CLI")
          .anySatisfy(request -> assertThat(request.getInteger("max_tokens")).isEqualTo(1234));
      OrchProcess.Result remoteStart = orch.orch("start", "core/E01");
      assertThat(remoteStart.out()).as("asked over the API").contains("not starting core/E01: it is complete");
      assertThat(merges.indexOf("More (core/E02)")).isGreaterThan(merges.indexOf("Base (core/E01)"));
      assertThat(merges.indexOf("Page (web/E01)")).isGreaterThan(merges.indexOf("More (core/E02)"))
          .isGreaterThan(merges.indexOf("Lint (tools/E01)"));
      assertThat(merges.indexOf("Style (web/E02)")).isGreaterThan(merges.indexOf("Page (web/E01)"));

      Path root = orch.tree.root();
      assertThat(orch.git("show", "main:web/page.html")).isEqualTo("<p>page</p>");
      for (String plan : List.of("core/epic-01-base.md", "core/epic-02-more.md", "web/epic-01-page.md", "web/epic-02-style.md",
          "tools/epic-01-lint.md")) {
        assertThat(orch.git("show", "main:docs/plans/" + plan)).as(plan).contains("status: complete");
      }
      assertThat(orch.git("show", "main:README.md")).contains("| [core/E01](docs/plans/core/epic-01-base.md) | 🟢 |",
          "| web/E02 | 🟢 |");
      assertThat(Files.readString(root.resolve("web/style.css"))).as("the person's checkout moved with main").isEqualTo("p {}\n");

      OrchProcess.Result logs = orch.orch("logs", "core/E01");
      assertThat(logs.exit()).as(logs.toString()).isZero();
      assertThat(logs.out()).contains("[start]", "[tool]   Write", "[tool]   Bash", "[done] success");
      OrchProcess.Result prs = orch.orch("pr", "list");
      assertThat(prs.out()).contains("merged", "Page (web/E01)");
      OrchProcess.Result status = orch.orch("status");
      assertThat(status.out()).contains("complete", "Spend:");
      OrchProcess.Result show = orch.orch("pr", "show", "1");
      assertThat(show.out()).containsPattern("#1 .* \\[merged]").contains("## Acceptance criteria", "diff --git", "(attempt 1)");

      orch.tree.plan("tools/epic-02-late.md", PlanTree.task("Late"));
      orch.git("add", "-A");
      orch.git("commit", "-q", "-m", "a task added while orch runs");
      orch.awaitTasks(tasks -> tasks.size() == 6 && OrchHarness.all(tasks, "complete"), PLAN_TIMEOUT);
      assertThat(orch.git("show", "main:tools/late.txt")).isEqualTo("late");

      orch.stop(run);
      assertThat(run.exitValue()).as("stopped by SIGTERM, cleanly").isIn(0, 143);
      assertThat(tmp.resolve("state/orch.json")).doesNotExist();
      assertThat(orch.git("worktree", "list")).doesNotContain("core-E01");
      assertThat(orch.git("for-each-ref", "refs/orch/merged")).contains("refs/orch/merged/web-E01");
    }
  }

  @Test
  void apiErrorsMaxTurnsAndHangsFailOrRetryAsTheyShould() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/api/epic-01-broken.md", List.of(new ScriptStep.ApiError(400, "scripted bad request")))
        .on("docs/plans/turns/epic-01-endless.md",
            List.of(new ScriptStep.ToolForever("Bash", new JsonObject().put("command", "true").put("description", "again"))))
        .onAttempts("docs/plans/hang/epic-01-slow.md", List.of(
            List.of(new ScriptStep.Hang()),
            ScriptBook.writeAndCommit("hang/done.txt", "done\n", "hang done", "finished the second time")));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("general.max_parallel_agents", "3", "claude.max_turns", "3",
        "scheduler.max_retries", "1", "scheduler.retry_base_delay", "\"1s\"",
        // Long enough that a busy machine's slow turns are not taken for a hang; the hang still shows in seconds.
        "observer.idle_timeout", "\"10s\""))) {
      orch.tree.plan("api/epic-01-broken.md", PlanTree.task("Broken"))
          .plan("turns/epic-01-endless.md", PlanTree.task("Endless"))
          .plan("hang/epic-01-slow.md", PlanTree.task("Slow"));
      orch.commitPlan();
      Process run = orch.startRun();
      Map<String, JsonObject> tasks = orch.awaitTasks(t -> t.size() == 3
          && "failed".equals(t.get("api/E01").getString("status")) && t.get("api/E01").getLong("retry_at") == 0
          && "failed".equals(t.get("turns/E01").getString("status")) && t.get("turns/E01").getLong("retry_at") == 0
          && "complete".equals(t.get("hang/E01").getString("status")), PLAN_TIMEOUT);

      assertThat(tasks.get("api/E01").getInteger("attempts")).isEqualTo(2);
      assertThat(tasks.get("api/E01").getString("last_error")).contains("API error 400").contains("gave up after 2 attempts");
      assertThat(tasks.get("turns/E01").getString("last_error")).contains("max-turns limit");
      assertThat(orch.history("hang/E01")).anySatisfy(t -> assertThat(t).startsWith("stuck: ").contains("no output for"))
          .last().asString().startsWith("complete");
      assertThat(orch.runs("hang/E01")).hasSize(2);
      assertThat(orch.runs("hang/E01").get(1).getString("status")).isEqualTo("stuck");

      OrchProcess.Result retry = orch.orch("retry", "api/E01");
      assertThat(retry.exit()).as(retry.toString()).isZero();
      assertThat(retry.out()).contains("api/E01 queued for another attempt");
      orch.stop(run);
    }
  }

  @Test
  void killMinus9MidRunLosesNothing() throws Exception {
    List<ScriptStep> slowThenCommit = new java.util.ArrayList<>(List.of(
        // Works until the test lets it go, so it is surely still at work when the second orch starts, however slow
        // the machine: the test drops .release into its worktree once orch has re-attached to it.
        ScriptStep.tool("Bash", new JsonObject().put("command", "echo thinking && while [ ! -f .release ]; do sleep 0.2; done;"
            + " rm .release").put("description", "think"))));
    slowThenCommit.addAll(ScriptBook.writeAndCommit("alive/out.txt", "survived\n", "alive out", "done"));
    ScriptBook book = new ScriptBook()
        .on("docs/plans/alive/epic-01-keeps-going.md", slowThenCommit)
        .onAttempts("docs/plans/dead/epic-01-killed.md", List.of(
            List.of(ScriptStep.tool("Bash", new JsonObject().put("command", "echo thinking && sleep 60").put("description", "long"))),
            ScriptBook.writeAndCommit("dead/out.txt", "second try\n", "dead out", "done")));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("scheduler.retry_base_delay", "\"1s\""))) {
      orch.tree.plan("alive/epic-01-keeps-going.md", PlanTree.task("Keeps going"))
          .plan("dead/epic-01-killed.md", PlanTree.task("Killed"));
      orch.commitPlan();
      Process first = orch.startRun();
      orch.awaitTasks(t -> t.size() == 2 && "running".equals(t.get("alive/E01").getString("status"))
          && "running".equals(t.get("dead/E01").getString("status")), PLAN_TIMEOUT);
      awaitOutput(orch, "alive/E01");
      awaitOutput(orch, "dead/E01");
      long alivePid = orch.runs("alive/E01").get(0).getLong("pid");
      Path aliveWorktree = Path.of(orch.runs("alive/E01").get(0).getString("worktree"));
      long deadPid = orch.runs("dead/E01").get(0).getLong("pid");

      first.destroyForcibly().waitFor();
      ProcessHandle.of(deadPid).ifPresent(agent -> {
        agent.descendants().forEach(ProcessHandle::destroyForcibly);
        agent.destroyForcibly();
        agent.onExit().join();
      });
      assertThat(ProcessHandle.of(alivePid).map(ProcessHandle::isAlive)).as("the agent outlives orch").contains(true);

      Process second = orch.startRun();
      Awaitility.await("orch re-attaches to the agent that outlived it").atMost(PLAN_TIMEOUT)
          .pollInterval(Duration.ofMillis(200)).until(() -> orch.runLog(1).contains("re-attached to agent pid " + alivePid));
      Files.writeString(aliveWorktree.resolve(".release"), "");
      Map<String, JsonObject> tasks = orch.awaitTasks(t -> OrchHarness.all(t, "complete"), PLAN_TIMEOUT);
      assertThat(tasks).hasSize(2);
      assertThat(orch.runs("alive/E01")).as("re-attached, not run twice").hasSize(1);
      assertThat(orch.runs("dead/E01")).as(orch.runLog(1)).hasSize(2);
      assertThat(orch.runs("dead/E01").get(1).getString("reason")).contains("gone when orch restarted");
      assertThat(orch.git("show", "main:alive/out.txt")).isEqualTo("survived");
      assertThat(orch.git("show", "main:dead/out.txt")).isEqualTo("second try");
      orch.stop(second);
      ProcessHandle.of(alivePid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Until the agent has printed something: it has started its work, not just its process. */
  private static void awaitOutput(OrchHarness orch, String taskId) throws Exception {
    Awaitility.await(taskId + " prints something").atMost(PLAN_TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> orch.runs(taskId).get(0).getLong("last_output_at") > 0);
  }
}
