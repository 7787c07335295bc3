package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why orch stopped a run. The scheduler decides whether the task is retried from this, never from the reason's
 * wording, so a reworded message cannot change what happens next.
 */
public enum StopCause {
  /** {@code orch stop}, the web's stop button or the shell: a person's decision is not retried. */
  PERSON("stopped by a person"),
  /** The task reached {@code observer.max_cost_usd_per_task}: retrying would spend past it. */
  TASK_BUDGET("the task's cost limit was reached"),
  /** The day reached {@code observer.max_cost_usd_per_day}: the task waits for tomorrow, the attempt is not held against it. */
  DAY_BUDGET("the daily cost limit was reached"),
  /** orch itself shut down: the run is given back, not held against the task. */
  SHUTDOWN("orch shut down while the agent was running"),
  /** The agent said nothing for longer than the liveness limit. */
  STUCK("the agent stopped producing output");

  private final String describe;

  StopCause(String describe) {
    this.describe = describe;
  }

  /** A sentence for people; never parsed back. */
  public String describe() {
    return describe;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @JsonCreator
  public static StopCause fromWire(String text) {
    for (StopCause cause : values()) {
      if (cause.wire().equals(text)) {
        return cause;
      }
    }
    throw OrchException.badRequest("field 'cause': unknown stop cause '" + text + "'");
  }
}
