package dev.orch.buildpool;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildPool.Action;
import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.JobRef;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.JobView.State;
import dev.orch.contract.JobsQuery;
import dev.orch.contract.OrchException;
import dev.orch.contract.OutputQuery;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.buildagent.AgentHeartbeat;
import dev.orch.contract.buildagent.AgentLeave;
import dev.orch.contract.buildagent.AgentRegister;
import dev.orch.contract.buildagent.WorkerDone;
import dev.orch.contract.buildagent.WorkerOutput;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build pool's coordinator, as wiring. Jobs wait in SQLite (a restart loses none); {@link JobDispatcher} decides
 * where each runs (a build agent known to {@link WorkerRegistry}, or here as the local fallback), {@link JobRunner}
 * carries that out and {@link JobFeed} serves the output. This class binds them to the bus (commands from orch, the
 * agent protocol from build agents, answered by {@link BuildAgents}) and runs its one-second watchdog.
 */
public final class BuildPoolVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BuildPoolVerticle.class);

  private final Clock clock;
  private final BuildPoolSettings settings;
  private Pool pool;
  private JobStore store;
  private JobLogs logs;
  private GitDaemonServer daemon;
  private WorkerRegistry workers;
  private JobDispatcher dispatcher;
  private JobRunner runner;
  private BuildAgents agents;
  private long watchdog = -1;

  public BuildPoolVerticle(BuildPoolSettings settings) {
    this(settings, Clock.systemUTC());
  }

  public BuildPoolVerticle(BuildPoolSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    logs = new JobLogs(Path.of(settings.logDir()), settings.keepJobs(), settings.maxJobOutputBytes(), settings.keepJobsBytes());
    workers = new WorkerRegistry(clock, Duration.ofSeconds(settings.heartbeatTimeoutSecs()));
    dispatcher = new JobDispatcher(clock, new JobDispatcher.Limits(settings.localFallback() && settings.orchestrate(),
        settings.localMaxJobs(), settings.defaultTimeoutSecs(), settings.maxJobSecs()), workers);
    return Database.open(vertx, Path.of(settings.databasePath()))
        .compose(opened -> {
          pool = opened;
          store = new JobStore(pool);
          return Database.migrate(pool, JobStore.OWNER, JobStore.MIGRATIONS);
        })
        .compose(v -> settings.gitDaemon() && settings.orchestrate() ? startDaemon() : Future.succeededFuture())
        .compose(v -> {
          JobFeed feed = new JobFeed(vertx, logs, id -> runner.job(id));
          runner = new JobRunner(vertx, clock, settings, store, logs, feed, dispatcher, daemon, this::gitUrl);
          agents = new BuildAgents(vertx, workers, dispatcher, runner, settings.heartbeatIntervalSecs(), this::gitUrl);
          return (settings.orchestrate() ? runner.recover() : Future.<Void>succeededFuture())
              .compose(recovered -> CommandEndpoint.on(Addresses.BuildPool.CMD, Action.class)
                  .handle(Action.SUBMIT, body -> submit(JobRequest.fromJson(body)))
                  .handle(Action.JOB, body -> runner.job(JobRef.fromJson(body).jobId()))
                  .handle(Action.JOBS, body -> jobs(JobsQuery.fromJson(body)))
                  .handle(Action.CANCEL, body -> runner.cancel(JobRef.fromJson(body).jobId(), State.CANCELLED, "cancelled"))
                  .handle(Action.OUTPUT, body -> feed.output(OutputQuery.fromJson(body)))
                  .handle(Action.FOLLOW, body -> feed.follow(OutputQuery.fromJson(body)))
                  .handle(Action.STATUS, body -> Future.succeededFuture(status()))
                  .registerLocal(vertx));
        })
        .compose(v -> CommandEndpoint.on(Addresses.BuildPool.AGENT, AgentAction.class)
            .handle(AgentAction.REGISTER, body -> agents.register(AgentRegister.fromJson(body)))
            .handle(AgentAction.HEARTBEAT, body -> agents.heartbeat(AgentHeartbeat.fromJson(body)))
            .handle(AgentAction.WORKER_OUTPUT, body -> agents.output(WorkerOutput.fromJson(body)))
            .handle(AgentAction.WORKER_DONE, body -> agents.workerDone(WorkerDone.fromJson(body)))
            .handle(AgentAction.LEAVE, body -> agents.leave(AgentLeave.fromJson(body)))
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            watchdog = vertx.setPeriodic(1000, id -> agents.watch());
            runner.dispatch();
          }
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(watchdog);
    if (runner != null) {
      runner.stop();
    }
    if (daemon != null) {
      daemon.stop();
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private Future<Void> startDaemon() {
    return vertx.executeBlocking(() -> GitDaemonServer.start(Path.of(settings.projectRoot()), settings.gitDaemonHost(),
        settings.gitDaemonPort())).map(started -> {
          daemon = started;
          LOG.info("git daemon serving {} on {}", settings.projectRoot(), started.address());
          return null;
        });
  }

  /** Where agents fetch from: {@code git://host:port/project}. */
  private String gitUrl() {
    if (daemon == null) {
      return null;
    }
    String host = settings.advertiseHost() == null || settings.advertiseHost().isBlank() ? "127.0.0.1" : settings.advertiseHost();
    return "git://" + host + ":" + daemon.port() + "/" + GitDaemonServer.NAME;
  }

  // ---- commands

  private Future<JobView> submit(JobRequest request) {
    if (!settings.orchestrate()) {
      return Future.failedFuture(OrchException.conflict(
          "no build pool coordinator is running for this project: start orch run or orch build-pool start"));
    }
    return store.insert(request, dispatcher.timeoutFor(request), clock.millis()).onSuccess(job -> {
      dispatcher.enqueue(job);
      runner.publish(job);
      runner.dispatch();
    });
  }

  private Future<JsonObject> jobs(JobsQuery query) {
    return store.recent(query.limit()).map(list -> new JsonObject().put("jobs",
        new JsonArray(list.stream().map(JobView::toJson).toList())));
  }

  private PoolStatus status() {
    return new PoolStatus(workers.views(), dispatcher.queued(), dispatcher.runningCount(),
        dispatcher.localFallbackActive(), settings.localMaxJobs(), gitUrl(), settings.orchestrate());
  }
}
