package dev.orch.text;

import dev.orch.contract.BatchSummary;
import dev.orch.contract.BatchView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Scheduled batches as {@code orch batch list|status} and the shell's {@code batch} print them. */
public final class BatchText {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private BatchText() {
  }

  public static void list(PrintWriter out, List<BatchView> batches, List<String> errors, String scheduleFile) {
    if (batches.isEmpty()) {
      out.println("No scheduled batches" + (scheduleFile == null ? "." : " in " + scheduleFile + "."));
    } else {
      out.printf("%-16s %-14s %5s %-8s %-9s %-16s %s%n", "BATCH", "CRON", "TASKS", "FOR", "MODULE", "NEXT RUN", "NOW");
      for (BatchView b : batches) {
        out.printf("%-16s %-14s %5d %-8s %-9s %-16s %s%n", b.name(), b.cron(), b.maxTasks(),
            Durations.elapsed(Duration.ofMillis(b.maxDurationMillis()).toMillis()), b.module() == null ? "-" : b.module(),
            b.nextRunAt() == 0 ? "never" : TIME.format(Instant.ofEpochMilli(b.nextRunAt())), b.running() ? "running" : "-");
      }
    }
    errors.forEach(error -> out.println("problem: " + Printable.line(error)));
  }

  public static void status(PrintWriter out, List<BatchView> batches) {
    if (batches.isEmpty()) {
      out.println("No scheduled batches.");
      return;
    }
    for (BatchView b : batches) {
      if (b.running()) {
        out.printf("%s: running since %s%n", b.name(), TIME.format(Instant.ofEpochMilli(b.lastRunAt())));
      } else if (b.lastSummary() != null) {
        out.printf("%s: last run %s: %s%n", b.name(), TIME.format(Instant.ofEpochMilli(b.lastSummary().startedAt())),
            summary(b.lastSummary()));
      } else {
        out.printf("%s: not run yet; next %s%n", b.name(), b.nextRunAt() == 0 ? "never" : TIME.format(Instant.ofEpochMilli(b.nextRunAt())));
      }
    }
  }

  public static String summary(BatchSummary s) {
    return String.format("%d started: %d done, %d failed, %d waiting for review, $%.2f (%s)%s", s.tasks().size(), s.done(),
        s.failed(), s.flagged(), s.spendUsd(), s.reason(), s.parkedText().isEmpty() ? "" : "; " + s.parkedText());
  }
}
