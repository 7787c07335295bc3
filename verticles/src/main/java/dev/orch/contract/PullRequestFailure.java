package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** A finished run that did not become a pull request, and why (for example, it committed nothing). */
public record PullRequestFailure(TaskId taskId, long runId, String reason) implements BusMessage {
  public PullRequestFailure {
    WireJson.require("task_id", taskId);
    WireJson.require("reason", reason);
  }

  public static PullRequestFailure fromJson(JsonObject json) {
    return WireJson.fromJson(json, PullRequestFailure.class);
  }
}
