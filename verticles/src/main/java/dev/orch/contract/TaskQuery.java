package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** Filters for listing tasks; every field is optional. Removed tasks show only when asked for by status. */
public record TaskQuery(String module, TaskStatus status, Boolean ready) implements Command {
  public static final TaskQuery ALL = new TaskQuery(null, null, null);

  public TaskQuery {
    module = module == null || module.isBlank() ? null : TaskId.normalizeModule(module);
  }

  public static TaskQuery fromJson(JsonObject json) {
    return WireJson.fromJson(json, TaskQuery.class);
  }

  public boolean matches(TaskView task) {
    if (module != null && !module.equals(task.module())) {
      return false;
    }
    if (status == null ? task.status() == TaskStatus.REMOVED : status != task.status()) {
      return false;
    }
    return ready == null || ready == task.ready();
  }
}
