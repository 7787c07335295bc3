package dev.orch.launcher;

import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import java.util.List;
import java.util.Map;

/** Renders tasks and their dependencies as Graphviz dot or Mermaid text; an edge points from a dependency to its dependant. */
final class PlanGraph {
  enum Format { dot, mermaid }

  private static final Map<TaskStatus, String> COLOURS = Map.of(
      TaskStatus.COMPLETE, "#9be39b", TaskStatus.RUNNING, "#ffd966", TaskStatus.QUEUED, "#ffe599",
      TaskStatus.IN_REVIEW, "#9fc5e8", TaskStatus.IN_PROGRESS, "#ffd966", TaskStatus.FAILED, "#ea9999",
      TaskStatus.STUCK, "#f6b26b", TaskStatus.BLOCKED, "#cc4125");

  private final List<TaskView> tasks;

  PlanGraph(List<TaskView> tasks) {
    this.tasks = tasks;
  }

  String render(Format format) {
    return format == Format.dot ? dot() : mermaid();
  }

  private String dot() {
    StringBuilder out = new StringBuilder("digraph plan {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    for (TaskView t : tasks) {
      out.append(String.format("  \"%s\" [label=\"%s\\n%s\", fillcolor=\"%s\"%s];%n", t.id(), t.id(), escapeDot(t.title()),
          colour(t), t.ready() ? ", penwidth=2" : ""));
    }
    for (TaskView t : tasks) {
      for (String dep : t.dependsOn()) {
        out.append(String.format("  \"%s\" -> \"%s\";%n", dep, t.id()));
      }
    }
    return out.append("}\n").toString();
  }

  private String mermaid() {
    StringBuilder out = new StringBuilder("graph LR\n");
    for (TaskView t : tasks) {
      out.append(String.format("  %s[\"%s<br/>%s\"]:::%s%n", node(t.id()), t.id(), escapeMermaid(t.title()), t.status().wire()));
    }
    for (TaskView t : tasks) {
      for (String dep : t.dependsOn()) {
        out.append(String.format("  %s --> %s%n", node(dep), node(t.id())));
      }
    }
    for (TaskStatus status : TaskStatus.values()) {
      out.append(String.format("  classDef %s fill:%s%n", status.wire(), COLOURS.getOrDefault(status, "#eeeeee")));
    }
    return out.toString();
  }

  private static String colour(TaskView t) {
    return COLOURS.getOrDefault(t.status(), "#eeeeee");
  }

  private static String node(String id) {
    return id.replaceAll("[^A-Za-z0-9_]", "_");
  }

  private static String escapeDot(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String escapeMermaid(String text) {
    return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
  }
}
