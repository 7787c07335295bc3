package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A build job as the coordinator records it; {@code worker} is "local" for the local fallback; {@code outputTruncated}:
 * its output passed build_pool.max_job_output_mib and was cut.
 */
public record JobView(
    long jobId,
    String label,
    String command,
    String commit,
    String ref,
    TaskId taskId,
    State state,
    String worker,
    int attempts,
    Integer exitCode,
    String reason,
    int timeoutSecs,
    long outputBytes,
    long createdAt,
    long startedAt,
    long endedAt,
    boolean outputTruncated) implements BusMessage {

  public enum State {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    public boolean done() {
      return this != QUEUED && this != RUNNING;
    }

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static State fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  public JobView {
    WireJson.require("state", state);
  }

  /** Handed to {@code worker} (or "local") at {@code at}: one more attempt, nothing left of the last one's end. */
  public JobView startedOn(String worker, long at) {
    return new JobView(jobId, label, command, commit, ref, taskId, State.RUNNING, worker, attempts + 1, null, null,
        timeoutSecs, outputBytes, createdAt, at, 0, outputTruncated);
  }

  /** Ended as {@code state} at {@code at}; {@code exitCode} null when it never exited by itself. */
  public JobView endedAs(State state, Integer exitCode, String reason, long at) {
    return new JobView(jobId, label, command, commit, ref, taskId, state, worker, attempts, exitCode, reason, timeoutSecs,
        outputBytes, createdAt, startedAt, at, outputTruncated);
  }

  /** Waiting again (its agent went away, orch restarted), saying why. */
  public JobView backInQueue(String why) {
    return new JobView(jobId, label, command, commit, ref, taskId, State.QUEUED, null, attempts, null, why, timeoutSecs,
        outputBytes, createdAt, 0, 0, outputTruncated);
  }

  public JobView withOutputBytes(long bytes) {
    return new JobView(jobId, label, command, commit, ref, taskId, state, worker, attempts, exitCode, reason, timeoutSecs,
        bytes, createdAt, startedAt, endedAt, outputTruncated);
  }

  public JobView withOutputTruncated(boolean truncated) {
    return new JobView(jobId, label, command, commit, ref, taskId, state, worker, attempts, exitCode, reason, timeoutSecs,
        outputBytes, createdAt, startedAt, endedAt, truncated);
  }

  public static JobView fromJson(JsonObject json) {
    return WireJson.fromJson(json, JobView.class);
  }
}
