package dev.orch.launcher;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskView;
import dev.orch.text.AgentEventText;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of {@code orch tui} and what each key does to it: the task list with its selection and scroll position,
 * or one task's log with its own. It holds no terminal and no connection, so it is tested with plain calls; the
 * screen's size reaches it only through {@link #placeList} and {@link #placeLog}, which the layout calls.
 */
final class TuiModel {
  /** Older log lines are dropped past this many, so a long run cannot grow the view without bound. */
  static final int MAX_LOG_LINES = 20_000;

  enum Key { UP, DOWN, PAGE_UP, PAGE_DOWN, HOME, END, ENTER, Q, ESCAPE, INTERRUPT }

  /** What the command must do after a key, beyond drawing again. */
  enum Action { NONE, OPEN_LOG, CLOSE_LOG, QUIT }

  enum Mode { LIST, LOG }

  private TuiSnapshot snapshot;
  private Mode mode = Mode.LIST;
  private int selected;
  private String selectedId;
  private int listTop;
  private int listPage = 1;

  private int generation;
  private String logTaskId;
  private String logTitle;
  private RunView logRun;
  private String logNote;
  private final List<String> logLines = new ArrayList<>();
  private int logTop;
  private int logMaxTop;
  private int logPage = 1;
  private boolean follow = true;

  /** A new reading of orch's state; the selection stays on the same task when it is still there. */
  void update(TuiSnapshot next) {
    snapshot = next;
    List<TaskView> tasks = next.tasks();
    int index = selectedId == null ? -1 : indexOf(tasks, selectedId);
    selected = index >= 0 ? index : Math.max(0, Math.min(selected, tasks.size() - 1));
    selectedId = tasks.isEmpty() ? null : tasks.get(selected).id();
  }

  Action key(Key key) {
    if (key == Key.INTERRUPT) {
      return Action.QUIT;
    }
    return mode == Mode.LIST ? listKey(key) : logKey(key);
  }

  private Action listKey(Key key) {
    int count = tasks().size();
    switch (key) {
      case UP -> select(selected - 1);
      case DOWN -> select(selected + 1);
      case PAGE_UP -> select(selected - listPage);
      case PAGE_DOWN -> select(selected + listPage);
      case HOME -> select(0);
      case END -> select(count - 1);
      case ENTER -> {
        if (count == 0) {
          return Action.NONE;
        }
        openLog(tasks().get(selected));
        return Action.OPEN_LOG;
      }
      case Q -> {
        return Action.QUIT;
      }
      default -> {
        return Action.NONE;
      }
    }
    return Action.NONE;
  }

  private Action logKey(Key key) {
    switch (key) {
      case UP -> scrollLog(-1);
      case DOWN -> scrollLog(1);
      case PAGE_UP -> scrollLog(-logPage);
      case PAGE_DOWN -> scrollLog(logPage);
      case HOME -> {
        follow = false;
        logTop = 0;
      }
      case END -> follow = true;
      case Q, ESCAPE -> {
        mode = Mode.LIST;
        logTaskId = null;
        return Action.CLOSE_LOG;
      }
      default -> {
        return Action.NONE;
      }
    }
    return Action.NONE;
  }

  private void select(int index) {
    List<TaskView> tasks = tasks();
    if (tasks.isEmpty()) {
      return;
    }
    selected = Math.max(0, Math.min(index, tasks.size() - 1));
    selectedId = tasks.get(selected).id();
  }

  private void openLog(TaskView task) {
    mode = Mode.LOG;
    generation++;
    logTaskId = task.id();
    logTitle = task.title();
    logRun = null;
    logNote = "reading the log…";
    logLines.clear();
    logTop = 0;
    logMaxTop = 0;
    follow = true;
  }

  private void scrollLog(int delta) {
    if (follow) {
      logTop = logMaxTop;
    }
    logTop = Math.max(0, Math.min(logTop + delta, logMaxTop));
    // Back at the end (or a log that fits on the screen): new lines show as they come again.
    follow = logTop >= logMaxTop && (delta > 0 || logMaxTop == 0);
  }

  /**
   * More of the open log, from the feed. {@code generation} says which opening it is for: what arrives for a log
   * already closed or reopened is dropped. {@code reset} starts the lines over (another run, or the first page).
   */
  void log(int forGeneration, RunView run, List<AgentEvent> events, boolean reset, String note) {
    if (mode != Mode.LOG || forGeneration != generation) {
      return;
    }
    if (reset) {
      logLines.clear();
    }
    logRun = run;
    logNote = note;
    for (AgentEvent event : events) {
      logLines.addAll(List.of(AgentEventText.describe(event).split("\n", -1)));
    }
    if (logLines.size() > MAX_LOG_LINES) {
      logLines.subList(0, logLines.size() - MAX_LOG_LINES).clear();
    }
  }

  /** The layout says how many rows the list has room for; the first shown row follows the selection. */
  void placeList(int rows) {
    listPage = Math.max(1, rows);
    if (selected < listTop) {
      listTop = selected;
    } else if (selected >= listTop + listPage) {
      listTop = selected - listPage + 1;
    }
    listTop = Math.max(0, Math.min(listTop, Math.max(0, tasks().size() - listPage)));
  }

  /**
   * The layout says how many (wrapped) lines the log has and how many fit; the view sticks to the end while it follows,
   * and following resumes once the person scrolls back down to the end.
   */
  void placeLog(int lines, int rows) {
    logPage = Math.max(1, rows);
    logMaxTop = Math.max(0, lines - logPage);
    if (follow) {
      logTop = logMaxTop;
    } else {
      logTop = Math.max(0, Math.min(logTop, logMaxTop));
    }
  }

  private static int indexOf(List<TaskView> tasks, String id) {
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  TuiSnapshot snapshot() {
    return snapshot;
  }

  List<TaskView> tasks() {
    return snapshot == null ? List.of() : snapshot.tasks();
  }

  Mode mode() {
    return mode;
  }

  int selected() {
    return selected;
  }

  String selectedId() {
    return selectedId;
  }

  int listTop() {
    return listTop;
  }

  int generation() {
    return generation;
  }

  String logTaskId() {
    return logTaskId;
  }

  String logTitle() {
    return logTitle;
  }

  RunView logRun() {
    return logRun;
  }

  String logNote() {
    return logNote;
  }

  List<String> logLines() {
    return logLines;
  }

  int logTop() {
    return logTop;
  }

  boolean following() {
    return follow;
  }
}
