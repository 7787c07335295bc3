package dev.orch.scheduler;

import dev.orch.contract.Addresses.Scheduler.Action;
import dev.orch.contract.Addresses;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.GovernorView;
import dev.orch.contract.HistoryQuery;
import dev.orch.contract.ObserverClient;
import dev.orch.contract.ParserClient;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunAlert;
import dev.orch.contract.RunTouched;
import dev.orch.contract.RunView;
import dev.orch.contract.StartRequest;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskRef;
import dev.orch.contract.TaskTransition;
import dev.orch.contract.TaskView;
import dev.orch.db.Database;
import dev.orch.db.UntilWritten;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the task table's owner to the bus: the plan's changes and its neighbours' events go to {@link TaskLifecycle},
 * commands to it or to {@link TaskQueries}, and a ticker dispatches ready tasks while this instance orchestrates.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  /** A safety net (a new day, a clock change): dispatch otherwise runs on events and on the next due retry. */
  private static final long TICK_MILLIS = 30_000;

  private final Clock clock;
  private final SchedulerSettings settings;
  private Pool pool;
  private TaskStore store;
  private TaskLifecycle lifecycle;
  private TaskQueries queries;
  private ParserClient parser;
  private long ticker = -1;
  private long wakeTimer = -1;
  private boolean dispatchPending;
  private volatile boolean stopping;

  public SchedulerVerticle(SchedulerSettings settings) {
    this(settings, Clock.systemDefaultZone());
  }

  public SchedulerVerticle(SchedulerSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    parser = new ParserClient(vertx);
    return Database.open(vertx, settings.databasePath())
        .compose(opened -> {
          pool = opened;
          store = new TaskStore(pool, clock);
          lifecycle = new TaskLifecycle(clock, store, new ExecutorRuns(new ExecutorClient(vertx)),
              new PrbotPullRequests(new PrbotClient(vertx)), new ObserverLimits(new ObserverClient(vertx)), listener(),
              new TaskLifecycle.Policy(settings.maxParallelAgents(), settings.auto(), new RetryPolicy(
                  settings.retries().maxRetries(), settings.retries().retryBaseDelay(), settings.retries().retryMaxDelay()),
                  settings.retries().footprint()),
              wait -> stopping ? Future.failedFuture("the scheduler is stopping") : UntilWritten.Delay.of(vertx).after(wait));
          queries = new TaskQueries(store, lifecycle::notices, lifecycle::footprintHolds);
          return Database.migrate(pool, TaskStore.OWNER, TaskStore.MIGRATIONS);
        })
        .compose(v -> claimStore())
        .compose(v -> Future.all(List.of(
            consume(Addresses.Executor.EVT_STARTED, body -> lifecycle.onStarted(RunView.fromJson(body))),
            consume(Addresses.Executor.EVT_FINISHED, body -> lifecycle.onFinished(RunView.fromJson(body))),
            consume(Addresses.Executor.EVT_TOUCHED, body -> lifecycle.onTouched(RunTouched.fromJson(body))),
            consume(Addresses.Observer.EVT_SPEND_RATE, body -> lifecycle.onSpendRate(ApiLimit.fromJson(body))),
            // Agents' output is read in full only while a probe's first words are awaited or when it meets a limit, so
            // following it costs nothing else.
            consume(Addresses.Executor.EVT_OUTPUT, body -> lifecycle.awaitsProbe() || AgentOutput.meetsLimit(body)
                ? lifecycle.onOutput(AgentOutput.fromJson(body)) : Future.succeededFuture()),
            consume(Addresses.Prbot.EVT_OPENED, body -> lifecycle.onOpened(PullRequestView.fromJson(body))),
            consume(Addresses.Prbot.EVT_MERGED, body -> lifecycle.onMerged(PullRequestView.fromJson(body))),
            consume(Addresses.Prbot.EVT_FLAGGED, body -> lifecycle.onFlagged(PullRequestView.fromJson(body))),
            consume(Addresses.Prbot.EVT_FIXING, body -> lifecycle.onFixing(PullRequestView.fromJson(body))),
            consume(Addresses.Prbot.EVT_FAILED, body -> lifecycle.onPullRequestFailed(PullRequestFailure.fromJson(body))),
            consume(Addresses.Observer.EVT_BUDGET, body -> lifecycle.onBudget(RunAlert.fromJson(body))),
            consume(Addresses.Parser.EVT_CHANGED, body -> sync()))))
        .compose(v -> CommandEndpoint.on(Addresses.Scheduler.CMD, Action.class)
            .handle(Action.SYNC, body -> sync())
            .handle(Action.STATUS, body -> queries.status())
            .handle(Action.LIST, body -> queries.list(TaskQuery.fromJson(body)).map(tasks -> new JsonObject()
                .put("tasks", new JsonArray(tasks.stream().map(TaskView::toJson).toList()))))
            .handle(Action.GET, body -> queries.get(TaskRef.fromJson(body).id().toString()))
            // A person's start dispatches even in an instance that does not orchestrate by itself.
            .handle(Action.START, body -> lifecycle.start(StartRequest.fromJson(body)).onSuccess(r -> dispatch()))
            .handle(Action.STOP, body -> answer(body, lifecycle::stop))
            .handle(Action.RETRY, body -> answer(body, lifecycle::retry).onSuccess(r -> dispatch()))
            .handle(Action.RESET, body -> answer(body, lifecycle::reset))
            .handle(Action.UNPARK, body -> lifecycle.unpark().map(GovernorView::toJson))
            .handle(Action.COMPLETED, body -> store.completed(HistoryQuery.fromJson(body)))
            .handle(Action.HISTORY, body -> queries.history(TaskRef.fromJson(body).id().toString()).map(list -> new JsonObject()
                .put("transitions", new JsonArray(list.stream().map(TaskTransition::toJson).toList()))))
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            lifecycle.reconcile().onFailure(e -> LOG.warn("reconciling after start failed: {}", e.getMessage()));
            ticker = vertx.setPeriodic(TICK_MILLIS, id -> dispatch());
          }
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(wakeTimer);
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  /** Refuses a store another project uses (see {@link StoreClaim}); a failed start says so and changes nothing. */
  private Future<Void> claimStore() {
    Path project = settings.general().projectRoot();
    return store.claimedBy().compose(recorded -> vertx.executeBlocking(() -> recorded.map(Files::isDirectory).orElse(false))
        .compose(stillThere -> switch (StoreClaim.decide(recorded, project, stillThere)) {
          case KEEP -> Future.succeededFuture();
          case RECORD -> store.claimFor(project);
          case REFUSE -> Future.failedFuture(StoreClaim.refusal(settings.databasePath(), recorded.orElseThrow(), project));
        }));
  }

  private Future<Void> consume(String address, Function<JsonObject, Future<?>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> {
      try {
        handler.apply(message.body()).onFailure(e -> LOG.warn("handling {} failed: {}", address, e.getMessage()));
      } catch (RuntimeException e) {
        LOG.warn("malformed message on {}: {}", address, e.getMessage());
      }
    }).completion();
  }

  /** A command on one task, answered with the task as it is afterwards. */
  private Future<TaskView> answer(JsonObject body, Function<String, Future<Void>> command) {
    String id = TaskRef.fromJson(body).id().toString();
    return command.apply(id).compose(v -> queries.get(id));
  }

  private Future<JsonObject> sync() {
    return lifecycle.serial(() -> parser.parse()
        .compose(store::applySnapshot)
        .map(applied -> {
          applied.transitions().forEach(this::publish);
          JsonObject report = applied.report().toJson();
          vertx.eventBus().publish(Addresses.Scheduler.EVT_SYNCED, report);
          dispatchSoon();
          return report;
        }));
  }

  /** Dispatch right after whatever may have freed a slot or made a task ready; repeated requests coalesce. */
  private void dispatchSoon() {
    if (settings.orchestrate() && !dispatchPending) {
      dispatchPending = true;
      vertx.runOnContext(v -> dispatch());
    }
  }

  private void dispatch() {
    dispatchPending = false;
    lifecycle.dispatch()
        .onSuccess(this::wakeAt)
        .onFailure(e -> LOG.warn("dispatch failed: {}", e.getMessage()));
  }

  private void wakeAt(long at) {
    vertx.cancelTimer(wakeTimer);
    if (at > 0 && !stopping) {
      wakeTimer = vertx.setTimer(Math.max(1, at - clock.millis()), id -> dispatch());
    }
  }

  private void publish(TaskTransition transition) {
    vertx.eventBus().publish(Addresses.Scheduler.EVT_TASK, transition.toJson());
  }

  private TaskLifecycle.Listener listener() {
    return new TaskLifecycle.Listener() {
      @Override
      public void changed(TaskTransition transition) {
        publish(transition);
      }

      @Override
      public void mayDispatch() {
        dispatchSoon();
      }

      @Override
      public void governed(GovernorView view) {
        vertx.eventBus().publish(Addresses.Scheduler.EVT_GOVERNOR, view.toJson());
      }
    };
  }
}
