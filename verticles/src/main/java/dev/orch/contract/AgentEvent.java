package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One structured event read from an agent's stream-json output. Which fields are set depends on the kind:
 * INIT (session, model, text = MCP servers), TEXT (text), TOOL_CALL (toolId, tool, text = input JSON),
 * TOOL_RESULT (toolId, text, error), RESULT (text = result, error, subtype, tokens, cost, turns),
 * RETRY and SYSTEM (text). {@code limit} is set when the event says the model API refused for a limit: on a RESULT
 * that failed for one, and on the SYSTEM event of a rejected {@code rate_limit_event} (with the reset time).
 */
public record AgentEvent(
    Kind kind,
    String text,
    String tool,
    String toolId,
    boolean error,
    String subtype,
    String sessionId,
    String model,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheCreationTokens,
    double costUsd,
    int numTurns,
    ApiLimit limit) implements BusMessage {

  public enum Kind {
    INIT, TEXT, TOOL_CALL, TOOL_RESULT, RESULT, RETRY, SYSTEM;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Kind fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  public AgentEvent {
    WireJson.require("kind", kind);
  }

  public AgentEvent(Kind kind, String text, String tool, String toolId, boolean error, String subtype, String sessionId,
      String model, long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens, double costUsd,
      int numTurns) {
    this(kind, text, tool, toolId, error, subtype, sessionId, model, inputTokens, outputTokens, cacheReadTokens,
        cacheCreationTokens, costUsd, numTurns, null);
  }

  public static AgentEvent text(Kind kind, String text) {
    return new AgentEvent(kind, text, null, null, false, null, null, null, 0, 0, 0, 0, 0, 0);
  }
}
