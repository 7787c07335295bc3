package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import io.vertx.core.json.JsonObject;

/** The coordinator tells an agent to stop a job (cancelled, timed out, or not the agent's any more). */
public record JobCancel(long jobId) implements BusMessage {
  public JobCancel {
    AgentProtocol.jobId(jobId);
  }

  public static JobCancel fromJson(JsonObject json) {
    return AgentProtocol.read(json, JobCancel.class);
  }
}
