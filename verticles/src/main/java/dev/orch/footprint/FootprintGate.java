package dev.orch.footprint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which of the tasks the scheduler would start (in its order) start now, given what the running agents touch, and
 * why the others wait.
 *
 * <p>In {@link FootprintMode#PREFER} a task that overlaps a running one only by prediction or observation is passed
 * over for later ones that overlap nothing. When that leaves a free slot, one such task may still start, but only
 * while no two running tasks overlap each other: a person gets at most one pair of agents in the same files at a
 * time, instead of an idle machine or a pile of conflicts. A task held only by what is predicted before it starts
 * (its module's history) takes a free slot before those: once running it meets nothing busy.
 */
public final class FootprintGate {
  private FootprintGate() {
  }

  /**
   * A task that could start: {@code footprint} is what it is compared with, {@code started} what it counts as once it
   * runs. They differ by predictions that hold only before a task starts: every task of a module is predicted to touch
   * what the module's merged tasks changed, so two of them meeting there says nothing; a running task meets them only
   * with what it declares, names or touches.
   */
  public record Candidate(String taskId, Footprint footprint, Footprint started) {
    public Candidate(String taskId, Footprint footprint) {
      this(taskId, footprint, footprint);
    }
  }

  /** Why a task waits: it shares {@code overlap} with {@code otherTaskId}, which runs or starts now. */
  public record Hold(String otherTaskId, Footprint.Overlap overlap) {
  }

  /** What to start now, in order, and why each other candidate waits. */
  public record Decision(List<String> start, Map<String, Hold> held) {
  }

  public static Decision choose(List<Candidate> ordered, Map<String, Footprint> running, int capacity,
      FootprintMode mode) {
    List<String> start = new ArrayList<>();
    Map<String, Hold> held = new LinkedHashMap<>();
    if (capacity <= 0) {
      return new Decision(start, held);
    }
    if (mode == FootprintMode.OFF) {
      ordered.stream().limit(capacity).forEach(c -> start.add(c.taskId()));
      return new Decision(start, held);
    }
    Map<String, Footprint> busy = new LinkedHashMap<>(running);
    List<Candidate> softlyOverlapping = new ArrayList<>();
    for (Candidate candidate : ordered) {
      if (start.size() == capacity) {
        break;
      }
      Optional<Hold> hold = firstOverlap(candidate.footprint(), busy);
      if (hold.isEmpty()) {
        start.add(candidate.taskId());
        busy.put(candidate.taskId(), candidate.started());
        continue;
      }
      held.put(candidate.taskId(), hold.get());
      if (mode == FootprintMode.PREFER && !hold.get().overlap().declared()) {
        softlyOverlapping.add(candidate);
      }
    }
    for (Candidate candidate : softlyOverlapping) {
      // Held only by what is predicted before it starts (its module's history): running, it counts as its own footprint,
      // which meets nothing busy, so it takes a free slot before any task that would put two agents in the same files.
      if (start.size() < capacity && firstOverlap(candidate.started(), busy).isEmpty()) {
        start.add(candidate.taskId());
        held.remove(candidate.taskId());
        busy.put(candidate.taskId(), candidate.started());
      }
    }
    if (start.size() < capacity && !softlyOverlapping.isEmpty() && !anyTwoOverlap(busy)) {
      for (Candidate candidate : softlyOverlapping) {
        if (start.contains(candidate.taskId())) {
          continue;
        }
        // It may not meet a running task's declared files with its own declared ones, which starting others changed.
        Optional<Hold> hold = firstOverlap(candidate.footprint(), busy);
        if (hold.isPresent() && !hold.get().overlap().declared()) {
          start.add(candidate.taskId());
          held.remove(candidate.taskId());
          break;
        }
      }
    }
    return new Decision(start, held);
  }

  private static Optional<Hold> firstOverlap(Footprint footprint, Map<String, Footprint> busy) {
    Optional<Hold> soft = Optional.empty();
    for (Map.Entry<String, Footprint> other : busy.entrySet()) {
      Optional<Footprint.Overlap> overlap = footprint.overlapWith(other.getValue());
      if (overlap.isPresent()) {
        Hold hold = new Hold(other.getKey(), overlap.get());
        if (overlap.get().declared()) {
          return Optional.of(hold);
        }
        if (soft.isEmpty()) {
          soft = Optional.of(hold);
        }
      }
    }
    return soft;
  }

  private static boolean anyTwoOverlap(Map<String, Footprint> busy) {
    List<Footprint> footprints = List.copyOf(busy.values());
    for (int i = 0; i < footprints.size(); i++) {
      for (int j = i + 1; j < footprints.size(); j++) {
        if (footprints.get(i).overlapWith(footprints.get(j)).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }
}
