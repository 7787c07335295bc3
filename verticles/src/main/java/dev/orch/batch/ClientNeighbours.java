package dev.orch.batch;

import dev.orch.contract.ExecutorClient;
import dev.orch.contract.PrState;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StartResult;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskRef;
import dev.orch.contract.TaskView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/** The batches' neighbours through their bus clients: the scheduler's tasks, prbot's flagged PRs, the executor's spend. */
final class ClientNeighbours implements Batches.Neighbours {
  private final SchedulerClient scheduler;
  private final ExecutorClient executor;
  private final PrbotClient prbot;

  ClientNeighbours(Vertx vertx) {
    scheduler = new SchedulerClient(vertx);
    executor = new ExecutorClient(vertx);
    prbot = new PrbotClient(vertx);
  }

  @Override
  public Future<List<TaskView>> tasks() {
    return scheduler.list(TaskQuery.ALL);
  }

  @Override
  public Future<StartResult> start(StartRequest request) {
    return scheduler.start(request);
  }

  @Override
  public Future<TaskView> stop(TaskRef task) {
    return scheduler.stop(task);
  }

  @Override
  public Future<List<PullRequestView>> flagged() {
    return prbot.list(PrState.FLAGGED);
  }

  @Override
  public Future<SpendSummary> spend() {
    return executor.spend();
  }
}
