package dev.orch.sim;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulation's Vert.x: blocking work asked for on an event loop (every JDBC statement of the store, the git of the
 * doubles) runs on that same event loop, as a later task of it, instead of on a worker thread. A schedule takes one step
 * at a time anyway; handing each of its hundreds of statements to a worker and the result back (two thread wake-ups)
 * cost more CPU than many of the statements, and a schedule on one thread has nothing in it that races. Blocking work
 * asked for elsewhere goes to Vert.x's own pool as usual.
 */
final class OnTheLoop extends AbstractExecutorService {
  private final ExecutorService elsewhere;

  private OnTheLoop(ExecutorService elsewhere) {
    this.elsewhere = elsewhere;
  }

  static Vertx vertx() {
    ExecutorServiceFactory pools = (threads, concurrency, max) ->
        new OnTheLoop(ExecutorServiceFactory.INSTANCE.createExecutor(threads, concurrency, max));
    // A statement never takes long, but a loaded machine can stretch a step past the default 2 s warning.
    VertxOptions options = new VertxOptions().setMaxEventLoopExecuteTime(30).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS);
    return VertxBootstrap.create().options(options).executorServiceFactory(pools).init().vertx();
  }

  /** Never inline in the caller: Vert.x's ordered task queue hands the executor its runner before it queues the task. */
  @Override
  public void execute(Runnable command) {
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    if (context != null && context.isEventLoopContext() && context.nettyEventLoop().inEventLoop()) {
      context.nettyEventLoop().execute(command);
    } else {
      elsewhere.execute(command);
    }
  }

  @Override
  public void shutdown() {
    elsewhere.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return elsewhere.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return elsewhere.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return elsewhere.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return elsewhere.awaitTermination(timeout, unit);
  }
}
