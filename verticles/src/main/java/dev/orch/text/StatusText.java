package dev.orch.text;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.WorkerView;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The body of {@code orch status} and the shell's {@code status}: tasks by status, problems, agents, spend, pool. */
public final class StatusText {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneId.systemDefault());

  private StatusText() {
  }

  public static void tasks(PrintWriter out, StatusSummary summary) {
    out.printf("Tasks: %d   ready: %d   blocked: %d%n", summary.total(), summary.ready(), summary.blocked().size());
    for (TaskStatus status : TaskStatus.values()) {
      Integer count = summary.counts().get(status.wire());
      if (count != null) {
        out.printf("  %-12s %5d%n", status.wire(), count);
      }
    }
    if (!summary.blocked().isEmpty()) {
      out.println("Blocked:");
      summary.blocked().forEach(b -> out.printf("  %-16s %s%n", b.id(), Printable.line(b.reason())));
    }
    if (!summary.heldBack().isEmpty()) {
      out.println("Held back (they may touch a running task's files):");
      summary.heldBack().forEach(t -> out.printf("  %-16s %s%n", t.id(), FootprintText.waits(t)));
    }
    if (!summary.planErrors().isEmpty()) {
      out.printf("Plan problems (%d):%n", summary.planErrors().size());
      for (PlanIssue issue : summary.planErrors()) {
        out.println("  " + Printable.line(issue.describe()));
      }
    }
  }

  public static void agents(PrintWriter out, List<RunView> running) {
    if (running.isEmpty()) {
      return;
    }
    out.println("Running agents:");
    long now = System.currentTimeMillis();
    for (RunView run : running) {
      out.printf("  %-16s run %-4d %-8s %,9d tokens  $%.4f  %s%n", run.taskId(), run.runId(),
          Durations.elapsed(now - run.startedAt()), run.inputTokens() + run.outputTokens(), run.costUsd(),
          run.lastOutputAt() > 0 ? "last output " + Durations.elapsed(now - run.lastOutputAt()) + " ago" : "no output yet");
    }
  }

  public static void spend(PrintWriter out, SpendSummary spend) {
    spend(out, spend, 0, Instant.now(), ZoneId.systemDefault());
  }

  /** With the daily limit ({@code observer.max_cost_usd_per_day}, 0 for none): when the last hour's rate reaches it. */
  public static void spend(PrintWriter out, SpendSummary spend, double perDayUsd, Instant now, ZoneId zone) {
    if (spend.totalUsd() <= 0) {
      return;
    }
    out.printf("Spend: $%.4f today, $%.4f in all, $%.4f in the last hour%n", spend.todayUsd(), spend.totalUsd(),
        spend.lastHourUsd());
    SpendForecast.dailyBudgetRunsOut(spend.todayUsd(), perDayUsd, spend.lastHourUsd(), now, zone).ifPresent(at ->
        out.printf("  at this rate the daily budget ($%.2f) runs out at %s%n", perDayUsd, CLOCK.format(at)));
  }

  public static void pool(PrintWriter out, PoolStatus status, boolean localFallbackEnabled) {
    if (!status.coordinating()) {
      out.println("Build pool: no coordinator is running (orch run or orch build-pool start runs one)");
      return;
    }
    out.printf("Build pool: %d agent(s), %d job(s) queued, %d running; local fallback %s%s%n", status.workers().size(),
        status.queuedJobs(), status.runningJobs(),
        status.localFallbackActive() ? "in use (" + status.localSlots() + " slots)" : localFallbackEnabled ? "idle" : "off",
        status.gitDaemon() == null ? "" : "; git daemon " + status.gitDaemon());
    if (!status.workers().isEmpty()) {
      out.printf("  %-20s %-16s %5s %5s %-10s %s%n", "AGENT", "HOST", "SLOTS", "BUSY", "LAST SEEN", "JOBS");
      long now = System.currentTimeMillis();
      for (WorkerView worker : status.workers()) {
        out.printf("  %-20s %-16s %5d %5d %-10s %s%n", Printable.line(worker.workerId()), Printable.line(worker.host()), worker.slots(),
            worker.runningJobs().size(), Durations.elapsed(now - worker.lastSeen()) + " ago",
            worker.runningJobs().isEmpty() ? "-" : worker.runningJobs().toString());
      }
    }
  }

  public static void footer(PrintWriter out, StatusSummary summary) {
    summary.notices().forEach(n -> out.println("Notice: " + Printable.line(n)));
    if (summary.lastSyncAt() > 0) {
      out.println("Last sync: " + TIME.format(Instant.ofEpochMilli(summary.lastSyncAt())));
    }
  }
}
