package dev.orch.scheduler;

import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import dev.orch.footprint.FootprintGate;
import java.util.Collection;
import java.util.Map;

/** Ready means not started, not blocked, and every dependency complete. */
final class Readiness {
  private Readiness() {
  }

  static boolean isReady(StoredTask task, Map<String, StoredTask> all) {
    if (task.status() != TaskStatus.NOT_STARTED || task.blockedReason() != null) {
      return false;
    }
    return dependenciesComplete(task, all);
  }

  static boolean dependenciesComplete(StoredTask task, Map<String, StoredTask> all) {
    for (String dep : task.dependsOn()) {
      StoredTask other = all.get(dep);
      if (other == null || other.status() != TaskStatus.COMPLETE) {
        return false;
      }
    }
    return true;
  }

  /** Why a task cannot start now, or null when it can. */
  static String whyNotStartable(StoredTask task, Map<String, StoredTask> all) {
    if (task.blockedReason() != null) {
      return "blocked: " + task.blockedReason();
    }
    if (task.status() != TaskStatus.NOT_STARTED && task.status() != TaskStatus.FAILED && task.status() != TaskStatus.STUCK) {
      return "it is " + task.status().wire();
    }
    java.util.List<String> waiting = new java.util.ArrayList<>();
    for (String dep : task.dependsOn()) {
      StoredTask other = all.get(dep);
      if (other == null || other.status() != TaskStatus.COMPLETE) {
        waiting.add(dep + " (" + (other == null ? "missing" : other.status().wire()) + ")");
      }
    }
    return waiting.isEmpty() ? null : "its dependencies are not complete: " + String.join(", ", waiting);
  }

  /** {@code hold}: why the scheduler keeps it from starting now, or null. */
  static TaskView view(StoredTask task, Map<String, StoredTask> all, FootprintGate.Hold hold) {
    var s = task.spec();
    boolean ready = isReady(task, all);
    boolean held = ready && hold != null;
    return new TaskView(s.id(), s.module(), s.prefix(), s.number(), s.title(), task.status(), s.priority(), s.dependsOn(),
        ready, s.blockedReason(), s.file(), s.needsReview(), s.criteriaDone(), s.criteriaTotal(),
        task.updatedAt(), task.attempts(), task.retryAt(), task.lastError(), held ? hold.otherTaskId() : null,
        held ? hold.overlap().shared().text() : null);
  }

  static long countReady(Collection<StoredTask> tasks, Map<String, StoredTask> all) {
    return tasks.stream().filter(t -> isReady(t, all)).count();
  }
}
