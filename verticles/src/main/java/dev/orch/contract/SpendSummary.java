package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** What agents cost: today (local time), per task, in all; and the token totals. */
public record SpendSummary(double todayUsd, double totalUsd, Map<String, Double> byTaskUsd, long inputTokens,
    long outputTokens) implements BusMessage {
  public SpendSummary {
    byTaskUsd = byTaskUsd == null ? Map.of() : Map.copyOf(byTaskUsd);
  }

  public static SpendSummary fromJson(JsonObject json) {
    return WireJson.fromJson(json, SpendSummary.class);
  }
}
