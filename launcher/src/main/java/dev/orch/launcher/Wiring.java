package dev.orch.launcher;

import dev.orch.batch.BatchVerticle;
import dev.orch.buildpool.BuildPoolVerticle;
import dev.orch.config.OrchConfig;
import dev.orch.executor.ExecutorVerticle;
import dev.orch.mcp.McpHttpVerticle;
import dev.orch.notifier.NotifierVerticle;
import dev.orch.observer.ObserverVerticle;
import dev.orch.parser.ParserVerticle;
import dev.orch.prbot.PrbotVerticle;
import dev.orch.scheduler.SchedulerVerticle;
import dev.orch.shell.ShellVerticle;
import dev.orch.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which verticles make up orch, in which order, and the slice of config each one gets. */
final class Wiring {
  private Wiring() {
  }

  /**
   * How an orch process takes part: answering only (a CLI command), running agents, or running only the build pool's
   * coordinator ({@code pool}: the job queue, the git daemon, the MCP endpoint; it is on whenever agents run).
   */
  record Mode(boolean orchestrate, boolean auto, boolean watch, boolean pool) {
    static final Mode ANSWER_ONLY = new Mode(false, false, false, false);
    /** {@code orch run}: start every ready task, re-sync when the plans change. */
    static final Mode RUN = new Mode(true, true, true, true);
    /** {@code orch run --scheduled}: like run, but tasks start only when a batch (or a person) asks. */
    static final Mode SCHEDULED = new Mode(true, false, true, true);
    /** {@code orch start} in the foreground: only the tasks asked for. */
    static final Mode FOREGROUND = new Mode(true, false, false, true);
    /** {@code orch build-pool start}: the coordinator and the MCP endpoint; everything else only answers. */
    static final Mode POOL_ONLY = new Mode(false, false, false, true);
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
      McpHttpVerticle verticle = new McpHttpVerticle();
      var settings = new McpHttpVerticle.Settings("127.0.0.1", port, mcp.token(), roots, bp.preset(), bp.commands());
      return deploy(vertx, verticle, settings.toJson()).map(id -> verticle.actualPort());
    };
    // The port from last time, so agents that outlived a restart still reach it; else any free one.
    return mcp.port() > 0 && bp.mcpPort() == 0 ? listen.apply(mcp.port()).recover(e -> listen.apply(0))
        : listen.apply(bp.mcpPort());
  }

  private static Future<Void> deployRest(Vertx vertx, OrchConfig config, Mode mode, Map<String, String> agentEnv,
      JsonObject mcpServers, String mcpSecret) {
    var g = config.general();
    var parser = new ParserVerticle.Settings(g.projectRoot().toString(), g.plansDir().toString(), mode.watch(),
        g.worktreeDir().toString());
    Map<String, Map<String, List<String>>> rules = new LinkedHashMap<>();
    config.review().categories().forEach((name, category) ->
        rules.put(name, Map.of("paths", category.paths(), "patterns", category.patterns())));
    var checks = config.checks();
    var prbot = new PrbotVerticle.Settings(g.projectRoot().toString(), g.worktreeDir().toString(), g.logDir().toString(),
        g.databasePath().toString(), g.mainBranch(), config.forge().mergeMethod(), config.forge().updateMethod(),
        checks.commands(), checks.timeout().toMillis(), checks.maxFixRounds(), checks.outputBudgetChars(),
        config.review().maxChangedLines(), rules, mode.orchestrate(), config.forge().kind(),
        new PrbotVerticle.Settings.GitHub(config.github().owner(), config.github().repo(), config.github().apiUrl(),
            config.github().token(), config.github().remote(), config.github().pollInterval().toMillis()),
        config.childEnvironment(), g.plansDir().toString());
    var c = config.claude();
    var executor = new ExecutorVerticle.Settings(g.projectRoot().toString(), g.worktreeDir().toString(), g.logDir().toString(),
        g.stateDir().toString(), g.databasePath().toString(), g.mainBranch(), g.branchPrefix(), config.executor().copyFiles(),
        config.executor().setupCommand(), config.prompts().overrideDir().toString(), c.command(), c.args(), c.model(),
        c.maxTurns(), c.permissionMode(), c.allowedTools(),
        config.executor().buildTools() && mcpServers != null ? mcpServers : new JsonObject(), mcpSecret, agentEnv,
        mode.orchestrate(), config.childEnvironment(), g.plansDir().toString());
    var o = config.observer();
    var observer = new ObserverVerticle.Settings(o.idleTimeout().toMillis(), o.runTimeout().toMillis(),
        o.maxCostUsdPerTask(), o.maxCostUsdPerDay());
    var s = config.scheduler();
    var scheduler = new SchedulerVerticle.Settings(g.databasePath().toString(), g.maxParallelAgents(), s.maxRetries(),
        s.retryBaseDelay().toMillis(), s.retryMaxDelay().toMillis(), mode.orchestrate(), mode.auto());
    var bp = config.buildPool();
    var cluster = bp.cluster();
    var buildPool = new BuildPoolVerticle.Settings(g.projectRoot().toString(), g.databasePath().toString(),
        g.logDir().resolve("build-jobs").toString(), bp.localFallback().enabled(), bp.localFallback().maxJobs(),
        bp.localFallback().worktreeDir().toString(), bp.timeouts().jobDefaultSecs(), bp.timeouts().heartbeatIntervalSecs(),
        bp.timeouts().heartbeatTimeoutSecs(), bp.keepJobs(), bp.enabled(), bp.gitDaemonListenAddr(), bp.gitDaemonPort(),
        cluster.advertiseHost().isBlank() ? cluster.host() : cluster.advertiseHost(), mode.pool(), config.childEnvironment(),
        bp.timeouts().jobMaxSecs(), (long) bp.maxJobOutputMib() << 20, (long) bp.keepJobsMib() << 20);
    Future<String> chain = deploy(vertx, new ParserVerticle(), parser.toJson())
        .compose(id -> deploy(vertx, new BuildPoolVerticle(), buildPool.toJson()))
        .compose(id -> deploy(vertx, new PrbotVerticle(), prbot.toJson()))
        .compose(id -> deploy(vertx, new ExecutorVerticle(), executor.toJson()));
    if (mode.orchestrate()) {
      var n = config.notifications();
      var notifier = new NotifierVerticle.Settings(n.desktop(), n.desktopCommand(), n.desktopEvents(), n.slackWebhook(),
          n.slackEvents(), 0, 0);
      chain = chain.compose(id -> deploy(vertx, new ObserverVerticle(), observer.toJson()))
          .compose(id -> deploy(vertx, new NotifierVerticle(), notifier.toJson()));
    }
    var batch = new BatchVerticle.Settings(config.batch().scheduleFile().toString(), g.databasePath().toString(),
        config.batch().stopAtDeadline(), mode.orchestrate());
    return chain.compose(id -> deploy(vertx, new SchedulerVerticle(), scheduler.toJson()))
        .compose(id -> deploy(vertx, new BatchVerticle(), batch.toJson())).mapEmpty();
  }

  /** The HTTP API; returns the port it listens on. */
  static Future<Integer> deployWeb(Vertx vertx, OrchConfig config, String token) {
    WebVerticle web = new WebVerticle();
    var settings = new WebVerticle.Settings(config.web().host(), config.web().port(), token, config.web().token(),
        config.web().requireToken(), config.web().allowedHosts());
    return deploy(vertx, web, settings.toJson()).map(id -> web.actualPort());
  }

  /** The shell's term servers (telnet on loopback, SSH when enabled). */
  static Future<ShellVerticle> deployShell(Vertx vertx, OrchConfig config) {
    var sh = config.shell();
    ShellVerticle shell = new ShellVerticle();
    String hostKey = sh.hostKey().isBlank() ? config.general().stateDir().resolve("ssh-host-key.p12").toString() : sh.hostKey();
    var settings = new ShellVerticle.Settings(sh.telnetEnabled(), sh.telnetPort(), sh.sshEnabled(), sh.sshHost(), sh.sshPort(),
        sh.sshUser(), sh.sshPassword(), sh.sshAuthorizedKeys().toString(), hostKey,
        config.buildPool().localFallback().enabled(), config.web().requireToken());
    return deploy(vertx, shell, settings.toJson()).map(id -> shell);
  }

  private static Future<String> deploy(Vertx vertx, Deployable verticle, JsonObject config) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config));
  }
}
