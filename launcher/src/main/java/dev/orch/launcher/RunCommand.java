package dev.orch.launcher;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.SyncReport;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", description = {"Run the orchestrator: sync the plans and keep them synced, start ready tasks up to",
    "the parallel limit, open and merge their pull requests, and serve the API on 127.0.0.1. Ctrl-C stops it."})
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--scheduled", description = {"Start tasks only for the scheduled batches in schedule.toml (and for",
      "orch start / orch batch run), not every ready task as soon as it is ready: for overnight runs."})
  boolean scheduled;

  @Override
  public Integer call() throws InterruptedException {
    ConfigLoader.Loaded loaded = ((OrchCommand) spec.root().userObject()).loadConfig(spec);
    OrchConfig config = loaded.config();
    var out = spec.commandLine().getOut();
    PromptOverrideWarnings.print(config, spec.commandLine().getErr());
    Orchestrator orch = Orchestrator.start(config, scheduled ? Wiring.Mode.SCHEDULED : Wiring.Mode.RUN, Map.of());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      out.println("orch: stopping (running agents are stopped; their tasks start again with the next orch run)");
      out.flush();
      orch.close();
      stopped.countDown();
    }, "orch-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    TransitionPrinter.attach(orch.session().vertx(), out, t -> true);
    SyncReport report = orch.session().await(orch.session().scheduler().sync());
    out.printf("orch: running for %s; API %s; %d tasks, up to %d agents at once; Ctrl-C to stop%n",
        config.general().projectRoot(), orch.apiUrl(), report.taskCount(), config.general().maxParallelAgents());
    report.errors().forEach(e -> out.println("plan problem: " + e.describe()));
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
