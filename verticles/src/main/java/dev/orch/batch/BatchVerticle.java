package dev.orch.batch;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Batch.Action;
import dev.orch.contract.BatchSummary;
import dev.orch.contract.BatchView;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.GovernorView;
import dev.orch.contract.OrchException;
import dev.orch.db.Database;
import dev.orch.flow.SerialQueue;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled batches. Each {@code [[batch]]} of schedule.toml fires on its cron schedule and then starts up to
 * {@code max_tasks} ready tasks (of its module, if it names one), more as earlier ones finish and others become
 * ready, never a task another running batch has; the scheduler still holds them to {@code max_parallel_agents}. After
 * {@code max_duration} it starts nothing more and, as configured, stops its running tasks or lets them finish; when
 * none of its tasks is still going it publishes its summary. Every step is stored, so kill -9 loses nothing, and a
 * batch whose slot passed while orch was down runs once at start-up, not once per missed slot. Time the rate-limit
 * governor keeps the plan parked counts against {@code max_duration} (the deadline does not move), and the summary says
 * how long and by what. {@link Batches} decides
 * all that; this class binds it to the bus, runs its steps one at a time, and wakes it with a timer at the next due
 * instant and on task events in between.
 */
public final class BatchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BatchVerticle.class);

  private final Clock clock;
  private final BatchSettings settings;
  private Pool pool;
  private Batches batches;
  private long timer = -1;
  private final SerialQueue steps = new SerialQueue();

  public BatchVerticle(BatchSettings settings) {
    this(settings, Clock.systemDefaultZone());
  }

  public BatchVerticle(BatchSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    Path file = settings.batch().scheduleFile();
    return vertx.executeBlocking(() -> ScheduleFile.read(file), false).compose(read -> {
      read.errors().forEach(error -> LOG.warn("{}", error));
      return Database.open(vertx, settings.general().databasePath()).compose(opened -> {
        pool = opened;
        BatchStore store = new BatchStore(pool);
        Future<Map<String, BatchStore.State>> loaded = Database.migrate(pool, BatchStore.OWNER, BatchStore.MIGRATIONS)
            .compose(v -> store.load());
        return loaded.compose(v -> store.loadSpell()).map(spell -> batches = new Batches(clock, store,
            new ClientNeighbours(vertx), events(), file.toString(), read, loaded.result(), spell.orElse(null),
            settings.batch().stopAtDeadline(), settings.runs()));
      });
    }).compose(v -> CommandEndpoint.on(Addresses.Batch.CMD, Action.class)
        .handle(Action.LIST, body -> step(() -> Future.succeededFuture(batches.list())))
        .handle(Action.RUN, body -> step(() -> batches.runNow(name(body)).onComplete(done -> arm())))
        .handle(Action.STOP, body -> step(() -> batches.stopNow(name(body))))
        .registerLocal(vertx))
        // Followed even where no batch runs (orch start in the foreground still dispatches): a spell that ends unheard
        // would stay open in the store and count against the next batch.
        .compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.Scheduler.EVT_GOVERNOR,
            message -> governed(message.body())).completion())
        .compose(v -> {
          if (!settings.orchestrate()) {
            return Future.succeededFuture();
          }
          return vertx.eventBus().consumer(Addresses.Scheduler.EVT_TASK, message -> step(batches::progress)).completion()
              .compose(live -> step(this::wakeUp));
        }).onSuccess(v -> LOG.info("{} scheduled batch(es) from {}", batches.size(), file));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  /** Runs one step at a time, in order: steps read and write the same state. */
  private <T> Future<T> step(Supplier<Future<T>> work) {
    return steps.run(work);
  }

  private static String name(JsonObject body) {
    Object name = body == null ? null : body.getValue("name");
    if (!(name instanceof String text) || text.isBlank()) {
      throw OrchException.badRequest("field 'name' must name a batch");
    }
    return text;
  }

  /** Parked time counts against running batches' max_duration; a malformed event changes nothing. */
  private void governed(JsonObject body) {
    GovernorView view;
    try {
      view = GovernorView.fromJson(body);
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed governor event: {}", e.getMessage());
      return;
    }
    step(() -> batches.governed(view)).onFailure(e -> LOG.warn("recording the plan's parked time failed: {}",
        e.getMessage()));
  }

  private Future<Void> wakeUp() {
    return batches.wakeUp().onComplete(done -> arm());
  }

  private void arm() {
    vertx.cancelTimer(timer);
    timer = vertx.setTimer(batches.untilNextWake(), id -> step(this::wakeUp));
  }

  /** For tests that move an injected clock: what the timer would do when it went off. */
  Future<Void> wakeUpNow() {
    return step(this::wakeUp);
  }

  private Batches.Events events() {
    return new Batches.Events() {
      @Override
      public void started(BatchView batch) {
        vertx.eventBus().publish(Addresses.Batch.EVT_STARTED, batch.toJson());
      }

      @Override
      public void finished(BatchSummary summary) {
        vertx.eventBus().publish(Addresses.Batch.EVT_FINISHED, summary.toJson());
      }
    };
  }
}
