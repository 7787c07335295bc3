package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * What the rate-limit governor is doing, published on {@link Addresses.Scheduler#EVT_GOVERNOR} when it parks the plan
 * and when agents start again. {@code parked}: no new agent starts until {@code resumeAt} (epoch milliseconds);
 * otherwise {@code allowed} agents may run for now. {@code limit} is what parked it.
 */
public record GovernorView(boolean parked, ApiLimit.Kind limit, long resumeAt, int allowed, String text)
    implements BusMessage {
  public GovernorView {
    WireJson.require("text", text);
  }

  public static GovernorView fromJson(JsonObject json) {
    return WireJson.fromJson(json, GovernorView.class);
  }
}
