package dev.orch.footprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files each plan module's merged tasks changed, newest first: the next task of a module tends to touch what the
 * ones before it did (the same service, its tests, its wiring), so a task not started yet is predicted to touch the
 * {@code perModule} most recently changed files of its module. Only a prediction: it defers, never forbids.
 */
public final class ModuleHistory {
  /** One merged task's changed files. */
  public record Merge(String module, String taskId, long mergedAt, List<String> paths) {
    public Merge {
      paths = List.copyOf(paths);
    }
  }

  private final int perModule;
  private final Map<String, List<Merge>> byModule = new HashMap<>();

  public ModuleHistory(int perModule) {
    if (perModule < 1) {
      throw new IllegalArgumentException("perModule must be at least 1: " + perModule);
    }
    this.perModule = perModule;
  }

  /** Adds a merge; a task merged again (after a reset) replaces what it changed before. */
  public synchronized void record(Merge merge) {
    if (merge.paths().isEmpty()) {
      return;
    }
    List<Merge> merges = byModule.computeIfAbsent(merge.module(), m -> new ArrayList<>());
    merges.removeIf(m -> m.taskId().equals(merge.taskId()));
    merges.add(merge);
    merges.sort(Comparator.comparingLong(Merge::mergedAt).reversed());
    // Each merge kept has a path and one of them may be the asking task's own: perModule + 1 are enough for any task.
    while (merges.size() > perModule + 1) {
      merges.remove(merges.size() - 1);
    }
  }

  /**
   * The files the module's other merged tasks changed, newest merge first, each once, at most {@code perModule}: what
   * {@code taskId} is predicted to touch.
   */
  public synchronized List<String> predictedFor(String module, String taskId) {
    Set<String> out = new LinkedHashSet<>();
    for (Merge merge : byModule.getOrDefault(module, List.of())) {
      if (merge.taskId().equals(taskId)) {
        continue;
      }
      for (String path : merge.paths()) {
        if (out.size() == perModule) {
          return List.copyOf(out);
        }
        out.add(path);
      }
    }
    return List.copyOf(out);
  }
}
