package dev.orch.launcher;

import dev.orch.text.CommandText;
import dev.orch.config.OrchConfig;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskRef;
import dev.orch.contract.TaskView;
import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code orch stop|retry|reset ID}: one scheduler command about one task. */
abstract class TaskActionCommand extends LocalCommand {
  @Parameters(paramLabel = "ID", description = "The task, such as billing/E05.")
  String id;

  abstract Future<TaskView> act(SchedulerClient scheduler, TaskRef task);

  abstract String done();

  @Override
  int run(OrchSession orch, OrchConfig config) {
    TaskView task = orch.await(act(orch.scheduler(), TaskRef.of(TaskId.parseFull(id))));
    CommandText.taskChanged(out(), task, done());
    return ExitCodes.OK;
  }

  @Command(name = "stop", description = "Stop a task's running agent; the task is failed and is not retried until asked.")
  static final class Stop extends TaskActionCommand {
    @Override
    Future<TaskView> act(SchedulerClient scheduler, TaskRef task) {
      return scheduler.stop(task);
    }

    @Override
    String done() {
      return "stopping";
    }
  }

  @Command(name = "retry", description = "Start a failed or stuck task again, with a fresh count of attempts.")
  static final class Retry extends TaskActionCommand {
    @Override
    Future<TaskView> act(SchedulerClient scheduler, TaskRef task) {
      return scheduler.retry(task);
    }

    @Override
    String done() {
      return "queued for another attempt";
    }
  }

  @Command(name = "reset", description = "Put a task back to not started, forgetting its attempts and errors.")
  static final class Reset extends TaskActionCommand {
    @Override
    Future<TaskView> act(SchedulerClient scheduler, TaskRef task) {
      return scheduler.reset(task);
    }

    @Override
    String done() {
      return "reset";
    }
  }
}
