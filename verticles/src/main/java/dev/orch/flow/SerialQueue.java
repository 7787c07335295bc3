package dev.orch.flow;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Runs asynchronous steps one after another, in the order they were asked for, each after the one before has ended
 * however it ended: the steps read and write the same state, so none may interleave with another. Its owner uses it
 * from one event-loop thread only.
 */
public final class SerialQueue {
  private Future<?> last = Future.succeededFuture();

  public <T> Future<T> run(Supplier<Future<T>> step) {
    Future<T> next = last.transform(previous -> {
      try {
        return step.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    last = next;
    return next;
  }
}
