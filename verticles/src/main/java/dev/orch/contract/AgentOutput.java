package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A batch of events read from one run's output, in order; published on {@link Addresses.Executor#EVT_OUTPUT}. */
public record AgentOutput(long runId, TaskId taskId, List<AgentEvent> events, long at) implements BusMessage {
  public AgentOutput {
    WireJson.require("task_id", taskId);
    events = WireJson.listOrEmpty(events);
  }

  public static AgentOutput fromJson(JsonObject json) {
    return WireJson.fromJson(json, AgentOutput.class);
  }

  /**
   * Whether any event in the message says the model API refused for a limit (a retry of a 429, a rejected usage
   * limit), read from the JSON as it came: most output carries none, and is not worth reading in full for it.
   */
  public static boolean meetsLimit(JsonObject json) {
    io.vertx.core.json.JsonArray events = json.getJsonArray("events");
    if (events == null) {
      return false;
    }
    for (Object event : events) {
      if (event instanceof JsonObject e && e.getValue("limit") != null) {
        return true;
      }
    }
    return false;
  }
}
