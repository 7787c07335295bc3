package dev.orch.contract.buildagent;

import dev.orch.contract.BusMessage;
import io.vertx.core.json.JsonObject;

/**
 * The coordinator gives an agent a job: fetch {@code commit} from {@code gitUrl} (under {@code ref}, made for this job
 * alone) and run {@code command} there. {@code timeoutSecs} (optional) is informative: the coordinator enforces it.
 */
public record JobRun(long jobId, String commit, String ref, String command, String gitUrl, Integer timeoutSecs)
    implements BusMessage {
  public JobRun {
    AgentProtocol.jobId(jobId);
    AgentProtocol.commit(commit);
    AgentProtocol.text("ref", ref, 255, false);
    AgentProtocol.text("command", command, AgentProtocol.MAX_COMMAND_CHARS, true);
    AgentProtocol.text("git_url", gitUrl, 1024, true);
    if (!gitUrl.startsWith("git://")) {
      throw new IllegalArgumentException("field 'git_url' must be a git:// address");
    }
    AgentProtocol.between("timeout_secs", timeoutSecs, 1, Integer.MAX_VALUE, false);
  }

  public static JobRun fromJson(JsonObject json) {
    return AgentProtocol.read(json, JobRun.class);
  }
}
