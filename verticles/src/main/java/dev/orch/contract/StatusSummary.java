package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * {@code orch status}: counts by status (keyed by the status wire name), how many are ready, what is blocked and why,
 * the last sync's errors, notices (for example, that dispatching is paused by a budget), and the failed and stuck
 * tasks, which wait for a person, and the ready tasks held back because they may touch a running task's files.
 */
public record StatusSummary(
    int total,
    Map<String, Integer> counts,
    int ready,
    List<BlockedTask> blocked,
    List<PlanIssue> planErrors,
    long lastSyncAt,
    List<String> notices,
    List<TaskView> failedOrStuck,
    List<TaskView> heldBack) implements BusMessage {

  public StatusSummary {
    counts = counts == null ? Map.of() : Map.copyOf(counts);
    blocked = WireJson.listOrEmpty(blocked);
    planErrors = WireJson.listOrEmpty(planErrors);
    notices = WireJson.listOrEmpty(notices);
    failedOrStuck = WireJson.listOrEmpty(failedOrStuck);
    heldBack = WireJson.listOrEmpty(heldBack);
  }

  public StatusSummary(int total, Map<String, Integer> counts, int ready, List<BlockedTask> blocked,
      List<PlanIssue> planErrors, long lastSyncAt, List<String> notices, List<TaskView> failedOrStuck) {
    this(total, counts, ready, blocked, planErrors, lastSyncAt, notices, failedOrStuck, List.of());
  }

  public record BlockedTask(String id, String reason) {
  }

  public static StatusSummary fromJson(JsonObject json) {
    return WireJson.fromJson(json, StatusSummary.class);
  }
}
