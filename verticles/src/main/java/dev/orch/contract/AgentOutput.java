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
}
