package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.contract.TaskId;
import dev.orch.logging.TaskLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** orch's log lines in each format, through the shipped logback.xml to stderr. */
class LogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TaskId TASK = TaskId.parseFull("billing/E05");

  @Test
  void jsonWritesOneObjectPerLineWithTheMessageLevelLoggerTimeAndTheTaskAndRunIds() throws Exception {
    long before = System.currentTimeMillis();
    String err = stderrOf(LogFormat.JSON, log -> {
      TaskLog.info(log, TASK, 7).log("{} run {}: agent started (pid {})", TASK, 7, 4242);
      TaskLog.warn(log, TASK).log("{}: pull request #{} needs a person: {}", TASK, 3, "touches\nauth");
      log.warn("dispatch failed: {}", "the store is busy");
      log.warn("reading agent output failed", new IllegalStateException("the disk is full"));
    });

    List<JsonNode> lines = new ArrayList<>();
    for (String line : err.split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSize(4).allSatisfy(line -> assertThat(line.isObject()).isTrue());
    JsonNode started = lines.get(0);
    assertThat(started.get("formattedMessage").asText()).isEqualTo("billing/E05 run 7: agent started (pid 4242)");
    assertThat(started.get("level").asText()).isEqualTo("INFO");
    assertThat(started.get("loggerName").asText()).isEqualTo("dev.orch.executor.RunSupervisor");
    assertThat(started.get("timestamp").asLong()).isBetween(before, System.currentTimeMillis());
    assertThat(started.get("task_id").asText()).isEqualTo("billing/E05");
    assertThat(started.get("run_id").asText()).isEqualTo("7");
    assertThat(started.has("kvpList")).as("the ids are fields of their own").isFalse();
    assertThat(started.has("throwable")).isFalse();

    JsonNode flagged = lines.get(1);
    assertThat(flagged.get("level").asText()).isEqualTo("WARN");
    assertThat(flagged.get("formattedMessage").asText()).isEqualTo("billing/E05: pull request #3 needs a person: touches\nauth");
    assertThat(flagged.get("task_id").asText()).isEqualTo("billing/E05");
    assertThat(flagged.has("run_id")).isFalse();

    assertThat(lines.get(2).has("task_id")).as("a line about no task").isFalse();
    assertThat(lines.get(2).get("formattedMessage").asText()).isEqualTo("dispatch failed: the store is busy");
    JsonNode failure = lines.get(3).get("throwable");
    assertThat(failure.get("className").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(failure.get("message").asText()).isEqualTo("the disk is full");
  }

  @Test
  void textLinesReadAsBeforeWithoutTheIdsAppended() throws Exception {
    String err = stderrOf(LogFormat.TEXT, log -> TaskLog.info(log, TASK, 7).log("{} run {}: agent started", TASK, 7));

    assertThat(err).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  d\\.o\\.e\\.RunSupervisor billing/E05 run 7: agent started\n");
  }

  @Test
  void controlCharactersInAMessageStayInertOnATerminalAndReadBackUnchanged() throws Exception {
    String title = "Evil \u001b]0;owned\u0007 \u009b2J \u202eabc";
    String err = stderrOf(LogFormat.JSON, log -> TaskLog.warn(log, TASK).log("{}: {}", TASK, title));

    assertThat(err.chars().filter(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c == 0x202e)).isEmpty();
    assertThat(JSON.readTree(err).get("formattedMessage").asText()).isEqualTo("billing/E05: " + title);
  }

  @Test
  void aBadFormatIsAUsageErrorNamingTheOption() {
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = OrchCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("--log-format", "xml", "help");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--log-format").contains("expected text or json, got 'xml'");
  }

  /** What a logger of a context configured from the shipped logback.xml, switched to {@code format}, writes. */
  private static String stderrOf(LogFormat format, Consumer<Logger> logging) throws Exception {
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    // What SLF4J's start-up gives the context it makes; a context of one's own needs it given.
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      // The console appender looks System.err up at each write, so it writes to the capture as long as it is set.
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
      format.apply(context);
      logging.accept(context.getLogger("dev.orch.executor.RunSupervisor"));
    } finally {
      context.stop();
      System.setErr(realErr);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
