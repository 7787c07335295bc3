package dev.orch.launcher;

import dev.orch.batch.BatchSettings;
import dev.orch.batch.BatchVerticle;
import dev.orch.buildpool.BuildPoolSettings;
import dev.orch.buildpool.BuildPoolVerticle;
import dev.orch.config.OrchConfig;
import dev.orch.executor.ExecutorSettings;
import dev.orch.executor.ExecutorVerticle;
import dev.orch.mcp.McpHttpVerticle;
import dev.orch.metrics.MetricsVerticle;
import dev.orch.notifier.NotifierVerticle;
import dev.orch.observer.ObserverVerticle;
import dev.orch.parser.ParserVerticle;
import dev.orch.prbot.PrbotVerticle;
import dev.orch.scheduler.SchedulerSettings;
import dev.orch.scheduler.SchedulerVerticle;
import dev.orch.shell.ShellVerticle;
import dev.orch.web.WebVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Which verticles make up orch, in which order, and the slice of config each one gets: each verticle's
 * {@code Settings.from} picks its sections of {@link OrchConfig}, and the verticle receives them in its constructor.
 */
final class Wiring {
  private Wiring() {
  }

  /**
   * How an orch process takes part: answering only (a CLI command), running agents, or running only the build pool's
   * coordinator ({@code pool}: the job queue, the git daemon, the MCP endpoint; it is on whenever agents run).
   * {@code auto} starts every ready task as soon as it is ready; {@code batches} says which batches it runs: none,
   * only those a person runs now, or the scheduled ones too.
   */
  record Mode(boolean orchestrate, boolean auto, boolean watch, boolean pool, BatchSettings.Runs batches) {
    static final Mode ANSWER_ONLY = new Mode(false, false, false, false, BatchSettings.Runs.NEVER);
    /** {@code orch run}: start every ready task, re-sync when the plans change. */
    static final Mode RUN = new Mode(true, true, true, true, BatchSettings.Runs.ON_SCHEDULE);
    /** {@code orch run --scheduled}: like run, but tasks start only when a batch (or a person) asks. */
    static final Mode SCHEDULED = new Mode(true, false, true, true, BatchSettings.Runs.ON_SCHEDULE);
    /** {@code orch serve}: the dashboard, the API and everything a start needs, but only a person starts anything. */
    static final Mode SERVE = new Mode(true, false, true, true, BatchSettings.Runs.WHEN_ASKED);
    /**
     * {@code orch start} in the foreground: only the tasks asked for. No batch at all, not even one a person asks for
     * meanwhile: this process exits when its own tasks end, which would cut such a batch short; and a batch left
     * running by an earlier orch run must not go on starting tasks here.
     */
    static final Mode FOREGROUND = new Mode(true, false, false, true, BatchSettings.Runs.NEVER);
    /** {@code orch build-pool start}: the coordinator and the MCP endpoint; everything else only answers. */
    static final Mode POOL_ONLY = new Mode(false, false, false, true, BatchSettings.Runs.NEVER);
  }

  /** Where orch's MCP endpoint for its agents listens (0: any free port) and the token it wants. */
  record McpAccess(int port, String token) {
  }

  /**
   * Deploys every verticle that owns state. Order matters after a restart: prbot and the executor settle what happened
   * while orch was down before the scheduler reconciles its tasks with them.
   */
  /** Deploys them all; the answer is the port of the MCP endpoint (0 when this mode has none). */
  static Future<Integer> deploy(Vertx vertx, OrchConfig config, Mode mode, Map<String, String> agentEnv, McpAccess mcp) {
    Future<Integer> mcpPort = mode.pool() && mcp != null ? deployMcp(vertx, config, mcp) : Future.succeededFuture(0);
    return mcpPort.compose(port -> deployRest(vertx, config, mode, agentEnv, port > 0 ? mcpServers(port) : null,
        mcp == null ? "" : mcp.token()).map(port));
  }

