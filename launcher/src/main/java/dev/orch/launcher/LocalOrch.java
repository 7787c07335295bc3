package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.contract.SchedulerClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * orch's verticles running inside a short-lived CLI process, for commands that need no long-running orchestrator.
 * The CLI's main thread waits on results here; it is never an event-loop thread.
 */
final class LocalOrch implements AutoCloseable {
  private static final Duration WAIT = Duration.ofMinutes(5);

  private final Vertx vertx;

  private LocalOrch(Vertx vertx) {
    this.vertx = vertx;
  }

  static LocalOrch start(OrchConfig config) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    LocalOrch orch = new LocalOrch(vertx);
    try {
      orch.await(Wiring.deployCore(vertx, config));
    } catch (RuntimeException e) {
      orch.close();
      throw e;
    }
    return orch;
  }

  SchedulerClient scheduler() {
    return new SchedulerClient(vertx);
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
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing is best effort: the process is about to exit anyway.
    }
  }
}
