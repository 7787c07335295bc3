package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A task's state as the scheduler stores it. */
public enum TaskStatus {
  NOT_STARTED(PlanStatus.NOT_STARTED),
  QUEUED(PlanStatus.IN_PROGRESS),
  RUNNING(PlanStatus.IN_PROGRESS),
  IN_REVIEW(PlanStatus.IN_PROGRESS),
  /** Marked in progress in the plan by a person, outside orch. */
  IN_PROGRESS(PlanStatus.IN_PROGRESS),
  COMPLETE(PlanStatus.COMPLETE),
  FAILED(PlanStatus.NOT_STARTED),
  STUCK(PlanStatus.NOT_STARTED),
  /**
   * The model API refused its run for a limit: it waits, its attempt not counted, and resumes in the same session when
   * the governor lets it (the reason says when).
   */
  PAUSED(PlanStatus.IN_PROGRESS),
  /** Its plan file or dependencies have an error; the reason is stored beside it. */
  BLOCKED(PlanStatus.NOT_STARTED),
  /** Its plan file is gone; the row and its history are kept. */
  REMOVED(PlanStatus.NOT_STARTED);

  private final PlanStatus planEquivalent;

  TaskStatus(PlanStatus planEquivalent) {
    this.planEquivalent = planEquivalent;
  }

  /** What the plan's markdown would say for this state. */
  public PlanStatus planEquivalent() {
    return planEquivalent;
  }

  /** A run is under way: sync never overrides these from markdown. */
  public boolean live() {
    return this == QUEUED || this == RUNNING || this == IN_REVIEW || this == PAUSED;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static TaskStatus fromWire(String text) {
    String key = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    return Arrays.stream(values()).filter(s -> s.name().equals(key)).findFirst()
        .orElseThrow(() -> OrchException.badRequest("unknown status '" + text + "' (one of " + allWire() + ")"));
  }

  public static String allWire() {
    return Arrays.stream(values()).map(TaskStatus::wire).collect(Collectors.joining(", "));
  }

  public static TaskStatus fromPlan(PlanStatus planStatus) {
    return switch (planStatus) {
      case NOT_STARTED -> NOT_STARTED;
      case IN_PROGRESS -> IN_PROGRESS;
      case COMPLETE -> COMPLETE;
    };
  }
}
