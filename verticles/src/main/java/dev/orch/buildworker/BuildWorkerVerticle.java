package dev.orch.buildworker;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.BuildWorker.Action;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.buildagent.AgentHeartbeat;
import dev.orch.contract.buildagent.AgentLeave;
import dev.orch.contract.buildagent.AgentPing;
import dev.orch.contract.buildagent.AgentRegister;
import dev.orch.contract.buildagent.AgentReply;
import dev.orch.contract.buildagent.AgentWelcome;
import dev.orch.contract.buildagent.JobCancel;
import dev.orch.contract.buildagent.JobRun;
import dev.orch.flow.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
  private final BuildWorkerSettings settings;
  private WorkerJobs jobs;
  private boolean registered;
  private boolean registering;
  private long timer = -1;
  private boolean stopped;
  private Runnable slotsChanged;

  public BuildWorkerVerticle(BuildWorkerSettings settings, SlotPool slots) {
    this(settings, slots, NOBODY);
  }

  public BuildWorkerVerticle(BuildWorkerSettings settings, SlotPool slots, Listener listener) {
    this.settings = settings;
    this.slots = slots;
    this.listener = listener;
  }

  @Override
  public Future<?> start() {
    Context context = vertx.getOrCreateContext();
    WorkerCheckout checkout = new WorkerCheckout(Path.of(settings.gitCacheDir()), Path.of(settings.worktreeDir()),
        slots.size());
    jobs = new WorkerJobs(vertx, context, settings, slots, checkout, this::request);
    slotsChanged = () -> context.runOnContext(v -> heartbeat());
    slots.onChange(slotsChanged);
    return vertx.executeBlocking(() -> {
      checkout.removeLeftovers();
      return null;
    }, false).compose(v -> CommandEndpoint.on(Addresses.BuildWorker.cmd(settings.workerId()), Action.class)
        .handle(Action.RUN, body -> jobs.run(JobRun.fromJson(body)))
        .handle(Action.CANCEL, body -> jobs.cancel(JobCancel.fromJson(body)))
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
    if (jobs != null) {
      jobs.stopAll();
    }
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
    return jobs.running();
  }

  private Future<Object> request(Addresses.BuildPool.AgentAction action, BusMessage message) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(SEND_TIMEOUT)
        .addHeader(Addresses.ACTION_HEADER, action.wireName());
    return vertx.eventBus().request(Addresses.BuildPool.AGENT, message.toJson(), options).map(m -> m.body())
        .recover(e -> Future.failedFuture(e instanceof ReplyException re ? new IllegalStateException(re.getMessage()) : e));
  }
}
