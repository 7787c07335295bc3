package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.PlanIssue;
import dev.orch.contract.StatusSummary;
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
  int run(LocalOrch orch, OrchConfig config) {
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
    if (summary.lastSyncAt() > 0) {
      out.println("Last sync: " + TIME.format(Instant.ofEpochMilli(summary.lastSyncAt())));
    }
    return ExitCodes.OK;
  }
}
