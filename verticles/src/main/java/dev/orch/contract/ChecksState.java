package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a pull request's checks stand on its current head. prbot decides on this; the human text beside it
 * ({@link PullRequestView#checks()}) is rendered from it by {@link #render}.
 */
public enum ChecksState {
  /** Not run on this head yet. */
  NOT_RUN,
  /** No check commands are configured. */
  NONE_CONFIGURED,
  PASSED,
  /** Green here; the forge's own checks (CI on GitHub) are still running. */
  FORGE_PENDING,
  /** A configured check command failed. */
  FAILED,
  /** The forge's own checks failed. */
  FORGE_FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ChecksState fromWire(String text) {
    if (text == null) {
      return NOT_RUN;
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw OrchException.badRequest("unknown checks state '" + text
          + "' (not_run, none_configured, passed, forge_pending, failed, forge_failed)");
    }
  }

  /** The sentence the CLI and the web show; {@code detail} says what failed. Null when nothing ran. */
  public String render(String detail) {
    return switch (this) {
      case NOT_RUN -> null;
      case NONE_CONFIGURED -> "none configured";
      case PASSED -> "passed";
      case FORGE_PENDING -> "passed here; waiting for the forge's checks";
      case FAILED -> detail;
      case FORGE_FAILED -> "the forge's checks failed: " + detail;
    };
  }
}
