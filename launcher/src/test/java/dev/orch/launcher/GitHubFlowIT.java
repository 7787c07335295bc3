package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.FakeGitHub;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The pull-request flow against a fake GitHub (REST API plus a bare repository as the remote), with the real CLI. */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class GitHubFlowIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void routineFlaggedAndRedChecksOnGitHubThroughRateLimitsAndErrors() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"))
        .on("docs/plans/app/epic-02-login.md", ScriptBook.writeAndCommit("src/auth/Login.java", "class Login {}\n", "login", "done"))
        .on("docs/plans/app/epic-03-sum.md", ScriptBook.writeAndCommit("app/sum.txt", "5\n", "sum", "done"))
        .on("The checks orch runs before merging failed", ScriptBook.writeAndCommit("app/sum.txt", "4\n", "sum: fix", "fixed"));
    Vertx vertx = Vertx.vertx();
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("forge.kind", "\"github\"", "github.owner", "\"acme\"",
        "github.repo", "\"app\"", "github.token", "\"test-token\"", "github.poll_interval", "\"1s\"",
        "github.api_url", "\"http://127.0.0.1:1\""))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
          .plan("app/epic-02-login.md", PlanTree.task("Login"))
          .plan("app/epic-03-sum.md", PlanTree.task("Sum"));
      orch.commitPlan();
      Path bare = tmp.resolve("remote.git");
      orch.git("clone", "--quiet", "--bare", orch.tree.root().toString(), bare.toString());
      orch.git("remote", "add", "origin", bare.toString());
      FakeGitHub github = FakeGitHub.start(vertx, bare, "test-token").toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      java.nio.file.Files.writeString(orch.configFile, java.nio.file.Files.readString(orch.configFile)
          .replace("http://127.0.0.1:1", github.url()));
      Set<String> failedOnce = ConcurrentHashMap.newKeySet();
      Map<String, Integer> polls = new ConcurrentHashMap<>();
      github.checks((branch, sha) -> {
        if (branch == null) {
          return null;
        }
        if (branch.endsWith("app-E03") && (failedOnce.isEmpty() || failedOnce.contains(sha))) {
          failedOnce.add(sha);
          return "failure";
        }
        // The fixed head's checks run for a while: the same answer twice lets the poller's ETag save a request.
        return branch.endsWith("app-E03") && polls.merge(sha, 1, Integer::sum) <= 3 ? "pending" : "success";
      });
      github.failNext("retry-after", "POST /repos/acme/app/pulls");
      github.failNext("rate-limit", "GET /repos/acme/app/commits");
      github.failNext("502", "GET /repos/acme/app/commits");
      github.failNext("409", "PUT /repos/acme/app/pulls");

      Process run = orch.startRun();
      orch.awaitTasks(t -> t.size() == 3 && "complete".equals(t.get("app/E01").getString("status"))
          && t.get("app/E02").getString("last_error") != null, TIMEOUT);
      assertThat(orch.git("--git-dir", bare.toString(), "show", "main:app/greeting.txt")).isEqualTo("hi");
      assertThat(orch.git("show", "main:app/greeting.txt")).as("local main follows GitHub").isEqualTo("hi");
      assertThat(orch.git("--git-dir", bare.toString(), "show", "main:docs/plans/app/epic-01-greeting.md"))
          .contains("status: complete");
      assertThat(orch.git("--git-dir", bare.toString(), "branch", "--list", "orch/app-E01")).as("branch deleted").isEmpty();

      JsonObject login = github.pulls().values().stream()
          .filter(p -> p.getJsonObject("head").getString("ref").equals("orch/app-E02")).findFirst().orElseThrow();
      assertThat(login.getJsonArray("labels").stream().map(l -> ((JsonObject) l).getString("name")))
          .contains("needs-human-review", "security");
      assertThat(login.getString("state")).isEqualTo("open");
      OrchProcess.Result merge = orch.orch("pr", "merge", "app/E02");
      assertThat(merge.exit()).as(merge.toString()).isZero();

      orch.awaitTasks(t -> OrchHarness.all(t, "complete"), TIMEOUT);
      assertThat(orch.git("--git-dir", bare.toString(), "show", "main:app/sum.txt")).isEqualTo("4");
      JsonArray prs = ((JsonObject) orch.api("prbot", "list", new JsonObject())).getJsonArray("pull_requests");
      JsonObject sum = prs.stream().map(o -> (JsonObject) o).filter(p -> p.getString("task_id").equals("app/E03"))
          .findFirst().orElseThrow();
      assertThat(sum.getInteger("fix_rounds")).isEqualTo(1);
      assertThat(sum.getString("url")).startsWith("https://github.example/acme/pull/");
      assertThat(github.pulls().values()).allSatisfy(p -> assertThat(p.getBoolean("merged")).isTrue());

      var statuses = github.requests().stream().map(FakeGitHub.Request::status).toList();
      assertThat(statuses).contains(403, 429, 502, 409, 304);
      JsonObject usage = (JsonObject) orch.web("GET", "/api/forge", null);
      assertThat(usage.getLong("requests")).isEqualTo(github.requests().size());
      orch.stop(run);
      github.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
