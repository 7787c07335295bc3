package dev.orch.executor;

import dev.orch.contract.AgentEvent.Kind;
import dev.orch.contract.AgentEvent;
import dev.orch.contract.ApiLimit;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Claude Code CLI's {@code --output-format stream-json --verbose} lines into {@link AgentEvent}s: init,
 * assistant text, tool calls, tool results, retries and the final result with tokens and cost. Lines it does not
 * know become SYSTEM events, so nothing is dropped silently.
 */
public final class StreamJsonReader {
  static final int MAX_TEXT = 4000;

  private StreamJsonReader() {
  }

  public static List<AgentEvent> read(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return List.of();
    }
    JsonObject json;
    try {
      json = new JsonObject(trimmed);
    } catch (DecodeException | ClassCastException e) {
      return List.of(AgentEvent.text(Kind.SYSTEM, clip(trimmed)));
    }
    String type = json.getString("type", "");
    return switch (type) {
      case "system" -> List.of(system(json));
      case "assistant" -> assistant(json);
      case "user" -> toolResults(json);
      case "result" -> List.of(result(json));
      case "rate_limit_event" -> List.of(rateLimit(json, trimmed));
      default -> List.of(AgentEvent.text(Kind.SYSTEM, clip(trimmed)));
    };
  }

  private static AgentEvent system(JsonObject json) {
    String subtype = json.getString("subtype", "");
    if (subtype.equals("init")) {
      StringBuilder servers = new StringBuilder();
      JsonArray mcp = json.getJsonArray("mcp_servers", new JsonArray());
      for (int i = 0; i < mcp.size(); i++) {
        JsonObject server = mcp.getJsonObject(i);
        servers.append(i == 0 ? "" : ", ").append(server.getString("name")).append('=').append(server.getString("status"));
      }
      return new AgentEvent(Kind.INIT, servers.toString(), null, null, false, subtype, json.getString("session_id"),
          json.getString("model"), 0, 0, 0, 0, 0, 0);
    }
    if (subtype.equals("api_retry")) {
      return new AgentEvent(Kind.RETRY, clip(json.encode()), null, null, true, subtype, json.getString("session_id"), null,
          0, 0, 0, 0, 0, 0, retryLimit(json.getValue("error_status")));
    }
    return new AgentEvent(Kind.SYSTEM, clip(json.encode()), null, null, false, subtype, json.getString("session_id"), null,
        0, 0, 0, 0, 0, 0);
  }

  private static List<AgentEvent> assistant(JsonObject json) {
    List<AgentEvent> out = new ArrayList<>();
    JsonObject message = json.getJsonObject("message", new JsonObject());
    for (Object item : message.getJsonArray("content", new JsonArray())) {
      if (!(item instanceof JsonObject block)) {
        continue;
      }
      switch (block.getString("type", "")) {
        case "text" -> out.add(AgentEvent.text(Kind.TEXT, clip(block.getString("text", ""))));
        case "tool_use" -> out.add(new AgentEvent(Kind.TOOL_CALL, clip(String.valueOf(block.getValue("input"))),
            block.getString("name"), block.getString("id"), false, null, null, null, 0, 0, 0, 0, 0, 0));
        default -> { }
      }
    }
    return out;
  }

  private static List<AgentEvent> toolResults(JsonObject json) {
    List<AgentEvent> out = new ArrayList<>();
    JsonObject message = json.getJsonObject("message", new JsonObject());
    Object content = message.getValue("content");
    if (!(content instanceof JsonArray blocks)) {
      return out;
    }
    for (Object item : blocks) {
      if (item instanceof JsonObject block && "tool_result".equals(block.getString("type"))) {
        out.add(new AgentEvent(Kind.TOOL_RESULT, clip(textOf(block.getValue("content"))), null,
            block.getString("tool_use_id"), block.getBoolean("is_error", false), null, null, null, 0, 0, 0, 0, 0, 0));
      }
    }
    return out;
  }

  /** A subscription's limit, told before the request fails: the only place its reset time is given as a number. */
  private static AgentEvent rateLimit(JsonObject json, String line) {
    JsonObject info = json.getJsonObject("rate_limit_info", new JsonObject());
    ApiLimit limit = "rejected".equals(info.getString("status"))
        ? new ApiLimit(ApiLimit.Kind.USAGE, info.getLong("resetsAt", 0L) * 1000) : null;
    return new AgentEvent(Kind.SYSTEM, clip(line), null, null, limit != null, "rate_limit_event",
        json.getString("session_id"), null, 0, 0, 0, 0, 0, 0, limit);
  }

  /**
   * The limit a retry waits out, from its HTTP status: the CLI retries 429 and 529 on its own, and while it does no
   * other agent should start into the same wall. Other statuses (500, a dropped connection) are no limit.
   */
  private static ApiLimit retryLimit(Object status) {
    if (Integer.valueOf(429).equals(status)) {
      return new ApiLimit(ApiLimit.Kind.RATE, 0);
    }
    return Integer.valueOf(529).equals(status) ? new ApiLimit(ApiLimit.Kind.OVERLOADED, 0) : null;
  }

  /**
   * Whether a failed result failed for a limit, from its typed fields: the CLI ends every API error with
   * {@code terminal_reason "api_error"}, the HTTP status and the error's type, and names a usage limit in
   * {@code api_error}. The reset time is not on this line; the run's {@code rate_limit_event} has it.
   */
  static ApiLimit limitOf(JsonObject result) {
    if (!result.getBoolean("is_error", false)) {
      return null;
    }
    String apiError = result.getString("api_error", "");
    if (apiError.equals("usage_limit_reached") || apiError.equals("model_requires_usage_credits")) {
      return new ApiLimit(ApiLimit.Kind.USAGE, 0);
    }
    if (!"api_error".equals(result.getString("terminal_reason"))) {
      return null;
    }
    Object status = result.getValue("api_error_status");
    String type = result.getString("api_error_type", "");
    if (Integer.valueOf(429).equals(status) || type.equals("rate_limit_error")) {
      return new ApiLimit(ApiLimit.Kind.RATE, 0);
    }
    if (Integer.valueOf(529).equals(status) || type.equals("overloaded_error")) {
      return new ApiLimit(ApiLimit.Kind.OVERLOADED, 0);
    }
    return null;
  }

  private static AgentEvent result(JsonObject json) {
    JsonObject usage = json.getJsonObject("usage", new JsonObject());
    Object apiError = json.getValue("api_error_status");
    String text = json.getString("result", "");
    if (apiError != null) {
      text = "API error " + apiError + (text.isEmpty() ? "" : ": " + text);
    }
    return new AgentEvent(Kind.RESULT, clip(text), null, null, json.getBoolean("is_error", false),
        json.getString("subtype", ""), json.getString("session_id"), null,
        usage.getLong("input_tokens", 0L), usage.getLong("output_tokens", 0L),
        usage.getLong("cache_read_input_tokens", 0L), usage.getLong("cache_creation_input_tokens", 0L),
        json.getDouble("total_cost_usd", 0.0), json.getInteger("num_turns", 0), limitOf(json));
  }

  private static String textOf(Object content) {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder out = new StringBuilder();
      for (Object part : parts) {
        if (part instanceof JsonObject p && p.containsKey("text")) {
          out.append(p.getString("text"));
        }
      }
      return out.toString();
    }
    return content == null ? "" : String.valueOf(content);
  }

  static String clip(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "… (" + (text.length() - MAX_TEXT) + " more characters)";
  }
}
