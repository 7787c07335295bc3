package dev.orch.prbot;

import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskView;

/** What a pull request is opened from: the task as its plan stood when the run was launched. */
record TaskSnapshot(TaskId id, String title, String file, boolean needsReview) {
  /** The run carries it since runs record needs_review; null for a run recorded before. */
  static TaskSnapshot of(RunView run) {
    return run.hasTaskSnapshot() ? new TaskSnapshot(run.taskId(), run.title(), run.file(), run.needsReview()) : null;
  }

  static TaskSnapshot of(TaskView task) {
    return new TaskSnapshot(task.taskId(), task.title(), task.file(), task.needsReview());
  }
}
