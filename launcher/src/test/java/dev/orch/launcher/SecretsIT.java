package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.scripted.ScriptStep;
import dev.orch.testkit.FakeGitHub;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real orch on the GitHub forge (a fake GitHub and a bare remote), with the real CLI as the agent. The project has
 * an untracked .env that orch copies into each worktree; one agent also writes and commits a private key and dumps its
 * environment. The copied .env reaches no commit and no remote (H1); the branch with the key is flagged for a person
 * with the reason and never pushed, while the routine one merges on GitHub (H1); the agent's environment holds neither
 * the GitHub token nor any ORCH_* variable nor the Slack webhook orch was started with (H4).
 */
class SecretsIT {
  private static final String CANARY = "sk-test-canary-7f3a";
  private static final String GITHUB_TOKEN = "ghp-test-token-canary";
  private static final String WEBHOOK = "https://hooks.example.invalid/T0/B0/SLACKCANARY";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void h1_h4_copiedSecretsStayLocalASecretBranchIsFlaggedAndNeverPushedAndAgentsGetNoTokens() throws Exception {
    Path envDump = tmp.resolve("agent-env.txt");
    List<ScriptStep> withKey = new ArrayList<>();
    withKey.add(ScriptStep.tool("Write", new JsonObject().put("file_path", "${cwd}/deploy/server.key")
        .put("content", "-----BEGIN PRIVATE KEY-----\nAGENTKEY\n")));
    withKey.add(ScriptStep.tool("Bash", new JsonObject().put("command", "env > '" + envDump + "'")
        .put("description", "Dump the environment")));
    withKey.addAll(ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"));
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", withKey)
        .on("docs/plans/calc/epic-02-sum.md", ScriptBook.writeAndCommit("app/sum.txt", "4\n", "sum", "done"));
    Vertx vertx = Vertx.vertx();
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("forge.kind", "\"github\"", "github.owner", "\"acme\"",
        "github.repo", "\"app\"", "github.poll_interval", "\"1s\"", "github.api_url", "\"http://127.0.0.1:1\"",
        "executor.copy_files", "[\".env\"]"))) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
          .plan("calc/epic-02-sum.md", PlanTree.task("Sum"));
      orch.commitPlan();
      Files.writeString(orch.tree.root().resolve(".env"), "SECRET_API_KEY=" + CANARY + "\n");
      Path bare = tmp.resolve("remote.git");
      orch.git("clone", "--quiet", "--bare", orch.tree.root().toString(), bare.toString());
      orch.git("remote", "add", "origin", bare.toString());
      FakeGitHub github = FakeGitHub.start(vertx, bare, GITHUB_TOKEN).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      Files.writeString(orch.configFile, Files.readString(orch.configFile).replace("http://127.0.0.1:1", github.url()));
      orch.putEnv("GITHUB_TOKEN", GITHUB_TOKEN);
      orch.putEnv("ORCH_NOTIFICATIONS__SLACK_WEBHOOK", WEBHOOK);
      orch.putEnv("ORCH_SCHEDULER__MAX_RETRIES", "0");

      Process run = orch.startRun();
      orch.awaitTasks(t -> t.size() == 2 && "complete".equals(t.get("calc/E02").getString("status"))
          && t.get("app/E01").getString("last_error") != null, Duration.ofMinutes(4));

      JsonObject flagged = ((JsonObject) orch.api("prbot", "list", new JsonObject())).getJsonArray("pull_requests").stream()
          .map(o -> (JsonObject) o).filter(p -> p.getString("task_id").equals("app/E01")).findFirst().orElseThrow();
      assertThat(flagged.getString("state")).isEqualTo("flagged");
      assertThat(flagged.getString("reason")).contains("secrets: deploy/server.key (a private key or key store)");
      assertThat(flagged.getJsonArray("labels").stream().map(String.class::cast).toList())
          .contains("needs-human-review", "secrets");
      assertThat(orch.git("--git-dir", bare.toString(), "branch", "--list", "orch/app-E01")).as("never pushed").isEmpty();
      assertThat(github.pulls().values()).extracting(p -> p.getJsonObject("head").getString("ref"))
          .containsExactly("orch/calc-E02");
      assertThat(orch.git("--git-dir", bare.toString(), "show", "main:app/sum.txt")).isEqualTo("4");

      assertThat(orch.git("log", "--all", "-p")).as("the copied .env is in no commit").doesNotContain(CANARY);
      assertThat(orch.git("--git-dir", bare.toString(), "log", "--all", "-p")).doesNotContain(CANARY, "AGENTKEY");
      assertThat(orch.git("ls-tree", "-r", "--name-only", "orch/app-E01")).doesNotContain(".env\n").contains("server.key");
      assertThat(tmp.resolve("worktrees/app-E01/.env")).as("the agent had its copy").hasContent("SECRET_API_KEY=" + CANARY);

      String agentEnv = Files.readString(envDump);
      assertThat(agentEnv).contains("ANTHROPIC_BASE_URL=", "PATH=", "DISABLE_AUTOUPDATER=1")
          .doesNotContain("GITHUB_TOKEN", GITHUB_TOKEN, "SLACKCANARY", "ORCH_");
      orch.stop(run);
      github.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
