package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One agent run's state as the executor stores it. {@code LIMITED}: the model API refused it for a limit (rate,
 * overload, a subscription's usage); that is no fault of the task, so it is not an attempt.
 */
public enum RunStatus {
  STARTING, RUNNING, SUCCEEDED, FAILED, STUCK, STOPPED, LIMITED;

  public boolean live() {
    return this == STARTING || this == RUNNING;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RunStatus fromWire(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw OrchException.badRequest("unknown run status '" + text + "'");
    }
  }
}
