package dev.orch.launcher;

import dev.orch.contract.RunView;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import dev.orch.text.Durations;
import dev.orch.text.Printable;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays {@code orch tui}'s state out on a screen of a given size: exactly {@code height} lines, none longer than
 * {@code width}. Columns give way to the title on a narrow screen, the list scrolls to keep the selection in view and
 * the log wraps its lines. Every text from a plan or an agent passes through {@link Printable}, so none of it can move
 * the cursor or retitle the window.
 */
final class TuiLayout {
  /** Lines above the list or log (title, counts, notice, column header) and below it (the keys). */
  static final int HEADER_LINES = 4;
  static final int FOOTER_LINES = 1;
  private static final int STATUS_WIDTH = 11;
  private static final int PRIORITY_WIDTH = 6;
  private static final int READY_WIDTH = 5;
  private static final int AGENT_WIDTH = 15;
  private static final int MAX_ID_WIDTH = 24;
  /** Below this many columns for the title, the optional columns go, the agent's first. */
  private static final int MIN_TITLE = 16;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  /** The lines to show and which one is the selected row (-1: none). */
  record Screen(List<String> lines, int highlight) {
  }

  /** The columns a screen this wide has room for. */
  record Columns(int id, boolean priority, boolean ready, boolean agent, int title) {
  }

  private final Clock clock;

  TuiLayout(Clock clock) {
    this.clock = clock;
  }

  Screen render(TuiModel model, int width, int height) {
    int w = Math.max(20, width);
    int h = Math.max(HEADER_LINES + FOOTER_LINES + 1, height);
    return model.mode() == TuiModel.Mode.LOG ? log(model, w, h) : list(model, w, h);
  }

  private Screen list(TuiModel model, int width, int height) {
    List<String> lines = new ArrayList<>();
    TuiSnapshot snapshot = model.snapshot();
    lines.add(titleBar("orch tui   " + (snapshot == null ? "connecting…" : snapshot.source()), width));
    lines.add(fit(snapshot == null || snapshot.summary() == null ? "" : counts(snapshot), width));
    lines.add(fit(notice(snapshot), width));
    List<TaskView> tasks = model.tasks();
    Columns columns = columns(tasks, width);
    lines.add(fit(row(columns, "  ", "ID", "STATUS", "PRIO", "READY", "AGENT", "TITLE"), width));
    int rows = height - HEADER_LINES - FOOTER_LINES;
    model.placeList(rows);
    int highlight = -1;
    long now = clock.millis();
    for (int i = model.listTop(); i < Math.min(tasks.size(), model.listTop() + rows); i++) {
      TaskView task = tasks.get(i);
      boolean chosen = i == model.selected();
      if (chosen) {
        highlight = lines.size();
      }
      RunView run = snapshot.liveRuns().get(task.id());
      lines.add(fit(row(columns, chosen ? "> " : "  ", task.id(), task.status().wire(), task.priority().wire(),
          task.ready() ? "yes" : "-", run == null ? "-" : agent(run, now), title(task)), width));
    }
    if (snapshot != null && tasks.isEmpty()) {
      lines.add(fit("  No tasks: the store has none yet (orch sync reads the plans).", width));
    }
    pad(lines, height - FOOTER_LINES);
    String position = tasks.isEmpty() ? "" : (model.selected() + 1) + "/" + tasks.size();
    lines.add(spread("j/k or ↑/↓ move  PgUp/PgDn  Enter: log  q: quit", position, width));
    return new Screen(List.copyOf(lines), highlight);
  }

  private Screen log(TuiModel model, int width, int height) {
    List<String> lines = new ArrayList<>();
    lines.add(titleBar("orch tui   " + model.logTaskId() + "  " + Printable.line(model.logTitle()), width));
    RunView run = model.logRun();
    lines.add(fit(run == null ? "" : runLine(run, clock.millis()), width));
    lines.add(fit(model.logNote() != null ? model.logNote() : run == null ? "" : "log " + run.logFile(), width));
    lines.add("-".repeat(width));
    List<String> wrapped = new ArrayList<>();
    for (String line : model.logLines()) {
      wrap(Printable.line(line), width, wrapped);
    }
    int rows = height - HEADER_LINES - FOOTER_LINES;
    model.placeLog(wrapped.size(), rows);
    for (int i = model.logTop(); i < Math.min(wrapped.size(), model.logTop() + rows); i++) {
      lines.add(wrapped.get(i));
    }
    pad(lines, height - FOOTER_LINES);
    String position = model.following() ? "following" : "line " + (model.logTop() + 1) + "/" + wrapped.size();
    lines.add(spread("j/k or ↑/↓ scroll  PgUp/PgDn  End: follow  q/Esc: back  Ctrl-C: quit", position, width));
    return new Screen(List.copyOf(lines), -1);
  }

