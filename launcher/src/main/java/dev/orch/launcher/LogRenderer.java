package dev.orch.launcher;

import dev.orch.contract.AgentEvent;
import dev.orch.executor.StreamJsonReader;
import java.io.PrintWriter;

/** Turns an agent's stream-json lines into a log a person can read. */
final class LogRenderer {
  private static final int TOOL_RESULT_LINES = 8;

  private LogRenderer() {
  }

  static void render(String line, PrintWriter out) {
    for (AgentEvent event : StreamJsonReader.read(line)) {
      out.println(describe(event));
    }
  }

  static String describe(AgentEvent e) {
    return switch (e.kind()) {
      case INIT -> "[start]  session " + e.sessionId() + ", model " + e.model()
          + (e.text() == null || e.text().isEmpty() ? "" : ", MCP servers: " + e.text());
      case TEXT -> "[agent]  " + indent(e.text());
      case TOOL_CALL -> "[tool]   " + e.tool() + " " + e.text();
      case TOOL_RESULT -> (e.error() ? "[error]  " : "[output] ") + indent(firstLines(e.text(), TOOL_RESULT_LINES));
      case RESULT -> String.format("[%s] %s after %d turns: %,d input + %,d output tokens (%,d cached), $%.4f%s",
          e.error() ? "failed" : "done", e.subtype(), e.numTurns(), e.inputTokens(), e.outputTokens(),
          e.cacheReadTokens(), e.costUsd(), e.text() == null || e.text().isBlank() ? "" : "\n         " + indent(e.text()));
      case RETRY -> "[retry]  the model API failed; the agent retries";
      case SYSTEM -> "[system] " + firstLines(e.text(), 1);
    };
  }

  private static String firstLines(String text, int max) {
    String[] lines = text.split("\n", -1);
    if (lines.length <= max) {
      return text;
    }
    return String.join("\n", java.util.Arrays.copyOf(lines, max)) + "\n… (" + (lines.length - max) + " more lines)";
  }

  private static String indent(String text) {
    return text.strip().replace("\n", "\n         ");
  }
}
