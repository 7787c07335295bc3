package dev.orch.buildpool;

import dev.orch.buildpool.JobDispatcher.Cancel;
import dev.orch.buildpool.JobDispatcher.Released;
import dev.orch.buildpool.JobDispatcher.Start;
import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildPool.Action;
import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.Addresses.BuildWorker;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.JobView.State;
import dev.orch.contract.OrchException;
import dev.orch.contract.PoolStatus;
import dev.orch.contract.WireJson;
import dev.orch.contract.WorkerView;
import dev.orch.contract.buildagent.AgentHeartbeat;
import dev.orch.contract.buildagent.AgentLeave;
import dev.orch.contract.buildagent.AgentPing;
import dev.orch.contract.buildagent.AgentRegister;
import dev.orch.contract.buildagent.AgentReply;
import dev.orch.contract.buildagent.AgentWelcome;
import dev.orch.contract.buildagent.JobCancel;
import dev.orch.contract.buildagent.JobRun;
import dev.orch.contract.buildagent.WorkerDone;
import dev.orch.contract.buildagent.WorkerOutput;
import dev.orch.db.Database;
import dev.orch.git.GitCli;
import dev.orch.process.ChildEnvironment;
import dev.orch.process.JobProcess;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build pool's coordinator, as wiring: jobs wait in SQLite (a restart loses none), {@link JobDispatcher} decides
 * where each runs (a build agent from {@link WorkerRegistry}, or here as the local fallback), {@link JobFeed} serves
 * and publishes their output. This class binds them to the bus, the store, the git daemon, local processes and a
 * one-second watchdog (silent agents, jobs past their timeout).
 */
