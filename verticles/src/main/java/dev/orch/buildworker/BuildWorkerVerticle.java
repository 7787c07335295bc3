package dev.orch.buildworker;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildWorker.Action;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.OrchException;
import dev.orch.contract.WireJson;
import dev.orch.process.ChildEnvironment;
import dev.orch.process.JobProcess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
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
  private static final long MIN_BACKOFF = 1_000;
  private static final long MAX_BACKOFF = 60_000;
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
  private long backoff = MIN_BACKOFF;
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
        .handle(Action.PING, body -> Future.succeededFuture(new JsonObject().put("worker_id", settings.workerId())))
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
    return request(Addresses.BuildPool.AgentAction.LEAVE, new JsonObject().put("worker_id", settings.workerId()))
        .otherwiseEmpty();
  }

  // ---- staying connected

  private void register() {
    if (stopped || registering) {
      return;
    }
    registering = true;
    JsonObject body = new JsonObject().put("worker_id", settings.workerId()).put("host", settings.host())
        .put("slots", slots.size()).put("free_slots", slots.free()).put("running_jobs", runningJobs());
    request(Addresses.BuildPool.AgentAction.REGISTER, body).onComplete(done -> {
      registering = false;
      if (stopped) {
        return;
      }
      if (done.succeeded()) {
        JsonObject reply = (JsonObject) done.result();
        long heartbeatMillis = reply.getInteger("heartbeat_interval_secs", 30) * 1000L;
        LOG.info("joined {} as {} with {} slots", settings.serverName(), settings.workerId(), slots.size());
        registered = true;
        backoff = MIN_BACKOFF;
        failedRegistrations = 0;
        timer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
        listener.joined();
      } else {
        LOG.info("{} is not answering ({}); trying again in {} s", settings.serverName(), done.cause().getMessage(),
            backoff / 1000);
        timer = vertx.setTimer(backoff, id -> register());
        backoff = Math.min(MAX_BACKOFF, backoff * 2);
        listener.unanswered(++failedRegistrations);
      }
    });
  }

  /** Says it is alive and how many slots are free; sent on a timer and whenever the shared slots change. */
  private void heartbeat() {
    if (stopped || !registered) {
      return;
    }
    JsonObject body = new JsonObject().put("worker_id", settings.workerId()).put("free_slots", slots.free())
        .put("running_jobs", runningJobs());
    request(Addresses.BuildPool.AgentAction.HEARTBEAT, body).onFailure(e -> {
      if (registered && !stopped) {
        LOG.info("heartbeat to {} failed ({}); registering again", settings.serverName(), e.getMessage());
        registered = false;
        vertx.cancelTimer(timer);
        register();
      }
    });
  }

  private JsonArray runningJobs() {
    JsonArray out = new JsonArray();
    jobs.keySet().forEach(out::add);
    return out;
  }

  // ---- jobs

  private Future<JsonObject> run(JsonObject body) {
    if (!(body.getValue("job_id") instanceof Number number)) {
      return Future.failedFuture(OrchException.badRequest("field 'job_id' must be a job number"));
    }
    long id = number.longValue();
    String url = body.getString("git_url");
    String commit = body.getString("commit");
    String command = body.getString("command");
    if (url == null || commit == null || command == null) {
      return Future.failedFuture(OrchException.badRequest("fields 'git_url', 'commit' and 'command' are required"));
    }
    if (jobs.containsKey(id)) {
      return Future.succeededFuture(new JsonObject().put("accepted", true));
    }
    if (!slots.tryAcquire()) {
      return Future.failedFuture(OrchException.conflict(settings.workerId() + " has no free slot"));
    }
    Job job = new Job(id, url);
    jobs.put(id, job);
    vertx.executeBlocking(() -> {
      job.checkout = checkout.prepare(url, body.getString("ref"), commit, id);
      return JobProcess.start(command, job.checkout.worktree(), settings.useNix(), JOB_ENV,
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
    return Future.succeededFuture(new JsonObject().put("accepted", true));
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
    JsonObject body = new JsonObject().put("job_id", job.id).put("worker_id", settings.workerId())
        .put("text", piece.text()).put("stream", piece.stream().wire());
    request(Addresses.BuildPool.AgentAction.WORKER_OUTPUT, body).onComplete(sent -> sendNext(job));
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
    allSent(job).transform(v -> {
      JsonObject body = new JsonObject().put("job_id", job.id).put("worker_id", settings.workerId())
          .put("exit_code", exitCode).put("reason", job.cancelled ? "cancelled" : reason);
      return request(Addresses.BuildPool.AgentAction.WORKER_DONE, body);
    }).onComplete(v -> {
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

  private Future<JsonObject> cancel(JsonObject body) {
    long id = body.getValue("job_id") instanceof Number n ? n.longValue() : -1;
    Job job = jobs.get(id);
    if (job != null) {
      job.cancelled = true;
      if (job.process != null) {
        job.process.kill();
      }
    }
    return Future.succeededFuture(new JsonObject().put("cancelled", job != null));
  }

  private Future<Object> request(Addresses.BuildPool.AgentAction action, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(SEND_TIMEOUT)
        .addHeader(Addresses.ACTION_HEADER, action.wireName());
    return vertx.eventBus().request(Addresses.BuildPool.AGENT, body, options).map(m -> m.body())
        .recover(e -> Future.failedFuture(e instanceof ReplyException re ? new IllegalStateException(re.getMessage()) : e));
  }
}
