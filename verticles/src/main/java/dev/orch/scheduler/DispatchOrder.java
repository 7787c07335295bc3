package dev.orch.scheduler;

import dev.orch.contract.TaskStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which tasks start next: those ready (or due for a retry) that the mode allows, ordered by priority, then by how many
 * tasks transitively wait on them, then module, then number.
 */
final class DispatchOrder {
  private DispatchOrder() {
  }

  static List<StoredTask> next(Map<String, StoredTask> all, int capacity, long now, Predicate<String> allowed) {
    if (capacity <= 0) {
      return List.of();
    }
    List<StoredTask> candidates = new ArrayList<>();
    for (StoredTask task : all.values()) {
      boolean startable = Readiness.isReady(task, all) || task.retryDue(now) && Readiness.dependenciesComplete(task, all);
      if (startable && allowed.test(task.id())) {
        candidates.add(task);
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    Map<String, Integer> dependants = dependantCounts(all, candidates);
    candidates.sort(Comparator.<StoredTask>comparingInt(t -> t.spec().priority().rank())
        .thenComparing(t -> -dependants.get(t.id()))
        .thenComparing(t -> t.spec().module())
        .thenComparing(t -> t.spec().prefix())
        .thenComparingInt(t -> t.spec().number()));
    return candidates.subList(0, Math.min(capacity, candidates.size()));
  }

  /** When the earliest waiting retry falls due after {@code now}, or 0 when none waits. */
  static long nextRetryAt(Map<String, StoredTask> all, long now) {
    long next = 0;
    for (StoredTask task : all.values()) {
      boolean waiting = (task.status() == TaskStatus.FAILED || task.status() == TaskStatus.STUCK) && task.retryAt() > now
          && task.blockedReason() == null;
      if (waiting && (next == 0 || task.retryAt() < next)) {
        next = task.retryAt();
      }
    }
    return next;
  }

  /** For each candidate, how many tasks depend on it directly or through others. */
  static Map<String, Integer> dependantCounts(Map<String, StoredTask> all, List<StoredTask> candidates) {
    Map<String, List<String>> reverse = new HashMap<>();
    for (StoredTask task : all.values()) {
      for (String dep : task.dependsOn()) {
        reverse.computeIfAbsent(dep, k -> new ArrayList<>()).add(task.id());
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    for (StoredTask candidate : candidates) {
      Set<String> seen = new HashSet<>();
      Deque<String> todo = new ArrayDeque<>(reverse.getOrDefault(candidate.id(), List.of()));
      while (!todo.isEmpty()) {
        String next = todo.poll();
        if (seen.add(next)) {
          todo.addAll(reverse.getOrDefault(next, List.of()));
        }
      }
      seen.remove(candidate.id());
      counts.put(candidate.id(), seen.size());
    }
    return counts;
  }
}
