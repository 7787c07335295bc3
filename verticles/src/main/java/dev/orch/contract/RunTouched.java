package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The files a running agent has changed so far in its worktree, committed or not, as repository paths; published on
 * {@link Addresses.Executor#EVT_TOUCHED} when they change, so the scheduler keeps other tasks out of them.
 */
public record RunTouched(long runId, TaskId taskId, List<String> paths) implements BusMessage {
  public RunTouched {
    WireJson.require("task_id", taskId);
    paths = WireJson.listOrEmpty(paths);
  }

  public static RunTouched fromJson(JsonObject json) {
    return WireJson.fromJson(json, RunTouched.class);
  }
}
