package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How a batch run went: the tasks it started and how many of them completed, failed (or got stuck), or wait for a
 * person (flagged pull requests), what they cost, and why it ended. Published when a batch finishes.
 */
public record BatchSummary(String name, long startedAt, long endedAt, List<String> tasks, int done, int failed,
    int flagged, double spendUsd, boolean notifyPeople, String reason) implements BusMessage {
  public BatchSummary {
    WireJson.require("name", name);
    tasks = WireJson.listOrEmpty(tasks);
  }

  public static BatchSummary fromJson(JsonObject json) {
    return WireJson.fromJson(json, BatchSummary.class);
  }
}
