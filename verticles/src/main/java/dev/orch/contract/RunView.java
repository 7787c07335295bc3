package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * One agent run: where it works (worktree, branch), where its output goes (log file), its process, and what it
 * cost. {@code resumedFrom} is the run whose session this one continues, or 0. {@code stopCause} is set when orch
 * stopped the run, and null when the agent ended on its own.
 */
public record RunView(
    long runId,
    String taskId,
    int attempt,
    RunStatus status,
    String sessionId,
    long resumedFrom,
    String branch,
    String worktree,
    String logFile,
    long pid,
    long startedAt,
    long endedAt,
    Integer exitCode,
    String reason,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheCreationTokens,
    double costUsd,
    int numTurns,
    long lastOutputAt,
    StopCause stopCause) implements BusMessage {

  public RunView {
    WireJson.require("task_id", taskId);
    WireJson.require("status", status);
  }

  public static RunView fromJson(JsonObject json) {
    return WireJson.fromJson(json, RunView.class);
  }

  public boolean succeeded() {
    return status == RunStatus.SUCCEEDED;
  }
}
