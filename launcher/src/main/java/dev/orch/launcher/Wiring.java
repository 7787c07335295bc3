package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.parser.ParserVerticle;
import dev.orch.scheduler.SchedulerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Which verticles make up orch and the slice of config each one gets. */
final class Wiring {
  private Wiring() {
  }

  /** The verticles that own the plan and the task table: enough for sync, status, list and graph. */
  static Future<Void> deployCore(Vertx vertx, OrchConfig config) {
    var general = config.general();
    var parser = new ParserVerticle.Settings(general.projectRoot().toString(), general.plansDir().toString());
    var scheduler = new SchedulerVerticle.Settings(general.databasePath().toString(), general.maxParallelAgents());
    return vertx.deployVerticle(new ParserVerticle(), new DeploymentOptions().setConfig(parser.toJson()))
        .compose(id -> vertx.deployVerticle(new SchedulerVerticle(), new DeploymentOptions().setConfig(scheduler.toJson())))
        .mapEmpty();
  }
}
