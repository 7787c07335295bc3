package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * One agent run: where it works (worktree, branch), where its output goes (log file), its process, and what it
 * cost. {@code resumedFrom} is the run whose session this one continues, or 0. {@code stopCause} is set when orch
 * stopped the run, and null when the agent ended on its own. {@code title}, {@code file} and {@code needsReview} are
 * the task's, as the launch carried them, so a consumer of the run need not ask for the task again (null on rows older
 * than them).
 * Built positionally only by the store's row mapping and {@link #starting}; every change goes through a wither.
 */
public record RunView(
    long runId,
    TaskId taskId,
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
    StopCause stopCause,
    String title,
    String file,
    Boolean needsReview,
    ApiLimit apiLimit) implements BusMessage {

  public RunView {
    WireJson.require("task_id", taskId);
    WireJson.require("status", status);
  }

  /** A run that did not end for a limit. */
  public RunView(long runId, TaskId taskId, int attempt, RunStatus status, String sessionId, long resumedFrom,
      String branch, String worktree, String logFile, long pid, long startedAt, long endedAt, Integer exitCode,
      String reason, long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens, double costUsd,
      int numTurns, long lastOutputAt, StopCause stopCause, String title, String file, Boolean needsReview) {
    this(runId, taskId, attempt, status, sessionId, resumedFrom, branch, worktree, logFile, pid, startedAt, endedAt,
        exitCode, reason, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns,
        lastOutputAt, stopCause, title, file, needsReview, null);
  }

  /** A run just recorded, before its agent is spawned. */
  public static RunView starting(long runId, TaskId taskId, int attempt, String sessionId, long resumedFrom,
      String branch, String worktree, String logFile, long startedAt, String title, String file, Boolean needsReview) {
    return new RunView(runId, taskId, attempt, RunStatus.STARTING, sessionId, resumedFrom, branch, worktree, logFile, 0,
        startedAt, 0, null, null, 0, 0, 0, 0, 0, 0, 0, null, title, file, needsReview, null);
  }

  public static RunView fromJson(JsonObject json) {
    return WireJson.fromJson(json, RunView.class);
  }

  public boolean succeeded() {
    return status == RunStatus.SUCCEEDED;
  }

  /** Whether the run carries what a pull request is opened from (title, plan file, needs_review). */
  public boolean hasTaskSnapshot() {
    return title != null && file != null && needsReview != null;
  }

  public RunUsage usage() {
    return new RunUsage(inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns, lastOutputAt);
  }

  /** The run as the store numbered it, with the log file named after that number. */
  public RunView recordedAs(long id, String log) {
    return new RunView(id, taskId, attempt, status, sessionId, resumedFrom, branch, worktree, log, pid, startedAt,
        endedAt, exitCode, reason, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns,
        lastOutputAt, stopCause, title, file, needsReview, apiLimit);
  }

  public RunView withStatus(RunStatus next) {
    return new RunView(runId, taskId, attempt, next, sessionId, resumedFrom, branch, worktree, logFile, pid, startedAt,
        endedAt, exitCode, reason, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns,
        lastOutputAt, stopCause, title, file, needsReview, apiLimit);
  }

  public RunView withPid(long next) {
    return new RunView(runId, taskId, attempt, status, sessionId, resumedFrom, branch, worktree, logFile, next, startedAt,
        endedAt, exitCode, reason, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns,
        lastOutputAt, stopCause, title, file, needsReview, apiLimit);
  }

  public RunView withSessionId(String next) {
    return new RunView(runId, taskId, attempt, status, next, resumedFrom, branch, worktree, logFile, pid, startedAt,
        endedAt, exitCode, reason, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns,
        lastOutputAt, stopCause, title, file, needsReview, apiLimit);
  }

  public RunView withUsage(RunUsage u) {
    return new RunView(runId, taskId, attempt, status, sessionId, resumedFrom, branch, worktree, logFile, pid, startedAt,
        endedAt, exitCode, reason, u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheCreationTokens(),
        u.costUsd(), u.numTurns(), u.lastOutputAt(), stopCause, title, file, needsReview, apiLimit);
  }

  /** A run that ended because the model API refused it for {@code limit}. */
  public RunView withApiLimit(ApiLimit limit) {
    return new RunView(runId, taskId, attempt, status, sessionId, resumedFrom, branch, worktree, logFile, pid, startedAt,
        endedAt, exitCode, reason, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns,
        lastOutputAt, stopCause, title, file, needsReview, limit);
  }

  /** The run over: how it ended ({@code cause} only when orch stopped it), when, and with which exit code if known. */
  public RunView settled(RunStatus outcome, StopCause cause, String why, Integer exit, long endedAtMillis) {
    if (outcome.live()) {
      throw new IllegalArgumentException("field 'status' of a settled run must not be " + outcome.wire());
    }
    return new RunView(runId, taskId, attempt, outcome, sessionId, resumedFrom, branch, worktree, logFile, pid, startedAt,
        endedAtMillis, exit, why, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, numTurns,
        lastOutputAt, cause, title, file, needsReview, apiLimit);
  }
}