  /**
   * The MCP config each agent run gets: orch's endpoint, the run's own token (never orch's MCP secret), and which
   * worktree and task the calls are for, which that token is bound to.
   */
  static JsonObject mcpServers(int port) {
    return new JsonObject().put(MCP_SERVER_NAME, new JsonObject().put("type", "http")
        .put("url", "http://127.0.0.1:" + port + McpHttpVerticle.PATH)
        .put("headers", new JsonObject().put("Authorization", "Bearer ${mcp_token}")
            .put(McpHttpVerticle.WORKTREE_HEADER, "${worktree}").put(McpHttpVerticle.TASK_HEADER, "${task_id}")));
  }

  /** Tools reach the agent as {@code mcp__orch__<tool>}. */
  static final String MCP_SERVER_NAME = "orch";

  private static Future<Integer> deployMcp(Vertx vertx, OrchConfig config, McpAccess mcp) {
    var g = config.general();
    var bp = config.buildPool();
    List<String> roots = List.of(g.projectRoot().toString(), g.worktreeDir().toString(),
        bp.localFallback().worktreeDir().toString());
    java.util.function.IntFunction<Future<Integer>> listen = port -> {
      McpHttpVerticle verticle = new McpHttpVerticle(
          new McpHttpVerticle.Settings("127.0.0.1", port, mcp.token(), roots, bp.preset(), bp.commands()));
      return vertx.deployVerticle(verticle).map(id -> verticle.actualPort());
    };
    // The port from last time, so agents that outlived a restart still reach it; else any free one.
    return mcp.port() > 0 && bp.mcpPort() == 0 ? listen.apply(mcp.port()).recover(e -> listen.apply(0))
        : listen.apply(bp.mcpPort());
  }

  private static Future<Void> deployRest(Vertx vertx, OrchConfig config, Mode mode, Map<String, String> agentEnv,
      JsonObject mcpServers, String mcpSecret) {
    Future<String> chain = vertx.deployVerticle(new ParserVerticle(ParserVerticle.Settings.from(config, mode.watch())))
        .compose(id -> vertx.deployVerticle(new BuildPoolVerticle(BuildPoolSettings.from(config,
            mode.pool()))))
        .compose(id -> vertx.deployVerticle(new PrbotVerticle(PrbotVerticle.Settings.from(config, mode.orchestrate()))))
        .compose(id -> vertx.deployVerticle(new ExecutorVerticle(
            ExecutorSettings.from(config, mcpServers, mcpSecret, agentEnv, mode.orchestrate()))));
    if (mode.orchestrate()) {
      chain = chain.compose(id -> vertx.deployVerticle(new ObserverVerticle(config.observer())))
          .compose(id -> vertx.deployVerticle(new NotifierVerticle(
              NotifierVerticle.Settings.from(config.notifications()))));
    }
    return chain.compose(id -> vertx.deployVerticle(new SchedulerVerticle(
            SchedulerSettings.from(config, mode.orchestrate(), mode.auto()))))
        .compose(id -> vertx.deployVerticle(new BatchVerticle(BatchSettings.from(config, mode.batches()))))
        .mapEmpty();
  }

  /** How often the meters that count stored things are read again from their owners. */
  static final java.time.Duration METRICS_REFRESH = java.time.Duration.ofSeconds(15);

  /**
   * The HTTP API, and with a {@code metricsRegistry} orch's meters and their {@code /metrics} page; returns the port it
   * listens on.
   */
  static Future<Integer> deployWeb(Vertx vertx, OrchConfig config, String token, String metricsRegistry) {
    WebVerticle web = new WebVerticle(WebVerticle.Settings.from(config.web(), token), metricsRegistry);
    Future<String> meters = metricsRegistry == null ? Future.succeededFuture()
        : vertx.deployVerticle(new MetricsVerticle(new MetricsVerticle.Settings(metricsRegistry, METRICS_REFRESH)));
    return meters.compose(id -> vertx.deployVerticle(web)).map(id -> web.actualPort());
  }

  /** The shell's term servers (telnet on loopback, SSH when enabled). */
  static Future<ShellVerticle> deployShell(Vertx vertx, OrchConfig config) {
    ShellVerticle shell = new ShellVerticle(ShellVerticle.Settings.from(config));
    return vertx.deployVerticle(shell).map(id -> shell);
  }
}
