package dev.orch.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The observer's commands, typed. */
public final class ObserverClient extends BusClient {
  public ObserverClient(Vertx vertx) {
    super(new EventBusTransport(vertx), Addresses.Observer.CMD, Duration.ofSeconds(10));
  }

  public Future<SpendSummary> spend() {
    return requestObject(Addresses.Observer.Action.SPEND, null).map(SpendSummary::fromJson);
  }

  /** {@code {"tasks": {"<id>": "<reason>"}, "day": "<reason>" or null}}: what is over its cost limit now. */
  public Future<JsonObject> budgets() {
    return requestObject(Addresses.Observer.Action.BUDGETS, null);
  }
}
