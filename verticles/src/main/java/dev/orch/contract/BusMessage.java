package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** A record that crosses the bus as JSON. */
public interface BusMessage {
  default JsonObject toJson() {
    return WireJson.toJson(this);
  }
}
