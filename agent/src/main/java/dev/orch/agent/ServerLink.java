package dev.orch.agent;

import dev.orch.buildworker.BuildWorkerSettings;
import dev.orch.buildworker.BuildWorkerVerticle;
import dev.orch.buildworker.SlotPool;
import dev.orch.cluster.AgentBus;
import dev.orch.cluster.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's tie to one orchestrator: a node of that orchestrator's cluster with a build worker on it, sharing the
 * agent's slots with its other links. When the coordinator stops answering (it restarted, or its host went away) the
 * node leaves and joins again, waiting 1 s, 2 s, 4 s ... up to 60 s between tries, so a coordinator that comes back
 * finds its agents again. One link going away leaves the others alone.
 */
final class ServerLink {
  private static final Logger LOG = LoggerFactory.getLogger(ServerLink.class);
  private static final long MIN_BACKOFF = 1_000;
  private static final long MAX_BACKOFF = 60_000;
  /** Registrations that may fail in a row (about 7 s with the worker's own back-off) before the node rejoins. */
  private static final int UNANSWERED_BEFORE_REJOIN = 3;

  private final AgentConfig config;
  private final AgentConfig.Server server;
  private final SlotPool slots;
  private final ScheduledExecutorService timer;
  private long backoff = MIN_BACKOFF;
  /** The worker's own bus, and the agent bus that ties it to the cluster. */
  private Vertx node;
  private AgentBus bus;
  private boolean stopping;
  private boolean restarting;

  ServerLink(AgentConfig config, AgentConfig.Server server, SlotPool slots) {
    this.config = config;
    this.server = server;
    this.slots = slots;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "build-agent-link-" + server.name());
      thread.setDaemon(true);
      return thread;
    });
  }

  void start() {
    timer.execute(this::join);
  }

  private void join() {
    if (stopping) {
      return;
    }
    ClusterSettings cluster = new ClusterSettings(config.host(), config.clusterPort(), true, server.clusterName(),
        server.secret(), server.join(), 0, config.advertiseHost(), config.tls().keyStore(), config.tls().keyStorePassword(),
        config.tls().trustStore(), config.tls().trustStorePassword());
    LOG.info("{}: joining the cluster at {}", server.name(), server.join());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
    Future<AgentBus> joined = AgentBus.agent(vertx, cluster, new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4),
        config.workerId());
    joined.recover(e -> vertx.close().transform(v -> Future.failedFuture(e))).compose(agentBus -> {
      synchronized (this) {
        node = vertx;
        bus = agentBus;
        restarting = false;
      }
      // Per agent id: two agents on one host must not clean up each other's checkouts.
      var settings = new BuildWorkerSettings(config.workerId(), hostName(),
          config.gitCacheDir().resolve(config.workerId()).toString(),
          config.worktreeDir().resolve(config.workerId()).resolve(safe(server.name())).toString(), config.useNix(),
          server.name());
      return vertx.deployVerticle(new BuildWorkerVerticle(settings, slots, listener()));
    }).onFailure(e -> {
      LOG.warn("{}: cannot join ({}); trying again in {} s", server.name(), e.getMessage(), backoff / 1000);
      rejoinLater();
    });
  }

  private BuildWorkerVerticle.Listener listener() {
    return new BuildWorkerVerticle.Listener() {
      @Override
      public void joined() {
        backoff = MIN_BACKOFF;
      }

      @Override
      public void unanswered(int attempts) {
        if (attempts >= UNANSWERED_BEFORE_REJOIN) {
          LOG.info("{}: the coordinator is not answering; leaving the cluster to join again", server.name());
          rejoinLater();
        }
      }
    };
  }

  private void rejoinLater() {
    Vertx old;
    AgentBus oldBus;
    synchronized (this) {
      if (stopping || restarting) {
        return;
      }
      restarting = true;
      old = node;
      oldBus = bus;
      node = null;
      bus = null;
    }
    long wait = backoff;
    backoff = Math.min(MAX_BACKOFF, backoff * 2);
    Future<Void> closed = close(old, oldBus);
    closed.onComplete(done -> timer.schedule(() -> {
      synchronized (this) {
        restarting = false;
      }
      join();
    }, wait, TimeUnit.MILLISECONDS));
  }

  /** Leaves the cluster; the coordinator puts this agent's jobs back in its queue. */
  void stop() {
    Vertx current;
    AgentBus currentBus;
    synchronized (this) {
      stopping = true;
      current = node;
      currentBus = bus;
      node = null;
      bus = null;
    }
    try {
      close(current, currentBus).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("{}: closing took too long", server.name(), e);
    }
    timer.shutdownNow();
  }

  /** The worker first (it tells the coordinator it leaves, over the agent bus), then the agent bus. */
  private static Future<Void> close(Vertx node, AgentBus bus) {
    Future<Void> worker = node == null ? Future.succeededFuture() : node.close();
    return worker.transform(v -> bus == null ? Future.<Void>succeededFuture() : bus.close());
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }
}
