package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PrStage;
import dev.orch.scripted.ScriptBook;
import dev.orch.scripted.ScriptStep;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Review routing, checks before merge, feedback to the agent and conflicts, on the local forge with the real CLI. */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ReviewFlowIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(150);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private static JsonObject pr(OrchHarness orch, String taskId) throws Exception {
    JsonArray prs = ((JsonObject) orch.api("prbot", "list", new JsonObject())).getJsonArray("pull_requests");
    return prs.stream().map(o -> (JsonObject) o).filter(p -> p.getString("task_id").equals(taskId))
        .reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void routineMergesByItselfAndAnAuthChangeWaitsForAPersonWhoCanSendItBack() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"))
        .on("docs/plans/app/epic-02-login.md", ScriptBook.writeAndCommit("src/auth/Login.java",
            "class Login { boolean check(String user) { return true; } }\n", "login", "done"))
        .on("Use a constant-time comparison", ScriptBook.writeAndCommit("src/auth/Login.java",
            "class Login { boolean check(String user) { return java.security.MessageDigest.isEqual(new byte[0], new byte[0]); } }\n",
            "login: constant time", "changed the comparison"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of())) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
          .plan("app/epic-02-login.md", PlanTree.task("Login"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> t.size() == 2 && "complete".equals(t.get("app/E01").getString("status"))
          && t.get("app/E02").getString("last_error") != null, TIMEOUT);

      JsonObject login = pr(orch, "app/E02");
      assertThat(login.getString("state")).isEqualTo("flagged");
      assertThat(login.getJsonArray("labels")).contains("needs-human-review", "security");
      assertThat(login.getString("routing")).contains("security: src/auth/Login.java (**/auth/**)");
      assertThat(pr(orch, "app/E01").getString("routing")).isNull();
      OrchProcess.Result review = orch.orch("pr", "review");
      assertThat(review.out()).contains("#" + login.getInteger("number"), "labels: needs-human-review, security",
          "why: review needed: security: src/auth/Login.java");

      OrchProcess.Result reject = orch.orch("pr", "reject", String.valueOf(login.getInteger("number")), "--reason",
          "Use a constant-time comparison for the check.");
      assertThat(reject.exit()).as(reject.toString()).isZero();
      awaitPr(orch, "app/E02", p -> "flagged".equals(p.getString("state")) && p.getLong("run_id") > login.getLong("run_id"));
      assertThat(orch.runs("app/E02")).hasSize(2);
      assertThat(orch.runs("app/E02").get(0).getString("session_id")).isEqualTo(orch.runs("app/E02").get(1).getString("session_id"));
      assertThat(pr(orch, "app/E02").getInteger("number")).as("the same pull request").isEqualTo(login.getInteger("number"));

      OrchProcess.Result merge = orch.orch("pr", "merge", "app/E02");
      assertThat(merge.exit()).as(merge.toString()).isZero();
      assertThat(merge.out()).contains("merged as");
      orch.awaitTasks(t -> "complete".equals(t.get("app/E02").getString("status")), TIMEOUT);
      assertThat(orch.git("show", "main:src/auth/Login.java")).contains("MessageDigest.isEqual");
      orch.stop(run);
    }
  }

  @Test
  void redChecksGoBackToTheSameSessionUntilGreen() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/calc/epic-01-add.md", ScriptBook.writeAndCommit("calc/add.sh", "echo 5\n", "add", "done"))
        .on("The checks orch runs before merging failed", ScriptBook.writeAndCommit("calc/add.sh", "echo 4\n",
            "add: fix the sum", "fixed"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("checks.commands",
        "[\"test \\\"$(sh calc/add.sh)\\\" = 4 || { echo expected 4, got $(sh calc/add.sh); exit 1; }\"]"))) {
      orch.tree.plan("calc/epic-01-add.md", PlanTree.task("Add two and two"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> !t.isEmpty() && "complete".equals(t.get("calc/E01").getString("status")), TIMEOUT);
      JsonObject pr = pr(orch, "calc/E01");
      assertThat(pr.getInteger("fix_rounds")).isEqualTo(1);
      assertThat(pr.getString("checks")).isEqualTo("passed");
      assertThat(orch.runs("calc/E01")).hasSize(2);
      String prompt = java.nio.file.Files.readString(Path.of(orch.runs("calc/E01").get(0).getString("log_file")
          .replace(".jsonl", ".prompt.md")));
      assertThat(prompt).contains("fix round 1 of 2", "expected 4, got 5");
      assertThat(orch.git("show", "main:calc/add.sh")).isEqualTo("echo 4");
      orch.stop(run);
    }
  }

  @Test
  void twoTasksEditingTheSameLinesConflictAndTheSecondAgentResolvesIt() throws Exception {
    List<ScriptStep> slowB = new ArrayList<>(List.of(
        ScriptStep.tool("Bash", new JsonObject().put("command", "echo thinking && sleep 4").put("description", "think"))));
    slowB.addAll(ScriptBook.writeAndCommit("shared.txt", "colour: blue\n", "b: blue", "done"));
    ScriptBook book = new ScriptBook()
        .on("docs/plans/a/epic-01-red.md", ScriptBook.writeAndCommit("shared.txt", "colour: red\n", "a: red", "done"))
        .on("docs/plans/b/epic-01-blue.md", slowB)
        .on("your branch conflicts with it", List.of(
            ScriptStep.tool("Write", new JsonObject().put("file_path", "${cwd}/shared.txt").put("content", "colour: red and blue\n")),
            ScriptStep.tool("Bash", new JsonObject().put("command", "git add -A && git commit -q --no-edit && git log --oneline -1")
                .put("description", "conclude the merge")),
            ScriptStep.text("resolved")));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("general.max_parallel_agents", "2"))) {
      orch.tree.write("shared.txt", "colour: none\n")
          .plan("a/epic-01-red.md", PlanTree.task("Red"))
          .plan("b/epic-01-blue.md", PlanTree.task("Blue"));
      orch.commitPlan();
      Process run = orch.startRun();
      orch.awaitTasks(t -> t.size() == 2 && OrchHarness.all(t, "complete"), TIMEOUT);
      assertThat(orch.git("show", "main:shared.txt")).isEqualTo("colour: red and blue");
      assertThat(orch.runs("b/E01")).hasSize(2);
      String followUp = java.nio.file.Files.readString(Path.of(orch.runs("b/E01").get(0).getString("log_file")
          .replace(".jsonl", ".prompt.md")));
      assertThat(followUp).contains("your branch conflicts with it", "shared.txt");
      assertThat(orch.git("for-each-ref", "refs/orch/archive")).as("the branch before the update is kept")
          .contains("refs/orch/archive/b-E01/pre-update-");
      orch.stop(run);
    }
  }

  /**
   * M1: kill -9 while a pull request's checks run. After the restart prbot comes up before the scheduler it asks
   * about the task; that passing failure is retried, never a reason to flag the pull request for a person.
   */
  @Test
  @Timeout(300)
  void m1_a_pull_request_caught_in_its_checks_by_kill_9_carries_on_after_the_restart() throws Exception {
    ScriptBook book = new ScriptBook().on("docs/plans/app/epic-01-greeting.md",
        ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("checks.commands", "[\"sleep 5\"]"))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"));
      orch.commitPlan();
      Process first = orch.startRun();
      Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> pr(orch, "app/E01"), p -> "open".equals(p.getString("state"))
              && PrStage.CHECKING.wire().equals(p.getString("stage")));
      first.destroyForcibly().waitFor();

      Process second = orch.startRun();
      orch.awaitTasks(t -> "complete".equals(t.get("app/E01").getString("status")), TIMEOUT);
      JsonObject merged = pr(orch, "app/E01");
      assertThat(merged.getString("state")).as(merged.encode()).isEqualTo("merged");
      assertThat(merged.getJsonArray("labels", new JsonArray())).doesNotContain("needs-human-review");
      assertThat(merged.getJsonArray("changed_paths", new JsonArray()).getList()).as("what the merge changed, but the plan")
          .contains("app/greeting.txt").doesNotContain("docs/plans/app/epic-01-greeting.md");
      assertThat(orch.git("show", "main:app/greeting.txt")).isEqualTo("hi");
      orch.stop(second);
    }
  }

  private static JsonObject awaitPr(OrchHarness orch, String taskId, java.util.function.Predicate<JsonObject> until)
      throws Exception {
    return Awaitility.await("pull request of " + taskId).atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions().until(() -> pr(orch, taskId), until);
  }
}
