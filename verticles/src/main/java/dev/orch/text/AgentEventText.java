package dev.orch.text;

import dev.orch.contract.AgentEvent;
import java.util.Arrays;

/** One agent event as a line (or a few) a person can read: what {@code orch logs} and the shell's {@code logs} print. */
public final class AgentEventText {
  private static final int TOOL_RESULT_LINES = 8;

  private AgentEventText() {
  }

  public static String describe(AgentEvent e) {
    return switch (e.kind()) {
      case INIT -> "[start]  session " + Printable.line(e.sessionId()) + ", model " + Printable.line(e.model())
          + (e.text() == null || e.text().isEmpty() ? "" : ", MCP servers: " + Printable.line(e.text()));
      case TEXT -> "[agent]  " + indent(e.text());
      case TOOL_CALL -> "[tool]   " + Printable.line(e.tool()) + " " + Printable.line(e.text());
      case TOOL_RESULT -> (e.error() ? "[error]  " : "[output] ") + indent(firstLines(e.text(), TOOL_RESULT_LINES));
      case RESULT -> String.format("[%s] %s after %d turns: %,d input + %,d output tokens (%,d cached), $%.4f%s",
          e.error() ? "failed" : "done", Printable.line(e.subtype()), e.numTurns(), e.inputTokens(), e.outputTokens(),
          e.cacheReadTokens(), e.costUsd(), e.text() == null || e.text().isBlank() ? "" : "\n         " + indent(e.text()));
      case RETRY -> "[retry]  the model API failed; the agent retries";
      case SYSTEM -> "[system] " + Printable.text(firstLines(e.text(), 1));
    };
  }

  private static String firstLines(String text, int max) {
    String[] lines = text.split("\n", -1);
    if (lines.length <= max) {
      return text;
    }
    return String.join("\n", Arrays.copyOf(lines, max)) + "\n… (" + (lines.length - max) + " more lines)";
  }

  private static String indent(String text) {
    return Printable.text(text).strip().replace("\n", "\n         ");
  }
}
