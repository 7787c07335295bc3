package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the agent was last asked to do on a pull request; prbot decides on it (a second conflict goes to a person). */
public enum FollowUpKind {
  CONFLICT, CHECKS_FAILED, REJECTED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static FollowUpKind fromWire(String text) {
    if (text == null) {
      return null;
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw OrchException.badRequest("unknown follow-up '" + text + "' (conflict, checks_failed, rejected)");
    }
  }
}
