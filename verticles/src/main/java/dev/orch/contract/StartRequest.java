package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@code orch start}: the named tasks, or the next {@code count} ready ones (of {@code module} when given). */
public record StartRequest(List<String> ids, int count, String module) implements Command {
  public StartRequest {
    ids = WireJson.listOrEmpty(ids);
    if (ids.isEmpty() && count < 1) {
      throw new IllegalArgumentException("field 'count' must be 1 or more when no ids are named");
    }
    module = module == null || module.isBlank() ? null : TaskId.normalizeModule(module);
  }

  public static StartRequest fromJson(JsonObject json) {
    return WireJson.fromJson(json, StartRequest.class);
  }
}
