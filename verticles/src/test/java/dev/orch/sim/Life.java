package dev.orch.sim;

import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskTransition;
import dev.orch.db.Database;
import dev.orch.db.UntilWritten;
import dev.orch.executor.SupervisedRuns;
import dev.orch.scheduler.RetryPolicy;
import dev.orch.scheduler.TaskLifecycle;
import dev.orch.scheduler.TaskQueries;
import dev.orch.scheduler.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * One run of orch, from its start to its kill -9 or the end: its store connection, its state machines and the
 * messages between them. Nothing of it survives a kill but what it wrote; the world goes on.
 */
final class Life {
  static final int MAX_PARALLEL = 2;
  /** The scheduler's safety tick; dispatch otherwise runs on events and at the wake-up time it answers. */
  static final Duration TICK = Duration.ofSeconds(30);

  final World world;
  final VirtualTime time;
  final StoreFaults faults;
  final QuietPool quiet = new QuietPool();
  private final Deque<Supplier<Future<?>>> outbox = new ArrayDeque<>();
  /** Until then the executor's and prbot's addresses have no handler: they are not deployed yet. */
  final long neighboursMissingUntil;
  Pool pool;
  TaskStore tasks;
  TaskQueries queries;
  TaskLifecycle lifecycle;
  SupervisedRuns runs;
  SimPrbot prbot;
  private boolean dispatchPending;

  Life(World world, StoreFaults faults, Duration neighboursMissingFor) {
    this.world = world;
    this.time = world.time;
    this.faults = faults;
    this.neighboursMissingUntil = time.now() + neighboursMissingFor.toMillis();
  }

  boolean dead() {
    return faults.killed();
  }

  /** Opens the store and brings every owner back from it, as orch's start does. */
  Future<Void> start(Vertx vertx, Path db, PlanSnapshot plan) {
    return Database.open(vertx, db, real -> new FaultyDataSource(real, faults))
        .compose(opened -> {
          pool = quiet.wrap(opened);
          tasks = new TaskStore(pool, time.clock);
          runs = new SupervisedRuns(pool, time.clock, db.getParent(), world, surroundings());
          prbot = new SimPrbot(this);
          lifecycle = new TaskLifecycle(time.clock, tasks, neighbour(runs), prbot,
              () -> Future.succeededFuture(TaskLifecycle.Limits.NONE), listener(),
              new TaskLifecycle.Policy(MAX_PARALLEL, true, new RetryPolicy(3, Duration.ofSeconds(30),
                  Duration.ofMinutes(10))), this::delay);
          queries = new TaskQueries(tasks, lifecycle::pauseReason);
          return Database.migrate(pool, TaskStore.OWNER, TaskStore.MIGRATIONS);
        })
        .compose(v -> Database.migrate(pool, SupervisedRuns.OWNER, SupervisedRuns.MIGRATIONS))
        .compose(v -> Database.migrate(pool, "sim-prbot", SimPrbot.MIGRATIONS))
        .compose(v -> lifecycle.serial(() -> tasks.applySnapshot(plan)))
        .compose(v -> runs.reconcile(true))
        .compose(v -> prbot.recover())
        .onSuccess(v -> {
          deliver(() -> lifecycle.reconcile());
          tick();
          sweep();
          poll();
        })
        .mapEmpty();
  }

  private void tick() {
    after(TICK, () -> {
      mayDispatch();
      tick();
    });
  }

  /**
   * The executor's sweep of rows nobody follows (every 30 s in orch; every five minutes here) and its poll of the
   * agents' logs (every 200 ms in orch; here whenever an agent exits, and every minute).
   */
  private void sweep() {
    after(Duration.ofMinutes(5), () -> {
      deliver(() -> runs.reconcile(false));
      sweep();
    });
  }

  private void poll() {
    after(Duration.ofMinutes(1), () -> {
      deliver(() -> runs.poll());
      poll();
    });
  }

