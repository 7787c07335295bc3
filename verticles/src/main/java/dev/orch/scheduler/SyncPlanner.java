package dev.orch.scheduler;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.StatusConflict;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides what a sync changes, without touching the database: which rows to insert and update, which status
 * transitions to record, and where markdown and database disagree. Markdown wins for tasks without a live run;
 * a task with a live run keeps its state and the disagreement is reported.
 */
final class SyncPlanner {

  record Plan(List<StoredTask> inserts, List<StoredTask> updates, List<TaskTransition> transitions,
      List<StatusConflict> conflicts, int unchanged, int removed, int restored) {
  }

  private SyncPlanner() {
  }

  static Plan plan(Map<String, StoredTask> existing, PlanSnapshot snapshot, long now) {
    List<StoredTask> inserts = new ArrayList<>();
    List<StoredTask> updates = new ArrayList<>();
    List<TaskTransition> transitions = new ArrayList<>();
    List<StatusConflict> conflicts = new ArrayList<>();
    int unchanged = 0;
    int removed = 0;
    int restored = 0;
    Set<String> seen = new HashSet<>();

    for (TaskSpec spec : snapshot.tasks()) {
      seen.add(spec.id());
      StoredTask old = existing.get(spec.id());
      if (old == null) {
        TaskStatus status = spec.blockedReason() != null ? TaskStatus.BLOCKED
            : spec.planStatus() == null ? TaskStatus.NOT_STARTED : TaskStatus.fromPlan(spec.planStatus());
        inserts.add(new StoredTask(spec, status, now, now));
        transitions.add(new TaskTransition(spec.taskId(), null, status, reasonFor(status, spec, "new in the plan"), now));
        continue;
      }
      Decision decision = decide(old, spec);
      if (decision.conflict != null) {
        conflicts.add(decision.conflict);
      }
      if (old.status() == TaskStatus.REMOVED && decision.status != TaskStatus.REMOVED) {
        restored++;
      }
      boolean statusChanged = decision.status != old.status();
      if (!statusChanged && old.spec().equals(spec)) {
        unchanged++;
        continue;
      }
      updates.add(old.with(spec, decision.status, now));
      if (statusChanged) {
        transitions.add(new TaskTransition(spec.taskId(), old.status(), decision.status, decision.reason, now));
      }
    }

    Map<String, List<PlanIssue>> issuesByFile = snapshot.errors().stream()
        .collect(Collectors.groupingBy(PlanIssue::file, LinkedHashMap::new, Collectors.toList()));
    for (StoredTask old : existing.values()) {
      if (seen.contains(old.id()) || old.status() == TaskStatus.REMOVED) {
        continue;
      }
      List<PlanIssue> fileIssues = issuesByFile.get(old.spec().file());
      if (old.status().live()) {
        conflicts.add(new StatusConflict(old.taskId(), old.status().planEquivalent(), old.status(), old.status(),
            "its plan file " + (fileIssues != null ? "has errors" : "is gone") + " while a run is live; kept until the run ends"));
        continue;
      }
      if (fileIssues != null) {
        String reason = fileIssues.stream().map(PlanIssue::describe).collect(Collectors.joining("; "));
        if (old.status() != TaskStatus.BLOCKED || !reason.equals(old.blockedReason())) {
          updates.add(old.with(old.spec().withBlockedReason(reason), TaskStatus.BLOCKED, now));
          if (old.status() != TaskStatus.BLOCKED) {
            transitions.add(new TaskTransition(old.taskId(), old.status(), TaskStatus.BLOCKED, reason, now));
          }
        } else {
          unchanged++;
        }
        continue;
      }
      removed++;
      updates.add(old.with(old.spec(), TaskStatus.REMOVED, now));
      transitions.add(new TaskTransition(old.taskId(), old.status(), TaskStatus.REMOVED,
          "plan file " + old.spec().file() + " no longer defines it", now));
    }
    return new Plan(inserts, updates, transitions, conflicts, unchanged, removed, restored);
  }

  private record Decision(TaskStatus status, String reason, StatusConflict conflict) {
  }

  private static Decision decide(StoredTask old, TaskSpec spec) {
    TaskStatus current = old.status();
    if (current.live()) {
      StatusConflict conflict = spec.planStatus() != null && spec.planStatus() != current.planEquivalent()
          ? new StatusConflict(spec.taskId(), spec.planStatus(), current, current, "a run is live; the plan's status applies after it ends")
          : null;
      return new Decision(current, null, conflict);
    }
    if (spec.blockedReason() != null) {
      return new Decision(TaskStatus.BLOCKED, spec.blockedReason(), null);
    }
    if (current == TaskStatus.REMOVED || current == TaskStatus.BLOCKED) {
      TaskStatus next = spec.planStatus() == null ? TaskStatus.NOT_STARTED : TaskStatus.fromPlan(spec.planStatus());
      return new Decision(next, current == TaskStatus.REMOVED ? "back in the plan" : "plan error fixed", null);
    }
    if (spec.planStatus() != null && spec.planStatus() != current.planEquivalent()) {
      TaskStatus next = TaskStatus.fromPlan(spec.planStatus());
      return new Decision(next, "plan file says " + spec.planStatus().wire(),
          new StatusConflict(spec.taskId(), spec.planStatus(), current, next, "no run is live, so the plan file wins"));
    }
    return new Decision(current, null, null);
  }

  private static String reasonFor(TaskStatus status, TaskSpec spec, String otherwise) {
    return status == TaskStatus.BLOCKED ? spec.blockedReason() : otherwise;
  }
}
