package dev.orch.db;

import dev.orch.flow.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a state of record again and again (a full disk, a store busy past its timeout) until it lands: what others
 * are told about must be written first, and giving up would leave a row that says "running" for good. Waits 0.5 s,
 * doubling, at most 30 s; stops trying only when its owner is being undeployed.
 */
public final class UntilWritten {
  private static final Logger LOG = LoggerFactory.getLogger(UntilWritten.class);
  static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

  private UntilWritten() {
  }

  /** A timer: Vert.x's in a verticle, virtual time in a simulation. */
  @FunctionalInterface
  public interface Delay {
    Future<Void> after(Duration wait);

    static Delay of(Vertx vertx) {
      return wait -> {
        Promise<Void> done = Promise.promise();
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> done.complete());
        return done.future();
      };
    }
  }

  public static <T> Future<T> write(Vertx vertx, String what, Supplier<Future<T>> write, BooleanSupplier givingUp) {
    return write(Delay.of(vertx), what, write, failure -> !givingUp.getAsBoolean());
  }

  /** Writes until it lands or {@code retryable} says the failure is not one that time can fix. */
  public static <T> Future<T> write(Delay delay, String what, Supplier<Future<T>> write, Predicate<Throwable> retryable) {
    return attempt(delay, what, write, retryable, 0);
  }

  private static <T> Future<T> attempt(Delay delay, String what, Supplier<Future<T>> write,
      Predicate<Throwable> retryable, int failures) {
    Future<T> tried;
    try {
      tried = write.get();
    } catch (RuntimeException e) {
      tried = Future.failedFuture(e);
    }
    return tried.recover(failure -> {
      if (!retryable.test(failure)) {
        return Future.failedFuture(failure);
      }
      Duration wait = BACKOFF.after(failures + 1);
      LOG.warn("{}: {}; writing it again in {} ms", what, failure.getMessage(), wait.toMillis());
      return delay.after(wait).compose(v -> attempt(delay, what, write, retryable, failures + 1));
    });
  }
}
