package dev.orch.text;

import dev.orch.contract.GovernorView;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.StartResult;
import dev.orch.contract.TaskView;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** What the task and pull-request commands print, the same from the CLI and the shell. */
public final class CommandText {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private CommandText() {
  }

  /** {@code unpark}: what the rate-limit governor does now that a person lifted its park. */
  public static void unparked(PrintWriter out, GovernorView view) {
    out.println((view.parked() ? "Still parked: " : "Governor: ") + Printable.line(view.text()));
  }

  /** {@code start}: what started and what was refused, and why. */
  public static void started(PrintWriter out, StartResult result, String verb) {
    if (!result.started().isEmpty()) {
      out.println(verb + ": " + String.join(", ", result.started()));
    }
    result.refused().forEach(r -> out.println("not starting " + r.id() + ": " + Printable.line(r.reason())));
    if (result.started().isEmpty() && result.refused().isEmpty()) {
      out.println("no task is ready to start");
    }
  }

  /** {@code stop}, {@code retry}, {@code reset}: the task after the change. */
  public static void taskChanged(PrintWriter out, TaskView task, String done) {
    out.printf("%s %s: now %s%s%n", task.id(), done, task.status().wire(),
        task.lastError() == null ? "" : " (" + Printable.line(task.lastError()) + ")");
  }

  public static void pullRequests(PrintWriter out, List<PullRequestView> prs) {
    if (prs.isEmpty()) {
      out.println("No pull requests.");
      return;
    }
    out.printf("%-5s %-8s %-16s %-16s %-9s %s%n", "#", "STATE", "TASK", "CREATED", "CHANGES", "TITLE");
    for (PullRequestView pr : prs) {
      out.printf("%-5d %-8s %-16s %-16s %-9s %s%s%n", pr.number(), pr.state().wire(), pr.taskId(),
          TIME.format(Instant.ofEpochMilli(pr.createdAt())), "+" + pr.additions() + " -" + pr.deletions(),
          Printable.line(pr.title()), pr.reason() == null ? "" : "\n      " + Printable.line(pr.reason()));
    }
  }

  public static void merged(PrintWriter out, PullRequestView pr) {
    out.printf("#%d %s: %s%s%n", pr.number(), Printable.line(pr.title()), pr.state().wire(),
        pr.mergeCommit() == null ? (pr.reason() == null ? "" : " (" + Printable.line(pr.reason()) + ")")
            : " as " + pr.mergeCommit());
  }

  public static void rejected(PrintWriter out, PullRequestView pr) {
    out.printf("#%d %s: sent back to the agent of %s%n", pr.number(), Printable.line(pr.title()), pr.taskId());
  }
}
