package dev.orch.sim;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A pool that counts its unfinished work, so the simulation takes its next step only once every store write of the
 * last one has finished: steps never overlap, and a seed replays the same schedule.
 */
final class QuietPool {
  private int pending;
  private Runnable whenQuiet;

  Pool wrap(Pool pool) {
    return (Pool) wrapAny(pool, Pool.class);
  }

  boolean quiet() {
    return pending == 0;
  }

  /** Runs {@code next} once nothing is pending (now, or when the last pending call ends). */
  void whenQuiet(Runnable next) {
    if (pending == 0) {
      next.run();
    } else {
      whenQuiet = next;
    }
  }

  private Object wrapAny(Object target, Class<?> type) {
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof Future<?> future) {
        pending++;
        return future.andThen(done -> {
          pending--;
          Runnable next = whenQuiet;
          if (pending == 0 && next != null) {
            whenQuiet = null;
            // After the caller's own continuation, which may issue the next statement of the same step.
            io.vertx.core.Vertx.currentContext().runOnContext(v -> {
              if (pending == 0) {
                next.run();
              } else {
                whenQuiet = next;
              }
            });
          }
        });
      }
      Class<?> returned = method.getReturnType();
      if (result != null && returned.isInterface() && returned.getPackageName().startsWith("io.vertx.sqlclient")) {
        return wrapAny(result, returned);
      }
      return result;
    });
  }
}
