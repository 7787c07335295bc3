package dev.orch.launcher;

import static dev.orch.launcher.TuiFixtures.run;
import static dev.orch.launcher.TuiFixtures.snapshot;
import static dev.orch.launcher.TuiFixtures.task;
import static dev.orch.launcher.TuiFixtures.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuiLayoutTest {
  private static final Instant NOW = Instant.parse("2026-11-29T15:04:05Z");
  private final TuiLayout layout = new TuiLayout(Clock.fixed(NOW, ZoneOffset.UTC));
  private final TuiModel model = new TuiModel();

  @Test
  void everyScreenFillsItsHeightAndNoLineIsWiderThanIt() {
    model.update(snapshot(List.of(task("app/E01", "A title far longer than any screen is wide ".repeat(8),
        TaskStatus.RUNNING)), Map.of("app/E01", run(1, "app/E01", NOW.toEpochMilli() - 65_000))));
    for (int width : new int[] {1, 20, 33, 50, 80, 200}) {
      for (int height : new int[] {1, 6, 24, 60}) {
        TuiLayout.Screen screen = layout.render(model, width, height);
        assertThat(screen.lines()).as(width + "x" + height).hasSize(Math.max(height, 6))
            .allMatch(line -> line.length() <= Math.max(width, 20));
      }
    }
  }

  @Test
  void theListShowsEachTaskWithTheSelectionMarkedAndHighlighted() {
    model.update(snapshot(tasks(3)));
    model.key(TuiModel.Key.DOWN);
    TuiLayout.Screen screen = layout.render(model, 100, 12);
    List<String> lines = screen.lines();
    assertThat(lines.get(0)).startsWith("orch tui   " + TuiFixtures.SOURCE).endsWith("15:04:05");
    assertThat(lines.get(1)).startsWith("Tasks 3:  not_started 3");
    assertThat(lines.get(3)).startsWith("  ID       STATUS       PRIO    READY  AGENT            TITLE");
    assertThat(lines.get(4)).startsWith("  app/E01  not_started  medium  -      -                Task 1");
    assertThat(lines.get(5)).startsWith("> app/E02");
    assertThat(screen.highlight()).isEqualTo(5);
    assertThat(lines.get(11)).startsWith("j/k or ↑/↓ move").endsWith("2/3");
  }

  @Test
  void aLiveRunShowsItsElapsedTimeAndCostInTheAgentColumn() {
    model.update(snapshot(List.of(task("app/E01", "Greeting", TaskStatus.RUNNING)),
        Map.of("app/E01", run(7, "app/E01", NOW.toEpochMilli() - 125_000))));
    List<String> lines = layout.render(model, 100, 8).lines();
    assertThat(lines.get(4)).contains("running", "2m5s $0.0000", "Greeting");
    assertThat(lines.get(1)).contains("agents 1");
  }

  @Test
  void aNarrowScreenDropsTheAgentColumnThenThePriorityAndCutsTheTitle() {
    List<TaskView> tasks = List.of(task("app/E01", "Write the greeting module with tests", TaskStatus.NOT_STARTED));
    assertThat(TuiLayout.columns(tasks, 100)).extracting(TuiLayout.Columns::agent, TuiLayout.Columns::priority)
        .containsExactly(true, true);
    assertThat(TuiLayout.columns(tasks, 60)).extracting(TuiLayout.Columns::agent, TuiLayout.Columns::priority)
        .containsExactly(false, true);
    assertThat(TuiLayout.columns(tasks, 50)).extracting(TuiLayout.Columns::agent, TuiLayout.Columns::priority,
        TuiLayout.Columns::ready).containsExactly(false, false, true);
    model.update(snapshot(tasks));
    String row = layout.render(model, 50, 8).lines().get(4);
    assertThat(row).hasSize(50).startsWith("> app/E01  not_started  -      Write").endsWith("…");
    assertThat(layout.render(model, 140, 8).lines().get(4)).endsWith("Write the greeting module with tests");
  }

  @Test
  void aLongListShowsTheRowsAroundTheSelection() {
    model.update(snapshot(tasks(40)));
    model.key(TuiModel.Key.END);
    List<String> lines = layout.render(model, 80, 15).lines();
    assertThat(lines.subList(4, 14)).first().asString().contains("app/E31");
    assertThat(lines.get(13)).startsWith("> app/E40");
    assertThat(lines.get(14)).endsWith("40/40");
  }

  @Test
  void escapeSequencesInATitleAreShownInert() {
    model.update(snapshot(List.of(task("app/E01", "Greeting \u001b]0;owned\u0007\u001b[2J \u202eevil",
        TaskStatus.NOT_STARTED))));
    String screen = String.join("\n", layout.render(model, 150, 8).lines());
    assertThat(screen).contains("Greeting \\u001b]0;owned\\u0007\\u001b[2J \\u202eevil").doesNotContain("\u001b")
        .doesNotContain("\u202e");
  }

  @Test
  void anEmptyStoreAndAnOrchThatStoppedAnsweringAreSaid() {
    model.update(snapshot(List.of()));
    assertThat(layout.render(model, 100, 8).lines().get(4)).contains("No tasks", "orch sync");
    model.update(snapshot(tasks(2)).failed("orch at http://127.0.0.1:1 did not answer: Connection refused"));
    List<String> lines = layout.render(model, 100, 8).lines();
    assertThat(lines.get(2)).isEqualTo("orch is not answering: orch at http://127.0.0.1:1 did not answer: Connection refused");
    assertThat(lines.get(4)).contains("app/E01");
  }

  @Test
  void theLogShowsTheTaskItsRunAndItsNewestLinesWrappedToTheWidth() {
    model.update(snapshot(tasks(2)));
    model.key(TuiModel.Key.DOWN);
    model.key(TuiModel.Key.ENTER);
    assertThat(layout.render(model, 60, 8).lines().get(2)).isEqualTo("reading the log…");
    model.log(model.generation(), run(3, "app/E02", NOW.toEpochMilli() - 5_000), List.of(
        AgentEvent.text(AgentEvent.Kind.TEXT, "first"),
        AgentEvent.text(AgentEvent.Kind.TEXT, "x".repeat(100)),
        AgentEvent.text(AgentEvent.Kind.TEXT, "last")), true, null);
    List<String> lines = layout.render(model, 60, 10).lines();
    assertThat(lines.get(0)).startsWith("orch tui   app/E02  Task 2");
    assertThat(lines.get(1)).isEqualTo("run 3 (attempt 1), starting, 5s, 0 tokens, $0.0000");
    assertThat(lines.get(2)).isEqualTo("log /logs/run-3.jsonl");
    assertThat(lines.subList(4, 9)).containsExactly("[agent]  first", "[agent]  " + "x".repeat(51), "x".repeat(49),
        "[agent]  last", "");
    assertThat(lines.get(9)).startsWith("j/k or ↑/↓ scroll").endsWith("following");

    List<String> short3 = layout.render(model, 60, 8).lines();
    assertThat(short3.subList(4, 7)).as("the newest lines, while following")
        .containsExactly("[agent]  " + "x".repeat(51), "x".repeat(49), "[agent]  last");
    model.key(TuiModel.Key.HOME);
    assertThat(layout.render(model, 60, 8).lines()).contains("[agent]  first").last().asString().endsWith("line 1/4");
  }

  @Test
  void aTaskWithoutRunsSaysSo() {
    model.update(snapshot(tasks(1)));
    model.key(TuiModel.Key.ENTER);
    model.log(model.generation(), null, List.of(), true, "app/E01 has no runs yet");
    assertThat(layout.render(model, 60, 8).lines().get(2)).isEqualTo("app/E01 has no runs yet");
  }
}
