package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** The scheduler asks the executor to start attempt {@code attempt} of a task. */
public record LaunchRequest(TaskId taskId, int attempt, String title, String file, List<String> completedDeps)
    implements Command {
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
