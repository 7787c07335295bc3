package dev.orch.scheduler;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Scheduler.Action;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.OrchException;
import dev.orch.contract.ParserClient;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import dev.orch.contract.WireJson;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Owns the task table: syncs it with the plans, answers what is ready, and publishes every transition. */
public final class SchedulerVerticle extends VerticleBase {

  /** This verticle's slice of the config. */
  public record Settings(String databasePath, int maxParallelAgents) implements BusMessage {
    public Settings {
      WireJson.require("database_path", databasePath);
    }
  }

  private Pool pool;
  private TaskStore store;
  private ParserClient parser;

  @Override
  public Future<?> start() {
    Settings settings = WireJson.fromJson(config(), Settings.class);
    parser = new ParserClient(vertx);
    return Database.open(vertx, Path.of(settings.databasePath()))
        .compose(opened -> {
          pool = opened;
          store = new TaskStore(pool);
          return Database.migrate(pool, TaskStore.OWNER, TaskStore.MIGRATIONS);
        })
        .compose(v -> CommandEndpoint.on(Addresses.Scheduler.CMD, Action.class)
            .handle(Action.SYNC, body -> sync())
            .handle(Action.STATUS, body -> status())
            .handle(Action.LIST, this::list)
            .handle(Action.GET, this::get)
            .register(vertx));
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private Future<JsonObject> sync() {
    return parser.parse()
        .compose(store::applySnapshot)
        .map(applied -> {
          applied.transitions().forEach(t -> vertx.eventBus().publish(Addresses.Scheduler.EVT_TASK, t.toJson()));
          JsonObject report = applied.report().toJson();
          vertx.eventBus().publish(Addresses.Scheduler.EVT_SYNCED, report);
          return report;
        });
  }

  private Future<StatusSummary> status() {
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
      return new StatusSummary(live, counts, (int) Readiness.countReady(tasks.values(), tasks), blocked,
          all.resultAt(1), all.<Long>resultAt(2));
    });
  }

  private Future<JsonObject> list(JsonObject body) {
    TaskQuery query = TaskQuery.fromJson(body);
    return store.loadAll().map(tasks -> {
      List<JsonObject> views = tasks.values().stream()
          .map(t -> Readiness.view(t, tasks))
          .filter(query::matches)
          .sorted(Comparator.comparing(TaskView::module).thenComparing(TaskView::prefix).thenComparingInt(TaskView::epic))
          .map(TaskView::toJson)
          .collect(Collectors.toList());
      return new JsonObject().put("tasks", new JsonArray(views));
    });
  }

  private Future<TaskView> get(JsonObject body) {
    String id = TaskId.parseFull(body.getValue("id") instanceof String s ? s : null).toString();
    return store.loadAll().map(tasks -> {
      StoredTask task = tasks.get(id);
      if (task == null) {
        throw OrchException.notFound("no task " + id);
      }
      return Readiness.view(task, tasks);
    });
  }
}
