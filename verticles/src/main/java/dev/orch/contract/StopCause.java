package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why orch stopped a run. The scheduler decides whether the task is retried from this, never from the reason's
 * wording, so a reworded message cannot change what happens next.
 *
 * <p>Where orch's own end meets a run, the cause says whose the end was:
 * <ul>
 *   <li>orch shuts down cleanly: it ends its agents itself, {@link #SHUTDOWN}, not held against the task;</li>
 *   <li>orch is killed (kill -9, a crash) after a run is recorded but before its agent's pid is: nothing of the run
 *       can be trusted, and whatever was spawned is ended at restart, {@link #LOST}, not held against the task, and a
 *       pull request's fix round starts again;</li>
 *   <li>an agent whose pid was recorded and that is gone when orch restarts ended on its own (orch's end does not end
 *       its agents): no cause, its end is the agent's, a failed attempt that the retry policy weighs;</li>
 *   <li>a spawned agent whose pid the store would not take for two minutes is ended and fails with no cause: a store
 *       that refuses may go on refusing, so the attempt counts and the retry policy bounds the repeats.</li>
 * </ul>
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
  /**
   * orch stopped (a kill -9, a crash) between recording the run and recording its agent's pid: the agent never
   * started, or was ended at restart because nothing tied it to the run. Not the agent's doing, so it is not held
   * against the task, and a fix round it was to do starts again.
   */
  LOST("orch stopped before the agent's start was recorded"),
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
