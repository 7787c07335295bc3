package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Scheduling priority; {@code normal} is read as {@code medium}. */
public enum Priority {
  HIGH(0), MEDIUM(1), LOW(2);

  private final int rank;

  Priority(int rank) {
    this.rank = rank;
  }

  /** Lower runs first. */
  public int rank() {
    return rank;
  }

  public static Optional<Priority> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "high" -> Optional.of(HIGH);
      case "medium", "normal" -> Optional.of(MEDIUM);
      case "low" -> Optional.of(LOW);
      default -> Optional.empty();
    };
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Priority fromWire(String text) {
    return parse(text).orElseThrow(() -> OrchException.badRequest("unknown priority '" + text + "' (high, medium, normal, low)"));
  }
}
