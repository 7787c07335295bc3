package dev.orch.sim;

import dev.orch.contract.GovernorView;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskTransition;
import dev.orch.db.Database;
import dev.orch.db.UntilWritten;
import dev.orch.executor.SupervisedRuns;
import dev.orch.footprint.FootprintMode;
import dev.orch.prbot.SimulatedPrbot;
import dev.orch.scheduler.RateGovernor;
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
  SimulatedPrbot prbot;
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
          prbot = new SimulatedPrbot(pool, time.clock, world.git, World::branchOf, db.getParent(), prbotSurroundings());
          lifecycle = new TaskLifecycle(time.clock, tasks, neighbour(runs), neighbour(prbot.commands()),
              () -> Future.succeededFuture(TaskLifecycle.Limits.NONE), listener(),
              new TaskLifecycle.Policy(MAX_PARALLEL, true, new RetryPolicy(3, Duration.ofSeconds(30),
                  Duration.ofMinutes(10)), FootprintMode.PREFER, RateGovernor.Settings.defaults(MAX_PARALLEL,
                      // The governor's jitter from the schedule's seed, so a replay waits as long as the run did.
                      wait -> wait - Math.floorMod(world.random.nextLong(), wait / 5 + 1))), this::delay);
          queries = new TaskQueries(tasks, lifecycle::notices, lifecycle::footprintHolds);
          return Database.migrate(pool, TaskStore.OWNER, TaskStore.MIGRATIONS);
        })
        .compose(v -> Database.migrate(pool, SupervisedRuns.OWNER, SupervisedRuns.MIGRATIONS))
        .compose(v -> Database.migrate(pool, SimulatedPrbot.OWNER, SimulatedPrbot.MIGRATIONS))
        .compose(v -> lifecycle.serial(() -> tasks.applySnapshot(plan)))
        .compose(v -> runs.reconcile(true))
        .onSuccess(v -> {
          deliver(() -> prbot.resumeAll());
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
      public Future<dev.orch.contract.RunView> resume(dev.orch.contract.ResumeRequest request) {
        return request(() -> executor.resume(request));
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

  /** prbot as the scheduler reaches it: over the bus, so not there while it is not deployed. */
  private TaskLifecycle.PullRequests neighbour(TaskLifecycle.PullRequests prbotCommands) {
    return new TaskLifecycle.PullRequests() {
      @Override
      public Future<dev.orch.contract.PullRequestView> open(dev.orch.contract.TaskId taskId, long runId) {
        return request(() -> prbotCommands.open(taskId, runId));
      }

      @Override
      public Future<java.util.Optional<dev.orch.contract.PullRequestView>> latestOf(dev.orch.contract.TaskId taskId) {
        return request(() -> prbotCommands.latestOf(taskId));
      }
    };
  }

  /** prbot's neighbours: the executor over the bus (missing while not deployed), the scheduler, the parser, timers. */
  private SimulatedPrbot.Surroundings prbotSurroundings() {
    return new SimulatedPrbot.Surroundings() {
      @Override
      public Future<dev.orch.contract.RunView> resume(dev.orch.contract.ResumeRequest request) {
        return request(() -> runs.resume(request));
      }

      @Override
      public Future<java.util.Optional<dev.orch.contract.RunView>> latestRun(dev.orch.contract.TaskId taskId) {
        return request(() -> runs.ofTask(taskId).map(all -> all.stream().findFirst()));
      }

      @Override
      public Future<Void> removeWorktree(dev.orch.contract.TaskId taskId, String reason) {
        return request(() -> runs.removeWorktree(taskId, reason).mapEmpty());
      }

      @Override
      public Future<dev.orch.contract.TaskView> task(dev.orch.contract.TaskId taskId) {
        return ask(() -> queries.get(taskId.toString()));
      }

      @Override
      public Future<dev.orch.contract.RunView> run(long runId) {
        return request(() -> runs.run(runId));
      }

      @Override
      public void announced(String event, dev.orch.contract.PullRequestView pr) {
        world.walked.add(event + (event.equals("fixing") ? " " + pr.followUp().wire() : ""));
        if (event.equals("flagged")) {
          world.flagged.add(pr.taskId() + ": " + pr.reason());
        }
        deliver(() -> switch (event) {
          case "opened" -> lifecycle.onOpened(pr);
          case "fixing" -> lifecycle.onFixing(pr);
          case "flagged" -> lifecycle.onFlagged(pr);
          case "merged" -> lifecycle.onMerged(pr);
          default -> throw new IllegalArgumentException("no prbot event " + event);
        });
      }

      @Override
      public void failed(dev.orch.contract.PullRequestFailure failure) {
        deliver(() -> lifecycle.onPullRequestFailed(failure));
      }

      @Override
      public void after(Duration wait, Runnable action) {
        Life.this.after(wait, action);
      }

      @Override
      public boolean dead() {
        return Life.this.dead();
      }

      @Override
      public boolean checksPass(Path worktree) {
        return world.checksPass(worktree);
      }

      @Override
      public int forgeRefuses() {
        return world.forgeRefuses();
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
        deliver(() -> prbot.onRunFinished(run));
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

      @Override
      public void governed(GovernorView view) {
        deliver(() -> prbot.onGovernor(view));
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
    return ask(handler);
  }

  /** A request to a neighbour that is always deployed (the scheduler, for prbot): handled later, answered later. */
  <T> Future<T> ask(Supplier<Future<T>> handler) {
    Promise<T> reply = Promise.promise();
    deliver(() -> handler.get().onComplete(done -> deliver(() -> {
      reply.handle(done);
      return Future.succeededFuture();
    })));
    return reply.future();
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

  /** Ends this life as a kill -9 does: its timers and messages are gone, its connection with them. */
  Future<Void> bury() {
    faults.kill();
    time.forget(this);
    outbox.clear();
    return pool == null ? Future.succeededFuture() : pool.close().otherwiseEmpty();
  }
}
