package dev.orch.launcher;

import dev.orch.cluster.ClusterSettings;
import dev.orch.cluster.AgentBus;
import dev.orch.cluster.ClusterSecret;
import dev.orch.cluster.JoinHint;
import dev.orch.config.ConfigException;
import dev.orch.config.OrchConfig;
import dev.orch.contract.BatchClient;
import dev.orch.contract.BuildPoolClient;
import dev.orch.contract.CommandTransport;
import dev.orch.contract.EventBusTransport;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.PrbotClient;
import dev.orch.contract.SchedulerClient;
import dev.orch.db.Database;
import dev.orch.metrics.VertxMetricsSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a CLI command reaches orch: over the API of the orch already running for the project, or, when none is, through
 * orch's verticles inside this process (answering only, or running agents for {@code orch start}). The CLI's main
 * thread waits on results here; it is never an event-loop thread.
 */
final class OrchSession implements AutoCloseable {
  private static final Duration WAIT = Duration.ofMinutes(10);
  private static final Duration BACKUP_EVERY = Duration.ofHours(6);
  private static final Logger LOG = LoggerFactory.getLogger(OrchSession.class);

  private Vertx vertx;
  private AgentBus agentBus;
  private final CommandTransport transport;
  private final Optional<OrchInstance.Running> remote;
  private int mcpPort;
  private String metricsRegistry;

  private OrchSession(Vertx vertx, CommandTransport transport, Optional<OrchInstance.Running> remote) {
    this.vertx = vertx;
    this.transport = transport;
    this.remote = remote;
  }

  /** The running orch when there is one, else orch's verticles in this process, answering only. */
  static OrchSession connect(OrchConfig config) {
    Optional<OrchInstance.Running> running = OrchInstance.find(config.general().stateDir());
    if (running.isPresent()) {
      // No Vert.x instance until something asks for one: a command's answer should not wait for an event loop.
      return new OrchSession(null, new HttpTransport(running.get()), running);
    }
    return inProcess(config, Wiring.Mode.ANSWER_ONLY, Map.of(), null);
  }

  /**
   * orch's verticles in this process, in the given mode, on a local bus. With {@code build_pool.enabled} the agent bus
   * joins the cluster, so build agents on other hosts reach the build pool's coordinator, and nothing else.
   */
  static OrchSession inProcess(OrchConfig config, Wiring.Mode mode, Map<String, String> agentEnv, Wiring.McpAccess mcp) {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8);
    ClusterSettings cluster = null;
    Optional<Path> secretFile = Optional.empty();
    if (mode.pool() && config.buildPool().enabled()) {
      cluster = config.buildPool().cluster().settings();
      List<String> problems = cluster.problems("build_pool.");
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      ClusterSecret.Resolved secret = resolveSecret(config);
      cluster = cluster.withSecret(secret.secret());
      secretFile = secret.file();
    }
    // A process that serves the API also serves its metrics; a one-off CLI command spends nothing on them.
    String metrics = mode.pool() ? VertxMetricsSetup.newRegistryName() : null;
    // orch's own owners never join the cluster: only the agent bus does (see AgentBus).
    Vertx vertx = Vertx.vertx(metrics == null ? options : VertxMetricsSetup.enable(options, metrics));
    OrchSession session = new OrchSession(vertx, new EventBusTransport(vertx), Optional.empty());
    session.metricsRegistry = metrics;
    try {
      if (cluster != null) {
        VertxOptions busOptions = new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4);
        session.agentBus = awaitStart(AgentBus.coordinator(vertx, cluster,
            metrics == null ? busOptions : VertxMetricsSetup.enable(busOptions, metrics)), cluster);
        LOG.info("build agents join with: {}", JoinHint.command(cluster, secretFile));
      }
      session.await(vertx.executeBlocking(() -> {
        StateFolders.secure(config.general());
        return null;
      }));
      session.mcpPort = session.await(Wiring.deploy(vertx, config, mode, agentEnv, mcp));
      if (mode.orchestrate()) {
        session.keepBackups(config.general().databasePath());
      }
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  private static ClusterSecret.Resolved resolveSecret(OrchConfig config) {
    try {
      return ClusterSecret.resolve(config.buildPool().cluster().secret(), config.general().stateDir());
    } catch (java.io.IOException e) {
      throw new ConfigException(List.of("build_pool.cluster_secret: cannot read or make "
          + config.general().stateDir().resolve(ClusterSecret.FILE_NAME) + ": " + e.getMessage()));
    }
  }

  private static <T> T awaitStart(Future<T> starting, ClusterSettings cluster) {
    try {
      return starting.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot join the build pool's cluster (" + cluster + "): "
          + e.getCause().getMessage() + "; is build_pool.cluster_port " + cluster.port() + " free?", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("joining the build pool's cluster took over 2 minutes (" + cluster + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * A copy of the store at start and every few hours after, so a store that is later emptied or damaged can be
   * restored instead of silently replaced (see {@link Database#refuseLostStore}).
   */
  private void keepBackups(Path databasePath) {
    await(Database.backup(vertx, databasePath));
    vertx.setPeriodic(BACKUP_EVERY.toMillis(), id -> Database.backup(vertx, databasePath)
        .onFailure(e -> LOG.warn("could not back up {}: {}", databasePath, e.getMessage())));
  }

  synchronized Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    }
    return vertx;
  }

  /** The name of the metrics registry of this process's Vert.x; null when it has none. */
  String metricsRegistry() {
    return metricsRegistry;
  }

  /** The port of orch's MCP endpoint in this process; 0 when there is none. */
  int mcpPort() {
    return mcpPort;
  }

  BuildPoolClient buildPool() {
    return new BuildPoolClient(transport);
  }

  BatchClient batches() {
    return new BatchClient(transport);
  }

  /** The running orch this session talks to, if it is remote. */
  Optional<OrchInstance.Running> remote() {
    return remote;
  }

  SchedulerClient scheduler() {
    return new SchedulerClient(transport);
  }

  ExecutorClient executor() {
    return new ExecutorClient(transport);
  }

  PrbotClient prbot() {
    return new PrbotClient(transport);
  }

  <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + WAIT.toMinutes() + " minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      Vertx started;
      AgentBus bus;
      synchronized (this) {
        started = vertx;
        bus = agentBus;
      }
      if (bus != null) {
        bus.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (started != null) {
        started.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // Closing is best effort: the process is about to exit anyway.
    }
  }
}
