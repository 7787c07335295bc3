package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** Stop a task's live run; {@code outcome} is what the run is recorded as (stopped, stuck, failed). */
public record StopRequest(String taskId, RunStatus outcome, String reason) implements BusMessage {
  /** The reason for {@code orch stop}: a run a person stopped is not retried. */
  public static final String BY_PERSON = "stopped by a person";
  /** Reasons of runs stopped because a task reached its cost limit start with this; they are not retried. */
  public static final String TASK_BUDGET = "cost limit reached: ";
  /** Reasons of runs stopped because the day's cost limit was reached start with this; they start again tomorrow. */
  public static final String DAY_BUDGET = "daily cost limit reached: ";

  public StopRequest {
    WireJson.require("task_id", taskId);
    outcome = outcome == null ? RunStatus.STOPPED : outcome;
    if (outcome.live() || outcome == RunStatus.SUCCEEDED) {
      throw new IllegalArgumentException("field 'outcome' must be stopped, stuck or failed");
    }
    reason = reason == null || reason.isBlank() ? "stopped by request" : reason;
  }

  public static StopRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, StopRequest.class);
  }
}
