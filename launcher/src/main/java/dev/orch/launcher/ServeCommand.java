package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = {"Serve the dashboard and the API for this project without starting any task by",
    "itself: tasks run when a person starts them (from the dashboard, the API or orch start). When orch run or",
    "another orch serve already serves the project, say where and exit. Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {
  /** How long an orch that holds the project's lock may take to say where it serves (it is still starting). */
  private static final Duration ANNOUNCE_WAIT = Duration.ofSeconds(60);

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "The dashboard's port (default: web.port, 8080).")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (port != null && (port < 1 || port > 65535)) {
      spec.commandLine().getErr().println("error: --port must be a port number from 1 to 65535, got " + port);
      return ExitCodes.USAGE;
    }
    OrchConfig loaded = ((OrchCommand) spec.root().userObject()).loadConfig(spec).config();
    OrchConfig config = port == null ? loaded : loaded.withWeb(loaded.web().withPort(port));
    Path stateDir = config.general().stateDir();
    Optional<OrchInstance.Running> running = OrchInstance.find(stateDir);
    if (running.isPresent()) {
      return alreadyServed(out, running.get());
    }
    PromptOverrideWarnings.print(config, spec.commandLine().getErr());
    Orchestrator orch;
    try {
      orch = Orchestrator.start(config, Wiring.Mode.SERVE, Map.of());
    } catch (OrchInstance.AlreadyRunning e) {
      // It took the lock after our look and has not said where it serves yet.
      return alreadyServed(out, awaitAnnouncement(stateDir).orElseThrow(() -> e));
    }
    return Foreground.hold(orch, out, "running agents are stopped; their tasks start again when started again",
        report -> String.format("orch: serving %s at %s/ (API %s); %d tasks; none starts until you start it there or"
            + " with orch start; Ctrl-C to stop", config.general().projectRoot(), orch.baseUrl(), orch.apiUrl(),
            report.taskCount()));
  }

  private static int alreadyServed(PrintWriter out, OrchInstance.Running running) {
    out.printf("orch: this project is already served at %s/ (pid %d); not starting another%n", running.baseUrl(),
        running.pid());
    out.flush();
    return ExitCodes.OK;
  }

  private static Optional<OrchInstance.Running> awaitAnnouncement(Path stateDir) throws InterruptedException {
    long until = System.nanoTime() + ANNOUNCE_WAIT.toNanos();
    Optional<OrchInstance.Running> running = OrchInstance.find(stateDir);
    while (running.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(200);
      running = OrchInstance.find(stateDir);
    }
    return running;
  }
}
