package dev.orch.buildpool;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildPool.Action;
import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.JobRef;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.JobView.State;
import dev.orch.contract.JobsQuery;
import dev.orch.contract.OrchException;
import dev.orch.contract.OutputQuery;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.WorkerView;
import dev.orch.contract.buildagent.AgentHeartbeat;
import dev.orch.contract.buildagent.AgentLeave;
import dev.orch.contract.buildagent.AgentPing;
import dev.orch.contract.buildagent.AgentRegister;
import dev.orch.contract.buildagent.AgentReply;
import dev.orch.contract.buildagent.AgentWelcome;
import dev.orch.contract.buildagent.JobCancel;
import dev.orch.contract.buildagent.WorkerDone;
import dev.orch.contract.buildagent.WorkerOutput;
import dev.orch.db.Database;
import dev.orch.process.ChildEnvironment;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build pool's coordinator, as wiring. Jobs wait in SQLite (a restart loses none); {@link JobDispatcher} decides
 * where each runs (a build agent known to {@link WorkerRegistry}, or here as the local fallback), {@link JobRunner}
 * carries that out and {@link JobFeed} serves the output. This class binds them to the bus (commands from orch, the
 * agent protocol from build agents) and runs a one-second watchdog: silent agents lose their jobs, others are probed,
 * jobs past their timeout are stopped.
 */
