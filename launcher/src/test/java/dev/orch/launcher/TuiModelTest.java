package dev.orch.launcher;

import static dev.orch.launcher.TuiFixtures.run;
import static dev.orch.launcher.TuiFixtures.snapshot;
import static dev.orch.launcher.TuiFixtures.task;
import static dev.orch.launcher.TuiFixtures.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.TaskStatus;
import dev.orch.launcher.TuiModel.Action;
import dev.orch.launcher.TuiModel.Key;
import dev.orch.launcher.TuiModel.Mode;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TuiModelTest {
  private final TuiModel model = new TuiModel();

  @Test
  void arrowsMoveTheSelectionAndStopAtEitherEnd() {
    model.update(snapshot(tasks(3)));
    assertThat(model.selectedId()).isEqualTo("app/E01");
    model.key(Key.UP);
    assertThat(model.selected()).isZero();
    model.key(Key.DOWN);
    model.key(Key.DOWN);
    model.key(Key.DOWN);
    assertThat(model.selectedId()).isEqualTo("app/E03");
    model.key(Key.HOME);
    assertThat(model.selectedId()).isEqualTo("app/E01");
    model.key(Key.END);
    assertThat(model.selectedId()).isEqualTo("app/E03");
  }

  @Test
  void theSelectionStaysOnItsTaskWhenTheListChangesAroundIt() {
    model.update(snapshot(tasks(3)));
    model.key(Key.DOWN);
    model.update(snapshot(List.of(task("app/E00", "New first", TaskStatus.NOT_STARTED), tasks(3).get(0),
        tasks(3).get(1), tasks(3).get(2))));
    assertThat(model.selectedId()).isEqualTo("app/E02");
    assertThat(model.selected()).isEqualTo(2);
    model.update(snapshot(tasks(1)));
    assertThat(model.selectedId()).as("its task is gone: the nearest row that is left").isEqualTo("app/E01");
  }

  @Test
  void enterOpensTheSelectedTasksLogAndQOrEscapeComesBack() {
    model.update(snapshot(tasks(3)));
    model.key(Key.DOWN);
    assertThat(model.key(Key.ENTER)).isEqualTo(Action.OPEN_LOG);
    assertThat(model.mode()).isEqualTo(Mode.LOG);
    assertThat(model.logTaskId()).isEqualTo("app/E02");
    assertThat(model.logTitle()).isEqualTo("Task 2");
    assertThat(model.key(Key.Q)).isEqualTo(Action.CLOSE_LOG);
    assertThat(model.mode()).isEqualTo(Mode.LIST);
    assertThat(model.selectedId()).isEqualTo("app/E02");
    model.key(Key.ENTER);
    assertThat(model.key(Key.ESCAPE)).isEqualTo(Action.CLOSE_LOG);
  }

  @Test
  void qQuitsFromTheListAndCtrlCQuitsFromAnywhere() {
    model.update(snapshot(tasks(2)));
    assertThat(model.key(Key.ESCAPE)).isEqualTo(Action.NONE);
    assertThat(model.key(Key.Q)).isEqualTo(Action.QUIT);
    model.key(Key.ENTER);
    assertThat(model.key(Key.INTERRUPT)).isEqualTo(Action.QUIT);
  }

  @Test
  void enterOnAnEmptyListDoesNothing() {
    model.update(snapshot(List.of()));
    assertThat(model.key(Key.ENTER)).isEqualTo(Action.NONE);
    assertThat(model.mode()).isEqualTo(Mode.LIST);
  }

  @Test
  void logLinesForALogClosedOrReopenedSinceAreDropped() {
    model.update(snapshot(tasks(2)));
    model.key(Key.ENTER);
    int first = model.generation();
    model.log(first, run(1, "app/E01", 0), List.of(AgentEvent.text(AgentEvent.Kind.TEXT, "hello")), true, null);
    assertThat(model.logLines()).containsExactly("[agent]  hello");
    model.key(Key.Q);
    model.key(Key.DOWN);
    model.key(Key.ENTER);
    model.log(first, run(1, "app/E01", 0), List.of(AgentEvent.text(AgentEvent.Kind.TEXT, "late")), false, null);
    assertThat(model.logLines()).isEmpty();
    assertThat(model.logTaskId()).isEqualTo("app/E02");
  }

  @Test
  void theLogFollowsItsEndUntilScrolledUpAndFollowsAgainBackAtTheEnd() {
    model.update(snapshot(tasks(1)));
    model.key(Key.ENTER);
    List<AgentEvent> thirty = IntStream.range(0, 30).mapToObj(i -> AgentEvent.text(AgentEvent.Kind.TEXT, "line " + i))
        .toList();
    model.log(model.generation(), run(1, "app/E01", 0), thirty, true, null);
    model.placeLog(30, 10);
    assertThat(model.logTop()).isEqualTo(20);
    assertThat(model.following()).isTrue();
    model.key(Key.UP);
    model.placeLog(40, 10);
    assertThat(model.following()).isFalse();
    assertThat(model.logTop()).as("new lines do not move a person who scrolled up").isEqualTo(19);
    model.key(Key.PAGE_DOWN);
    model.key(Key.PAGE_DOWN);
    model.placeLog(40, 10);
    assertThat(model.following()).isTrue();
    assertThat(model.logTop()).isEqualTo(30);
    model.key(Key.HOME);
    model.placeLog(40, 10);
    assertThat(model.logTop()).isZero();
    model.key(Key.END);
    model.placeLog(45, 10);
    assertThat(model.logTop()).isEqualTo(35);
  }

  @Test
  void theListScrollsToKeepTheSelectionInView() {
    model.update(snapshot(tasks(50)));
    model.placeList(10);
    model.key(Key.PAGE_DOWN);
    model.key(Key.PAGE_DOWN);
    model.key(Key.DOWN);
    model.placeList(10);
    assertThat(model.selected()).isEqualTo(21);
    assertThat(model.listTop()).isEqualTo(12);
    model.key(Key.UP);
    model.key(Key.PAGE_UP);
    model.key(Key.PAGE_UP);
    model.placeList(10);
    assertThat(model.selected()).isEqualTo(0);
    assertThat(model.listTop()).isZero();
    model.key(Key.END);
    model.placeList(10);
    assertThat(model.listTop()).isEqualTo(40);
    model.placeList(30);
    assertThat(model.listTop()).as("a taller screen shows more of the list, not less").isEqualTo(20);
  }

  @Test
  void aVeryLongLogKeepsItsNewestLines() {
    model.update(snapshot(tasks(1)));
    model.key(Key.ENTER);
    List<AgentEvent> many = IntStream.range(0, TuiModel.MAX_LOG_LINES + 5)
        .mapToObj(i -> AgentEvent.text(AgentEvent.Kind.TEXT, "line " + i)).toList();
    model.log(model.generation(), run(1, "app/E01", 0), many, true, null);
    assertThat(model.logLines()).hasSize(TuiModel.MAX_LOG_LINES).first().isEqualTo("[agent]  line 5");
  }
}
