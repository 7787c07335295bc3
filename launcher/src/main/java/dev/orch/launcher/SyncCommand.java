package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.PlanIssue;
import dev.orch.contract.StatusConflict;
import dev.orch.contract.SyncReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sync", description = "Read the plan files into the task store and report what changed and every plan error.")
final class SyncCommand extends LocalCommand {
  @Option(names = "--json", description = "Print the sync report as one JSON document.")
  boolean json;

  @Override
  int run(OrchSession orch, OrchConfig config) {
    SyncReport report = orch.await(orch.scheduler().sync());
    if (json) {
      out().println(report.toJson().encodePrettily());
    } else {
      print(report, config);
    }
    return report.errors().isEmpty() ? ExitCodes.OK : ExitCodes.PLAN_ERRORS;
  }

  private void print(SyncReport r, OrchConfig config) {
    var out = out();
    out.printf("Synced %d task%s from %s (%d files read in %d ms, stored in %d ms): %d new, %d updated, %d unchanged, %d removed%s%n",
        r.taskCount(), r.taskCount() == 1 ? "" : "s", config.general().projectRoot().relativize(config.general().plansDir()),
        r.filesRead(), r.parseMillis(), r.storeMillis(), r.inserted(), r.updated(), r.unchanged(), r.removed(),
        r.restored() > 0 ? ", " + r.restored() + " restored" : "");
    if (!r.statusConflicts().isEmpty()) {
      out.println("Status disagreements between plan files and the store:");
      for (StatusConflict c : r.statusConflicts()) {
        out.printf("  %s: plan says %s, store had %s; kept %s (%s)%n", c.taskId(), c.planStatus().wire(),
            c.storedStatus().wire(), c.kept().wire(), c.reason());
      }
    }
    if (!r.errors().isEmpty()) {
      var err = err();
      err.printf("%d plan problem%s (those tasks are blocked; everything else synced):%n", r.errors().size(),
          r.errors().size() == 1 ? "" : "s");
      for (PlanIssue issue : r.errors()) {
        err.println("  " + issue.describe());
      }
    }
  }
}
