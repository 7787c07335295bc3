package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an open pull request is on its way to the main branch; the wire values are the ones stored since version 2. */
public enum PrStage {
  /** prbot is updating, checking, routing or merging it. */
  CHECKING,
  /** The agent is working on feedback: failed checks, a conflict, or a person's rejection. */
  FIXING,
  /**
   * The agent's round on feedback waits until the model API's limit lifts and orch's governor lets agents start again
   * (it hit the limit, or was about to start while agents were held back).
   */
  LIMITED,
  /** Flagged: a person decides. */
  WAITING,
  DONE;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A missing stage is {@link #CHECKING}: rows written before stages existed were being checked. */
  @JsonCreator
  public static PrStage fromWire(String text) {
    if (text == null) {
      return CHECKING;
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw OrchException.badRequest("unknown pull request stage '" + text + "' (checking, fixing, limited, waiting, done)");
    }
  }
}
