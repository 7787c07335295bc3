package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** A command about one task ({@code stop}, {@code retry}, {@code reset}, {@code get}), with an optional reason. */
public record TaskRef(TaskId id, String reason) implements Command {
  public TaskRef {
    WireJson.require("id", id);
  }

  public static TaskRef of(TaskId id) {
    return new TaskRef(id, null);
  }

  public static TaskRef fromJson(JsonObject json) {
    return WireJson.fromJson(json, TaskRef.class);
  }
}
