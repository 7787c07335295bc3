package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An agent joins (or joins again, after the coordinator restarted or missed it): its slots, how many are free (its
 * slots may be shared with other orchestrators; absent means all), and the jobs it still runs.
 */
public record AgentRegister(String workerId, String host, int slots, Integer freeSlots, List<Long> runningJobs)
    implements BusMessage {
  public AgentRegister {
    AgentProtocol.workerId(workerId);
    AgentProtocol.text("host", host, 255, false);
    AgentProtocol.between("slots", slots, 1, AgentProtocol.MAX_JOBS, true);
    AgentProtocol.between("free_slots", freeSlots, -AgentProtocol.MAX_JOBS, AgentProtocol.MAX_JOBS, false);
    runningJobs = AgentProtocol.jobIds(runningJobs);
  }

  public int freeSlotsOrAll() {
    return freeSlots == null ? slots : freeSlots;
  }

  public static AgentRegister fromJson(JsonObject json) {
    return AgentProtocol.read(json, AgentRegister.class);
  }
}
