package dev.orch.launcher;

import dev.orch.buildpool.BuildPoolVerticle;
import dev.orch.config.OrchConfig;
import dev.orch.executor.ExecutorVerticle;
import dev.orch.observer.ObserverVerticle;
import dev.orch.parser.ParserVerticle;
import dev.orch.prbot.PrbotVerticle;
import dev.orch.scheduler.SchedulerVerticle;
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

  /** How an orch process takes part: answering only (a CLI command), or running agents. */
  record Mode(boolean orchestrate, boolean auto, boolean watch) {
    static final Mode ANSWER_ONLY = new Mode(false, false, false);
    /** {@code orch run}: start every ready task, re-sync when the plans change. */
    static final Mode RUN = new Mode(true, true, true);
    /** {@code orch start} in the foreground: only the tasks asked for. */
    static final Mode FOREGROUND = new Mode(true, false, false);
  }

  /**
   * Deploys every verticle that owns state. Order matters after a restart: prbot and the executor settle what happened
   * while orch was down before the scheduler reconciles its tasks with them.
   */
  static Future<Void> deploy(Vertx vertx, OrchConfig config, Mode mode, Map<String, String> agentEnv) {
    var g = config.general();
    var parser = new ParserVerticle.Settings(g.projectRoot().toString(), g.plansDir().toString(), mode.watch());
    Map<String, Map<String, List<String>>> rules = new LinkedHashMap<>();
    config.review().categories().forEach((name, category) ->
        rules.put(name, Map.of("paths", category.paths(), "patterns", category.patterns())));
    var checks = config.checks();
    var prbot = new PrbotVerticle.Settings(g.projectRoot().toString(), g.worktreeDir().toString(), g.logDir().toString(),
        g.databasePath().toString(), g.mainBranch(), config.forge().mergeMethod(), config.forge().updateMethod(),
        checks.commands(), checks.timeout().toMillis(), checks.maxFixRounds(), checks.outputBudgetChars(),
        config.review().maxChangedLines(), rules, mode.orchestrate(), config.forge().kind(),
        new PrbotVerticle.Settings.GitHub(config.github().owner(), config.github().repo(), config.github().apiUrl(),
            config.github().token(), config.github().remote(), config.github().pollInterval().toMillis()));
    var c = config.claude();
    var executor = new ExecutorVerticle.Settings(g.projectRoot().toString(), g.worktreeDir().toString(), g.logDir().toString(),
        g.stateDir().toString(), g.databasePath().toString(), g.mainBranch(), g.branchPrefix(), config.executor().copyFiles(),
        config.executor().setupCommand(), config.prompts().overrideDir().toString(), c.command(), c.args(), c.model(),
        c.maxTurns(), c.permissionMode(), c.allowedTools(), new JsonObject(), agentEnv, mode.orchestrate());
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
        cluster.advertiseHost().isBlank() ? cluster.host() : cluster.advertiseHost(), mode.orchestrate());
    Future<String> chain = deploy(vertx, new ParserVerticle(), parser.toJson())
        .compose(id -> deploy(vertx, new BuildPoolVerticle(), buildPool.toJson()))
        .compose(id -> deploy(vertx, new PrbotVerticle(), prbot.toJson()))
        .compose(id -> deploy(vertx, new ExecutorVerticle(), executor.toJson()));
    if (mode.orchestrate()) {
      chain = chain.compose(id -> deploy(vertx, new ObserverVerticle(), observer.toJson()));
    }
    return chain.compose(id -> deploy(vertx, new SchedulerVerticle(), scheduler.toJson())).mapEmpty();
  }

  /** The HTTP API; returns the port it listens on. */
  static Future<Integer> deployWeb(Vertx vertx, OrchConfig config, String token) {
    WebVerticle web = new WebVerticle();
    var settings = new WebVerticle.Settings(config.web().host(), config.web().port(), token);
    return deploy(vertx, web, settings.toJson()).map(id -> web.actualPort());
  }

  private static Future<String> deploy(Vertx vertx, Deployable verticle, JsonObject config) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config));
  }
}
