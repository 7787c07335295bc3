package dev.orch.parser;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskId;
import java.util.List;
import java.util.Map;

/**
 * One plan file as read on its own, before the whole plan is resolved. {@code id} is null when the file is not
 * a task (or its identity could not be read); {@code issues} hold every problem with its line.
 */
public record ParsedFile(
    String file,
    Kind kind,
    TaskId id,
    String title,
    Priority priority,
    List<Dependency> dependencies,
    boolean needsReview,
    PlanStatus planStatus,
    int criteriaDone,
    int criteriaTotal,
    List<Map<String, String>> testSummary,
    String contentHash,
    List<PlanIssue> issues,
    boolean standalone,
    List<String> files,
    List<String> mentions) {

  public enum Kind {
    TASK,
    /** A module's README.md or 00-overview.md: context for prompts. */
    MODULE_CONTEXT,
    /** Notes, indexes and other markdown that is not a task. */
    OTHER,
    /** Unreadable, or a task whose identity could not be read. */
    BROKEN
  }

  /** A {@code depends_on} entry with the line it was written on. */
  public record Dependency(TaskId id, int line) {
  }

  static ParsedFile broken(String file, List<PlanIssue> issues) {
    return new ParsedFile(file, Kind.BROKEN, null, null, null, List.of(), false, null, 0, 0, List.of(), "", issues, false,
        List.of(), List.of());
  }

  static ParsedFile notATask(String file, Kind kind) {
    return new ParsedFile(file, kind, null, null, null, List.of(), false, null, 0, 0, List.of(), "", List.of(), false,
        List.of(), List.of());
  }
}
