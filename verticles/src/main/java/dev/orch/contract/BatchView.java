package dev.orch.contract;

import io.vertx.core.json.JsonObject;

/**
 * A scheduled batch from schedule.toml and where it stands: when it runs next, whether it runs now, and how its last
 * run ended ({@code lastSummary}, null before the first).
 */
public record BatchView(String name, String cron, int maxTasks, long maxDurationMillis, boolean notifyOnComplete,
    String module, long nextRunAt, boolean running, long lastRunAt, BatchSummary lastSummary) implements BusMessage {
  public BatchView {
    WireJson.require("name", name);
  }

  public static BatchView fromJson(JsonObject json) {
    return WireJson.fromJson(json, BatchView.class);
  }
}
