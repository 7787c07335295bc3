package dev.orch.executor;

import dev.orch.db.UntilWritten;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The supervisor's runtime: Vert.x workers, timers, and writes retried until they land or orch undeploys. */
final class VertxHost implements Host {
  private final Vertx vertx;
  private final BooleanSupplier undeploying;

  VertxHost(Vertx vertx, BooleanSupplier undeploying) {
    this.vertx = vertx;
    this.undeploying = undeploying;
  }

  @Override
  public <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  @Override
  public void later(Duration delay, Runnable action) {
    vertx.setTimer(delay.toMillis(), id -> action.run());
  }

  @Override
  public <T> Future<T> untilWritten(String what, Supplier<Future<T>> write, BooleanSupplier givingUp) {
    return UntilWritten.write(vertx, what, write, () -> undeploying.getAsBoolean() || givingUp.getAsBoolean());
  }
}
