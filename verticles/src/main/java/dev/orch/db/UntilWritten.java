package dev.orch.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;
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
  static final Duration FIRST = Duration.ofMillis(500);
  static final Duration MAX = Duration.ofSeconds(30);

  private UntilWritten() {
  }

  public static <T> Future<T> write(Vertx vertx, String what, Supplier<Future<T>> write, BooleanSupplier givingUp) {
    return attempt(vertx, what, write, givingUp, 0);
  }

  static Duration waitAfter(int failures) {
    return Duration.ofMillis(Math.min(MAX.toMillis(), FIRST.toMillis() << Math.min(10, failures)));
  }

  private static <T> Future<T> attempt(Vertx vertx, String what, Supplier<Future<T>> write, BooleanSupplier givingUp,
      int failures) {
    return write.get().recover(failure -> {
      if (givingUp.getAsBoolean()) {
        return Future.failedFuture(failure);
      }
      Duration wait = waitAfter(failures);
      LOG.warn("{}: {}; writing it again in {} ms", what, failure.getMessage(), wait.toMillis());
      Promise<T> next = Promise.promise();
      vertx.setTimer(wait.toMillis(), id -> attempt(vertx, what, write, givingUp, failures + 1).onComplete(next));
      return next.future();
    });
  }
}
