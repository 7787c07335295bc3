package dev.orch.launcher;

import dev.orch.text.TaskTable;

import dev.orch.config.OrchConfig;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import io.vertx.core.json.JsonArray;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List tasks, optionally filtered by module, status or readiness.")
final class ListCommand extends LocalCommand {
  @Option(names = "--module", paramLabel = "M", description = "Only tasks of this module.")
  String module;

  @Option(names = "--status", paramLabel = "S", converter = StatusConverter.class,
      description = "Only tasks in this status: ${COMPLETION-CANDIDATES}.", completionCandidates = StatusConverter.Candidates.class)
  TaskStatus status;

  @Option(names = "--ready", description = "Only tasks that are ready to start.")
  boolean ready;

  @Option(names = "--json", description = "Print one JSON array of task objects.")
  boolean json;

  @Option(names = "--no-sync", description = "Show the store as it is, without reading the plan files first.")
  boolean noSync;

  @Override
  int run(OrchSession orch, OrchConfig config) {
    if (!noSync) {
      orch.await(orch.scheduler().sync());
    }
    List<TaskView> tasks = orch.await(orch.scheduler().list(new TaskQuery(module, status, ready ? Boolean.TRUE : null)));
    if (json) {
      out().println(new JsonArray(tasks.stream().map(TaskView::toJson).toList()).encodePrettily());
    } else {
      new TaskTable(tasks).print(out());
    }
    return ExitCodes.OK;
  }
}
