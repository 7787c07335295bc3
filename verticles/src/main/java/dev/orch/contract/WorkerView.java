package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A build agent as the coordinator sees it: its slots, the jobs it runs, when it was last heard from. */
public record WorkerView(String workerId, String host, int slots, List<Long> runningJobs, long connectedSince,
    long lastSeen, boolean alive) implements BusMessage {
  public WorkerView {
    WireJson.require("worker_id", workerId);
    runningJobs = WireJson.listOrEmpty(runningJobs);
  }

  public int freeSlots() {
    return Math.max(0, slots - runningJobs.size());
  }

  public static WorkerView fromJson(JsonObject json) {
    return WireJson.fromJson(json, WorkerView.class);
  }
}
