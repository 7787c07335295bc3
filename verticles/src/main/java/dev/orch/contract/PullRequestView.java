package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A pull request as prbot records it: {@code reason} says why it is flagged or closed, {@code routing} why review
 * routing flagged it (null when routine), {@code checks} how its checks went, {@code url} and {@code remoteNumber}
 * where it lives on a remote forge (GitHub), when it does.
 */
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
    long mergedAt,
    String stage,
    int fixRounds,
    List<String> labels,
    String routing,
    String checks,
    String url,
    int remoteNumber) implements BusMessage {

  /** prbot is updating, checking, routing or merging it. */
  public static final String STAGE_CHECKING = "checking";
  /** The agent is working on feedback: failed checks, a conflict, or a person's rejection. */
  public static final String STAGE_FIXING = "fixing";
  /** Flagged: a person decides. */
  public static final String STAGE_WAITING = "waiting";
  public static final String STAGE_DONE = "done";

  public PullRequestView {
    WireJson.require("task_id", taskId);
    WireJson.require("state", state);
    stage = stage == null ? STAGE_CHECKING : stage;
    labels = WireJson.listOrEmpty(labels);
  }

  public static PullRequestView fromJson(JsonObject json) {
    return WireJson.fromJson(json, PullRequestView.class);
  }
}
