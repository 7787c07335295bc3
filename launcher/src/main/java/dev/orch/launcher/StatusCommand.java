package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.PlanIssue;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.StatusSummary;
import java.util.List;
import dev.orch.contract.TaskStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Counts by status, how many tasks are ready, what is blocked and why.")
final class StatusCommand extends LocalCommand {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Option(names = "--no-sync", description = "Show the store as it is, without reading the plan files first.")
  boolean noSync;

  @Override
  int run(OrchSession orch, OrchConfig config) {
    if (!noSync) {
      orch.await(orch.scheduler().sync());
    }
    StatusSummary summary = orch.await(orch.scheduler().status());
    if (json) {
      out().println(summary.toJson().encodePrettily());
      return ExitCodes.OK;
    }
    var out = out();
    out.printf("orch: %s (plans in %s)%n", config.general().projectRoot(),
        config.general().projectRoot().relativize(config.general().plansDir()));
    orch.remote().ifPresent(running -> out.printf("Dashboard: %s/ (orch run, pid %d)%n", running.baseUrl(), running.pid()));
    out.printf("Tasks: %d   ready: %d   blocked: %d%n", summary.total(), summary.ready(), summary.blocked().size());
    for (TaskStatus status : TaskStatus.values()) {
      Integer count = summary.counts().get(status.wire());
      if (count != null) {
        out.printf("  %-12s %5d%n", status.wire(), count);
      }
    }
    if (!summary.blocked().isEmpty()) {
      out.println("Blocked:");
      summary.blocked().forEach(b -> out.printf("  %-16s %s%n", b.id(), b.reason()));
    }
    if (!summary.planErrors().isEmpty()) {
      out.printf("Plan problems (%d):%n", summary.planErrors().size());
      for (PlanIssue issue : summary.planErrors()) {
        out.println("  " + issue.describe());
      }
    }
    List<RunView> running = orch.await(orch.executor().runs(null, true));
    if (!running.isEmpty()) {
      out.println("Running agents:");
      long now = System.currentTimeMillis();
      for (RunView run : running) {
        out.printf("  %-16s run %-4d %-8s %,9d tokens  $%.4f  %s%n", run.taskId(), run.runId(),
            elapsed(now - run.startedAt()), run.inputTokens() + run.outputTokens(), run.costUsd(),
            run.lastOutputAt() > 0 ? "last output " + elapsed(now - run.lastOutputAt()) + " ago" : "no output yet");
      }
    }
    SpendSummary spend = orch.await(orch.executor().spend());
    if (spend.totalUsd() > 0) {
      out.printf("Spend: $%.4f today, $%.4f in all%n", spend.todayUsd(), spend.totalUsd());
    }
    PoolStatus pool = orch.await(orch.buildPool().status());
    if (pool.coordinating() || config.buildPool().enabled()) {
      BuildPoolCommand.Status.print(out, pool, config);
    }
    summary.notices().forEach(n -> out.println("Notice: " + n));
    if (summary.lastSyncAt() > 0) {
      out.println("Last sync: " + TIME.format(Instant.ofEpochMilli(summary.lastSyncAt())));
    }
    return ExitCodes.OK;
  }

  static String elapsed(long millis) {
    long seconds = Math.max(0, millis / 1000);
    return seconds < 60 ? seconds + "s" : seconds < 3600 ? (seconds / 60) + "m" + (seconds % 60) + "s"
        : (seconds / 3600) + "h" + (seconds % 3600 / 60) + "m";
  }
}
