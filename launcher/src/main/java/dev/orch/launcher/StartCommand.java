package dev.orch.launcher;

import dev.orch.text.CommandText;
import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StartResult;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "start", description = {"Start the named tasks, or the next N ready ones. With orch run going, it is asked",
    "to start them; otherwise they run here in the foreground until they end (Ctrl-C stops them)."})
final class StartCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--count", paramLabel = "N", defaultValue = "3", description = "How many ready tasks (default ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--module", paramLabel = "M", description = "Only ready tasks of this module.")
  String module;

  @Parameters(paramLabel = "ID", arity = "0..*", description = "Tasks to start, such as billing/E05.")
  List<String> ids = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    ConfigLoader.Loaded loaded = ((OrchCommand) spec.root().userObject()).loadConfig(spec);
    OrchConfig config = loaded.config();
    StartRequest request = new StartRequest(ids, count, module);
    PrintWriter out = spec.commandLine().getOut();
    if (OrchInstance.find(config.general().stateDir()).isPresent()) {
      try (OrchSession session = OrchSession.connect(config)) {
        StartResult result = session.await(session.scheduler().start(request));
        print(result, out, "asked the running orch to start");
        return result.started().isEmpty() ? ExitCodes.USAGE : ExitCodes.OK;
      }
    }
    PromptOverrideWarnings.print(config, spec.commandLine().getErr());
    try (Orchestrator orch = Orchestrator.start(config, Wiring.Mode.FOREGROUND, Map.of())) {
      Thread hook = new Thread(orch::close, "orch-start-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      OrchSession session = orch.session();
      session.await(session.scheduler().sync());
      StartResult result = session.await(session.scheduler().start(request));
      print(result, out, "starting");
      if (result.started().isEmpty()) {
        return ExitCodes.USAGE;
      }
      Set<String> waiting = new LinkedHashSet<>(result.started());
      TransitionPrinter.attach(session.vertx(), out, t -> waiting.contains(t.taskId().toString()));
      List<TaskView> ended = new ArrayList<>();
      while (!waiting.isEmpty()) {
        Thread.sleep(500);
        for (String id : List.copyOf(waiting)) {
          TaskView task = session.await(session.scheduler().get(TaskId.parseFull(id)));
          endState(task).ifPresent(state -> {
            waiting.remove(id);
            ended.add(task);
          });
        }
      }
      Runtime.getRuntime().removeShutdownHook(hook);
      out.println();
      for (TaskView task : ended) {
        out.printf("%-16s %s%s%n", task.id(), endState(task).orElse(task.status().wire()),
            task.lastError() == null ? "" : ": " + task.lastError());
      }
      return ended.stream().allMatch(t -> t.status() == TaskStatus.COMPLETE) ? ExitCodes.OK : ExitCodes.PLAN_ERRORS;
    }
  }

  /** Whether the task has come to rest for this command: done, given up, or waiting for a person. */
  static Optional<String> endState(TaskView task) {
    return switch (task.status()) {
      case COMPLETE -> Optional.of("complete");
      case FAILED, STUCK -> task.retryAt() == 0 ? Optional.of(task.status().wire()) : Optional.empty();
      case IN_REVIEW -> task.lastError() != null ? Optional.of("waiting for a person") : Optional.empty();
      case BLOCKED, REMOVED, IN_PROGRESS -> Optional.of(task.status().wire());
      default -> Optional.empty();
    };
  }

  private static void print(StartResult result, PrintWriter out, String verb) {
    CommandText.started(out, result, verb);
    out.flush();
  }
}
