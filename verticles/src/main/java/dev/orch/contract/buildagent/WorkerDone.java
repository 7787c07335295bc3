package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import io.vertx.core.json.JsonObject;

/** A job ended on an agent, after all its output was taken; no {@code exitCode} when it never started. */
public record WorkerDone(long jobId, String workerId, Integer exitCode, String reason) implements BusMessage {
  public static final int MAX_REASON_CHARS = 4096;

  public WorkerDone {
    AgentProtocol.jobId(jobId);
    AgentProtocol.workerId(workerId);
    AgentProtocol.text("reason", reason, MAX_REASON_CHARS, false);
  }

  public static WorkerDone fromJson(JsonObject json) {
    return AgentProtocol.read(json, WorkerDone.class);
  }
}