public final class BuildPoolVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BuildPoolVerticle.class);

  /**
   * This verticle's slice of the config, the [build_pool] section in the units the coordinator works in (bytes, the
   * jobs' log folder, the host agents fetch from). Without {@code orchestrate} it only answers questions (a CLI
   * process): it runs no job and serves no git daemon. A job's timeout is at most {@code maxJobSecs}, its kept output
   * at most {@code maxJobOutputBytes}, and all jobs' kept output at most {@code keepJobsBytes}.
   */
  public record Settings(String projectRoot, String databasePath, String logDir, boolean localFallback, int localMaxJobs,
      String localWorktreeDir, int defaultTimeoutSecs, int heartbeatIntervalSecs, int heartbeatTimeoutSecs, int keepJobs,
      boolean gitDaemon, String gitDaemonHost, int gitDaemonPort, String advertiseHost, boolean orchestrate,
      ChildEnvironment jobEnv, int maxJobSecs, long maxJobOutputBytes, long keepJobsBytes) {
    public Settings {
      OrchConfig.required("general.project_root", projectRoot);
      OrchConfig.required("general.database_path", databasePath);
      OrchConfig.required("general.log_dir", logDir);
      OrchConfig.positive("build_pool.local_fallback.max_jobs", localMaxJobs);
      OrchConfig.positive("build_pool.timeouts.job_default_secs", defaultTimeoutSecs);
      OrchConfig.positive("build_pool.timeouts.heartbeat_interval_secs", heartbeatIntervalSecs);
      OrchConfig.positive("build_pool.timeouts.heartbeat_timeout_secs", heartbeatTimeoutSecs);
      OrchConfig.positive("build_pool.keep_jobs", keepJobs);
      OrchConfig.required("executor.env", jobEnv);
      OrchConfig.positive("build_pool.timeouts.job_max_secs", maxJobSecs);
      OrchConfig.positive("build_pool.max_job_output_mib", maxJobOutputBytes);
      OrchConfig.positive("build_pool.keep_jobs_mib", keepJobsBytes);
    }

    /** {@code pool}: this process coordinates the pool (runs jobs, serves the git daemon). */
    public static Settings from(OrchConfig config, boolean pool) {
      var g = config.general();
      var bp = config.buildPool();
      var cluster = bp.cluster();
      return new Settings(g.projectRoot().toString(), g.databasePath().toString(), g.logDir().resolve("build-jobs").toString(),
          bp.localFallback().enabled(), bp.localFallback().maxJobs(), bp.localFallback().worktreeDir().toString(),
          bp.timeouts().jobDefaultSecs(), bp.timeouts().heartbeatIntervalSecs(), bp.timeouts().heartbeatTimeoutSecs(),
          bp.keepJobs(), bp.enabled(), bp.gitDaemonListenAddr(), bp.gitDaemonPort(),
          cluster.advertiseHost().isBlank() ? cluster.host() : cluster.advertiseHost(), pool, config.childEnvironment(),
          bp.timeouts().jobMaxSecs(), (long) bp.maxJobOutputMib() << 20, (long) bp.keepJobsMib() << 20);
    }

    /** Local jobs get the allow-listed environment alone; the ceilings are the schema's defaults. */
    public Settings(String projectRoot, String databasePath, String logDir, boolean localFallback, int localMaxJobs,
        String localWorktreeDir, int defaultTimeoutSecs, int heartbeatIntervalSecs, int heartbeatTimeoutSecs, int keepJobs,
        boolean gitDaemon, String gitDaemonHost, int gitDaemonPort, String advertiseHost, boolean orchestrate) {
      this(projectRoot, databasePath, logDir, localFallback, localMaxJobs, localWorktreeDir, defaultTimeoutSecs,
          heartbeatIntervalSecs, heartbeatTimeoutSecs, keepJobs, gitDaemon, gitDaemonHost, gitDaemonPort, advertiseHost,
          orchestrate, ChildEnvironment.allowListOnly(), defaults(projectRoot).timeouts().jobMaxSecs(),
          (long) defaults(projectRoot).maxJobOutputMib() << 20, (long) defaults(projectRoot).keepJobsMib() << 20);
    }

    private static OrchConfig.BuildPool defaults(String projectRoot) {
      return ConfigLoader.defaults(Path.of(projectRoot)).buildPool();
    }
  }

  private final Clock clock;
  private final Settings settings;
  private Pool pool;
  private JobStore store;
  private JobLogs logs;
  private GitDaemonServer daemon;
  private WorkerRegistry workers;
  private JobDispatcher dispatcher;
  private JobRunner runner;
  private final Set<String> probing = new HashSet<>();
  private long watchdog = -1;

  public BuildPoolVerticle(Settings settings) {
    this(settings, Clock.systemUTC());
  }

  public BuildPoolVerticle(Settings settings, Clock clock) {
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
            .handle(AgentAction.REGISTER, body -> register(AgentRegister.fromJson(body)))
            .handle(AgentAction.HEARTBEAT, body -> heartbeat(AgentHeartbeat.fromJson(body)))
            .handle(AgentAction.WORKER_OUTPUT, body -> runner.output(WorkerOutput.fromJson(body)).map(AgentReply.Accepted::new))
            .handle(AgentAction.WORKER_DONE, body -> workerDone(WorkerDone.fromJson(body)))
            .handle(AgentAction.LEAVE, body -> leave(AgentLeave.fromJson(body)))
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            watchdog = vertx.setPeriodic(1000, id -> watch());
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

  // ---- build agents

  private Future<AgentWelcome> register(AgentRegister hello) {
    WorkerView joined = workers.register(hello);
    dropStrays(hello.workerId(), hello.runningJobs());
    LOG.info("build agent {} joined with {} slots", hello.workerId(), hello.slots());
    vertx.eventBus().publish(Addresses.BuildPool.EVT_WORKER, joined.toJson());
    runner.dispatch();
    return Future.succeededFuture(new AgentWelcome(settings.heartbeatIntervalSecs(), gitUrl()));
  }

  private Future<AgentReply.Ok> heartbeat(AgentHeartbeat beat) {
    if (!workers.heartbeat(beat)) {
      return Future.failedFuture(OrchException.notFound("unknown build agent; register again"));
    }
    dropStrays(beat.workerId(), beat.runningJobs());
    runner.dispatch();
    return Future.succeededFuture(AgentReply.Ok.YES);
  }

  /** An agent running a job the coordinator did not give it (any more) is told to drop it. */
  private void dropStrays(String workerId, List<Long> reported) {
    dispatcher.strays(workerId, reported).forEach(id -> runner.tell(workerId, BuildWorker.Action.CANCEL, new JobCancel(id)));
  }

  private Future<AgentReply.Accepted> workerDone(WorkerDone end) {
    return dispatcher.remoteDone(end.workerId(), end.jobId(), end.exitCode(), end.reason()).map(runner::remoteDone)
        .orElseGet(() -> {
          runner.dispatch();
          return Future.succeededFuture(false);
        }).map(AgentReply.Accepted::new);
  }

  private Future<AgentReply.Ok> leave(AgentLeave leave) {
    if (workers.knows(leave.workerId())) {
      LOG.info("build agent {} is leaving; its jobs go back in the queue", leave.workerId());
      drop(leave.workerId());
    }
    return Future.succeededFuture(AgentReply.Ok.YES);
  }

  /** Every second: silent agents are dropped, the others probed; jobs past their timeout are stopped. */
  private void watch() {
    List<String> expired = workers.expired();
    for (String id : workers.ids()) {
      if (expired.contains(id)) {
        LOG.warn("build agent {} missed its heartbeats for {} s; its jobs go back in the queue", id, workers.silentSecs(id));
        drop(id);
      } else if (probing.add(id)) {
        probe(id);
      }
    }
    for (JobView job : dispatcher.overdue()) {
      LOG.info("job {} ran past its timeout of {} s", job.jobId(), job.timeoutSecs());
      runner.cancel(job.jobId(), State.TIMED_OUT, "stopped after " + job.timeoutSecs() + " s (its timeout)");
    }
    runner.dispatch();
  }

  /**
   * Asks the agent if it is there. When its node has left the cluster (a kill -9, a lost host) nobody serves its
   * address any more, which shows at once, long before its heartbeats are missed.
   */
  private void probe(String id) {
    long registration = workers.registration(id);
    runner.tell(id, BuildWorker.Action.PING, new AgentPing()).onComplete(done -> {
      probing.remove(id);
      if (done.failed() && done.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
          && workers.registration(id) == registration) {
        LOG.warn("build agent {} left the cluster; its jobs go back in the queue", id);
        drop(id);
      }
    });
  }

  private void drop(String id) {
    dispatcher.drop(id).ifPresent(dropped -> {
      vertx.eventBus().publish(Addresses.BuildPool.EVT_WORKER, dropped.gone().view().toJson());
      dropped.jobs().forEach(released -> runner.requeue(released, "build agent " + id + " went away"));
      runner.dispatch();
    });
  }
}
