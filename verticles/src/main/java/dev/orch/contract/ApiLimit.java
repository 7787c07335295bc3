package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A limit that holds new agents back, not anything a task did: the model API refusing a run (the run is not an
 * attempt), or orch's own hourly spending limit. {@code resetsAt} is when it lifts (epoch milliseconds), or 0 when
 * nobody said.
 */
public record ApiLimit(Kind kind, long resetsAt) implements BusMessage {
  public ApiLimit {
    WireJson.require("kind", kind);
  }

  public static ApiLimit fromJson(JsonObject json) {
    return WireJson.fromJson(json, ApiLimit.class);
  }

  public enum Kind {
    /** HTTP 429 {@code rate_limit_error}: too many requests or tokens per minute. */
    RATE,
    /** HTTP 529 {@code overloaded_error}: the API has no room now. */
    OVERLOADED,
    /** A subscription's usage limit (five-hour or weekly), with the time it resets. */
    USAGE,
    /** {@code observer.max_spend_per_hour}: the last hour's agents cost that much; lifts as the hour rolls on. */
    SPEND_RATE;

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
        case OVERLOADED -> "the model API's overload";
        case USAGE -> "the subscription's usage limit";
        case SPEND_RATE -> "the hourly spending limit (observer.max_spend_per_hour)";
      };
    }
  }
}
