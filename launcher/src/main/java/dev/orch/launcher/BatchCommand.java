package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.BatchView;
import dev.orch.contract.OrchException;
import dev.orch.text.BatchText;
import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "batch", description = "Scheduled batches from schedule.toml (batch.schedule_file).",
    subcommands = {BatchCommand.ListBatches.class, BatchCommand.Run.class, BatchCommand.Stop.class, BatchCommand.Status.class})
final class BatchCommand {
  private BatchCommand() {
  }

  @Command(name = "list", description = "Every batch with its schedule and next run.")
  static final class ListBatches extends LocalCommand {
    @Override
    int run(OrchSession orch, OrchConfig config) {
      JsonObject all = orch.await(orch.batches().listAll());
      List<BatchView> batches = all.getJsonArray("batches").stream().map(o -> BatchView.fromJson((JsonObject) o)).toList();
      List<String> errors = all.getJsonArray("errors").stream().map(String::valueOf).toList();
      BatchText.list(out(), batches, errors, all.getString("schedule_file"));
      return errors.isEmpty() ? ExitCodes.OK : ExitCodes.USAGE;
    }
  }

  @Command(name = "run", description = "Run a batch now, in the running orch (orch run).")
  static final class Run extends LocalCommand {
    @Parameters(paramLabel = "NAME", description = "The batch's name in schedule.toml.")
    String name;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      requireRunningOrch(orch);
      BatchView batch = orch.await(orch.batches().run(name));
      out().printf("batch %s started: up to %d task(s)%n", batch.name(), batch.maxTasks());
      return ExitCodes.OK;
    }
  }

  @Command(name = "stop", description = "Stop a running batch: its running tasks stop, no new ones start.")
  static final class Stop extends LocalCommand {
    @Parameters(paramLabel = "NAME", description = "The batch's name in schedule.toml.")
    String name;

    @Override
    int run(OrchSession orch, OrchConfig config) {
      requireRunningOrch(orch);
      BatchView batch = orch.await(orch.batches().stop(name));
      out().printf("batch %s %s%n", batch.name(), batch.running() ? "is stopping" : "stopped: "
          + (batch.lastSummary() == null ? "" : BatchText.summary(batch.lastSummary())));
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", description = "Running batches and how each one's last run went.")
  static final class Status extends LocalCommand {
    @Override
    int run(OrchSession orch, OrchConfig config) {
      BatchText.status(out(), orch.await(orch.batches().list()));
      return ExitCodes.OK;
    }
  }

  private static void requireRunningOrch(OrchSession orch) {
    if (orch.remote().isEmpty()) {
      throw OrchException.conflict("batches run inside orch run or orch serve: start one first (orch run,"
          + " orch run --scheduled, or orch serve)");
    }
  }
}
