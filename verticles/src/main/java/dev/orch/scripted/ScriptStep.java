package dev.orch.scripted;

import io.vertx.core.json.JsonObject;

/**
 * One reply of the scripted model. A tool call's input may use {@code ${cwd}}, the agent's working directory as the
 * CLI reports it, since file tools want absolute paths.
 */
public sealed interface ScriptStep {

  /** Ask the agent to call a tool, then go on with the next step when its result comes back. */
  record Tool(String name, JsonObject input) implements ScriptStep {
  }

  /** Ask for the same tool call again and again (to run into the max-turns limit). */
  record ToolForever(String name, JsonObject input) implements ScriptStep {
  }

  /** Answer with text and end the turn: the run's final answer. */
  record Text(String text) implements ScriptStep {
  }

  /** Fail the request with an HTTP status and an API error body. */
  record ApiError(int status, String message) implements ScriptStep {
  }

  /** Start the answer and then say nothing more (the agent hangs until someone stops it). */
  record Hang() implements ScriptStep {
  }

  static Tool tool(String name, JsonObject input) {
    return new Tool(name, input);
  }

  static Text text(String text) {
    return new Text(text);
  }
}
