package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/** The body of the build pool's {@code jobs}: the most recent {@code limit} jobs (1 to 1000, 50 when absent). */
public record JobsQuery(Integer limit) implements Command {
  public JobsQuery {
    limit = limit == null ? 50 : Math.max(1, Math.min(1000, limit));
  }

  public static JobsQuery fromJson(JsonObject json) {
    return WireJson.fromJson(json == null ? new JsonObject() : json, JobsQuery.class);
  }
}
