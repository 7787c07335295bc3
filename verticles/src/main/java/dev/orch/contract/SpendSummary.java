package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** What agents cost: today (local time), per task, in all, and in the last hour (the rate); and the token totals. */
public record SpendSummary(double todayUsd, double totalUsd, Map<String, Double> byTaskUsd, long inputTokens,
    long outputTokens, double lastHourUsd) implements BusMessage {
  public SpendSummary {
    byTaskUsd = byTaskUsd == null ? Map.of() : Map.copyOf(byTaskUsd);
  }

  public SpendSummary(double todayUsd, double totalUsd, Map<String, Double> byTaskUsd, long inputTokens,
      long outputTokens) {
    this(todayUsd, totalUsd, byTaskUsd, inputTokens, outputTokens, 0);
  }

  public static SpendSummary fromJson(JsonObject json) {
    return WireJson.fromJson(json, SpendSummary.class);
  }
}
