package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** An agent is alive: sent on a timer and whenever its free slots change; absent {@code freeSlots} leaves them as known. */
public record AgentHeartbeat(String workerId, Integer freeSlots, List<Long> runningJobs) implements BusMessage {
  public AgentHeartbeat {
    AgentProtocol.workerId(workerId);
    AgentProtocol.between("free_slots", freeSlots, -AgentProtocol.MAX_JOBS, AgentProtocol.MAX_JOBS, false);
    runningJobs = AgentProtocol.jobIds(runningJobs);
  }

  public static AgentHeartbeat fromJson(JsonObject json) {
    return AgentProtocol.read(json, AgentHeartbeat.class);
  }
}
