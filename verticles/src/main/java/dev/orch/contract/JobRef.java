package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** The body of the build pool's {@code job} and {@code cancel}: which job. */
public record JobRef(long jobId) implements Command {
  public static JobRef fromJson(JsonObject json) {
    return WireJson.fromJson(json, JobRef.class);
  }
}
