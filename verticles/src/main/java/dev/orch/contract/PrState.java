package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A pull request's state: open (being checked or merged), flagged (needs a person), merged, closed. */
public enum PrState {
  OPEN, FLAGGED, MERGED, CLOSED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static PrState fromWire(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw OrchException.badRequest("unknown pull request state '" + text + "' (open, flagged, merged, closed)");
    }
  }
}
