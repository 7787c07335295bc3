package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** One stored change of a task's status, published on {@link Addresses.Scheduler#EVT_TASK}. */
public record TaskTransition(TaskId taskId, TaskStatus from, TaskStatus to, String reason, long at) implements BusMessage {
  public TaskTransition {
    WireJson.require("task_id", taskId);
    WireJson.require("to", to);
  }

  public static TaskTransition fromJson(JsonObject json) {
    return WireJson.fromJson(json, TaskTransition.class);
  }
}
