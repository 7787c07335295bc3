package dev.orch.scheduler;

import dev.orch.contract.OrchException;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import dev.orch.contract.TaskView;
import dev.orch.footprint.FootprintGate;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The scheduler's answers: the summary, lists, one task and its history. It reads the store and changes nothing. */
public final class TaskQueries {
  private final TaskStore store;
  private final Supplier<List<String>> notices;
  private final Supplier<Map<String, FootprintGate.Hold>> holds;

  /** {@code notices}: what holds agents back now, in sentences for people (a spending pause, the rate governor). */
  public TaskQueries(TaskStore store, Supplier<List<String>> notices, Supplier<Map<String, FootprintGate.Hold>> holds) {
    this.store = store;
    this.notices = notices;
    this.holds = holds;
  }

  private TaskView view(StoredTask task, Map<String, StoredTask> tasks) {
    return Readiness.view(task, tasks, holds.get().get(task.id()));
  }

  public Future<StatusSummary> status() {
    return Future.all(store.loadAll(), store.planErrors(), store.lastSyncAt()).map(all -> {
      Map<String, StoredTask> tasks = all.resultAt(0);
      Map<String, Integer> counts = new TreeMap<>();
      tasks.values().forEach(t -> counts.merge(t.status().wire(), 1, Integer::sum));
      List<StatusSummary.BlockedTask> blocked = tasks.values().stream()
          .filter(t -> t.status() == TaskStatus.BLOCKED)
          .sorted(Comparator.comparing(StoredTask::id))
          .map(t -> new StatusSummary.BlockedTask(t.id(), t.blockedReason()))
          .toList();
      int live = (int) tasks.values().stream().filter(t -> t.status() != TaskStatus.REMOVED).count();
      List<String> notices = this.notices.get();
      List<TaskView> failedOrStuck = tasks.values().stream()
          .filter(t -> t.status() == TaskStatus.FAILED || t.status() == TaskStatus.STUCK)
          .sorted(Comparator.comparing(StoredTask::id))
          .map(t -> view(t, tasks))
          .toList();
      List<TaskView> heldBack = tasks.values().stream()
          .map(t -> view(t, tasks))
          .filter(t -> t.heldBy() != null)
          .sorted(Comparator.comparing(TaskView::id))
          .toList();
      return new StatusSummary(live, counts, (int) Readiness.countReady(tasks.values(), tasks), blocked,
          all.resultAt(1), all.<Long>resultAt(2), notices, failedOrStuck, heldBack);
    });
  }

  public Future<List<TaskView>> list(TaskQuery query) {
    return store.loadAll().map(tasks -> tasks.values().stream()
        .map(t -> view(t, tasks))
        .filter(query::matches)
        .sorted(Comparator.comparing(TaskView::module).thenComparing(TaskView::prefix).thenComparingInt(TaskView::epic))
        .toList());
  }

  /** One task, read with its dependencies only. */
  public Future<TaskView> get(String id) {
    return store.findWithDependencies(id).map(tasks -> {
      StoredTask task = tasks.get(id);
      if (task == null) {
        throw OrchException.notFound("no task " + id);
      }
      return view(task, tasks);
    });
  }

  public Future<List<TaskTransition>> history(String id) {
    return get(id).compose(v -> store.history(id));
  }
}
