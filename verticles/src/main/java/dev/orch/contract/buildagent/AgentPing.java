package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import io.vertx.core.json.JsonObject;

/** Is the agent there? A send to an agent whose node left the cluster fails at once with no handlers. */
public record AgentPing() implements BusMessage {
  public static AgentPing fromJson(JsonObject json) {
    return AgentProtocol.read(json, AgentPing.class);
  }
}
