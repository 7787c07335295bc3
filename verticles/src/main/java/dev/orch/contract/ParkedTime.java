package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * How long a batch's {@code max_duration} spent with the plan parked by one kind of limit, and in how many spells: from
 * the governor parking the plan until it let agents start again, as far as that fell inside the batch's window.
 */
public record ParkedTime(ApiLimit.Kind limit, long millis, int times) implements BusMessage {
  public ParkedTime {
    WireJson.require("limit", limit);
  }

  public static ParkedTime fromJson(JsonObject json) {
    return WireJson.fromJson(json, ParkedTime.class);
  }
}
