package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** The scheduler's commands, typed. */
public final class SchedulerClient extends BusClient {
  public SchedulerClient(Vertx vertx) {
    super(vertx, Addresses.Scheduler.CMD, Duration.ofSeconds(120));
  }

  public Future<SyncReport> sync() {
    return requestObject(Addresses.Scheduler.Action.SYNC, null).map(SyncReport::fromJson);
  }

  public Future<StatusSummary> status() {
    return requestObject(Addresses.Scheduler.Action.STATUS, null).map(StatusSummary::fromJson);
  }

  public Future<List<TaskView>> list(TaskQuery query) {
    return requestObject(Addresses.Scheduler.Action.LIST, query.toJson())
        .map(reply -> reply.getJsonArray("tasks", new JsonArray()).stream()
            .map(item -> TaskView.fromJson((JsonObject) item))
            .toList());
  }

  public Future<TaskView> get(String id) {
    return requestObject(Addresses.Scheduler.Action.GET, new JsonObject().put("id", id)).map(TaskView::fromJson);
  }
}
