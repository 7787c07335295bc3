package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format json} and {@code general.log_format} on the shaded jar: {@code orch -v start} runs a task to its
 * merge in the foreground (orch's stand-in agent against the scripted model), with its log lines on stderr and what it
 * prints for people on stdout.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LogFormatIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void theFlagMakesEveryLogLineOneJsonObjectAndTheTaskAndRunIdsFieldsWhileStdoutStaysForPeople() throws Exception {
    try (OrchHarness orch = harness(Map.of())) {
      OrchProcess.Result started = orch.orch("-v", "--log-format", "json", "start", "core/E01");

      assertThat(started.exit()).as(started.toString()).isZero();
      assertThat(started.out()).as("the command's own output").contains("core/E01", "complete")
          .doesNotContain("{\"");
      List<JsonNode> lines = jsonLines(started);
      assertThat(lines).as(started.err())
          .anySatisfy(line -> assertAbout(line, "core/E01", "1", "core/E01 run 1: agent started"))
          .anySatisfy(line -> assertAbout(line, "core/E01", "1", "core/E01 run 1: succeeded"))
          .anySatisfy(line -> assertAbout(line, "core/E01", null, "core/E01: merged pull request #1"));
    }
  }

  @Test
  void theConfigKeyGivesJsonWithoutTheFlagAndTheFlagWinsOverIt() throws Exception {
    try (OrchHarness orch = harness(Map.of("general.log_format", "\"json\""))) {
      OrchProcess.Result fromConfig = orch.orch("-v", "start", "core/E01");
      assertThat(fromConfig.exit()).as(fromConfig.toString()).isZero();
      assertThat(jsonLines(fromConfig)).as(fromConfig.err())
          .anySatisfy(line -> assertAbout(line, "core/E01", "1", "core/E01 run 1: agent started"));

      OrchProcess.Result asText = orch.orch("-v", "--log-format", "text", "start", "core/E02");
      assertThat(asText.exit()).as(asText.toString()).isZero();
      assertThat(asText.err()).as("people's lines, as before")
          .containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  d\\.o\\.e\\.RunSupervisor core/E02 run 2: agent started")
          .doesNotContain("{\"");
    }
  }

  @Test
  void aBadFormatIsAUsageErrorNamingTheOptionOrTheKey() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    PlanTree tree = PlanTree.create(tmp.resolve("repo"));
    OrchProcess orch = new OrchProcess(home, Map.of());

    OrchProcess.Result badFlag = orch.run(tree.root(), "--log-format", "xml", "status");
    assertThat(badFlag.exit()).as(badFlag.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFlag.err()).contains("Invalid value for option '--log-format': expected text or json, got 'xml'");

    Path config = tree.root().resolve(".claude-orchestrator.toml");
    Files.writeString(config, "[general]\nlog_format = \"xml\"\n");
    OrchProcess.Result badKey = orch.run(tree.root(), "status");
    assertThat(badKey.exit()).as(badKey.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(badKey.err()).contains(config.toRealPath() + ":2: 'general.log_format' must be one of text, json");
  }

  /** Two small tasks, each written and committed by orch's stand-in agent (no Claude Code CLI needed). */
  private OrchHarness harness(Map<String, String> settings) throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/core/epic-01-base.md", ScriptBook.writeAndCommit("core/base.txt", "base\n", "core base", "done"))
        .on("docs/plans/core/epic-02-more.md", ScriptBook.writeAndCommit("core/more.txt", "more\n", "core more", "done"));
    String standIn = Path.of(System.getProperty("java.home"), "bin", "java") + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
        + " -cp " + OrchProcess.jar() + " dev.orch.scripted.StandInAgent";
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("claude.command", "\"" + standIn + "\"");
    OrchHarness orch = new OrchHarness(tmp, book, all);
    orch.tree.plan("core/epic-01-base.md", PlanTree.task("Base")).plan("core/epic-02-more.md", PlanTree.task("More"));
    orch.commitPlan();
    return orch;
  }

  /** Every line orch wrote to stderr, each of which must be one JSON object with the fields every line has. */
  private static List<JsonNode> jsonLines(OrchProcess.Result result) {
    List<String> lines = result.err().lines().filter(line -> !line.isBlank()).toList();
    assertThat(lines).as("log lines").isNotEmpty();
    return lines.stream().map(line -> {
      try {
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        assertThat(node.has("timestamp") && node.has("level") && node.has("loggerName") && node.has("formattedMessage"))
            .as(line).isTrue();
        return node;
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON line: " + line, e);
      }
    }).toList();
  }

  /** {@code runId} null: the line carries no run id. */
  private static void assertAbout(JsonNode line, String taskId, String runId, String message) {
    assertThat(line.get("formattedMessage").asText()).startsWith(message);
    assertThat(line.path("task_id").asText()).isEqualTo(taskId);
    assertThat(line.has("run_id")).isEqualTo(runId != null);
    if (runId != null) {
      assertThat(line.get("run_id").asText()).isEqualTo(runId);
    }
  }
}
