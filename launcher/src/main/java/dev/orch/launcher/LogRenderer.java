package dev.orch.launcher;

import dev.orch.text.AgentEventText;
import dev.orch.contract.AgentEvent;
import dev.orch.executor.StreamJsonReader;
import java.io.PrintWriter;

/** Turns an agent's stream-json lines into a log a person can read. */
final class LogRenderer {
  private LogRenderer() {
  }

  static void render(String line, PrintWriter out) {
    for (AgentEvent event : StreamJsonReader.read(line)) {
      out.println(AgentEventText.describe(event));
    }
  }
}
