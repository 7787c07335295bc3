package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** A piece of a job's output, sent in order; {@code stream} is {@code stdout} or {@code stderr}. */
public record WorkerOutput(long jobId, String workerId, String text, String stream) implements BusMessage {
  private static final Set<String> STREAMS = Set.of("stdout", "stderr");

  public WorkerOutput {
    AgentProtocol.jobId(jobId);
    AgentProtocol.workerId(workerId);
    AgentProtocol.text("text", text, AgentProtocol.MAX_OUTPUT_CHARS, true);
    if (!STREAMS.contains(stream)) {
      throw new IllegalArgumentException("field 'stream' must be stdout or stderr");
    }
  }

  public static WorkerOutput fromJson(JsonObject json) {
    return AgentProtocol.read(json, WorkerOutput.class);
  }
}
