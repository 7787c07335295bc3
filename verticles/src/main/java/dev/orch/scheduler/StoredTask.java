package dev.orch.scheduler;

import dev.orch.contract.PlanStatus;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import java.util.List;
import java.util.Map;

/** A row of the tasks table: the plan's view of the task plus the state only the scheduler changes. */
record StoredTask(TaskSpec spec, TaskStatus status, long createdAt, long updatedAt, int attempts, long retryAt,
    String lastError) {

  StoredTask(TaskSpec spec, TaskStatus status, long createdAt, long updatedAt) {
    this(spec, status, createdAt, updatedAt, 0, 0, null);
  }

  String id() {
    return spec.id();
  }

  TaskId taskId() {
    return spec.taskId();
  }

  List<String> dependsOn() {
    return spec.dependsOn();
  }

  String blockedReason() {
    return spec.blockedReason();
  }

  StoredTask with(TaskSpec newSpec, TaskStatus newStatus, long now) {
    return new StoredTask(newSpec, newStatus, createdAt, now, attempts, retryAt, lastError);
  }

  /** A failed or stuck task whose next attempt is due. */
  boolean retryDue(long now) {
    return (status == TaskStatus.FAILED || status == TaskStatus.STUCK) && retryAt > 0 && retryAt <= now
        && blockedReason() == null;
  }

  static StoredTask of(String id, String module, String prefix, int number, String title, String file, Priority priority,
      List<String> dependsOn, boolean needsReview, PlanStatus planStatus, TaskStatus status, String blockedReason,
      int criteriaDone, int criteriaTotal, List<Map<String, String>> testSummary, String contentHash, long createdAt,
      long updatedAt, int attempts, long retryAt, String lastError, List<String> files, List<String> mentions) {
    return new StoredTask(new TaskSpec(id, module, prefix, number, title, file, priority, dependsOn, needsReview, planStatus,
        criteriaDone, criteriaTotal, testSummary, contentHash, blockedReason, files, mentions), status, createdAt, updatedAt,
        attempts, retryAt, lastError);
  }
}
