package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** The scheduler's commands, typed. */
public final class SchedulerClient extends BusClient {
  public SchedulerClient(Vertx vertx) {
    this(new EventBusTransport(vertx));
  }

  public SchedulerClient(CommandTransport transport) {
    super(transport, Addresses.Scheduler.CMD, Duration.ofSeconds(120));
  }

  public Future<SyncReport> sync() {
    return requestObject(Addresses.Scheduler.Action.SYNC, null).map(SyncReport::fromJson);
  }

  public Future<StatusSummary> status() {
    return requestObject(Addresses.Scheduler.Action.STATUS, null).map(StatusSummary::fromJson);
  }

  public Future<List<TaskView>> list(TaskQuery query) {
    return requestList(Addresses.Scheduler.Action.LIST, query.toJson(), "tasks", TaskView::fromJson);
  }

  public Future<TaskView> get(TaskId id) {
    return requestObject(Addresses.Scheduler.Action.GET, new JsonObject().put("id", id.toString())).map(TaskView::fromJson);
  }

  public Future<StartResult> start(StartRequest request) {
    return requestObject(Addresses.Scheduler.Action.START, request.toJson()).map(StartResult::fromJson);
  }

  public Future<TaskView> stop(TaskRef task) {
    return requestObject(Addresses.Scheduler.Action.STOP, task.toJson()).map(TaskView::fromJson);
  }

  public Future<TaskView> retry(TaskRef task) {
    return requestObject(Addresses.Scheduler.Action.RETRY, task.toJson()).map(TaskView::fromJson);
  }

  /** Lifts the governor's park now: one agent goes first as a probe. Answers what the governor does after. */
  public Future<GovernorView> unpark() {
    return requestObject(Addresses.Scheduler.Action.UNPARK, null).map(GovernorView::fromJson);
  }

  public Future<TaskView> reset(TaskRef task) {
    return requestObject(Addresses.Scheduler.Action.RESET, task.toJson()).map(TaskView::fromJson);
  }

  public Future<List<TaskTransition>> history(TaskRef task) {
    return requestList(Addresses.Scheduler.Action.HISTORY, task.toJson(), "transitions", TaskTransition::fromJson);
  }

  /** How many tasks became complete in each bucket of {@code query}, from the stored transitions. */
  public Future<HistorySeries> completed(HistoryQuery query) {
    return requestObject(Addresses.Scheduler.Action.COMPLETED, query.toJson()).map(HistorySeries::fromJson);
  }
}
