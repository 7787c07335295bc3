package dev.orch.scheduler;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Scheduler.Action;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.ObserverClient;
import dev.orch.contract.OrchException;
import dev.orch.contract.ParserClient;
import dev.orch.contract.PrState;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunAlert;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StartResult;
import dev.orch.contract.StatusSummary;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskRef;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import dev.orch.contract.TaskView;
import dev.orch.contract.WireJson;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the task table and every task's state: syncs it with the plans, starts ready tasks up to the parallel limit
 * (every ready task in {@code auto} mode, else the ones asked for), follows each run to its pull request and merge,
 * and applies the retry policy. Every change of state goes through one queue, so no two decisions interleave.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  private static final long TICK_MILLIS = 1_000;

  /**
   * This verticle's slice of the config. {@code orchestrate} makes this instance start agents and follow them (orch run,
   * orch start); without it the scheduler only syncs and answers. {@code auto} starts every ready task (orch run).
   */
  public record Settings(String databasePath, int maxParallelAgents, int maxRetries, long retryBaseDelayMillis,
      long retryMaxDelayMillis, boolean orchestrate, boolean auto) implements BusMessage {
    public Settings {
      WireJson.require("database_path", databasePath);
      maxParallelAgents = Math.max(1, maxParallelAgents);
      retryBaseDelayMillis = retryBaseDelayMillis <= 0 ? 30_000 : retryBaseDelayMillis;
      retryMaxDelayMillis = retryMaxDelayMillis <= 0 ? 600_000 : retryMaxDelayMillis;
    }

    /** Only the task table: for commands that read and sync, and start nothing. */
    public static Settings storeOnly(String databasePath) {
      return new Settings(databasePath, 1, 0, 0, 0, false, false);
    }
  }

  private Settings settings;
  private RetryPolicy retries;
  private Pool pool;
  private TaskStore store;
  private ParserClient parser;
  private ExecutorClient executor;
  private PrbotClient prbot;
  /** Tasks a person asked to start; in auto mode every ready task may start anyway. */
  private final Set<String> requested = new LinkedHashSet<>();
  /** Tasks whose cost reached observer.max_cost_usd_per_task: not started again until a person asks. */
  private final Map<String, String> overBudget = new java.util.LinkedHashMap<>();
  private LocalDate pausedOn;
  private String pauseReason;
  private Future<?> queue = Future.succeededFuture();
  private long ticker = -1;
  private boolean dispatchPending;

  @Override
  public Future<?> start() {
    settings = WireJson.fromJson(config(), Settings.class);
    retries = new RetryPolicy(settings.maxRetries(), Duration.ofMillis(settings.retryBaseDelayMillis()),
        Duration.ofMillis(settings.retryMaxDelayMillis()));
    parser = new ParserClient(vertx);
    executor = new ExecutorClient(vertx);
    prbot = new PrbotClient(vertx);
    return Database.open(vertx, Path.of(settings.databasePath()))
        .compose(opened -> {
          pool = opened;
          store = new TaskStore(pool);
          return Database.migrate(pool, TaskStore.OWNER, TaskStore.MIGRATIONS);
        })
        .compose(v -> Future.all(List.of(
            consume(Addresses.Executor.EVT_STARTED, body -> onStarted(RunView.fromJson(body))),
            consume(Addresses.Executor.EVT_FINISHED, body -> onFinished(RunView.fromJson(body))),
            consume(Addresses.Prbot.EVT_OPENED, body -> onOpened(PullRequestView.fromJson(body))),
            consume(Addresses.Prbot.EVT_MERGED, body -> onMerged(PullRequestView.fromJson(body))),
            consume(Addresses.Prbot.EVT_FLAGGED, body -> onFlagged(PullRequestView.fromJson(body))),
            consume(Addresses.Prbot.EVT_FIXING, body -> onFixing(PullRequestView.fromJson(body))),
            consume(Addresses.Prbot.EVT_FAILED, body -> onPullRequestFailed(PullRequestFailure.fromJson(body))),
            consume(Addresses.Observer.EVT_BUDGET, body -> onBudget(RunAlert.fromJson(body))),
            // sync() queues itself; wrapped in the queue too it would wait for itself.
            vertx.eventBus().consumer(Addresses.Parser.EVT_CHANGED, message -> sync()
                .onFailure(e -> LOG.warn("re-sync after a plan change failed: {}", e.getMessage()))).completion())))
        .compose(v -> CommandEndpoint.on(Addresses.Scheduler.CMD, Action.class)
            .handle(Action.SYNC, body -> sync())
            .handle(Action.STATUS, body -> status())
            .handle(Action.LIST, this::list)
            .handle(Action.GET, body -> get(TaskRef.fromJson(body)))
            .handle(Action.START, body -> startTasks(StartRequest.fromJson(body)))
            .handle(Action.STOP, body -> stopTask(TaskRef.fromJson(body)))
            .handle(Action.RETRY, body -> retryTask(TaskRef.fromJson(body)))
            .handle(Action.RESET, body -> resetTask(TaskRef.fromJson(body)))
            .handle(Action.HISTORY, body -> history(TaskRef.fromJson(body)))
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            serial(this::reconcile).onFailure(e -> LOG.warn("reconciling after start failed: {}", e.getMessage()));
            ticker = vertx.setPeriodic(TICK_MILLIS, id -> dispatch());
          }
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(ticker);
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private Future<Void> consume(String address, java.util.function.Function<JsonObject, Future<?>> handler) {
    var consumer = vertx.eventBus().<JsonObject>consumer(address, message -> serial(() -> handler.apply(message.body()))
        .onFailure(e -> LOG.warn("handling {} failed: {}", address, e.getMessage())));
    return consumer.completion();
  }

  /** Runs state changes one after another. */
  private <T> Future<T> serial(Supplier<Future<T>> step) {
    Future<T> next = queue.transform(v -> {
      try {
        return step.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    queue = next;
    return next;
  }

  // ---- sync and queries

  private Future<JsonObject> sync() {
    return serial(() -> parser.parse()
        .compose(store::applySnapshot)
        .map(applied -> {
          applied.transitions().forEach(this::publish);
          JsonObject report = applied.report().toJson();
          vertx.eventBus().publish(Addresses.Scheduler.EVT_SYNCED, report);
          dispatchSoon();
          return report;
        }));
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
      List<String> notices = new ArrayList<>();
      if (paused()) {
        notices.add("no new agents start today: " + pauseReason);
      }
      List<TaskView> failedOrStuck = tasks.values().stream()
          .filter(t -> t.status() == TaskStatus.FAILED || t.status() == TaskStatus.STUCK)
          .sorted(Comparator.comparing(StoredTask::id))
          .map(t -> Readiness.view(t, tasks))
          .toList();
      return new StatusSummary(live, counts, (int) Readiness.countReady(tasks.values(), tasks), blocked,
          all.resultAt(1), all.<Long>resultAt(2), notices, failedOrStuck);
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

  private Future<TaskView> get(TaskRef ref) {
    return store.loadAll().map(tasks -> {
      StoredTask task = tasks.get(ref.id());
      if (task == null) {
        throw OrchException.notFound("no task " + ref.id());
      }
      return Readiness.view(task, tasks);
    });
  }

  private Future<JsonObject> history(TaskRef ref) {
    return get(ref).compose(v -> store.history(ref.id())).map(list -> new JsonObject().put("transitions",
        new JsonArray(list.stream().map(TaskTransition::toJson).toList())));
  }

  // ---- dispatching

  /** Dispatch right after whatever may have freed a slot or made a task ready; repeated requests coalesce. */
  private void dispatchSoon() {
    if (settings.orchestrate() && !dispatchPending) {
      dispatchPending = true;
      vertx.runOnContext(v -> dispatch());
    }
  }

  private void dispatch() {
    dispatchPending = false;
    serial(() -> store.loadAll().compose(tasks -> {
      if (paused()) {
        return Future.succeededFuture();
      }
      long busy = tasks.values().stream().filter(t -> t.status() == TaskStatus.QUEUED || t.status() == TaskStatus.RUNNING).count();
      int capacity = (int) (settings.maxParallelAgents() - busy);
      long now = System.currentTimeMillis();
      List<StoredTask> next = DispatchOrder.next(tasks, capacity, now,
          id -> requested.contains(id) || settings.auto() && !overBudget.containsKey(id));
      Future<Void> chain = Future.succeededFuture();
      for (StoredTask task : next) {
        chain = chain.compose(v -> queueTask(task, tasks));
      }
      return chain;
    })).onFailure(e -> LOG.warn("dispatch failed: {}", e.getMessage()));
  }

  private Future<Void> queueTask(StoredTask task, Map<String, StoredTask> all) {
    int attempt = task.attempts() + 1;
    String reason = "starting attempt " + attempt + (task.retryDue(System.currentTimeMillis()) ? " (retry)" : "");
    return change(task.id(), TaskStatus.QUEUED, reason, attempt, 0, task.lastError()).onSuccess(t -> {
      requested.remove(task.id());
      List<String> deps = task.dependsOn().stream().filter(all::containsKey).toList();
      LaunchRequest launch = new LaunchRequest(task.id(), attempt, task.spec().title(), task.spec().file(), deps);
      executor.launch(launch).onFailure(e -> serial(() ->
          failed(task.id(), TaskStatus.FAILED, "the executor did not start the agent: " + e.getMessage(), true)));
    }).mapEmpty();
  }

  private boolean paused() {
    if (pausedOn != null && !pausedOn.equals(LocalDate.now(ZoneId.systemDefault()))) {
      pausedOn = null;
      pauseReason = null;
    }
    return pausedOn != null;
  }

  // ---- events

  private Future<Void> onStarted(RunView run) {
    return task(run.taskId()).compose(task -> task.status() == TaskStatus.QUEUED
        ? change(task.id(), TaskStatus.RUNNING, "agent running (run " + run.runId() + ", pid " + run.pid() + ")",
            task.attempts(), 0, task.lastError()).mapEmpty()
        : Future.succeededFuture());
  }

  private Future<Void> onFinished(RunView run) {
    if (run.succeeded()) {
      return Future.succeededFuture();
    }
    return task(run.taskId()).compose(task -> {
      if (task.status() != TaskStatus.RUNNING && task.status() != TaskStatus.QUEUED) {
        return Future.succeededFuture();
      }
      StopCause cause = run.stopCause();
      if (cause == StopCause.SHUTDOWN) {
        return change(task.id(), TaskStatus.NOT_STARTED, run.reason() + "; it starts again with orch",
            Math.max(0, task.attempts() - 1), 0, task.lastError()).mapEmpty();
      }
      if (cause == StopCause.DAY_BUDGET) {
        return change(task.id(), TaskStatus.NOT_STARTED, run.reason() + "; it starts again tomorrow",
            Math.max(0, task.attempts() - 1), 0, run.reason()).mapEmpty();
      }
      boolean byPerson = cause == StopCause.PERSON || cause == StopCause.TASK_BUDGET;
      TaskStatus as = run.status() == RunStatus.STUCK ? TaskStatus.STUCK : TaskStatus.FAILED;
      String reason = "run " + run.runId() + ": " + (run.reason() == null ? run.status().wire() : run.reason());
      return failed(task.id(), as, reason, !byPerson);
    });
  }

  private Future<Void> onOpened(PullRequestView pr) {
    return task(pr.taskId()).compose(task -> task.status() == TaskStatus.COMPLETE ? Future.succeededFuture()
        : change(task.id(), TaskStatus.IN_REVIEW, "pull request #" + pr.number() + " opened", task.attempts(), 0, null)
            .mapEmpty());
  }

  private Future<Void> onMerged(PullRequestView pr) {
    return task(pr.taskId()).compose(task -> change(task.id(), TaskStatus.COMPLETE,
        "pull request #" + pr.number() + " merged", task.attempts(), 0, null).mapEmpty());
  }

  private Future<Void> onFlagged(PullRequestView pr) {
    return task(pr.taskId()).compose(task -> change(task.id(), TaskStatus.IN_REVIEW,
        "pull request #" + pr.number() + " needs a person", task.attempts(), 0,
        "pull request #" + pr.number() + " needs a person: " + pr.reason()).mapEmpty());
  }

  private Future<Void> onFixing(PullRequestView pr) {
    return task(pr.taskId()).compose(task -> change(task.id(), TaskStatus.IN_REVIEW,
        "pull request #" + pr.number() + ": " + pr.reason(), task.attempts(), 0, null).mapEmpty());
  }

  private Future<Void> onPullRequestFailed(PullRequestFailure failure) {
    return failed(failure.taskId(), TaskStatus.FAILED, "run " + failure.runId() + ": " + failure.reason(), true);
  }

  private Future<Void> onBudget(RunAlert alert) {
    if (alert.taskId() == null) {
      pausedOn = LocalDate.now(ZoneId.systemDefault());
      pauseReason = alert.reason();
      LOG.warn("no new agents start today: {}", alert.reason());
      return Future.succeededFuture();
    }
    return task(alert.taskId()).compose(task -> {
      requested.remove(task.id());
      overBudget.put(task.id(), alert.reason());
      boolean waiting = task.status() == TaskStatus.FAILED || task.status() == TaskStatus.STUCK
          || task.status() == TaskStatus.NOT_STARTED;
      // A live run is stopped by the observer and fails without a retry; a task waiting for a retry loses it now.
      return waiting ? change(task.id(), task.status() == TaskStatus.NOT_STARTED ? TaskStatus.FAILED : task.status(),
          alert.reason(), task.attempts(), 0, alert.reason()).mapEmpty() : Future.succeededFuture();
    });
  }

  /** The failure policy: retry with backoff while attempts remain, else leave the task for a person. */
  private Future<Void> failed(String taskId, TaskStatus as, String reason, boolean retryable) {
    return task(taskId).compose(task -> {
      String budget = overBudget.get(taskId);
      if (!retryable || budget != null || !retries.mayRetry(task.attempts())) {
        requested.remove(taskId);
        String why = budget != null ? reason + "; not retried: " + budget
            : retryable ? reason + " (gave up after " + task.attempts() + " attempt" + (task.attempts() == 1 ? "" : "s")
                + "; orch retry " + taskId + " to try again)" : reason;
        return change(taskId, as, why, task.attempts(), 0, why).mapEmpty();
      }
      Duration delay = retries.delayAfter(task.attempts());
      long at = System.currentTimeMillis() + delay.toMillis();
      return change(taskId, as, reason + "; retrying in " + delay.toSeconds() + " s", task.attempts(), at, reason).mapEmpty();
    });
  }

  // ---- commands

  private Future<StartResult> startTasks(StartRequest request) {
    return serial(() -> store.loadAll().map(tasks -> {
      List<String> started = new ArrayList<>();
      List<StartResult.Refusal> refused = new ArrayList<>();
      if (!request.ids().isEmpty()) {
        for (String raw : request.ids()) {
          String id;
          try {
            id = TaskId.parseFull(raw).toString();
          } catch (OrchException e) {
            refused.add(new StartResult.Refusal(raw, e.getMessage()));
            continue;
          }
          StoredTask task = tasks.get(id);
          String why = task == null || task.status() == TaskStatus.REMOVED ? "no such task" : Readiness.whyNotStartable(task, tasks);
          if (why != null) {
            refused.add(new StartResult.Refusal(id, why));
          } else {
            requested.add(id);
            started.add(id);
          }
        }
      } else {
        List<StoredTask> next = DispatchOrder.next(tasks, request.count(), Long.MAX_VALUE,
            id -> request.module() == null || id.startsWith(request.module() + "/"));
        next.forEach(t -> {
          requested.add(t.id());
          started.add(t.id());
        });
      }
      return new StartResult(started, refused);
    })).onSuccess(r -> dispatch());
  }

  private Future<TaskView> stopTask(TaskRef ref) {
    return serial(() -> task(ref.id()).compose(task -> {
      requested.remove(task.id());
      if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
        return executor.stop(StopRequest.byPerson(task.id())).transform(v -> get(ref));
      }
      if (task.retryDue(Long.MAX_VALUE)) {
        return change(task.id(), task.status(), "retry cancelled by a person", task.attempts(), 0, task.lastError())
            .compose(v -> get(ref));
      }
      return Future.failedFuture(OrchException.conflict(task.id() + " is " + task.status().wire() + ", not running"));
    }));
  }

  private Future<TaskView> retryTask(TaskRef ref) {
    return serial(() -> task(ref.id()).compose(task -> {
      if (task.status() != TaskStatus.FAILED && task.status() != TaskStatus.STUCK) {
        return Future.failedFuture(OrchException.conflict(task.id() + " is " + task.status().wire()
            + "; only failed or stuck tasks can be retried"));
      }
      requested.add(task.id());
      overBudget.remove(task.id());
      return change(task.id(), TaskStatus.NOT_STARTED, "retry requested by a person", 0, 0, task.lastError())
          .compose(v -> get(ref));
    })).onSuccess(v -> dispatch());
  }

  private Future<TaskView> resetTask(TaskRef ref) {
    return serial(() -> task(ref.id()).compose(task -> {
      if (task.status().live()) {
        return Future.failedFuture(OrchException.conflict(task.id() + " is " + task.status().wire() + "; stop it first"));
      }
      if (task.status() == TaskStatus.BLOCKED) {
        return Future.failedFuture(OrchException.conflict(task.id() + " is blocked by its plan: " + task.blockedReason()));
      }
      requested.remove(task.id());
      return change(task.id(), TaskStatus.NOT_STARTED, "reset by a person", 0, 0, null).compose(v -> get(ref));
    }));
  }

  // ---- after a restart

  /** Brings every task that was mid-flight when orch stopped back in line with its runs and pull requests. */
  private Future<Void> reconcile() {
    return loadBudgets().compose(v -> store.loadAll()).compose(tasks -> {
      Future<Void> chain = Future.succeededFuture();
      for (StoredTask task : tasks.values()) {
        if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
          chain = chain.compose(v -> reconcileRun(task));
        } else if (task.status() == TaskStatus.IN_REVIEW) {
          chain = chain.compose(v -> reconcileReview(task));
        }
      }
      return chain;
    });
  }

  /** What the observer says is over its cost limit, so a restart does not start it again. */
  private Future<Void> loadBudgets() {
    return new ObserverClient(vertx).budgets()
        .map(budgets -> {
          budgets.getJsonObject("tasks", new JsonObject()).forEach(e -> overBudget.put(e.getKey(), String.valueOf(e.getValue())));
          String day = budgets.getString("day");
          if (day != null) {
            pausedOn = LocalDate.now(ZoneId.systemDefault());
            pauseReason = day;
          }
          return (Void) null;
        })
        .recover(e -> {
          LOG.warn("cost limits unknown at start: {}", e.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<Void> reconcileRun(StoredTask task) {
    return executor.runs(task.id(), false).compose(runs -> {
      RunView latest = runs.isEmpty() ? null : runs.get(0);
      if (latest == null || latest.attempt() < task.attempts() && task.status() == TaskStatus.QUEUED) {
        return change(task.id(), TaskStatus.NOT_STARTED, "orch restarted before the agent started",
            Math.max(0, task.attempts() - 1), 0, task.lastError()).mapEmpty();
      }
      if (latest.status().live()) {
        return task.status() == TaskStatus.QUEUED
            ? change(task.id(), TaskStatus.RUNNING, "agent still running after restart (run " + latest.runId() + ")",
                task.attempts(), 0, task.lastError()).mapEmpty()
            : Future.succeededFuture();
      }
      if (latest.succeeded()) {
        return prbot.open(task.id(), latest.runId()).compose(pr -> pr.state() == PrState.MERGED
            ? change(task.id(), TaskStatus.COMPLETE, "pull request #" + pr.number() + " merged", task.attempts(), 0, null)
            : change(task.id(), TaskStatus.IN_REVIEW, "pull request #" + pr.number() + " open", task.attempts(), 0,
                pr.state() == PrState.FLAGGED ? pr.reason() : null))
            .<Void>mapEmpty()
            .recover(e -> failed(task.id(), TaskStatus.FAILED, "run " + latest.runId() + ": " + e.getMessage(), true));
      }
      return onFinished(latest);
    });
  }

  private Future<Void> reconcileReview(StoredTask task) {
    return prbot.list(null).compose(prs -> {
      PullRequestView latest = prs.stream().filter(pr -> pr.taskId().equals(task.id()))
          .max(Comparator.comparingInt(PullRequestView::number)).orElse(null);
      if (latest != null && latest.state() == PrState.MERGED) {
        return change(task.id(), TaskStatus.COMPLETE, "pull request #" + latest.number() + " merged", task.attempts(), 0, null)
            .mapEmpty();
      }
      if (latest == null || latest.state() == PrState.CLOSED) {
        return failed(task.id(), TaskStatus.FAILED, "its pull request was closed without merging", true);
      }
      return Future.succeededFuture();
    });
  }

  // ---- state helpers

  private Future<StoredTask> task(String id) {
    return store.find(id).map(found -> found.orElseThrow(() -> OrchException.notFound("no task " + id)));
  }

  private Future<TaskTransition> change(String id, TaskStatus to, String reason, int attempts, long retryAt, String lastError) {
    return store.apply(new TaskStore.Change(id, to, reason, attempts, retryAt, lastError)).onSuccess(t -> {
      if (t.from() != t.to()) {
        LOG.info("{}: {} -> {} ({})", id, t.from() == null ? "new" : t.from().wire(), to.wire(), reason);
        publish(t);
        if (to != TaskStatus.QUEUED && to != TaskStatus.RUNNING) {
          dispatchSoon();
        }
      }
    });
  }

  private void publish(TaskTransition transition) {
    vertx.eventBus().publish(Addresses.Scheduler.EVT_TASK, transition.toJson());
  }
}
