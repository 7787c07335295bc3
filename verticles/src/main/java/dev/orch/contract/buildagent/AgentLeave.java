package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import io.vertx.core.json.JsonObject;

/** An agent is stopping: its jobs go back in the queue at once rather than after its heartbeats are missed. */
public record AgentLeave(String workerId) implements BusMessage {
  public AgentLeave {
    AgentProtocol.workerId(workerId);
  }

  public static AgentLeave fromJson(JsonObject json) {
    return AgentProtocol.read(json, AgentLeave.class);
  }
}
