package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Readable events of a run's log from byte {@code offset} to {@code nextOffset}; {@code size} is the log's length
 * when it was read and {@code live} whether the agent is still writing to it. A partly written last line is left for
 * the next page.
 */
public record RunLogPage(long runId, long offset, long nextOffset, long size, boolean live, List<AgentEvent> events)
    implements BusMessage {
  public RunLogPage {
    events = WireJson.listOrEmpty(events);
  }

  public static RunLogPage fromJson(JsonObject json) {
    return WireJson.fromJson(json, RunLogPage.class);
  }
}
