package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * {@code orch status}: counts by status (keyed by the status wire name), how many are ready, what is blocked and why,
 * the last sync's errors, notices (for example, that dispatching is paused by a budget), and the failed and stuck
 * tasks, which wait for a person.
 */
public record StatusSummary(
    int total,
    Map<String, Integer> counts,
    int ready,
    List<BlockedTask> blocked,
    List<PlanIssue> planErrors,
    long lastSyncAt,
    List<String> notices,
    List<TaskView> failedOrStuck) implements BusMessage {

  public StatusSummary {
    counts = counts == null ? Map.of() : Map.copyOf(counts);
    blocked = WireJson.listOrEmpty(blocked);
    planErrors = WireJson.listOrEmpty(planErrors);
    notices = WireJson.listOrEmpty(notices);
    failedOrStuck = WireJson.listOrEmpty(failedOrStuck);
  }

  public record BlockedTask(String id, String reason) {
  }

  public static StatusSummary fromJson(JsonObject json) {
    return WireJson.fromJson(json, StatusSummary.class);
  }
}
