package dev.orch.launcher;

import dev.orch.contract.Priority;
import dev.orch.contract.RunView;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** Tasks, runs and snapshots for the tui's unit tests. */
final class TuiFixtures {
  static final String SOURCE = "no orch running: the store /p/.orch/orch.db, read only";

  private TuiFixtures() {
  }

  static TaskView task(String id, String title, TaskStatus status) {
    TaskId t = TaskId.parseFull(id);
    return new TaskView(id, t.module(), t.prefix(), t.number(), title, status, Priority.MEDIUM, List.of(), false, null,
        "docs/plans/" + t.module() + "/epic.md", false, 0, 0, 0, 0, 0, null);
  }

  /** {@code count} tasks app/E01.. titled "Task 1".. */
  static List<TaskView> tasks(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> task(String.format("app/E%02d", i), "Task " + i,
        TaskStatus.NOT_STARTED)).toList();
  }

  static TuiSnapshot snapshot(List<TaskView> tasks, Map<String, RunView> live) {
    Map<String, Integer> counts = new TreeMap<>();
    tasks.forEach(t -> counts.merge(t.status().wire(), 1, Integer::sum));
    StatusSummary summary = new StatusSummary(tasks.size(), counts, 0, List.of(), List.of(), 0, List.of(), List.of());
    return new TuiSnapshot(SOURCE, summary, tasks, live, null);
  }

  static TuiSnapshot snapshot(List<TaskView> tasks) {
    return snapshot(tasks, Map.of());
  }

  static RunView run(long runId, String taskId, long startedAt) {
    return RunView.starting(runId, TaskId.parseFull(taskId), 1, "s", 0, "orch/b", "/w", "/logs/run-" + runId + ".jsonl",
        startedAt, "title", "docs/plans/x.md", false);
  }
}
