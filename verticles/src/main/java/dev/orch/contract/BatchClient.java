package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** The batch scheduler's commands, typed. */
public final class BatchClient extends BusClient {
  public BatchClient(Vertx vertx) {
    this(new EventBusTransport(vertx));
  }

  public BatchClient(CommandTransport transport) {
    super(transport, Addresses.Batch.CMD, Duration.ofSeconds(60));
  }

  /** Every batch with its next run, and what was wrong in schedule.toml: {@code {"batches", "errors", "schedule_file"}}. */
  public Future<JsonObject> listAll() {
    return requestObject(Addresses.Batch.Action.LIST, null);
  }

  public Future<List<BatchView>> list() {
    return requestList(Addresses.Batch.Action.LIST, null, "batches", BatchView::fromJson);
  }

  public Future<BatchView> run(String name) {
    return requestObject(Addresses.Batch.Action.RUN, new JsonObject().put("name", name)).map(BatchView::fromJson);
  }

  public Future<BatchView> stop(String name) {
    return requestObject(Addresses.Batch.Action.STOP, new JsonObject().put("name", name)).map(BatchView::fromJson);
  }
}
