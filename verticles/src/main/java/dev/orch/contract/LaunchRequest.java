package dev.orch.contract;

import dev.orch.contract.TaskId;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The scheduler asks the executor to start attempt {@code attempt} of a task. {@code title}, {@code file} and
 * {@code needsReview} are the task's as the plan says, carried forward with the run so its consumers (prbot opening
 * the pull request) need not ask the scheduler again; {@code needsReview} is null from a sender older than it.
 */
public record LaunchRequest(TaskId taskId, int attempt, String title, String file, List<String> completedDeps,
    Boolean needsReview) implements Command {
  public LaunchRequest {
    WireJson.require("task_id", taskId);
    WireJson.require("title", title);
    WireJson.require("file", file);
    if (attempt < 1) {
      throw new IllegalArgumentException("field 'attempt' must be 1 or more");
    }
    completedDeps = WireJson.listOrEmpty(completedDeps);
  }

  public static LaunchRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, LaunchRequest.class);
  }
}
