package dev.orch.buildworker;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildWorker.Action;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.OrchException;
import dev.orch.contract.WireJson;
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
import dev.orch.process.ChildEnvironment;
import dev.orch.process.JobProcess;
import io.vertx.core.Context;
import dev.orch.flow.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A build agent as the coordinator sees it: registers (again and again, backing off from 1 s to 60 s while the
 * coordinator is away), sends heartbeats, runs the jobs it is given in fresh worktrees from its git cache, streams
 * their output in order, and reports how they ended. Its slots may be shared with the agent's other orchestrators.
 */
public final class BuildWorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BuildWorkerVerticle.class);
  private static final Backoff REGISTRATION_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
  private static final long SEND_TIMEOUT = 10_000;

  /**
   * A build host's jobs keep the host's own environment (its toolchains' variables) except what orch never hands out:
   * ORCH_*, GITHUB_TOKEN, GH_TOKEN (H4).
   */
  private static final ChildEnvironment JOB_ENV = new ChildEnvironment(List.of("*"), List.of());

  /** This verticle's slice of the agent's config. */
  public record Settings(String workerId, String host, String gitCacheDir, String worktreeDir, boolean useNix,
      String serverName) implements BusMessage {
    public Settings {
      WireJson.require("worker_id", workerId);
      WireJson.require("git_cache_dir", gitCacheDir);
      WireJson.require("worktree_dir", worktreeDir);
      host = host == null ? "" : host;
      serverName = serverName == null ? "orch" : serverName;
    }
  }

  private static final class Job {
    final long id;
    final String url;
    WorkerCheckout.Checkout checkout;
    JobProcess process;
    boolean cancelled;
    /** Output not yet sent, bounded; pieces from the same stream merge while a send is in flight. */
    final UnsentOutput unsent = new UnsentOutput();
    boolean sending;
    Promise<Void> drained = Promise.promise();

    Job(long id, String url) {
      this.id = id;
      this.url = url;
    }
  }

  /** Told when the coordinator took this agent in, and when it has stopped answering for a while. */
  public interface Listener {
    void joined();

    /** Registration failed this many times in a row; the owner may want to leave the cluster and join again. */
    void unanswered(int attempts);
  }

  private static final Listener NOBODY = new Listener() {
    @Override
    public void joined() {
    }

    @Override
    public void unanswered(int attempts) {
    }
  };

  private final SlotPool slots;
  private final Listener listener;
  private int failedRegistrations;
  private Settings settings;
  private WorkerCheckout checkout;
  private Context context;
  private final Map<Long, Job> jobs = new HashMap<>();
  private boolean registered;
  private boolean registering;
  private long timer = -1;
  private boolean stopped;
  private Runnable slotsChanged;

  public BuildWorkerVerticle(SlotPool slots) {
    this(slots, NOBODY);
  }

  public BuildWorkerVerticle(SlotPool slots, Listener listener) {
    this.slots = slots;
    this.listener = listener;
  }

  @Override
  public Future<?> start() {
    settings = WireJson.fromJson(config(), Settings.class);
    context = vertx.getOrCreateContext();
    checkout = new WorkerCheckout(Path.of(settings.gitCacheDir()), Path.of(settings.worktreeDir()), slots.size());
    slotsChanged = () -> context.runOnContext(v -> heartbeat());
    slots.onChange(slotsChanged);
    return vertx.executeBlocking(() -> {
      checkout.removeLeftovers();
      return null;
    }, false).compose(v -> CommandEndpoint.on(Addresses.BuildWorker.cmd(settings.workerId()), Action.class)
        .handle(Action.RUN, this::run)
        .handle(Action.CANCEL, this::cancel)
        .handle(Action.PING, body -> {
          AgentPing.fromJson(body);
          return Future.succeededFuture(new AgentReply.Pong(settings.workerId()));
        })
        .register(vertx))
        .onSuccess(v -> register());
  }

  /** Stops its jobs and tells the coordinator, which runs them elsewhere, rather than reporting them failed. */
  @Override
  public Future<?> stop() {
    stopped = true;
    slots.removeListener(slotsChanged);
    vertx.cancelTimer(timer);
    jobs.values().forEach(job -> {
      job.cancelled = true;
      if (job.process != null) {
        job.process.kill();
      }
    });
    if (!registered) {
      return Future.succeededFuture();
    }
    return request(Addresses.BuildPool.AgentAction.LEAVE, new AgentLeave(settings.workerId()))
        .otherwiseEmpty();
  }

  // ---- staying connected

  private void register() {
    if (stopped || registering) {
      return;
    }
    registering = true;
    AgentRegister hello = new AgentRegister(settings.workerId(), settings.host(), slots.size(), slots.free(),
        runningJobs());
    request(Addresses.BuildPool.AgentAction.REGISTER, hello).onComplete(done -> {
      registering = false;
      if (stopped) {
        return;
      }
      if (done.succeeded()) {
        long heartbeatMillis = AgentWelcome.fromJson((JsonObject) done.result()).heartbeatIntervalSecs() * 1000L;
        LOG.info("joined {} as {} with {} slots", settings.serverName(), settings.workerId(), slots.size());
        registered = true;
        failedRegistrations = 0;
        timer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
        listener.joined();
      } else {
        long wait = REGISTRATION_BACKOFF.after(++failedRegistrations).toMillis();
        LOG.info("{} is not answering ({}); trying again in {} s", settings.serverName(), done.cause().getMessage(),
            wait / 1000);
        timer = vertx.setTimer(wait, id -> register());
        listener.unanswered(failedRegistrations);
      }
    });
  }

  /** Says it is alive and how many slots are free; sent on a timer and whenever the shared slots change. */
  private void heartbeat() {
    if (stopped || !registered) {
      return;
    }
    request(Addresses.BuildPool.AgentAction.HEARTBEAT,
        new AgentHeartbeat(settings.workerId(), slots.free(), runningJobs())).onFailure(e -> {
      if (registered && !stopped) {
        LOG.info("heartbeat to {} failed ({}); registering again", settings.serverName(), e.getMessage());
        registered = false;
        vertx.cancelTimer(timer);
        register();
      }
    });
  }

  private List<Long> runningJobs() {
    return List.copyOf(jobs.keySet());
  }

  // ---- jobs

  private Future<AgentReply.Accepted> run(JsonObject body) {
    JobRun order = JobRun.fromJson(body);
    long id = order.jobId();
    String url = order.gitUrl();
    if (jobs.containsKey(id)) {
      return Future.succeededFuture(new AgentReply.Accepted(true));
    }
    if (!slots.tryAcquire()) {
      return Future.failedFuture(OrchException.conflict(settings.workerId() + " has no free slot"));
    }
    Job job = new Job(id, url);
    jobs.put(id, job);
    vertx.executeBlocking(() -> {
      job.checkout = checkout.prepare(url, order.ref(), order.commit(), id);
      return JobProcess.start(order.command(), job.checkout.worktree(), settings.useNix(), JOB_ENV,
          (stream, text) -> context.runOnContext(v -> forward(job, stream, text)));
    }, false).onComplete(started -> {
      if (started.failed()) {
        forward(job, JobProcess.Stream.STDERR,
            "[" + settings.workerId() + ": could not start: " + started.cause().getMessage() + "]\n");
        done(job, null, "could not start on " + settings.workerId() + ": " + started.cause().getMessage());
        return;
      }
      job.process = started.result();
      if (job.cancelled) {
        job.process.kill();
      }
      job.process.exit().whenComplete((code, error) -> context.runOnContext(v -> done(job, code, null)));
    });
    return Future.succeededFuture(new AgentReply.Accepted(true));
  }

  /** Output goes out in order: each piece is sent after the one before was taken. */
  private void forward(Job job, JobProcess.Stream stream, String text) {
    job.unsent.add(stream, text);
    if (!job.sending) {
      sendNext(job);
    }
  }

  private void sendNext(Job job) {
    UnsentOutput.Piece piece = job.unsent.poll();
    if (piece == null) {
      job.sending = false;
      // A fresh promise for the next burst: a completed one would tell a later waiter all was sent while it was not.
      Promise<Void> drained = job.drained;
      job.drained = Promise.promise();
      drained.complete();
      return;
    }
    job.sending = true;
    WorkerOutput output = new WorkerOutput(job.id, settings.workerId(), piece.text(), piece.stream().wire());
    request(Addresses.BuildPool.AgentAction.WORKER_OUTPUT, output).onComplete(sent -> sendNext(job));
  }

  /** Completes once every piece of output so far has been taken by the coordinator. */
  private Future<Void> allSent(Job job) {
    if (!job.sending && job.unsent.isEmpty()) {
      return Future.succeededFuture();
    }
    return job.drained.future();
  }

  private void done(Job job, Integer exitCode, String reason) {
    if (stopped) {
      jobs.remove(job.id);
      slots.release();
      return;
    }
    String why = job.cancelled ? "cancelled" : reason;
    WorkerDone end = new WorkerDone(job.id, settings.workerId(), exitCode,
        why == null || why.length() <= WorkerDone.MAX_REASON_CHARS ? why : why.substring(0, WorkerDone.MAX_REASON_CHARS));
    allSent(job).transform(v -> request(Addresses.BuildPool.AgentAction.WORKER_DONE, end)).onComplete(v -> {
      jobs.remove(job.id);
      if (job.checkout == null) {
        slots.release();
        return;
      }
      // The slot frees once the worktree is scrubbed, so a job never waits behind another job's leftovers.
      vertx.executeBlocking(() -> {
        checkout.release(job.url, job.id, job.checkout);
        return null;
      }, false).onComplete(released -> slots.release());
    });
  }

  private Future<AgentReply.Cancelled> cancel(JsonObject body) {
    Job job = jobs.get(JobCancel.fromJson(body).jobId());
    if (job != null) {
      job.cancelled = true;
      if (job.process != null) {
        job.process.kill();
      }
    }
    return Future.succeededFuture(new AgentReply.Cancelled(job != null));
  }

  private Future<Object> request(Addresses.BuildPool.AgentAction action, BusMessage message) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(SEND_TIMEOUT)
        .addHeader(Addresses.ACTION_HEADER, action.wireName());
    return vertx.eventBus().request(Addresses.BuildPool.AGENT, message.toJson(), options).map(m -> m.body())
        .recover(e -> Future.failedFuture(e instanceof ReplyException re ? new IllegalStateException(re.getMessage()) : e));
  }
}
