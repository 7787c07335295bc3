package dev.orch.contract;

import dev.orch.contract.TaskId;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A task as every surface (CLI, web, shell) shows it: stored state plus readiness. {@code retryAt} is when a failed
 * task will be tried again (0: not scheduled); {@code lastError} says what went wrong last, or what a person must do.
 * A ready task the scheduler holds back because it may touch the files of a running one names that task in
 * {@code heldBy} and the files both may touch in {@code sharedFiles}; both are null otherwise.
 */
public record TaskView(
    String id,
    String module,
    String prefix,
    int epic,
    String title,
    TaskStatus status,
    Priority priority,
    List<String> dependsOn,
    boolean ready,
    String blockedReason,
    String file,
    boolean needsReview,
    int criteriaDone,
    int criteriaTotal,
    long updatedAt,
    int attempts,
    long retryAt,
    String lastError,
    String heldBy,
    String sharedFiles) implements BusMessage {

  public TaskView {
    WireJson.require("id", id);
    WireJson.require("status", status);
    WireJson.require("priority", priority);
    dependsOn = WireJson.listOrEmpty(dependsOn);
  }

  /** A task nothing holds back. */
  public TaskView(String id, String module, String prefix, int epic, String title, TaskStatus status, Priority priority,
      List<String> dependsOn, boolean ready, String blockedReason, String file, boolean needsReview, int criteriaDone,
      int criteriaTotal, long updatedAt, int attempts, long retryAt, String lastError) {
    this(id, module, prefix, epic, title, status, priority, dependsOn, ready, blockedReason, file, needsReview,
        criteriaDone, criteriaTotal, updatedAt, attempts, retryAt, lastError, null, null);
  }

  /** The id as a value, built from its parts (they always agree with {@code id}). */
  public TaskId taskId() {
    return new TaskId(module, prefix, epic);
  }

  public static TaskView fromJson(JsonObject json) {
    return WireJson.fromJson(json, TaskView.class);
  }
}
