package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** A command about one task ({@code stop}, {@code retry}, {@code reset}, {@code get}), with an optional reason. */
public record TaskRef(String id, String reason) implements Command {
  public TaskRef {
    id = TaskId.parseFull(id).toString();
  }

  public static TaskRef of(String id) {
    return new TaskRef(id, null);
  }

  public static TaskRef fromJson(JsonObject json) {
    return WireJson.fromJson(json, TaskRef.class);
  }
}
