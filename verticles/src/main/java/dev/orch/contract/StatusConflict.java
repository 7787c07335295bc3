package dev.orch.contract;

/** Markdown and database disagreed on a task's status; {@code kept} says which side won and why. */
public record StatusConflict(TaskId taskId, PlanStatus planStatus, TaskStatus storedStatus, TaskStatus kept,
    String reason) implements BusMessage {
  public StatusConflict {
    WireJson.require("task_id", taskId);
    WireJson.require("plan_status", planStatus);
    WireJson.require("stored_status", storedStatus);
    WireJson.require("kept", kept);
  }
}
