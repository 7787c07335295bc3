package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The model API refused a run for a limit, not for anything the task did: the run is not an attempt. {@code resetsAt}
 * is when the API said the limit lifts (epoch milliseconds), or 0 when it did not say.
 */
public record ApiLimit(Kind kind, long resetsAt) {
  public ApiLimit {
    WireJson.require("kind", kind);
  }

  public enum Kind {
    /** HTTP 429 {@code rate_limit_error}: too many requests or tokens per minute. */
    RATE,
    /** HTTP 529 {@code overloaded_error}: the API has no room now. */
    OVERLOADED,
    /** A subscription's usage limit (five-hour or weekly), with the time it resets. */
    USAGE;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Kind fromWire(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw OrchException.badRequest("unknown limit kind '" + text + "'");
      }
    }

    /** In the words people read. */
    public String describe() {
      return switch (this) {
        case RATE -> "the model API's rate limit";
        case OVERLOADED -> "the model API is overloaded";
        case USAGE -> "the subscription's usage limit";
      };
    }
  }
}
