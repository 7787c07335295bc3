package dev.orch.text;

import dev.orch.contract.TaskView;
import java.io.PrintWriter;
import java.util.List;

/** The plain-text task table of {@code orch list} and the shell's {@code list}; titles are shown as one safe line. */
public final class TaskTable {
  private final List<TaskView> tasks;

  public TaskTable(List<TaskView> tasks) {
    this.tasks = tasks;
  }

  public void print(PrintWriter out) {
    if (tasks.isEmpty()) {
      out.println("No tasks.");
      return;
    }
    int idWidth = Math.max(2, tasks.stream().mapToInt(t -> t.id().length()).max().orElse(2));
    int depsWidth = Math.min(40, Math.max(4, tasks.stream().mapToInt(t -> deps(t).length()).max().orElse(4)));
    String format = "%-" + idWidth + "s  %-11s  %-6s  %-5s  %-" + depsWidth + "s  %s%n";
    out.printf(format, "ID", "STATUS", "PRIO", "READY", "DEPS", "TITLE");
    for (TaskView t : tasks) {
      String title = Printable.line(t.title()) + (t.criteriaTotal() > 0 ? " [" + t.criteriaDone() + "/" + t.criteriaTotal() + "]" : "")
          + (t.blockedReason() != null ? "  (blocked: " + Printable.line(t.blockedReason()) + ")" : "")
          + (t.heldBy() != null ? "  (" + FootprintText.waits(t) + ")" : "");
      out.printf(format, t.id(), t.status().wire(), t.priority().wire(), t.ready() ? "yes" : "-", truncate(deps(t), depsWidth),
          title);
    }
  }

  private static String deps(TaskView t) {
    return t.dependsOn().isEmpty() ? "-" : String.join(",", t.dependsOn());
  }

  private static String truncate(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
