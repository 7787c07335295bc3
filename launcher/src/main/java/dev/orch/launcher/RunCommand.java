package dev.orch.launcher;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import java.util.Map;
import java.util.concurrent.Callable;
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
    return Foreground.hold(orch, out, "running agents are stopped; their tasks start again with the next orch run",
        report -> String.format("orch: running for %s; API %s; %d tasks, up to %d agents at once; Ctrl-C to stop",
            config.general().projectRoot(), orch.apiUrl(), report.taskCount(), config.general().maxParallelAgents()));
  }
}
