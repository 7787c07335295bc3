package dev.orch.executor;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a {@link RunSupervisor} needs from the runtime it lives in: work off its thread, a timer, and writes retried
 * until they land. The verticle gives Vert.x's; tests run blocking work inline and fire timers by hand.
 */
interface Host {
  /** Runs {@code work} where it may block; the result comes back on the supervisor's thread. */
  <T> Future<T> blocking(Callable<T> work);

  /** Runs {@code action} on the supervisor's thread after {@code delay}. */
  void later(Duration delay, Runnable action);

  /**
   * Writes again and again, with backoff, until it lands ({@link dev.orch.db.UntilWritten}); gives up when
   * {@code givingUp} says so, or when the owner is being undeployed.
   */
  <T> Future<T> untilWritten(String what, Supplier<Future<T>> write, BooleanSupplier givingUp);
}
