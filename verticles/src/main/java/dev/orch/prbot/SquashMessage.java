package dev.orch.prbot;

import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import java.util.regex.Pattern;

/**
 * The message of the squash commit orch makes when it merges a pull request: the title as the subject, a line saying
 * where it came from, and orch's trailers last. Only orch writes the trailers ({@code Orch-Task}, {@code
 * Orch-Pull-Request}, which a restart reads back to recognise a merge already done), so the title is forced onto one
 * line with no control characters: a title with a line break could otherwise add a trailer naming another task
 * (audit L13). Plans refuse such titles; this holds for any title that gets here regardless.
 */
final class SquashMessage {
  static final String TASK_TRAILER = "Orch-Task";
  static final String PR_TRAILER = "Orch-Pull-Request";
  private static final Pattern BREAKS_AND_CONTROLS = Pattern.compile(
      "[\\p{Cntrl}\\u0085\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]+");
  private static final Pattern SPACES = Pattern.compile("\\s{2,}");
  private static final int SUBJECT_MAX = 200;

  private SquashMessage() {
  }

  static String of(PullRequestView pr) {
    return subject(pr.title(), pr.taskId()) + "\n\n"
        + "Merged by orch from pull request #" + pr.number() + " (branch " + oneLine(pr.branch()) + ").\n\n"
        + TASK_TRAILER + ": " + pr.taskId() + "\n" + PR_TRAILER + ": " + pr.number() + "\n";
  }

  /** One line, never empty, never so long that tools cut it. */
  static String subject(String title, TaskId taskId) {
    String line = oneLine(title);
    if (line.isEmpty()) {
      return taskId.toString();
    }
    return line.length() <= SUBJECT_MAX ? line : line.substring(0, SUBJECT_MAX - 1) + "…";
  }

  static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    return SPACES.matcher(BREAKS_AND_CONTROLS.matcher(text).replaceAll(" ")).replaceAll(" ").strip();
  }
}
