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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in Debian's headless Chromium, driven by playwright-core ({@code src/test/browser/dashboard.mjs}),
 * against orch running a plan with the real Claude Code CLI: a task moves from running to complete on the page
 * without a reload, a flagged pull request is merged by clicking, the overview's charts draw what completed and what it
 * cost, a send the bridge does not permit is refused.
 * Screenshots land in {@code target/dashboard-screenshots/}.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class DashboardIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  static String playwright() {
    String configured = System.getenv("ORCH_TEST_PLAYWRIGHT");
    if (configured == null || !Files.isDirectory(Path.of(configured, "playwright-core"))) {
      throw new IllegalStateException("set ORCH_TEST_PLAYWRIGHT to a node_modules folder holding playwright-core"
          + " (.ci/run installs it), and install Debian's chromium");
    }
    return configured;
  }

  @Test
  void aPersonWatchesATaskFinishAndMergesAFlaggedPullRequestInTheBrowser() throws Exception {
    List<ScriptStep> slow = new ArrayList<>();
    slow.add(ScriptStep.tool("Bash", new JsonObject().put("command", "sleep 15").put("description", "think it over")));
    slow.addAll(ScriptBook.writeAndCommit("app/greeting.txt", "hi\n", "greeting", "done"));
    ScriptBook book = new ScriptBook()
        .on("docs/plans/app/epic-01-greeting.md", slow)
        .on("docs/plans/auth/epic-01-login.md", ScriptBook.writeAndCommit("src/auth/Login.java",
            "class Login { boolean check(String user) { return true; } }\n", "login", "done"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of())) {
      orch.tree.plan("app/epic-01-greeting.md", PlanTree.task("Greeting"))
          .plan("auth/epic-01-login.md", PlanTree.task("Login"));
      orch.commitPlan();
      Process run = orch.startRun();
      Awaitility.await("orch.json").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
          .until(() -> Files.exists(orch.stateDir().resolve("orch.json")));
      int port = new JsonObject(Files.readString(orch.stateDir().resolve("orch.json"))).getInteger("port");
      Path shots = Files.createDirectories(Path.of("target", "dashboard-screenshots"));

      Path output = tmp.resolve("browser.txt");
      ProcessBuilder node = new ProcessBuilder("node", Path.of("src/test/browser/dashboard.mjs").toAbsolutePath().toString())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      node.environment().putAll(Map.of("ORCH_URL", "http://127.0.0.1:" + port, "ORCH_TEST_PLAYWRIGHT", playwright(),
          "SHOTS", shots.toAbsolutePath().toString(), "TASK_RUNNING", "app/E01", "FLAGGED_TASK", "auth/E01"));
      Process browser = node.start();
      try {
        assertThat(browser.waitFor(5, TimeUnit.MINUTES)).as("the browser run ends").isTrue();
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(out).as(out + "\n" + orch.allLogs()).doesNotContain("not ok").contains(
            "ok the page loads and says the bridge is open",
            "ok a task moves from running to complete without a reload",
            "ok a run page shows the agent log",
            "ok a flagged pull request is merged by clicking",
            "ok the overview charts tasks completed and spend with uPlot",
            "ok a send to an address the bridge does not permit is refused",
            "ok the overview fits a phone",
            "ok the graph lays out the plan",
            "ok no script errors");
        assertThat(browser.exitValue()).isZero();
      } finally {
        browser.destroyForcibly();
      }
      orch.awaitTasks(t -> "complete".equals(t.get("auth/E01").getString("status")), TIMEOUT);
      assertThat(orch.git("show", "main:src/auth/Login.java")).contains("class Login");
      assertThat(shots.resolve("prs-merged.png")).isNotEmptyFile();
      orch.stop(run);
    }
  }
}
