package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Sums per bucket of a {@link HistoryQuery}, oldest first. */
public record HistorySeries(List<Double> values) implements BusMessage {
  public HistorySeries {
    values = WireJson.listOrEmpty(values);
  }

  public static HistorySeries fromJson(JsonObject json) {
    return WireJson.fromJson(json, HistorySeries.class);
  }
}