  /** Which columns fit: the title keeps at least {@link #MIN_TITLE} columns while any optional one can go. */
  static Columns columns(List<TaskView> tasks, int width) {
    int id = Math.min(MAX_ID_WIDTH, Math.max(2, tasks.stream().mapToInt(t -> t.id().length()).max().orElse(2)));
    boolean agent = true;
    boolean priority = true;
    boolean ready = true;
    int title = titleWidth(width, id, priority, ready, agent);
    if (title < MIN_TITLE) {
      agent = false;
      title = titleWidth(width, id, priority, ready, agent);
    }
    if (title < MIN_TITLE) {
      priority = false;
      title = titleWidth(width, id, priority, ready, agent);
    }
    if (title < MIN_TITLE) {
      ready = false;
      title = titleWidth(width, id, priority, ready, agent);
    }
    return new Columns(id, priority, ready, agent, Math.max(1, title));
  }

  private static int titleWidth(int width, int id, boolean priority, boolean ready, boolean agent) {
    int used = 2 + id + 2 + STATUS_WIDTH + 2;
    used += priority ? PRIORITY_WIDTH + 2 : 0;
    used += ready ? READY_WIDTH + 2 : 0;
    used += agent ? AGENT_WIDTH + 2 : 0;
    return width - used;
  }

  private static String row(Columns c, String marker, String id, String status, String priority, String ready,
      String agent, String title) {
    StringBuilder row = new StringBuilder(marker).append(cell(id, c.id())).append("  ").append(cell(status, STATUS_WIDTH))
        .append("  ");
    if (c.priority()) {
      row.append(cell(priority, PRIORITY_WIDTH)).append("  ");
    }
    if (c.ready()) {
      row.append(cell(ready, READY_WIDTH)).append("  ");
    }
    if (c.agent()) {
      row.append(cell(agent, AGENT_WIDTH)).append("  ");
    }
    return row.append(title).toString();
  }

  private static String counts(TuiSnapshot snapshot) {
    StatusSummary s = snapshot.summary();
    StringBuilder text = new StringBuilder("Tasks " + s.total() + ":");
    for (TaskStatus status : TaskStatus.values()) {
      Integer count = s.counts().get(status.wire());
      if (count != null) {
        text.append("  ").append(status.wire()).append(' ').append(count);
      }
    }
    double cost = snapshot.liveRuns().values().stream().mapToDouble(RunView::costUsd).sum();
    text.append("   ready ").append(s.ready()).append("   agents ").append(snapshot.liveRuns().size());
    if (cost > 0) {
      text.append(String.format(Locale.ROOT, " ($%.4f)", cost));
    }
    return text.toString();
  }

  private static String notice(TuiSnapshot snapshot) {
    if (snapshot == null) {
      return "";
    }
    if (snapshot.error() != null) {
      return "orch is not answering: " + Printable.line(snapshot.error());
    }
    StatusSummary s = snapshot.summary();
    if (s != null && !s.notices().isEmpty()) {
      return "Notice: " + Printable.line(s.notices().get(0));
    }
    if (s != null && !s.planErrors().isEmpty()) {
      return s.planErrors().size() + " plan problem(s): orch status lists them";
    }
    return "";
  }

  private static String agent(RunView run, long now) {
    return Durations.elapsed(now - run.startedAt()) + String.format(Locale.ROOT, " $%.4f", run.costUsd());
  }

  private static String title(TaskView t) {
    return Printable.line(t.title()) + (t.criteriaTotal() > 0 ? " [" + t.criteriaDone() + "/" + t.criteriaTotal() + "]" : "")
        + (t.blockedReason() != null ? "  (blocked: " + Printable.line(t.blockedReason()) + ")" : "")
        + (t.lastError() != null && !t.status().live() && t.blockedReason() == null
            ? "  (" + Printable.line(t.lastError()) + ")" : "");
  }

  private static String runLine(RunView run, long now) {
    long end = run.endedAt() > 0 ? run.endedAt() : now;
    return String.format(Locale.ROOT, "run %d (attempt %d), %s%s, %s, %,d tokens, $%.4f", run.runId(), run.attempt(),
        run.status().wire(), run.reason() == null ? "" : ": " + Printable.line(run.reason()),
        Durations.elapsed(end - run.startedAt()), run.inputTokens() + run.outputTokens(), run.costUsd());
  }

  private String titleBar(String left, int width) {
    return spread(left, LocalTime.now(clock).format(CLOCK), width);
  }

  /** {@code left} and {@code right} on one line, right-aligned; the left gives way when both do not fit. */
  static String spread(String left, String right, int width) {
    int room = width - right.length() - 1;
    if (room < 1) {
      return fit(left, width);
    }
    String l = fit(left, room);
    return l + " ".repeat(width - l.length() - right.length()) + right;
  }

  /** At most {@code width} characters; what is cut ends in an ellipsis. */
  static String fit(String text, int width) {
    if (text.length() <= width) {
      return text;
    }
    return width <= 1 ? text.substring(0, width) : text.substring(0, width - 1) + "…";
  }

  private static String cell(String text, int width) {
    String t = fit(text, width);
    return t + " ".repeat(width - t.length());
  }

  private static void wrap(String line, int width, List<String> into) {
    if (line.isEmpty()) {
      into.add("");
      return;
    }
    for (int start = 0; start < line.length(); start += width) {
      into.add(line.substring(start, Math.min(line.length(), start + width)));
    }
  }

  private static void pad(List<String> lines, int size) {
    while (lines.size() < size) {
      lines.add("");
    }
    while (lines.size() > size) {
      lines.remove(lines.size() - 1);
    }
  }
}
