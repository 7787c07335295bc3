package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * Stop a task's live run. {@code outcome} is what the run is recorded as (stopped, stuck, failed), {@code cause} says
 * why (and decides whether the task is retried), {@code reason} is the detail shown to people.
 */
public record StopRequest(TaskId taskId, RunStatus outcome, StopCause cause, String reason) implements Command {

  public StopRequest {
    WireJson.require("task_id", taskId);
    WireJson.require("cause", cause);
    outcome = outcome == null ? RunStatus.STOPPED : outcome;
    if (outcome.live() || outcome == RunStatus.SUCCEEDED) {
      throw new IllegalArgumentException("field 'outcome' must be stopped, stuck or failed");
    }
    reason = reason == null || reason.isBlank() ? cause.describe() : reason;
  }

  public static StopRequest byPerson(TaskId taskId) {
    return new StopRequest(taskId, RunStatus.STOPPED, StopCause.PERSON, null);
  }

  public static StopRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, StopRequest.class);
  }
}
