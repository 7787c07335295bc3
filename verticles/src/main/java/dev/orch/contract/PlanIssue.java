package dev.orch.contract;

/**
 * One problem found in the plans: the file (relative to the project root), the 1-based line when there is
 * one (0 when not), the task it concerns when known, and what is wrong.
 */
public record PlanIssue(String file, int line, TaskId taskId, String message) implements BusMessage {
  public PlanIssue {
    WireJson.require("file", file);
    WireJson.require("message", message);
  }

  public static PlanIssue of(String file, int line, String message) {
    return new PlanIssue(file, line, null, message);
  }

  public PlanIssue forTask(TaskId id) {
    return new PlanIssue(file, line, id, message);
  }

  /** {@code docs/plans/a/epic-01.md:3: message}, the form editors and terminals link. */
  public String describe() {
    return file + (line > 0 ? ":" + line : "") + ": " + message;
  }
}
