package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import dev.orch.contract.WireJson;
import io.vertx.core.json.JsonObject;

/** The coordinator's reply to {@link AgentRegister}: how often to send heartbeats, and where to fetch commits from. */
public record AgentWelcome(Integer heartbeatIntervalSecs, String gitUrl) implements BusMessage {
  public AgentWelcome {
    heartbeatIntervalSecs = heartbeatIntervalSecs == null || heartbeatIntervalSecs <= 0 ? 30 : heartbeatIntervalSecs;
  }

  /** Lenient: a reply may grow new fields. */
  public static AgentWelcome fromJson(JsonObject json) {
    return WireJson.fromJson(json, AgentWelcome.class);
  }
}
