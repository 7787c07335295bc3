package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * Ask the parser to write {@code status} for a task into its plan file and README status rows under {@code root}
 * (a checkout of the project, usually the merge worktree), so the change lands in the same commit.
 */
public record WriteStatusRequest(String root, TaskId taskId, String file, PlanStatus status) implements Command {
  public WriteStatusRequest {
    WireJson.require("root", root);
    WireJson.require("task_id", taskId);
    WireJson.require("file", file);
    WireJson.require("status", status);
  }

  public static WriteStatusRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, WriteStatusRequest.class);
  }
}
