package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How a batch run went: the tasks it started and how many of them completed, failed (or got stuck), or wait for a
 * person (flagged pull requests), what they cost, and why it ended. Published when a batch finishes. {@code parked}:
 * how much of its {@code max_duration} the plan spent parked by the rate-limit governor, per limit, with
 * {@code parkedText} saying so in a sentence ("" when it never was); {@code ranOutParkedBy}: the limit that held the
 * plan when its {@code max_duration} ran out, or null.
 */
public record BatchSummary(String name, long startedAt, long endedAt, List<String> tasks, int done, int failed,
    int flagged, double spendUsd, boolean notifyPeople, String reason, List<ParkedTime> parked,
    ApiLimit.Kind ranOutParkedBy, String parkedText) implements BusMessage {
  public BatchSummary {
    WireJson.require("name", name);
    tasks = WireJson.listOrEmpty(tasks);
    parked = WireJson.listOrEmpty(parked);
    parkedText = parkedText == null ? "" : parkedText;
  }

  public static BatchSummary fromJson(JsonObject json) {
    return WireJson.fromJson(json, BatchSummary.class);
  }
}
