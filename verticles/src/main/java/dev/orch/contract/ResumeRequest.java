package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** Continue a task's latest run in the same agent session and worktree with a follow-up prompt. */
public record ResumeRequest(String taskId, String prompt) implements BusMessage {
  public ResumeRequest {
    WireJson.require("task_id", taskId);
    WireJson.require("prompt", prompt);
  }

  public static ResumeRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, ResumeRequest.class);
  }
}
