package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** The observer stopped a run or a task (stuck, over budget) and says why. {@code runId} is 0 for a day-wide limit. */
public record RunAlert(long runId, TaskId taskId, String reason, double spentUsd, double limitUsd) implements BusMessage {
  public RunAlert {
    WireJson.require("reason", reason);
  }

  public static RunAlert fromJson(JsonObject json) {
    return WireJson.fromJson(json, RunAlert.class);
  }
}
