package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** A pull request as prbot records it; {@code reason} says why it is flagged or closed. */
public record PullRequestView(
    int number,
    String taskId,
    long runId,
    String branch,
    String title,
    String body,
    PrState state,
    String reason,
    String headCommit,
    String mergeCommit,
    int filesChanged,
    int additions,
    int deletions,
    String diffStat,
    double costUsd,
    long tokens,
    long createdAt,
    long mergedAt) implements BusMessage {

  public PullRequestView {
    WireJson.require("task_id", taskId);
    WireJson.require("state", state);
  }

  public static PullRequestView fromJson(JsonObject json) {
    return WireJson.fromJson(json, PullRequestView.class);
  }
}