public final class BuildPoolVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BuildPoolVerticle.class);
  private static final long SEND_TIMEOUT_MILLIS = 10_000;

  /**
   * This verticle's slice of the config. Without {@code orchestrate} it only answers questions (a CLI process): it
   * runs no job and serves no git daemon. A job's timeout is at most {@code maxJobSecs}, its kept output at most
   * {@code maxJobOutputBytes}, and all jobs' kept output at most {@code keepJobsBytes}.
   */
  public record Settings(String projectRoot, String databasePath, String logDir, boolean localFallback, int localMaxJobs,
      String localWorktreeDir, int defaultTimeoutSecs, int heartbeatIntervalSecs, int heartbeatTimeoutSecs, int keepJobs,
      boolean gitDaemon, String gitDaemonHost, int gitDaemonPort, String advertiseHost, boolean orchestrate,
      ChildEnvironment jobEnv, int maxJobSecs, long maxJobOutputBytes, long keepJobsBytes) implements BusMessage {
    public Settings {
      maxJobSecs = maxJobSecs <= 0 ? 7200 : maxJobSecs;
      maxJobOutputBytes = maxJobOutputBytes <= 0 ? 64L << 20 : maxJobOutputBytes;
      keepJobsBytes = keepJobsBytes <= 0 ? 2048L << 20 : keepJobsBytes;
      WireJson.require("project_root", projectRoot);
      WireJson.require("database_path", databasePath);
      WireJson.require("log_dir", logDir);
      keepJobs = keepJobs <= 0 ? 200 : keepJobs;
      defaultTimeoutSecs = defaultTimeoutSecs <= 0 ? 300 : defaultTimeoutSecs;
      heartbeatIntervalSecs = heartbeatIntervalSecs <= 0 ? 30 : heartbeatIntervalSecs;
      heartbeatTimeoutSecs = heartbeatTimeoutSecs <= 0 ? 90 : heartbeatTimeoutSecs;
      jobEnv = jobEnv == null ? ChildEnvironment.allowListOnly() : jobEnv;
    }

    /** Local jobs get the allow-listed environment alone; the ceilings are their defaults. */
    public Settings(String projectRoot, String databasePath, String logDir, boolean localFallback, int localMaxJobs,
        String localWorktreeDir, int defaultTimeoutSecs, int heartbeatIntervalSecs, int heartbeatTimeoutSecs, int keepJobs,
        boolean gitDaemon, String gitDaemonHost, int gitDaemonPort, String advertiseHost, boolean orchestrate) {
      this(projectRoot, databasePath, logDir, localFallback, localMaxJobs, localWorktreeDir, defaultTimeoutSecs,
          heartbeatIntervalSecs, heartbeatTimeoutSecs, keepJobs, gitDaemon, gitDaemonHost, gitDaemonPort, advertiseHost,
          orchestrate, null, 0, 0, 0);
    }
  }

  private final Clock clock;
  private Settings settings;
  private Pool pool;
  private JobStore store;
  private JobLogs logs;
  private GitCli git;
  private GitDaemonServer daemon;
  private WorkerRegistry workers;
  private JobDispatcher dispatcher;
  private JobFeed feed;
  private final Map<Long, JobProcess> processes = new HashMap<>();
  private final Set<String> probing = new HashSet<>();
  private long watchdog = -1;

  public BuildPoolVerticle() {
    this(Clock.systemUTC());
  }

  public BuildPoolVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    settings = WireJson.fromJson(config(), Settings.class);
    logs = new JobLogs(Path.of(settings.logDir()), settings.keepJobs(), settings.maxJobOutputBytes(), settings.keepJobsBytes());
    git = new GitCli(Path.of(settings.projectRoot()));
    workers = new WorkerRegistry(clock, Duration.ofSeconds(settings.heartbeatTimeoutSecs()));
    dispatcher = new JobDispatcher(clock, new JobDispatcher.Limits(settings.localFallback() && settings.orchestrate(),
        settings.localMaxJobs(), settings.defaultTimeoutSecs(), settings.maxJobSecs()), workers);
    feed = new JobFeed(vertx, logs, this::job);
    return Database.open(vertx, Path.of(settings.databasePath()))
        .compose(opened -> {
          pool = opened;
          store = new JobStore(pool);
          return Database.migrate(pool, JobStore.OWNER, JobStore.MIGRATIONS);
        })
        .compose(v -> settings.orchestrate() ? requeueAfterRestart() : Future.succeededFuture())
        .compose(v -> settings.gitDaemon() && settings.orchestrate() ? startDaemon() : Future.succeededFuture())
        .compose(v -> CommandEndpoint.on(Addresses.BuildPool.CMD, Action.class)
            .handle(Action.SUBMIT, body -> submit(JobRequest.fromJson(body)))
            .handle(Action.JOB, body -> job(JobFeed.jobId(body)))
            .handle(Action.JOBS, this::jobs)
            .handle(Action.CANCEL, body -> cancel(JobFeed.jobId(body), State.CANCELLED, "cancelled"))
            .handle(Action.OUTPUT, feed::output)
            .handle(Action.FOLLOW, feed::follow)
            .handle(Action.STATUS, body -> Future.succeededFuture(status()))
            .registerLocal(vertx))
        .compose(v -> CommandEndpoint.on(Addresses.BuildPool.AGENT, AgentAction.class)
            .handle(AgentAction.REGISTER, body -> register(AgentRegister.fromJson(body)))
            .handle(AgentAction.HEARTBEAT, body -> heartbeat(AgentHeartbeat.fromJson(body)))
            .handle(AgentAction.WORKER_OUTPUT, body -> workerOutput(WorkerOutput.fromJson(body)))
            .handle(AgentAction.WORKER_DONE, body -> workerDone(WorkerDone.fromJson(body)))
            .handle(AgentAction.LEAVE, body -> leave(AgentLeave.fromJson(body)))
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            watchdog = vertx.setPeriodic(1000, id -> watch());
            dispatch();
          }
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(watchdog);
    processes.values().forEach(JobProcess::kill);
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

  // ---- jobs

  private Future<JobView> submit(JobRequest request) {
    if (!settings.orchestrate()) {
      return Future.failedFuture(OrchException.conflict(
          "no build pool coordinator is running for this project: start orch run or orch build-pool start"));
    }
    return store.insert(request, dispatcher.timeoutFor(request), clock.millis()).onSuccess(job -> {
      dispatcher.enqueue(job);
      publish(job);
      dispatch();
    });
  }

  private Future<JobView> job(long id) {
    return dispatcher.live(id).map(live -> Future.succeededFuture(live.withOutputBytes(logs.size(id))))
        .orElseGet(() -> store.get(id).map(found -> found.orElseThrow(() -> OrchException.notFound("no job " + id))));
  }

  private Future<JsonObject> jobs(JsonObject body) {
    int limit = body.getValue("limit") instanceof Number n ? Math.max(1, Math.min(1000, n.intValue())) : 50;
    return store.recent(limit).map(list -> new JsonObject().put("jobs",
        new JsonArray(list.stream().map(JobView::toJson).toList())));
  }

  private Future<JobView> cancel(long id, State as, String reason) {
    Cancel cancel = dispatcher.cancel(id, as, reason);
    if (cancel instanceof Cancel.Dequeued dequeued) {
      return finish(dequeued.ended());
    }
    if (cancel instanceof Cancel.KillLocal) {
      JobProcess process = processes.get(id);
      if (process != null) {
        process.kill();
      }
      return job(id);
    }
    if (cancel instanceof Cancel.Revoked revoked) {
      String worker = revoked.released().job().worker();
      if (workers.knows(worker)) {
        send(worker, BuildWorker.Action.CANCEL, new JobCancel(id));
      }
      withdraw(revoked.released());
      return finish(revoked.ended());
    }
    return job(id);
  }

  private void dispatch() {
    dispatcher.dispatch().forEach(this::start);
  }

  private void start(Start start) {
    long id = start.job().jobId();
    // The agent fetches this job's commit, and nothing else, under a ref made for it (never a branch or snapshot).
    String ref = !start.local() && daemon != null ? daemon.expose(start.job().commit()) : null;
    dispatcher.exposed(id, ref);
    store.save(start.job().withOutputBytes(logs.size(id))).compose(saved -> {
      publish(saved);
      return start.local() ? runHere(saved) : send(saved.worker(), BuildWorker.Action.RUN,
          new JobRun(id, saved.commit(), ref, saved.command(), gitUrl(), saved.timeoutSecs())).mapEmpty();
    }).onFailure(e -> dispatcher.abandon(start).ifPresentOrElse(released -> {
      if (start.local()) {
        ended(released, released.job().endedAs(State.FAILED, null, "could not start here: " + e.getMessage(), clock.millis()));
      } else {
        LOG.warn("job {} could not go to {}: {}; back in the queue", id, start.job().worker(), e.getMessage());
        requeue(released, "could not be handed to " + start.job().worker());
      }
      // The hand-off can fail long after the agent went away and the job was given to another one (a send to a node
      // that just died times out): only the attempt that is still current goes back in the queue.
    }, () -> LOG.info("job {}: a late failure of its hand-off to {} ({}); it has moved on", id, start.job().worker(),
        e.getMessage())));
  }

  private Future<Void> runHere(JobView job) {
    long id = job.jobId();
    Path dir = Path.of(settings.localWorktreeDir()).resolve("job-" + id);
    return vertx.executeBlocking(() -> {
      LocalCheckout.create(git, dir, job.commit());
      return JobProcess.start(job.command(), dir, false, settings.jobEnv(), (stream, text) -> {
        JobLogs.Appended appended = logs.append(id, text, stream);
        context.runOnContext(v -> feed.published(id, appended, stream));
      });
    }, false).map(process -> {
      processes.put(id, process);
      process.exit().whenComplete((code, error) -> context.runOnContext(v -> {
        processes.remove(id);
        vertx.executeBlocking(() -> {
          LocalCheckout.remove(git, dir);
          return null;
        }, false);
        dispatcher.localExited(id, code == null ? -1 : code).ifPresent(released -> ended(released, released.job()));
      }));
      if (dispatcher.stopping(id)) {
        process.kill();
      }
      return null;
    });
  }

  /** The job no longer runs: its git daemon ref goes, and it ends as {@code ended}. */
  private Future<JobView> ended(Released released, JobView ended) {
    withdraw(released);
    return finish(ended);
  }

  private void withdraw(Released released) {
    if (daemon != null) {
      daemon.withdraw(released.gitRef());
    }
  }

  private Future<JobView> finish(JobView ended) {
    long id = ended.jobId();
    return store.save(ended.withOutputBytes(logs.size(id)).withOutputTruncated(logs.truncated(id))).onSuccess(saved -> {
      publish(saved);
      feed.ended(id);
      Set<Long> live = dispatcher.liveIds();
      vertx.executeBlocking(() -> {
        logs.prune(live);
        return null;
      }, false);
      dispatch();
    });
  }

  private void requeue(Released released, String why) {
    withdraw(released);
    long id = released.job().jobId();
    vertx.executeBlocking(() -> logs.append(id, "\n[orch: " + why + "; the job starts again]\n", null), false)
        .compose(v -> store.save(released.job().backInQueue(why).withOutputBytes(logs.size(id))))
        .onSuccess(saved -> {
          dispatcher.requeue(saved);
          publish(saved);
          dispatch();
        });
  }

  private Future<Void> requeueAfterRestart() {
    return store.inStates("queued", "running").compose(jobs -> {
      Future<Void> chain = Future.succeededFuture();
      for (JobView job : jobs) {
        JobView queued = job.state() == State.RUNNING ? job.backInQueue("orch restarted while it ran") : job;
        if (queued != job) {
          chain = chain.compose(v -> store.save(queued).mapEmpty());
        }
        dispatcher.enqueue(queued);
      }
      return chain;
    });
  }

  // ---- build agents

  private Future<AgentWelcome> register(AgentRegister hello) {
    WorkerView view = workers.register(hello);
    dropStrays(hello.workerId(), hello.runningJobs());
    LOG.info("build agent {} joined with {} slots", hello.workerId(), hello.slots());
    vertx.eventBus().publish(Addresses.BuildPool.EVT_WORKER, view.toJson());
    dispatch();
    return Future.succeededFuture(new AgentWelcome(settings.heartbeatIntervalSecs(), gitUrl()));
  }

  private Future<AgentReply.Ok> heartbeat(AgentHeartbeat beat) {
    if (!workers.heartbeat(beat)) {
      return Future.failedFuture(OrchException.notFound("unknown build agent; register again"));
    }
    dropStrays(beat.workerId(), beat.runningJobs());
    dispatch();
    return Future.succeededFuture(AgentReply.Ok.YES);
  }

  /** An agent running a job the coordinator did not give it (any more) is told to drop it. */
  private void dropStrays(String workerId, List<Long> reported) {
    dispatcher.strays(workerId, reported).forEach(id -> send(workerId, BuildWorker.Action.CANCEL, new JobCancel(id)));
  }

  private Future<AgentReply.Accepted> workerOutput(WorkerOutput piece) {
    long id = piece.jobId();
    if (!dispatcher.runsOn(id, piece.workerId())) {
      return Future.succeededFuture(new AgentReply.Accepted(false));
    }
    JobProcess.Stream stream = JobProcess.Stream.fromWire(piece.stream());
    return vertx.executeBlocking(() -> logs.append(id, piece.text(), stream), true).map(appended -> {
      feed.published(id, appended, stream);
      return new AgentReply.Accepted(true);
    });
  }

  private Future<AgentReply.Accepted> workerDone(WorkerDone end) {
    return dispatcher.remoteDone(end.workerId(), end.jobId(), end.exitCode(), end.reason()).map(released ->
        // An ordered no-op: it runs after the output appends queued before it, so the job ends after its last output.
        vertx.executeBlocking(() -> true, true).compose(v -> ended(released, released.job()))
            .map(done -> new AgentReply.Accepted(true)))
        .orElseGet(() -> {
          dispatch();
          return Future.succeededFuture(new AgentReply.Accepted(false));
        });
  }

  private Future<AgentReply.Ok> leave(AgentLeave leave) {
    if (workers.knows(leave.workerId())) {
      LOG.info("build agent {} is leaving; its job(s) go back in the queue", leave.workerId());
      drop(leave.workerId());
    }
    return Future.succeededFuture(AgentReply.Ok.YES);
  }

  /** Every second: silent agents are dropped, the others probed; jobs past their timeout are stopped. */
  private void watch() {
    List<String> expired = workers.expired();
    for (String id : workers.ids()) {
      if (expired.contains(id)) {
        LOG.warn("build agent {} missed its heartbeats for {} s; its job(s) go back in the queue", id, workers.silentSecs(id));
        drop(id);
      } else if (probing.add(id)) {
        probe(id);
      }
    }
    for (JobView job : dispatcher.overdue()) {
      LOG.info("job {} ran past its timeout of {} s", job.jobId(), job.timeoutSecs());
      cancel(job.jobId(), State.TIMED_OUT, "stopped after " + job.timeoutSecs() + " s (its timeout)");
    }
    dispatch();
  }

  /**
   * Asks the agent if it is there. When its node has left the cluster (a kill -9, a lost host) nobody serves its
   * address any more, which shows at once, long before its heartbeats are missed.
   */
  private void probe(String id) {
    long registration = workers.registration(id);
    send(id, BuildWorker.Action.PING, new AgentPing()).onComplete(done -> {
      probing.remove(id);
      if (done.failed() && done.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
          && workers.registration(id) == registration) {
        LOG.warn("build agent {} left the cluster; its job(s) go back in the queue", id);
        drop(id);
      }
    });
  }

  private void drop(String id) {
    dispatcher.drop(id).ifPresent(dropped -> {
      vertx.eventBus().publish(Addresses.BuildPool.EVT_WORKER, dropped.gone().view().toJson());
      dropped.jobs().forEach(released -> requeue(released, "build agent " + id + " went away"));
      dispatch();
    });
  }

  private Future<Object> send(String workerId, BuildWorker.Action action, BusMessage message) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS)
        .addHeader(Addresses.ACTION_HEADER, action.wireName());
    return vertx.eventBus().request(BuildWorker.cmd(workerId), message.toJson(), options).map(m -> m.body());
  }

  private PoolStatus status() {
    return new PoolStatus(workers.views(), dispatcher.queued(), dispatcher.runningCount(),
        dispatcher.localFallbackActive(), settings.localMaxJobs(), gitUrl(), settings.orchestrate());
  }

  private void publish(JobView job) {
    vertx.eventBus().publish(Addresses.BuildPool.EVT_JOB, job.toJson());
  }
}
