package dev.orch.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code worker_status}: the workers, how many jobs wait, whether the local fallback is in use, and whether this
 * process is the coordinator at all ({@code coordinating} is false in a CLI process that only reads the queue).
 */
public record PoolStatus(List<WorkerView> workers, int queuedJobs, int runningJobs, boolean localFallbackActive,
    int localSlots, String gitDaemon, boolean coordinating) implements BusMessage {
  public PoolStatus {
    workers = WireJson.listOrEmpty(workers);
  }

  public static PoolStatus fromJson(JsonObject json) {
    return WireJson.fromJson(json, PoolStatus.class);
  }
}
