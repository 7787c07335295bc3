package dev.orch.contract;

import java.util.List;
import java.util.Map;

/**
 * Everything one read of {@code docs/plans/} found: the tasks, every problem, and each module's context file
 * (README.md or 00-overview.md, relative to the project root) for prompts.
 */
public record PlanSnapshot(
    String plansDir,
    List<TaskSpec> tasks,
    List<PlanIssue> errors,
    Map<String, String> moduleContexts,
    int filesRead,
    long parseMillis) implements BusMessage {

  public PlanSnapshot {
    WireJson.require("plans_dir", plansDir);
    tasks = WireJson.listOrEmpty(tasks);
    errors = WireJson.listOrEmpty(errors);
    moduleContexts = moduleContexts == null ? Map.of() : Map.copyOf(moduleContexts);
  }

  public static PlanSnapshot fromJson(io.vertx.core.json.JsonObject json) {
    return WireJson.fromJson(json, PlanSnapshot.class);
  }
}
