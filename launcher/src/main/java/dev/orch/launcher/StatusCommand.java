package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.PlanIssue;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskStatus;
import dev.orch.text.StatusText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
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
    StatusText.tasks(out, summary);
    StatusText.agents(out, orch.await(orch.executor().runs(null, true)));
    StatusText.spend(out, orch.await(orch.executor().spend()), config.observer().maxCostUsdPerDay(), Instant.now(),
        ZoneId.systemDefault());
    PoolStatus pool = orch.await(orch.buildPool().status());
    if (pool.coordinating() || config.buildPool().enabled()) {
      StatusText.pool(out, pool, config.buildPool().localFallback().enabled());
    }
    StatusText.footer(out, summary);
    return ExitCodes.OK;
  }

}
