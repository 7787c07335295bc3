package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.scripted.ScriptStep;
import dev.orch.testkit.PlanTree;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
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
 * orch's build tools as two MCP clients nobody here wrote use them: the official MCP inspector CLI (over stdio, with
 * {@code orch mcp}, and over HTTP) and the real Claude Code CLI, which the scripted model asks to call
 * {@code mcp__orch__test} during a task.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class McpToolsIT {
  // The inspector gives a server 15 s to start and answer; a JVM on a loaded 2-core CI machine can take longer.
  private static final String CONNECT_MILLIS = "100000";
  private static final String MAKEFILE = "test:\n\t@echo running tests $(FILTER)\n"
      + "\t@test ! -f broken || (echo 'error: broken is here' >&2; exit 1)\n";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  /** The inspector: ORCH_TEST_MCP_INSPECTOR (.ci/run installs a pinned one), else mcp-inspector on PATH. */
  static String inspector() {
    String configured = System.getenv("ORCH_TEST_MCP_INSPECTOR");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(folder, "mcp-inspector"))) {
        return Path.of(folder, "mcp-inspector").toString();
      }
    }
    throw new IllegalStateException("these tests drive the MCP inspector CLI (npm @modelcontextprotocol/inspector):"
        + " .ci/run installs it; or set ORCH_TEST_MCP_INSPECTOR to its mcp-inspector");
  }

  static String run(Path cwd, List<String> command) throws Exception {
    return run(cwd, command, false);
  }

  /** The inspector exits 1 when a tool answers with isError, after printing the answer. */
  static String run(Path cwd, List<String> command, boolean toolMayFail) throws Exception {
    Process process = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + out);
    }
    if (process.exitValue() != 0 && !(toolMayFail && out.contains("tool_is_error"))) {
      throw new AssertionError("exit " + process.exitValue() + ": " + command + "\n" + out);
    }
    return out;
  }

  /** The first JSON document the inspector printed (the answer; an error line may follow). */
  static JsonObject json(String out) throws java.io.IOException {
    try (var parser = new com.fasterxml.jackson.databind.ObjectMapper().createParser(out.substring(out.indexOf('{')))) {
      return new JsonObject(parser.readValueAs(java.util.Map.class));
    }
  }

  @Test
  void theInspectorListsAndCallsTheToolsOverStdioAndHttp() throws Exception {
    try (OrchHarness orch = new OrchHarness(tmp, new ScriptBook(), Map.of())) {
      orch.tree.write("Makefile", MAKEFILE);
      orch.commitPlan();
      orch.startOrch("build-pool", "start");
      Path mcpFile = orch.stateDir().resolve(McpAccessFile.FILE);
      BuildPoolIT.await(() -> Files.exists(mcpFile) && new JsonObject(Files.readString(mcpFile)).getInteger("port", 0) > 0
          ? BuildPoolIT.status(orch) : new JsonObject(), s -> s.getBoolean("coordinating", false), orch);
      // After "--" everything is the server's command line (the inspector has a --config of its own).
      List<String> stdio = new ArrayList<>(List.of(inspector(), "--cli", "--connect-timeout", CONNECT_MILLIS, "--", Path.of(System.getProperty("java.home"), "bin",
          "java").toString(), "-jar", OrchProcess.jar().toString(), "--config", orch.configFile.toString(), "mcp"));

      List<String> listCommand = new ArrayList<>(List.of(inspector(), "--cli", "--connect-timeout", CONNECT_MILLIS, "--method", "tools/list"));
      listCommand.addAll(stdio.subList(4, stdio.size()));
      JsonArray tools = json(run(orch.tree.root(), listCommand)).getJsonArray("tools");
      assertThat(tools.stream().map(t -> ((JsonObject) t).getString("name")))
          .contains("build", "test", "lint", "clippy", "run_command", "worker_status", "get_job_logs");

      List<String> callCommand = new ArrayList<>(List.of(inspector(), "--cli", "--connect-timeout", CONNECT_MILLIS, "--method", "tools/call", "--tool-name", "test",
          "--tool-arg", "filter=Parser"));
      callCommand.addAll(stdio.subList(4, stdio.size()));
      JsonObject passed = json(run(orch.tree.root(), callCommand));
      assertThat(passed.getBoolean("isError")).isFalse();
      assertThat(passed.getJsonArray("content").getJsonObject(0).getString("text")).startsWith("test succeeded")
          .contains("running tests Parser");

      Files.writeString(orch.tree.root().resolve("broken"), "not committed\n");
      JsonObject access = new JsonObject(Files.readString(mcpFile));
      List<String> http = List.of(inspector(), "--cli", "--connect-timeout", CONNECT_MILLIS, "http://127.0.0.1:" + access.getInteger("port") + "/mcp",
          "--transport", "http", "--header", "Authorization: Bearer " + access.getString("token"),
          "X-Orch-Worktree: " + orch.tree.root(), "--method", "tools/call", "--tool-name", "test");
      JsonObject failed = json(run(orch.tree.root(), http, true));
      assertThat(failed.getBoolean("isError")).isTrue();
      assertThat(failed.getJsonArray("content").getJsonObject(0).getString("text")).contains("FAILED with exit code 2")
          .contains("error: broken is here");
      assertThat(orch.git("status", "--porcelain")).contains("?? broken").doesNotContain("snapshot");
    }
  }

  @Test
  void claudeCallsTheTestToolDuringATask() throws Exception {
    ScriptBook book = new ScriptBook().on("docs/plans/core/epic-01-tested.md", List.of(
        new ScriptStep.Tool("Write", new JsonObject().put("file_path", "${cwd}/feature.txt").put("content", "feature\n")),
        new ScriptStep.Tool("mcp__orch__test", new JsonObject().put("filter", "Feature")),
        new ScriptStep.Tool("Bash", new JsonObject().put("command", "git add -A && git commit -q -m 'feature, tested'")
            .put("description", "Commit")),
        new ScriptStep.Text("done, tests pass")));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of("scheduler.retry_base_delay", "\"1s\""))) {
      orch.tree.write("Makefile", "test:\n\t@echo running tests $(FILTER); test -f feature.txt\n")
          .plan("core/epic-01-tested.md", PlanTree.task("Tested"));
      orch.commitPlan();
      orch.startRun();
      orch.awaitTasks(tasks -> OrchHarness.all(tasks, "complete"), Duration.ofSeconds(180));

      String toolResult = orch.model.requests().stream().flatMap(r -> r.getJsonArray("messages").stream())
          .map(Object::toString).filter(m -> m.contains("tool_result") && m.contains("running tests")).findFirst()
          .orElseThrow(() -> new AssertionError("no test tool result reached the model"));
      assertThat(toolResult).contains("test succeeded").contains("running tests Feature");
      JsonArray jobs = ((JsonObject) orch.api("buildpool", "jobs", new JsonObject())).getJsonArray("jobs");
      assertThat(jobs).singleElement().satisfies(job -> {
        assertThat(((JsonObject) job).getString("task_id")).isEqualTo("core/E01");
        assertThat(((JsonObject) job).getString("state")).isEqualTo("succeeded");
      });
      assertThat(orch.git("show", "main:feature.txt")).isEqualTo("feature");

      // L11: the agent called its tools with its run's own token; orch's MCP secret was never written for it.
      String secret = new JsonObject(Files.readString(orch.stateDir().resolve(McpAccessFile.FILE))).getString("token");
      try (var files = Files.walk(tmp)) {
        List<Path> runConfigs = files.filter(f -> f.getFileName().toString().endsWith(".mcp.json")).toList();
        assertThat(runConfigs).isNotEmpty().allSatisfy(config ->
            assertThat(Files.readString(config)).doesNotContain(secret).contains("Bearer "));
      }
    }
  }
}
