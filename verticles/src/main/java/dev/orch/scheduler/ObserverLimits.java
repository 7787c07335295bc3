package dev.orch.scheduler;

import dev.orch.contract.ObserverClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The budgets the observer says are spent, as the task lifecycle's limits. */
final class ObserverLimits implements Supplier<Future<TaskLifecycle.Limits>> {
  private final ObserverClient observer;

  ObserverLimits(ObserverClient observer) {
    this.observer = observer;
  }

  @Override
  public Future<TaskLifecycle.Limits> get() {
    return observer.budgets().map(budgets -> {
      Map<String, String> tasks = new LinkedHashMap<>();
      budgets.getJsonObject("tasks", new JsonObject()).forEach(e -> tasks.put(e.getKey(), String.valueOf(e.getValue())));
      return new TaskLifecycle.Limits(tasks, budgets.getString("day"));
    });
  }
}
