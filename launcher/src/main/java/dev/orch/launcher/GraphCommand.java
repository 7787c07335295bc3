package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "graph", description = "Print the dependency graph, coloured by status, as Graphviz dot or Mermaid.")
final class GraphCommand extends LocalCommand {
  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "dot",
      description = "dot or mermaid (default: ${DEFAULT-VALUE}).")
  PlanGraph.Format format;

  @Option(names = "--module", paramLabel = "M", description = "Only this module's tasks (edges to others are kept).")
  String module;

  @Override
  int run(OrchSession orch, OrchConfig config) {
    orch.await(orch.scheduler().sync());
    List<TaskView> tasks = orch.await(orch.scheduler().list(new TaskQuery(module, null, null)));
    out().print(new PlanGraph(tasks).render(format));
    out().flush();
    return ExitCodes.OK;
  }
}
