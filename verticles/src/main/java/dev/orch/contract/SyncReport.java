package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** What one sync changed in the task store. */
public record SyncReport(
    int taskCount,
    int inserted,
    int updated,
    int unchanged,
    int removed,
    int restored,
    List<StatusConflict> statusConflicts,
    List<PlanIssue> errors,
    int filesRead,
    long parseMillis,
    long storeMillis) implements BusMessage {

  public SyncReport {
    statusConflicts = WireJson.listOrEmpty(statusConflicts);
    errors = WireJson.listOrEmpty(errors);
  }

  public static SyncReport fromJson(JsonObject json) {
    return WireJson.fromJson(json, SyncReport.class);
  }
}
