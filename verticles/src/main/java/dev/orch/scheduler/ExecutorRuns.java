package dev.orch.scheduler;

import dev.orch.contract.ExecutorClient;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import io.vertx.core.Future;
import java.util.List;

/** The task lifecycle's runs, as the executor keeps them. */
final class ExecutorRuns implements TaskLifecycle.Runs {
  private final ExecutorClient executor;

  ExecutorRuns(ExecutorClient executor) {
    this.executor = executor;
  }

  @Override
  public Future<RunView> launch(LaunchRequest request) {
    return executor.launch(request);
  }

  @Override
  public Future<RunView> resume(ResumeRequest request) {
    return executor.resume(request);
  }

  @Override
  public Future<RunView> stop(StopRequest request) {
    return executor.stop(request);
  }

  @Override
  public Future<List<RunView>> ofTask(TaskId taskId) {
    return executor.runs(taskId, false);
  }
}
