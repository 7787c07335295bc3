package dev.orch.metrics;

import dev.orch.contract.Addresses;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.JobView;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskTransition;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves {@link OrchMeters} from the events the owners already publish, and every {@code refreshEvery} asks the owners
 * for what the gauges count (over the bus: the stores are read on their owners' pools, a few queries per interval
 * whatever the number of scrapes).
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);
  /** Enough for the pool's queued and running jobs: older ones are done. */
  private static final int RECENT_JOBS = 1_000;

  /** {@code registry}: the name this Vert.x instance's metrics were set up under ({@link VertxMetricsSetup}). */
  public record Settings(String registry, Duration refreshEvery) {
    public Settings {
      if (refreshEvery.isNegative() || refreshEvery.isZero()) {
        throw new IllegalArgumentException("refreshEvery must be positive, not " + refreshEvery);
      }
    }
  }

  private final Settings settings;
  private OrchMeters meters;
  private long refresher = -1;

  public MetricsVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    MeterRegistry registry = BackendRegistries.getNow(settings.registry());
    if (registry == null) {
      return Future.failedFuture(new IllegalStateException("no metrics registry '" + settings.registry()
          + "': this Vert.x instance was built without VertxMetricsSetup"));
    }
    meters = new OrchMeters(registry);
    return Future.all(List.of(
            consume(Addresses.Scheduler.EVT_TASK, body -> meters.transition(TaskTransition.fromJson(body))),
            consume(Addresses.Executor.EVT_STARTED, body -> meters.runStarted(RunView.fromJson(body))),
            consume(Addresses.Executor.EVT_FINISHED, body -> meters.runFinished(RunView.fromJson(body))),
            consume(Addresses.Prbot.EVT_OPENED, this::pullRequest),
            consume(Addresses.Prbot.EVT_MERGED, this::pullRequest),
            consume(Addresses.Prbot.EVT_FLAGGED, this::pullRequest),
            consume(Addresses.Prbot.EVT_FIXING, this::pullRequest),
            consume(Addresses.BuildPool.EVT_JOB, body -> meters.job(JobView.fromJson(body)))))
        .onSuccess(v -> {
          refresh();
          refresher = vertx.setPeriodic(settings.refreshEvery().toMillis(), id -> refresh());
        });
  }

  private void pullRequest(JsonObject body) {
    meters.pullRequest(PullRequestView.fromJson(body));
  }

  private Future<Void> consume(String address, Consumer<JsonObject> handler) {
    return vertx.eventBus().<JsonObject>localConsumer(address, message -> {
      try {
        handler.accept(message.body());
      } catch (RuntimeException e) {
        LOG.warn("malformed message on {}: {}", address, e.getMessage());
      }
    }).completion();
  }

  /** Each owner answers on its own; one that is not deployed in this mode (or busy) leaves its gauges as they were. */
  private void refresh() {
    ExecutorClient executor = new ExecutorClient(vertx);
    new SchedulerClient(vertx).list(TaskQuery.ALL).onSuccess(meters::refreshTasks).onFailure(this::skipped);
    executor.runs(null, true).onSuccess(meters::refreshLiveRuns).onFailure(this::skipped);
    executor.spend().onSuccess(meters::refreshSpend).onFailure(this::skipped);
    new PrbotClient(vertx).list(null).onSuccess(meters::refreshPullRequests).onFailure(this::skipped);
    new BuildPoolClient(vertx).jobs(RECENT_JOBS).onSuccess(meters::refreshJobs).onFailure(this::skipped);
  }

  private void skipped(Throwable e) {
    LOG.debug("metrics refresh: {}", e.getMessage());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(refresher);
    return Future.succeededFuture();
  }
}
