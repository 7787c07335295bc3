package dev.orch.observer;

import dev.orch.contract.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which followed runs have gone quiet for too long or run for too long. Plain state; the verticle owns the clock. */
final class Liveness {
  record Tracked(long runId, TaskId taskId, long startedAt, long lastHeardAt) {
  }

  record Verdict(long runId, TaskId taskId, String reason) {
  }

  private final Duration idleTimeout;
  private final Duration runTimeout;
  private final Map<Long, Tracked> runs = new HashMap<>();

  Liveness(Duration idleTimeout, Duration runTimeout) {
    this.idleTimeout = idleTimeout;
    this.runTimeout = runTimeout;
  }

  void track(long runId, TaskId taskId, long startedAt, long now) {
    runs.put(runId, new Tracked(runId, taskId, startedAt, now));
  }

  void heard(long runId, long now) {
    runs.computeIfPresent(runId, (id, t) -> new Tracked(id, t.taskId(), t.startedAt(), now));
  }

  void forget(long runId) {
    runs.remove(runId);
  }

  List<Tracked> all() {
    return List.copyOf(runs.values());
  }

  /** Runs past a limit; each is reported once (and forgotten) so it is stopped once. */
  List<Verdict> overdue(long now) {
    List<Verdict> out = new ArrayList<>();
    for (Tracked t : List.copyOf(runs.values())) {
      if (now - t.lastHeardAt() >= idleTimeout.toMillis()) {
        out.add(new Verdict(t.runId(), t.taskId(), "stuck: no output for " + human(now - t.lastHeardAt())
            + " (observer.idle_timeout is " + human(idleTimeout.toMillis()) + ")"));
      } else if (now - t.startedAt() >= runTimeout.toMillis()) {
        out.add(new Verdict(t.runId(), t.taskId(), "stuck: running for " + human(now - t.startedAt())
            + " (observer.run_timeout is " + human(runTimeout.toMillis()) + ")"));
      } else {
        continue;
      }
      runs.remove(t.runId());
    }
    return out;
  }

  static String human(long millis) {
    long seconds = millis / 1000;
    if (seconds < 120) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    return minutes < 120 ? minutes + " min" : (minutes / 60) + " h " + (minutes % 60) + " min";
  }
}
