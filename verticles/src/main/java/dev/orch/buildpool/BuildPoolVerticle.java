package dev.orch.buildpool;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildPool.Action;
import dev.orch.contract.Addresses.BuildPool.AgentAction;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.JobOutput;
import dev.orch.contract.JobProgress;
import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build pool's coordinator. Jobs wait in SQLite (a restart loses none) and go to the build agent with the most
 * free slots, or, with no agent connected, run here (the local fallback). Output streams line by line over the bus
 * and is kept per job. An agent that stops sending heartbeats has its jobs put back in the queue. A job past its
 * timeout, or cancelled, is stopped wherever it runs.
 */
public final class BuildPoolVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BuildPoolVerticle.class);
  static final String LOCAL = "local";
  private static final long SEND_TIMEOUT_MILLIS = 10_000;
  private static final long MAX_FOLLOW_WAIT = 20_000;
  /** The most text one output event carries; longer output goes out as several, in order. */
  static final int MAX_EVENT_CHARS = 64 * 1024;

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

  /** A job being run: where, and how to stop it. */
  private static final class Running {
    JobView job;
    JobProcess local;
    long timer;
    JobView.State stopAs;
    String stopReason;
    /** The ref the git daemon serves this job's commit under, while it runs on an agent. */
    String gitRef;

    Running(JobView job) {
      this.job = job;
    }
  }

  private static final class Worker {
    final String id;
    final String host;
    final int slots;
    final long connectedSince;
    final Set<Long> running = new LinkedHashSet<>();
    long lastSeen;
    /** Slots the agent said were free (one agent may serve several orchestrators), and jobs sent since it said so. */
    int reportedFree;
    int sentSinceReport;
    boolean pinging;

    Worker(String id, String host, int slots, long now) {
      this.id = id;
      this.host = host;
      this.slots = slots;
      this.connectedSince = now;
      this.lastSeen = now;
    }

    int free() {
      return Math.min(slots - running.size(), reportedFree - sentSinceReport);
    }

    void reported(int free) {
      reportedFree = free;
      sentSinceReport = 0;
    }

    WorkerView view(long now, long timeoutMillis) {
      return new WorkerView(id, host, slots, List.copyOf(running), connectedSince, lastSeen, now - lastSeen < timeoutMillis);
    }
  }

  private Settings settings;
  private Pool pool;
  private JobStore store;
  private JobLogs logs;
  private GitCli git;
  private GitDaemonServer daemon;
  private Context context;
  private final Deque<Long> queue = new ArrayDeque<>();
  private final Map<Long, Running> running = new HashMap<>();
  private final Map<String, Worker> workers = new HashMap<>();
  /** Followers waiting for a job's next output or its end, and how often each job has had news (to not miss any). */
  private final Map<Long, List<Promise<Void>>> followers = new HashMap<>();
  private final Map<Long, Long> news = new HashMap<>();
  private long watchdog = -1;
  private boolean dispatching;

  @Override
  public Future<?> start() {
    settings = WireJson.fromJson(config(), Settings.class);
    context = vertx.getOrCreateContext();
    logs = new JobLogs(Path.of(settings.logDir()), settings.keepJobs(), settings.maxJobOutputBytes(),
        settings.keepJobsBytes());
    git = new GitCli(Path.of(settings.projectRoot()));
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
            .handle(Action.JOB, body -> job(jobId(body)))
            .handle(Action.JOBS, this::jobs)
            .handle(Action.CANCEL, body -> cancel(jobId(body), JobView.State.CANCELLED, "cancelled"))
            .handle(Action.OUTPUT, this::output)
            .handle(Action.FOLLOW, this::follow)
            .handle(Action.STATUS, body -> Future.succeededFuture(status()))
            .registerLocal(vertx))
        .compose(v -> CommandEndpoint.on(Addresses.BuildPool.AGENT, AgentAction.class)
            .handle(AgentAction.REGISTER, this::register)
            .handle(AgentAction.HEARTBEAT, this::heartbeat)
            .handle(AgentAction.WORKER_OUTPUT, this::workerOutput)
            .handle(AgentAction.WORKER_DONE, this::workerDone)
            .handle(AgentAction.LEAVE, this::leave)
            .registerLocal(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            watchdog = vertx.setPeriodic(1000, id -> checkWorkers());
            dispatch();
          }
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(watchdog);
    running.values().forEach(r -> {
      if (r.local != null) {
        r.local.kill();
      }
    });
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
    // No job runs longer than the ceiling, whatever it asked for (an agent's tool call may ask for 2^31-1 seconds).
    int timeout = Math.min(request.timeoutSecs() > 0 ? request.timeoutSecs() : settings.defaultTimeoutSecs(),
        settings.maxJobSecs());
    return store.insert(request, timeout, System.currentTimeMillis()).onSuccess(job -> {
      queue.add(job.jobId());
      publish(job);
      dispatch();
    });
  }

  private Future<JobView> job(long id) {
    Running live = running.get(id);
    if (live != null) {
      return Future.succeededFuture(withOutputBytes(live.job));
    }
    return store.get(id).map(found -> found.orElseThrow(() -> OrchException.notFound("no job " + id)));
  }

  private JobView withOutputBytes(JobView job) {
    return copy(job, job.state(), job.worker(), job.attempts(), job.exitCode(), job.reason(), logs.size(job.jobId()),
        job.startedAt(), job.endedAt());
  }

  private Future<JsonObject> jobs(JsonObject body) {
    int limit = body.getValue("limit") instanceof Number n ? Math.max(1, Math.min(1000, n.intValue())) : 50;
    return store.recent(limit).map(list -> new JsonObject().put("jobs",
        new JsonArray(list.stream().map(JobView::toJson).toList())));
  }

  private Future<JobOutput> output(JsonObject body) {
    long id = jobId(body);
    long offset = body.getValue("offset") instanceof Number n ? Math.max(0, n.longValue()) : 0;
    int max = body.getValue("max") instanceof Number n ? Math.max(1, Math.min(8 * 1024 * 1024, n.intValue())) : 1024 * 1024;
    JobLogs.Part part;
    try {
      part = JobLogs.Part.of(body.getString("stream"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(OrchException.badRequest(e.getMessage()));
    }
    return vertx.executeBlocking(() -> new JobOutput(id, offset, logs.read(id, part, offset, max),
        part == JobLogs.Part.ALL ? "" : part.name().toLowerCase(java.util.Locale.ROOT)), false);
  }

  private Future<JobProgress> follow(JsonObject body) {
    long id = jobId(body);
    long offset = body.getValue("offset") instanceof Number n ? Math.max(0, n.longValue()) : 0;
    int max = body.getValue("max") instanceof Number n ? Math.max(1, Math.min(8 * 1024 * 1024, n.intValue())) : 1024 * 1024;
    long waitMillis = body.getValue("wait_millis") instanceof Number n ? Math.max(0, Math.min(MAX_FOLLOW_WAIT, n.longValue())) : 0;
    return readProgress(id, offset, max).compose(progress -> {
      if (!progress.text().isEmpty() || progress.job().state().done() || waitMillis == 0) {
        return Future.succeededFuture(progress);
      }
      Promise<Void> woken = Promise.promise();
      followers.computeIfAbsent(id, k -> new ArrayList<>()).add(woken);
      long timer = vertx.setTimer(waitMillis, t -> woken.tryComplete());
      return woken.future().compose(v -> {
        vertx.cancelTimer(timer);
        return readProgress(id, offset, max);
      });
    });
  }

  /** The job and its output from offset; read again if news arrived while reading, so none is missed. */
  private Future<JobProgress> readProgress(long id, long offset, int max) {
    long before = news.getOrDefault(id, 0L);
    return job(id).compose(job -> vertx.executeBlocking(() -> logs.read(id, offset, max), false).compose(text -> {
      if (text.isEmpty() && !job.state().done() && news.getOrDefault(id, 0L) != before) {
        return readProgress(id, offset, max);
      }
      long next = offset + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      return Future.succeededFuture(new JobProgress(job, offset, next, text));
    }));
  }

  /** A job printed something or ended: wake whoever follows it. */
  private void wake(long id) {
    news.merge(id, 1L, Long::sum);
    List<Promise<Void>> waiting = followers.remove(id);
    if (waiting != null) {
      waiting.forEach(Promise::tryComplete);
    }
  }

  private static long jobId(JsonObject body) {
    if (!(body.getValue("job_id") instanceof Number id)) {
      throw OrchException.badRequest("field 'job_id' must be a job number");
    }
    return id.longValue();
  }

  private Future<JobView> cancel(long id, JobView.State as, String reason) {
    if (queue.remove(id)) {
      return store.get(id).compose(found -> finish(found.orElseThrow(), as, null, reason));
    }
    Running live = running.get(id);
    if (live == null) {
      return store.get(id).map(found -> found.orElseThrow(() -> OrchException.notFound("no job " + id)));
    }
    live.stopAs = as;
    live.stopReason = reason;
    if (live.local != null) {
      live.local.kill();
      return Future.succeededFuture(live.job);
    }
    Worker worker = workers.get(live.job.worker());
    if (worker != null) {
      worker.running.remove(id);
      send(worker.id, Addresses.BuildWorker.Action.CANCEL, new JobCancel(id));
    }
    release(id);
    vertx.cancelTimer(live.timer);
    return finish(live.job, as, null, reason);
  }

  // ---- dispatch

  private void dispatch() {
    if (dispatching) {
      return;
    }
    dispatching = true;
    try {
      long now = System.currentTimeMillis();
      while (!queue.isEmpty()) {
        Optional<Worker> worker = workers.values().stream().filter(w -> alive(w, now) && w.free() > 0)
            .max(Comparator.comparingInt(Worker::free));
        boolean anyAlive = workers.values().stream().anyMatch(w -> alive(w, now));
        if (worker.isPresent()) {
          startRemote(queue.poll(), worker.get());
        } else if (!anyAlive && settings.localFallback() && localRunning() < settings.localMaxJobs()) {
          startLocal(queue.poll());
        } else {
          break;
        }
      }
    } finally {
      dispatching = false;
    }
  }

  private long localRunning() {
    return running.values().stream().filter(r -> LOCAL.equals(r.job.worker())).count();
  }

  private void startRemote(long id, Worker worker) {
    worker.running.add(id);
    worker.sentSinceReport++;
    Running[] attempt = new Running[1];
    store.get(id).compose(found -> {
      JobView job = found.orElseThrow();
      JobView started = copy(job, JobView.State.RUNNING, worker.id, job.attempts() + 1, null, null, logs.size(id),
          System.currentTimeMillis(), 0);
      Running live = new Running(started);
      attempt[0] = live;
      running.put(id, live);
      armTimeout(live);
      // The agent fetches this job's commit, and nothing else, under a ref made for it (never a branch or snapshot).
      live.gitRef = daemon == null ? null : daemon.expose(job.commit());
      return store.save(started).compose(saved -> {
        publish(saved);
        return send(worker.id, Addresses.BuildWorker.Action.RUN,
            new JobRun(id, job.commit(), live.gitRef, job.command(), gitUrl(), job.timeoutSecs()));
      });
    }).onFailure(e -> {
      worker.running.remove(id);
      // The hand-off can fail long after the agent went away and the job was given to another one (a send to a node
      // that just died times out): only the attempt that is still current goes back in the queue.
      if (attempt[0] != null && running.get(id) != attempt[0]) {
        LOG.info("job {}: a late failure of its hand-off to {} ({}); it has moved on", id, worker.id, e.getMessage());
        return;
      }
      LOG.warn("job {} could not go to {}: {}; back in the queue", id, worker.id, e.getMessage());
      requeue(id, "could not be handed to " + worker.id);
    });
  }

  private void startLocal(long id) {
    store.get(id).compose(found -> {
      JobView job = found.orElseThrow();
      JobView started = copy(job, JobView.State.RUNNING, LOCAL, job.attempts() + 1, null, null, logs.size(id),
          System.currentTimeMillis(), 0);
      Running live = new Running(started);
      running.put(id, live);
      armTimeout(live);
      return store.save(started).compose(saved -> {
        publish(saved);
        Path dir = Path.of(settings.localWorktreeDir()).resolve("job-" + id);
        return vertx.executeBlocking(() -> {
          LocalCheckout.create(git, dir, job.commit());
          return JobProcess.start(job.command(), dir, false, settings.jobEnv(), (stream, text) -> {
            JobLogs.Appended appended = logs.append(id, text, stream);
            context.runOnContext(v -> publishOutput(id, appended, stream));
          });
        }, false).map(process -> {
          live.local = process;
          process.exit().whenComplete((code, error) -> context.runOnContext(v -> {
            vertx.executeBlocking(() -> {
              LocalCheckout.remove(git, dir);
              return null;
            }, false);
            localDone(live, code == null ? -1 : code);
          }));
          if (live.stopAs != null) {
            process.kill();
          }
          return null;
        });
      });
    }).onFailure(e -> {
      Running live = release(id);
      if (live != null) {
        vertx.cancelTimer(live.timer);
        finish(live.job, JobView.State.FAILED, null, "could not start here: " + e.getMessage());
      }
    });
  }

  private void localDone(Running live, int exitCode) {
    if (release(live.job.jobId()) == null) {
      return;
    }
    vertx.cancelTimer(live.timer);
    JobView.State state = live.stopAs != null ? live.stopAs : exitCode == 0 ? JobView.State.SUCCEEDED : JobView.State.FAILED;
    finish(live.job, state, live.stopAs != null ? null : exitCode, live.stopReason);
  }

  /** The job no longer runs: its git daemon ref goes too. */
  private Running release(long id) {
    Running live = running.remove(id);
    if (live != null && daemon != null) {
      daemon.withdraw(live.gitRef);
    }
    return live;
  }

  private void armTimeout(Running live) {
    long millis = live.job.timeoutSecs() * 1000L;
    live.timer = vertx.setTimer(millis, t -> {
      LOG.info("job {} ran past its timeout of {} s", live.job.jobId(), live.job.timeoutSecs());
      cancel(live.job.jobId(), JobView.State.TIMED_OUT, "stopped after " + live.job.timeoutSecs() + " s (its timeout)");
    });
  }

  /** Output as kept (cut past the cap: nothing to tell), in events of at most {@link #MAX_EVENT_CHARS}. */
  private void publishOutput(long id, JobLogs.Appended appended, JobProcess.Stream stream) {
    String text = appended.text();
    long offset = appended.offset();
    for (int at = 0; at < text.length(); ) {
      int end = Math.min(text.length(), at + MAX_EVENT_CHARS);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      String piece = text.substring(at, end);
      vertx.eventBus().publish(Addresses.BuildPool.EVT_OUTPUT, new JobOutput(id, offset, piece, stream.wire()).toJson());
      offset += piece.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      at = end;
    }
    if (!text.isEmpty()) {
      wake(id);
    }
  }

  private Future<JobView> finish(JobView job, JobView.State state, Integer exitCode, String reason) {
    JobView done = copy(job, state, job.worker(), job.attempts(), exitCode, reason, logs.size(job.jobId()), job.startedAt(),
        System.currentTimeMillis()).withOutputTruncated(logs.truncated(job.jobId()));
    return store.save(done).onSuccess(saved -> {
      publish(saved);
      wake(job.jobId());
      news.remove(job.jobId());
      Set<Long> live = Set.copyOf(running.keySet());
      vertx.executeBlocking(() -> {
        logs.prune(live);
        return null;
      }, false);
      dispatch();
    });
  }

  private void requeue(long id, String why) {
    Running live = release(id);
    if (live != null) {
      vertx.cancelTimer(live.timer);
    }
    vertx.executeBlocking(() -> logs.append(id, "\n[orch: " + why + "; the job starts again]\n", null), false)
        .compose(v -> store.get(id))
        .compose(found -> {
          JobView job = found.orElseThrow();
          return store.save(copy(job, JobView.State.QUEUED, null, job.attempts(), null, why, logs.size(id), 0, 0));
        })
        .onSuccess(saved -> {
          queue.addFirst(id);
          publish(saved);
          dispatch();
        });
  }

  private Future<Void> requeueAfterRestart() {
    return store.inStates("queued", "running").compose(jobs -> {
      Future<Void> chain = Future.succeededFuture();
      for (JobView job : jobs) {
        if (job.state() == JobView.State.RUNNING) {
          chain = chain.compose(v -> store.save(copy(job, JobView.State.QUEUED, null, job.attempts(), null,
              "orch restarted while it ran", job.outputBytes(), 0, 0)).mapEmpty());
        }
        queue.add(job.jobId());
      }
      return chain;
    });
  }

  // ---- build agents

  private Future<AgentWelcome> register(JsonObject body) {
    AgentRegister hello = AgentRegister.fromJson(body);
    String id = hello.workerId();
    int slots = hello.slots();
    long now = System.currentTimeMillis();
    Worker old = workers.get(id);
    Worker worker = new Worker(id, hello.host() == null ? "?" : hello.host(), slots, old != null ? old.connectedSince : now);
    if (old != null) {
      worker.running.addAll(old.running);
    }
    worker.reported(hello.freeSlotsOrAll());
    workers.put(id, worker);
    reconcileWorker(worker, hello.runningJobs());
    LOG.info("build agent {} joined with {} slots", id, slots);
    vertx.eventBus().publish(Addresses.BuildPool.EVT_WORKER, worker.view(now, timeoutMillis()).toJson());
    dispatch();
    return Future.succeededFuture(new AgentWelcome(settings.heartbeatIntervalSecs(), gitUrl()));
  }

  private Future<AgentReply.Ok> heartbeat(JsonObject body) {
    AgentHeartbeat beat = AgentHeartbeat.fromJson(body);
    Worker worker = workers.get(beat.workerId());
    if (worker == null) {
      return Future.failedFuture(OrchException.notFound("unknown build agent; register again"));
    }
    worker.lastSeen = System.currentTimeMillis();
    if (beat.freeSlots() != null) {
      worker.reported(beat.freeSlots());
    }
    reconcileWorker(worker, beat.runningJobs());
    dispatch();
    return Future.succeededFuture(AgentReply.Ok.YES);
  }

  /** An agent running a job the coordinator did not give it (any more) is told to drop it. */
  private void reconcileWorker(Worker worker, List<Long> reported) {
    for (long id : reported) {
      Running live = running.get(id);
      if (live == null || !worker.id.equals(live.job.worker())) {
        send(worker.id, Addresses.BuildWorker.Action.CANCEL, new JobCancel(id));
      }
    }
  }

  private Future<AgentReply.Accepted> workerOutput(JsonObject body) {
    WorkerOutput piece = WorkerOutput.fromJson(body);
    long id = piece.jobId();
    Running live = running.get(id);
    if (live == null || !piece.workerId().equals(live.job.worker())) {
      return Future.succeededFuture(new AgentReply.Accepted(false));
    }
    JobProcess.Stream stream = JobProcess.Stream.fromWire(piece.stream());
    return vertx.executeBlocking(() -> logs.append(id, piece.text(), stream), true).map(appended -> {
      publishOutput(id, appended, stream);
      return new AgentReply.Accepted(true);
    });
  }

  private Future<AgentReply.Accepted> workerDone(JsonObject body) {
    WorkerDone end = WorkerDone.fromJson(body);
    long id = end.jobId();
    String workerId = end.workerId();
    Running live = running.get(id);
    Worker worker = workers.get(workerId);
    if (worker != null) {
      worker.running.remove(id);
    }
    if (live == null || !workerId.equals(live.job.worker())) {
      dispatch();
      return Future.succeededFuture(new AgentReply.Accepted(false));
    }
    release(id);
    vertx.cancelTimer(live.timer);
    Integer exit = end.exitCode();
    String reason = end.reason();
    JobView.State state = exit != null && exit == 0 ? JobView.State.SUCCEEDED : JobView.State.FAILED;
    // An ordered no-op: it runs after the output appends queued before it, so the job ends after its last output.
    return vertx.executeBlocking(() -> true, true)
        .compose(v -> finish(live.job, state, exit, reason)).map(done -> new AgentReply.Accepted(true));
  }

  private Future<AgentReply.Ok> leave(JsonObject body) {
    Worker worker = workers.get(AgentLeave.fromJson(body).workerId());
    if (worker != null) {
      LOG.info("build agent {} is leaving; its {} job(s) go back in the queue", worker.id, worker.running.size());
      drop(worker, System.currentTimeMillis());
      dispatch();
    }
    return Future.succeededFuture(AgentReply.Ok.YES);
  }

  private void checkWorkers() {
    long now = System.currentTimeMillis();
    for (Worker worker : List.copyOf(workers.values())) {
      if (!alive(worker, now)) {
        LOG.warn("build agent {} missed its heartbeats for {} s; its {} job(s) go back in the queue", worker.id,
            (now - worker.lastSeen) / 1000, worker.running.size());
        drop(worker, now);
      } else if (!worker.pinging) {
        probe(worker);
      }
    }
    dispatch();
  }

  /**
   * Asks the agent if it is there. When its node has left the cluster (a kill -9, a lost host) nobody serves its
   * address any more, which shows at once, long before its heartbeats are missed.
   */
  private void probe(Worker worker) {
    worker.pinging = true;
    send(worker.id, Addresses.BuildWorker.Action.PING, new AgentPing()).onComplete(done -> {
      worker.pinging = false;
      if (done.failed() && done.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
          && workers.get(worker.id) == worker) {
        LOG.warn("build agent {} left the cluster; its {} job(s) go back in the queue", worker.id, worker.running.size());
        drop(worker, System.currentTimeMillis());
        dispatch();
      }
    });
  }

  private void drop(Worker worker, long now) {
    workers.remove(worker.id);
    worker.lastSeen = Math.min(worker.lastSeen, now - timeoutMillis());
    vertx.eventBus().publish(Addresses.BuildPool.EVT_WORKER, worker.view(now, timeoutMillis()).toJson());
    for (Long id : List.copyOf(worker.running)) {
      requeue(id, "build agent " + worker.id + " went away");
    }
  }

  private boolean alive(Worker worker, long now) {
    return now - worker.lastSeen < timeoutMillis();
  }

  private long timeoutMillis() {
    return settings.heartbeatTimeoutSecs() * 1000L;
  }

  private Future<Object> send(String workerId, Addresses.BuildWorker.Action action, BusMessage message) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS)
        .addHeader(Addresses.ACTION_HEADER, action.wireName());
    return vertx.eventBus().request(Addresses.BuildWorker.cmd(workerId), message.toJson(), options).map(m -> m.body());
  }

  private PoolStatus status() {
    long now = System.currentTimeMillis();
    List<WorkerView> views = new ArrayList<>();
    workers.values().forEach(w -> views.add(w.view(now, timeoutMillis())));
    boolean fallback = settings.localFallback() && views.stream().noneMatch(WorkerView::alive);
    return new PoolStatus(views, queue.size(), running.size(), fallback && settings.orchestrate(), settings.localMaxJobs(),
        gitUrl(), settings.orchestrate());
  }

  private void publish(JobView job) {
    vertx.eventBus().publish(Addresses.BuildPool.EVT_JOB, job.toJson());
  }

  private static JobView copy(JobView j, JobView.State state, String worker, int attempts, Integer exitCode, String reason,
      long outputBytes, long startedAt, long endedAt) {
    return new JobView(j.jobId(), j.label(), j.command(), j.commit(), j.ref(), j.taskId(), state, worker, attempts, exitCode,
        reason, j.timeoutSecs(), outputBytes, j.createdAt(), startedAt, endedAt, j.outputTruncated());
  }
}
