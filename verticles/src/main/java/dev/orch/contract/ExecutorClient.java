package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** The executor's commands, typed. */
public final class ExecutorClient extends BusClient {
  public ExecutorClient(Vertx vertx) {
    this(new EventBusTransport(vertx));
  }

  public ExecutorClient(CommandTransport transport) {
    super(transport, Addresses.Executor.CMD, Duration.ofMinutes(10));
  }

  public Future<RunView> launch(LaunchRequest request) {
    return requestObject(Addresses.Executor.Action.LAUNCH, request.toJson()).map(RunView::fromJson);
  }

  public Future<RunView> stop(StopRequest request) {
    return requestObject(Addresses.Executor.Action.STOP, request.toJson()).map(RunView::fromJson);
  }

  public Future<RunView> resume(ResumeRequest request) {
    return requestObject(Addresses.Executor.Action.RESUME, request.toJson()).map(RunView::fromJson);
  }

  /** Runs, newest first; of one task when {@code taskId} is given, only live ones when {@code liveOnly}. */
  public Future<List<RunView>> runs(TaskId taskId, boolean liveOnly) {
    JsonObject body = new JsonObject().put("live_only", liveOnly);
    if (taskId != null) {
      body.put("task_id", taskId.toString());
    }
    return requestList(Addresses.Executor.Action.RUNS, body, "runs", RunView::fromJson);
  }

  public Future<RunView> run(long runId) {
    return requestObject(Addresses.Executor.Action.RUN, new JsonObject().put("run_id", runId)).map(RunView::fromJson);
  }

  /** Up to {@code limit} readable events of the run's log from byte {@code offset}. */
  public Future<RunLogPage> log(long runId, long offset, int limit) {
    return requestObject(Addresses.Executor.Action.LOG, new JsonObject().put("run_id", runId).put("offset", offset)
        .put("limit", limit)).map(RunLogPage::fromJson);
  }

  public Future<Void> removeWorktree(TaskId taskId, String reason) {
    return request(Addresses.Executor.Action.REMOVE_WORKTREE, new JsonObject().put("task_id", taskId.toString()).put("reason", reason))
        .mapEmpty();
  }

  /** Orphan worktrees and branches: what was (or, with {@code dryRun}, would be) removed. */
  public Future<JsonObject> cleanup(boolean dryRun) {
    return requestObject(Addresses.Executor.Action.CLEANUP, new JsonObject().put("dry_run", dryRun));
  }

  public Future<SpendSummary> spend() {
    return requestObject(Addresses.Executor.Action.SPEND, null).map(SpendSummary::fromJson);
  }

  /** Dollars spent in each bucket of {@code query}, from the stored runs. */
  public Future<HistorySeries> spendHistory(HistoryQuery query) {
    return requestObject(Addresses.Executor.Action.SPEND_HISTORY, query.toJson()).map(HistorySeries::fromJson);
  }
}
