package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A pull request as prbot records it: {@code reason} says why it is flagged or closed, {@code routing} why review
 * routing flagged it (null when routine), {@code checksState} how its checks stand and {@code checks} the same in words,
 * {@code followUp} what the agent was last asked to do, {@code url} and {@code remoteNumber} where it lives on a remote
 * forge (GitHub), when it does. {@code taskTitle}, {@code taskFile}, {@code worktree} and {@code needsReview} are the
 * snapshot of the task and run it was opened from, so prbot need not ask for them again. {@code changedPaths} are the
 * files its merged commit changed (empty until it merges), which the scheduler predicts its module's next tasks touch.
 */
public record PullRequestView(
    int number,
    TaskId taskId,
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
    PrStage stage,
    int fixRounds,
    List<String> labels,
    String routing,
    String checks,
    String url,
    int remoteNumber,
    ChecksState checksState,
    FollowUpKind followUp,
    String taskTitle,
    String taskFile,
    String worktree,
    boolean needsReview,
    List<String> changedPaths) implements BusMessage {

  public PullRequestView {
    WireJson.require("task_id", taskId);
    WireJson.require("state", state);
    stage = stage == null ? PrStage.CHECKING : stage;
    labels = WireJson.listOrEmpty(labels);
    checksState = checksState == null ? ChecksState.NOT_RUN : checksState;
    changedPaths = ChangedPaths.require("changed_paths", changedPaths);
  }

  /** Without the typed decisions and the snapshot: a pull request that has not been checked yet, from no known task. */
  public PullRequestView(int number, TaskId taskId, long runId, String branch, String title, String body, PrState state,
      String reason, String headCommit, String mergeCommit, int filesChanged, int additions, int deletions,
      String diffStat, double costUsd, long tokens, long createdAt, long mergedAt, PrStage stage, int fixRounds,
      List<String> labels, String routing, String checks, String url, int remoteNumber) {
    this(number, taskId, runId, branch, title, body, state, reason, headCommit, mergeCommit, filesChanged, additions,
        deletions, diffStat, costUsd, tokens, createdAt, mergedAt, stage, fixRounds, labels, routing, checks, url,
        remoteNumber, null, null, null, null, null, false, List.of());
  }

  public static PullRequestView fromJson(JsonObject json) {
    return WireJson.fromJson(json, PullRequestView.class);
  }

  /** Whether it was opened with the snapshot of its task (rows from before the snapshot was kept have none). */
  public boolean hasSnapshot() {
    return taskFile != null && worktree != null;
  }

  public PullRequestView withChecks(ChecksState newState, String detail) {
    return new PullRequestView(number, taskId, runId, branch, title, body, state, reason, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, stage, fixRounds, labels,
        routing, newState.render(detail), url, remoteNumber, newState, followUp, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  public PullRequestView withStage(PrStage newStage) {
    return new PullRequestView(number, taskId, runId, branch, title, body, state, reason, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, newStage, fixRounds, labels,
        routing, checks, url, remoteNumber, checksState, followUp, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  public PullRequestView withState(PrState newState) {
    return new PullRequestView(number, taskId, runId, branch, title, body, newState, reason, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, stage, fixRounds, labels,
        routing, checks, url, remoteNumber, checksState, followUp, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  /** Flagged for a person, with why. */
  public PullRequestView flagged(String why) {
    return new PullRequestView(number, taskId, runId, branch, title, body, PrState.FLAGGED, why, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, PrStage.WAITING, fixRounds,
        labels, routing, checks, url, remoteNumber, checksState, followUp, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  /**
   * Landed on the main branch as {@code commit}, changing {@code paths}; {@code why} is null when orch merged it on its
   * own.
   */
  public PullRequestView merged(String commit, long at, String why, List<String> paths) {
    return new PullRequestView(number, taskId, runId, branch, title, body, PrState.MERGED, why, headCommit, commit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, at, PrStage.DONE, fixRounds, labels,
        routing, checks, url, remoteNumber, checksState, followUp, taskTitle, taskFile, worktree, needsReview, paths);
  }

  /** Handed to the agent with a follow-up; {@code why} is that follow-up in words. */
  public PullRequestView handedToAgent(FollowUpKind kind, String why, int rounds) {
    return new PullRequestView(number, taskId, runId, branch, title, body, state, why, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, PrStage.FIXING, rounds, labels,
        routing, checks, url, remoteNumber, checksState, kind, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  /** Its round with the agent never started (orch stopped first): back to the checks, with {@code rounds} used. */
  public PullRequestView roundNotStarted(int rounds) {
    return new PullRequestView(number, taskId, runId, branch, title, body, state, reason, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, PrStage.CHECKING, rounds,
        labels, routing, checks, url, remoteNumber, checksState, null, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  public PullRequestView withRouting(String newRouting, List<String> newLabels) {
    return new PullRequestView(number, taskId, runId, branch, title, body, state, reason, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, stage, fixRounds, newLabels,
        newRouting, checks, url, remoteNumber, checksState, followUp, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  public PullRequestView withRemote(int newRemoteNumber, String newUrl) {
    return new PullRequestView(number, taskId, runId, branch, title, body, state, reason, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, stage, fixRounds, labels,
        routing, checks, newUrl, newRemoteNumber, checksState, followUp, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  /** The branch as it now is (after the agent's turn or an update): its checks have not run on this head. */
  public PullRequestView withHead(String newHead, int files, int added, int deleted, String stat) {
    return new PullRequestView(number, taskId, runId, branch, title, body, state, reason, newHead, mergeCommit,
        files, added, deleted, stat, costUsd, tokens, createdAt, mergedAt, stage, fixRounds, labels,
        routing, null, url, remoteNumber, ChecksState.NOT_RUN, followUp, taskTitle, taskFile, worktree, needsReview, changedPaths);
  }

  /** The agent's run {@code newRunId} worked on it and cost this much more. */
  public PullRequestView withRun(long newRunId, double moreCostUsd, long moreTokens) {
    return new PullRequestView(number, taskId, newRunId, branch, title, body, state, reason, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd + moreCostUsd, tokens + moreTokens, createdAt, mergedAt,
        stage, fixRounds, labels, routing, checks, url, remoteNumber, checksState, followUp, taskTitle, taskFile, worktree,
        needsReview, changedPaths);
  }

  /** The task and run it comes from, as they were when it was opened. */
  public PullRequestView withSnapshot(String newTaskTitle, String newTaskFile, String newWorktree, boolean review) {
    return new PullRequestView(number, taskId, runId, branch, title, body, state, reason, headCommit, mergeCommit,
        filesChanged, additions, deletions, diffStat, costUsd, tokens, createdAt, mergedAt, stage, fixRounds, labels,
        routing, checks, url, remoteNumber, checksState, followUp, newTaskTitle, newTaskFile, newWorktree, review, changedPaths);
  }
}
