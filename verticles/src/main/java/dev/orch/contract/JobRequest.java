package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * A build job: a shell command to run at a commit of the project. {@code ref} names where the commit can be fetched
 * (a hidden snapshot ref); {@code timeoutSecs} 0 means the pool's default; {@code label} says what it is for (build, test).
 */
public record JobRequest(String commit, String ref, String command, int timeoutSecs, String label, TaskId taskId)
    implements Command {
  public JobRequest {
    WireJson.require("commit", commit);
    WireJson.require("command", command);
    if (!commit.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException("field 'commit' must be a full commit id (40 hex digits)");
    }
    if (timeoutSecs < 0) {
      throw new IllegalArgumentException("field 'timeout_secs' must not be negative");
    }
    label = label == null || label.isBlank() ? "command" : label;
  }

  public static JobRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, JobRequest.class);
  }
}