  /** The executor as the scheduler reaches it: over the bus, so not there while it is not deployed. */
  private TaskLifecycle.Runs neighbour(SupervisedRuns executor) {
    return new TaskLifecycle.Runs() {
      @Override
      public Future<dev.orch.contract.RunView> launch(dev.orch.contract.LaunchRequest request) {
        return request(() -> executor.launch(request));
      }

      @Override
      public Future<dev.orch.contract.RunView> stop(dev.orch.contract.StopRequest request) {
        return request(() -> executor.stop(request));
      }

      @Override
      public Future<java.util.List<dev.orch.contract.RunView>> ofTask(dev.orch.contract.TaskId taskId) {
        return request(() -> executor.ofTask(taskId));
      }
    };
  }

  private SupervisedRuns.Surroundings surroundings() {
    return new SupervisedRuns.Surroundings() {
      @Override
      public void started(dev.orch.contract.RunView run) {
        deliver(() -> lifecycle.onStarted(run));
      }

      @Override
      public void finished(dev.orch.contract.RunView run) {
        deliver(() -> lifecycle.onFinished(run));
        deliver(() -> prbot.onRunFinished(run, run.resumedFrom() > 0));
      }

      @Override
      public void later(Duration wait, Runnable action) {
        after(wait, action);
      }

      @Override
      public UntilWritten.Delay delay() {
        return Life.this::delay;
      }

      @Override
      public boolean dead() {
        return Life.this.dead();
      }
    };
  }

  private TaskLifecycle.Listener listener() {
    return new TaskLifecycle.Listener() {
      @Override
      public void changed(TaskTransition transition) {
      }

      @Override
      public void mayDispatch() {
        Life.this.mayDispatch();
      }
    };
  }

  private void mayDispatch() {
    if (!dispatchPending) {
      dispatchPending = true;
      deliver(() -> {
        dispatchPending = false;
        return lifecycle.dispatch().onSuccess(at -> {
          if (at > 0) {
            after(Duration.ofMillis(Math.max(1, at - time.now())), this::mayDispatch);
          }
        });
      });
    }
  }

  /** A message to handle later, in order: what the event bus does between verticles. */
  void deliver(Supplier<Future<?>> handler) {
    if (!dead()) {
      outbox.add(handler);
    }
  }

  /** A request to a neighbour: handled later, answered later; no handler while the neighbour is not deployed. */
  <T> Future<T> request(Supplier<Future<T>> handler) {
    if (time.now() < neighboursMissingUntil) {
      return Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS, "no handler (not deployed yet)"));
    }
    Promise<T> reply = Promise.promise();
    deliver(() -> handler.get().onComplete(done -> deliver(() -> {
      reply.handle(done);
      return Future.succeededFuture();
    })));
    return reply.future();
  }

  /** A request retried while its neighbour is not there, as prbot's TransientRetries does. */
  <T> Future<T> untilAnswered(String what, Supplier<Future<T>> ask) {
    return UntilWritten.write(this::delay, what, ask, failure -> !dead()
        && dev.orch.contract.ErrorCode.of(failure).retryable());
  }

  Supplier<Future<?>> nextMessage() {
    return outbox.poll();
  }

  void after(Duration wait, Runnable action) {
    if (!dead()) {
      time.after(wait, this, () -> {
        if (!dead()) {
          action.run();
        }
      });
    }
  }

  private Future<Void> delay(Duration wait) {
    Promise<Void> done = Promise.promise();
    after(wait, done::complete);
    return done.future();
  }

  /**
   * A neighbour's write, retried until it lands as the real owners do (UntilWritten); a conflict or a missing row is
   * an answer, not a fault, and nothing is retried once this orch is dead.
   */
  <T> Future<T> written(String what, Supplier<Future<T>> write) {
    return UntilWritten.write(this::delay, what, write, failure -> !dead()
        && !(failure instanceof dev.orch.contract.OrchException));
  }

  /** Ends this life as a kill -9 does: its timers and messages are gone, its connection with them. */
  Future<Void> bury() {
    faults.kill();
    time.forget(this);
    outbox.clear();
    return pool == null ? Future.succeededFuture() : pool.close().otherwiseEmpty();
  }
}
