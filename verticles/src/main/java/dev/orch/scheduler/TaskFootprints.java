package dev.orch.scheduler;

import dev.orch.footprint.Footprint;
import dev.orch.footprint.PathGlob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each task's footprint: the files its plan declares, the paths its text names (and, before it starts, what its
 * module's merged tasks changed), and what its running agent has touched so far. Globs are read once and kept, since
 * every dispatch asks again for the same few.
 */
final class TaskFootprints {
  private static final int MAX_CACHED = 10_000;
  private final Map<String, PathGlob> globs = new ConcurrentHashMap<>();
  private final Map<String, List<PathGlob>> observed = new ConcurrentHashMap<>();

  Footprint of(StoredTask task) {
    return new Footprint(read(task.spec().files()), read(task.spec().mentions()),
        observed.getOrDefault(task.id(), List.of()));
  }

  /**
   * The footprint of a task about to start: its own, and, predicted, the files {@code fromItsModule} (what the earlier
   * merged tasks of its module changed).
   */
  Footprint beforeStart(StoredTask task, List<String> fromItsModule) {
    Footprint own = of(task);
    if (fromItsModule.isEmpty()) {
      return own;
    }
    List<PathGlob> predicted = new ArrayList<>(own.predicted());
    fromItsModule.stream().map(this::glob).filter(g -> !predicted.contains(g)).forEach(predicted::add);
    return own.withPredicted(predicted);
  }

  /** What a running agent has changed so far in its worktree; replaces what was seen before. */
  void observe(String taskId, List<String> paths) {
    observed.put(taskId, paths.stream().map(this::glob).toList());
  }

  void forget(String taskId) {
    observed.remove(taskId);
  }

  private List<PathGlob> read(List<String> texts) {
    return texts.isEmpty() ? List.of() : texts.stream().map(this::glob).toList();
  }

  private PathGlob glob(String text) {
    PathGlob known = globs.get(text);
    if (known != null) {
      return known;
    }
    if (globs.size() >= MAX_CACHED) {
      globs.clear();
    }
    // A stored glob was checked when its plan was read; an observed or merged path is a file (ChangedPaths for merged).
    PathGlob parsed = PathGlob.parse(text);
    globs.put(text, parsed);
    return parsed;
  }
}
