package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Which tasks a start request queued, and which it refused with the reason. */
public record StartResult(List<String> started, List<Refusal> refused) implements BusMessage {
  public StartResult {
    started = WireJson.listOrEmpty(started);
    refused = WireJson.listOrEmpty(refused);
  }

  public record Refusal(String id, String reason) {
  }

  public static StartResult fromJson(JsonObject json) {
    return WireJson.fromJson(json, StartResult.class);
  }
}
