package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.orch.contract.AgentEvent;
import dev.orch.contract.PrState;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.StartResult;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskView;
import dev.orch.text.AgentEventText;
import dev.orch.text.CommandText;
import dev.orch.text.StatusText;
import dev.orch.text.TaskTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every way orch writes to a terminal, fed a plan title and agent text full of escape sequences (audit L3). */
class TerminalOutputTest {
  private static final String EVIL = "Evil \u001b]0;owned\u0007\u001b[2J\u001b]8;;http://evil.invalid\u001b\\link"
      + "\u001b]8;;\u001b\\ \u009b1m \u202eexe.txt\r\nforged line";

  @Test
  void l3_the_shared_renderers_print_titles_reasons_and_agent_text_inert() {
    TaskView task = new TaskView("mod/E01", "mod", "", 1, EVIL, TaskStatus.FAILED, Priority.HIGH, List.of(), false, EVIL,
        "docs/plans/mod/epic-01.md", false, 0, 0, 0, 1, 0, EVIL);
    PullRequestView pr = new PullRequestView(3, TaskId.parseFull("mod/E01"), 1, "orch/mod-E01", EVIL, EVIL, PrState.FLAGGED, EVIL, null,
        null, 1, 1, 0, "", 0, 0, 0, 0, null, 0, List.of(), null, null, null, 0);
    StatusSummary summary = new StatusSummary(1, Map.of("failed", 1), 0, List.of(new StatusSummary.BlockedTask("mod/E01",
        EVIL)), List.of(), 0, List.of(EVIL), List.of(task));
    assertInert(out -> new TaskTable(List.of(task)).print(out));
    assertInert(out -> CommandText.pullRequests(out, List.of(pr)));
    assertInert(out -> CommandText.merged(out, pr));
    assertInert(out -> CommandText.rejected(out, pr));
    assertInert(out -> CommandText.taskChanged(out, task, "stopped"));
    assertInert(out -> CommandText.started(out, new StartResult(List.of(), List.of(new StartResult.Refusal("mod/E01",
        EVIL))), "started"));
    assertInert(out -> {
      StatusText.tasks(out, summary);
      StatusText.footer(out, summary);
    });
    assertInert(out -> {
      for (AgentEvent.Kind kind : AgentEvent.Kind.values()) {
        out.println(AgentEventText.describe(AgentEvent.text(kind, EVIL)));
      }
    });
  }

  @Test
  void l3_whatever_a_command_prints_goes_through_the_filter_and_the_help_has_no_colours() {
    String before = System.getProperty("picocli.ansi");
    System.setProperty("picocli.ansi", "true");
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Main.run(new String[] {"--help"}, new PrintWriter(out), new PrintWriter(err));
      assertThat(out.toString()).contains("Usage:").doesNotContain("\u001b");
      Main.run(new String[] {"--no-such-option" + EVIL}, new PrintWriter(out), new PrintWriter(err));
      assertThat(err.toString()).contains("--no-such-option").contains("\\u001b]0;owned");
      assertThat(inert(out.toString() + err.toString())).isTrue();
    } finally {
      if (before == null) {
        System.clearProperty("picocli.ansi");
      } else {
        System.setProperty("picocli.ansi", before);
      }
    }
  }

  @Test
  void l3_log_messages_are_printed_inert() {
    LoggerContext context = new LoggerContext();
    PrintableLogMessage converter = new PrintableLogMessage();
    converter.setContext(context);
    converter.start();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.orch.test"), Level.WARN, "task {} failed: {}",
        null, new Object[] {"mod/E01", EVIL});
    String message = converter.convert(event);
    assertThat(message).startsWith("task mod/E01 failed: Evil \\u001b]0;owned");
    assertThat(inert(message)).isTrue();
  }

  @Test
  void l3_the_shipped_logback_config_uses_the_converter_without_a_warning() throws Exception {
    LoggerContext context = new LoggerContext();
    ch.qos.logback.classic.joran.JoranConfigurator configurator = new ch.qos.logback.classic.joran.JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(TerminalOutputTest.class.getResource("/logback.xml"));
    // A warning makes logback print its whole status to stdout, which belongs to command output.
    assertThat(new ch.qos.logback.core.status.StatusUtil(context).getHighestLevel(0))
        .isLessThan(ch.qos.logback.core.status.Status.WARN);
    assertThat(context.getStatusManager().getCopyOfStatusList()).extracting(Object::toString)
        .anySatisfy(line -> assertThat(line).contains("PrintableLogMessage"));
  }

  private static void assertInert(Consumer<PrintWriter> render) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    render.accept(out);
    out.flush();
    assertThat(inert(text.toString())).as(text.toString()).isTrue();
    assertThat(text.toString()).contains("\\u001b");
  }

  /** Nothing a terminal obeys: no C0 but newlines, no DEL, no C1, no bidi controls. */
  private static boolean inert(String text) {
    return text.chars().noneMatch(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
  }
}
