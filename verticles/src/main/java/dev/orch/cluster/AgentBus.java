package dev.orch.cluster;

import dev.orch.contract.Addresses;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import dev.orch.contract.buildagent.AgentRegister;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only tie between a node's own (unclustered) Vert.x and the cluster. orch's owners never join the cluster, so no
 * member can reach the scheduler, the executor, prbot or any other owner. On the coordinator the cluster sees one
 * address, {@link Addresses.BuildPool#AGENT}, which takes only sealed agent actions ({@link AgentSeal}) of a valid
 * shape ({@link MessageGuard}) and passes them to the build pool on the local bus; the pool's commands to an agent go
 * out sealed to that agent's address. On a build agent the same happens the other way round. Unsealed, stale or
 * replayed messages are refused with {@link ErrorCode#FORBIDDEN}.
 */
public final class AgentBus {
  private static final Logger LOG = LoggerFactory.getLogger(AgentBus.class);
  /** Below the local senders' 10 s, so they hear why a send failed rather than time out themselves. */
  private static final long SEND_TIMEOUT_MILLIS = 9_000;
  static final String REPLY = "reply";

  private final Vertx local;
  private final Vertx cluster;
  private final AgentSeal seal;
  private final Map<String, MessageConsumer<Object>> bridges = new ConcurrentHashMap<>();

  private AgentBus(Vertx local, Vertx cluster, AgentSeal seal) {
    this.local = local;
    this.cluster = cluster;
    this.seal = seal;
  }

  /** orch's side: joins (or starts) the cluster and serves the agent address on it. */
  public static Future<AgentBus> coordinator(Vertx local, ClusterSettings settings, VertxOptions options) {
    AgentSeal seal = AgentSeal.of(settings.secret(), Clock.systemUTC());
    return ClusteredVertx.start(settings, options).compose(cluster -> {
      AgentBus bus = new AgentBus(local, cluster, seal);
      MessageConsumer<Object> agents = cluster.eventBus().consumer(Addresses.BuildPool.AGENT,
          m -> bus.inbound(m, bus::fromAgent));
      return agents.completion().map(bus).recover(e -> cluster.close().transform(v -> Future.failedFuture(e)));
    });
  }

  /**
   * A build agent's side: joins the cluster, takes sealed commands for {@code workerId} from it, and seals what the
   * agent's worker sends to {@link Addresses.BuildPool#AGENT} on the local bus.
   */
  public static Future<AgentBus> agent(Vertx local, ClusterSettings settings, VertxOptions options, String workerId) {
    AgentSeal seal = AgentSeal.of(settings.secret(), Clock.systemUTC());
    return ClusteredVertx.start(settings, options).compose(cluster -> {
      AgentBus bus = new AgentBus(local, cluster, seal);
      MessageConsumer<Object> commands = cluster.eventBus().consumer(Addresses.BuildWorker.cmd(workerId),
          m -> bus.inbound(m, bus::fromCoordinator));
      MessageConsumer<Object> out = local.eventBus().localConsumer(Addresses.BuildPool.AGENT, bus::outbound);
      return Future.all(commands.completion(), out.completion()).map(bus)
          .recover(e -> cluster.close().transform(v -> Future.failedFuture(e)));
    });
  }

  /** The clustered node (for tests and for reporting where it listens). */
  public Vertx cluster() {
    return cluster;
  }

  public Future<Void> close() {
    bridges.values().forEach(MessageConsumer::unregister);
    return cluster.close();
  }

  private String fromAgent(AgentSeal.Opened opened) {
    var action = MessageGuard.agentAction(opened.action());
    MessageGuard.checkAgent(action, opened.body());
    return action.wireName();
  }

  private String fromCoordinator(AgentSeal.Opened opened) {
    var action = MessageGuard.workerAction(opened.action());
    MessageGuard.checkWorker(action, opened.body());
    return action.wireName();
  }

  /** A sealed message from the cluster: opened, checked, and passed to the same address on the local bus. */
  private void inbound(Message<Object> message, java.util.function.Function<AgentSeal.Opened, String> check) {
    AgentSeal.Opened opened;
    String action;
    try {
      opened = seal.open(message.body());
      action = check.apply(opened);
    } catch (OrchException e) {
      LOG.warn("refused a message to {} from the cluster: {}", message.address(), e.getMessage());
      message.fail(e.code().code(), e.getMessage());
      return;
    }
    Future<Void> ready = message.address().equals(Addresses.BuildPool.AGENT)
        && Addresses.BuildPool.AgentAction.REGISTER.wireName().equals(action)
        ? bridge(AgentRegister.fromJson(opened.body()).workerId()) : Future.succeededFuture();
    DeliveryOptions options = new DeliveryOptions().addHeader(Addresses.ACTION_HEADER, action)
        .setSendTimeout(SEND_TIMEOUT_MILLIS);
    ready.compose(v -> local.eventBus().request(message.address(), opened.body(), options)).onComplete(reply -> {
      if (reply.succeeded()) {
        message.reply(seal.seal(REPLY, asObject(reply.result().body())));
      } else {
        ErrorCode code = ErrorCode.of(reply.cause());
        message.fail(code.code(), String.valueOf(reply.cause().getMessage()));
      }
    });
  }

  /** The coordinator's commands to one agent leave the local bus here, sealed. */
  private Future<Void> bridge(String workerId) {
    MessageConsumer<Object> existing = bridges.get(workerId);
    if (existing != null) {
      return Future.succeededFuture();
    }
    MessageConsumer<Object> consumer = local.eventBus().localConsumer(Addresses.BuildWorker.cmd(workerId), this::outbound);
    MessageConsumer<Object> raced = bridges.putIfAbsent(workerId, consumer);
    if (raced != null) {
      consumer.unregister();
      return Future.succeededFuture();
    }
    return consumer.completion();
  }

  /** A local message for the other side: sealed, sent on the cluster, and its sealed reply opened. */
  private void outbound(Message<Object> message) {
    String action = message.headers().get(Addresses.ACTION_HEADER);
    JsonObject sealed = seal.seal(action == null ? "" : action, asObject(message.body()));
    cluster.eventBus().request(message.address(), sealed, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS))
        .onComplete(reply -> {
          if (reply.failed()) {
            fail(message, reply.cause());
            return;
          }
          try {
            AgentSeal.Opened opened = seal.open(reply.result().body());
            if (!REPLY.equals(opened.action())) {
              throw OrchException.forbidden("a sealed reply that is not a reply");
            }
            message.reply(opened.body());
          } catch (OrchException e) {
            LOG.warn("refused the reply from {}: {}", message.address(), e.getMessage());
            message.fail(e.code().code(), e.getMessage());
          }
        });
  }

  /** Keeps the kind of failure: the build pool tells an agent that left the cluster (no handlers) from a slow one. */
  private static void fail(Message<Object> message, Throwable cause) {
    if (cause instanceof ReplyException re && re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      message.reply(new ReplyException(re.failureType(), re.getMessage()));
    } else if (cause instanceof ReplyException re) {
      message.fail(re.failureCode(), re.getMessage());
    } else {
      message.fail(ErrorCode.TERMINAL.code(), String.valueOf(cause.getMessage()));
    }
  }

  private static JsonObject asObject(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    return body == null ? new JsonObject() : new JsonObject().put("value", body);
  }
}
