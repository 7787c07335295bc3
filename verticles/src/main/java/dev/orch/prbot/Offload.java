package dev.orch.prbot;

import io.vertx.core.Future;
import java.util.concurrent.Callable;

/** Runs blocking work (git, files) off the event loop; in tests, right away on the calling thread. */
interface Offload {
  <T> Future<T> blocking(Callable<T> work);

  /** On the caller's thread: for tests and for code that is already off the event loop. */
  Offload INLINE = new Offload() {
    @Override
    public <T> Future<T> blocking(Callable<T> work) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
  };
}
