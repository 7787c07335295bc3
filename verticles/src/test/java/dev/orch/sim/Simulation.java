package dev.orch.sim;

import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.PrState;
import dev.orch.contract.Priority;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Walks a small plan through orch's real task lifecycle on a real SQLite file and a real git repository, with agents,
 * a forge and people simulated on a virtual clock; kills orch after a chosen persisted step and starts it again from
 * the file, injects faults, and checks the invariants. Everything random comes from the seed, and one step runs at
 * a time, so a seed replays the same schedule.
 */
final class Simulation {
  static final Set<String> RED_ONCE = Set.of("core/E02");
  static final Set<String> NEED_REVIEW = Set.of("web/E02");
  /** Two tasks with no dependency between them that change the same line of one file: the second to merge conflicts. */
  static final Set<String> SHARING = Set.of("lib/E01", "lib/E02");
  static final Duration A_PERSON_TAKES = Duration.ofMinutes(10);
  static final Duration GIVE_UP_AFTER = Duration.ofHours(12);

  /** One schedule: where orch is killed (after that persisted step; 0 for never) and whether faults are injected. */
  record Schedule(long seed, int killAfter, boolean faults) {
    @Override
    public String toString() {
      return "seed " + seed + ", kill -9 after persisted step " + killAfter + (faults ? ", with faults" : "");
    }
  }

  /** What a schedule did, and what it broke. */
  record Outcome(Schedule schedule, int persistedSteps, int lives, int agents, long virtualMinutes, List<String> faults,
      Set<String> walked, List<String> violations) {
  }

  static PlanSnapshot plan() {
    return new PlanSnapshot("docs/plans", List.of(spec("core/E01"), spec("core/E02", "core/E01"),
        spec("web/E01", "core/E01"), spec("web/E02", "core/E02", "web/E01"), spec("ops/E01"), spec("lib/E01"),
        spec("lib/E02")), List.of(), Map.of(), 7, 0);
  }

  private static TaskSpec spec(String id, String... deps) {
    String module = id.substring(0, id.indexOf('/'));
    int number = Integer.parseInt(id.substring(id.indexOf("/E") + 2));
    return new TaskSpec(id, module, "E", number, "T " + id, "docs/plans/" + module + "/" + id.substring(module.length() + 1)
        // The two that share a line go first, side by side, so the second to merge conflicts.
        + ".md", SHARING.contains(id) ? Priority.HIGH : Priority.MEDIUM, Arrays.asList(deps), NEED_REVIEW.contains(id),
        null, 0, 0, List.of(), "h-" + id, null);
  }

  private final Vertx vertx;
  private final Context context;
  private final Path dir;
  private final Schedule schedule;
  private final VirtualTime time = new VirtualTime();
  private final Random random;
  private final List<String> faultsInjected = new ArrayList<>();
  private final Promise<Outcome> done = Promise.promise();
  private World world;
  private Life life;
  private int lives;
  private boolean startFailed;
  private int firstLifeSteps;
  private long lastDoneCheck;
  private int busyAfterStep;
  private int fullAfterStep;
  private Duration fullFor = Duration.ZERO;
  private Duration neighboursMissingFor = Duration.ZERO;
  private long refusingFrom;
  private Duration refusingFor = Duration.ZERO;

  private Simulation(Vertx vertx, Path dir, Schedule schedule) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.dir = dir;
    this.schedule = schedule;
    this.random = new Random(schedule.seed());
  }

  /** Runs one schedule to its end and reports it; the caller's thread waits. */
  static Outcome run(Vertx vertx, Path dir, Schedule schedule) throws Exception {
    Simulation simulation = new Simulation(vertx, dir, schedule);
    simulation.context.runOnContext(v -> simulation.begin());
    try {
      return simulation.done.future().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      if (simulation.world != null) {
        simulation.world.close();
      }
    }
  }

  private void begin() {
    try {
      Set<Long> agentsToKill = new HashSet<>();
      if (schedule.faults()) {
        chooseFaults(agentsToKill);
      }
      world = new World(dir.resolve("repo.git"), time, random, agentsToKill);
      world.refusingFrom = refusingFrom;
      world.refusingUntil = refusingFrom + refusingFor.toMillis();
      world.onAnyExit = () -> life.deliver(() -> life.runs.poll());
      personLooksAtFlaggedPullRequests();
      startLife(schedule.killAfter());
    } catch (Exception e) {
      done.tryFail(e);
    }
  }

  /** A person looks at the flagged pull requests every ten minutes and merges them, whatever orch is doing. */
  private void personLooksAtFlaggedPullRequests() {
    time.after(A_PERSON_TAKES, null, () -> {
      life.deliver(() -> life.request(() -> life.prbot.personMergesFlagged()));
      world.onAnyExit = () -> life.deliver(() -> life.runs.poll());
      personLooksAtFlaggedPullRequests();
    });
  }

  private void chooseFaults(Set<Long> agentsToKill) {
    long agent = 1 + random.nextInt(6);
    agentsToKill.add(agent);
    faultsInjected.add("agent " + agent + " dies without a result");
    busyAfterStep = 1 + random.nextInt(60);
    faultsInjected.add("SQLITE_BUSY for 15 s after persisted step " + busyAfterStep);
    fullAfterStep = 1 + random.nextInt(60);
    fullFor = Duration.ofMinutes(1 + random.nextInt(3));
    faultsInjected.add("disk full for " + fullFor.toSeconds() + " s after persisted step " + fullAfterStep);
    neighboursMissingFor = Duration.ofSeconds(5 + random.nextInt(20));
    faultsInjected.add("executor and prbot not deployed for the first " + neighboursMissingFor.toSeconds()
        + " s of each start");
    long forgeDown = Duration.ofMinutes(random.nextInt(40)).toMillis();
    faultsInjected.add("the forge answers 5xx/409 to merges for 3 minutes from minute " + forgeDown / 60_000);
    long forgeFrom = time.now() + forgeDown;
    time.after(Duration.ofMillis(forgeDown), null, () -> world.forgeDownUntil = forgeFrom + Duration.ofMinutes(3).toMillis());
    refusingFrom = time.now() + Duration.ofMinutes(random.nextInt(30)).toMillis();
    refusingFor = Duration.ofMinutes(2 + random.nextInt(5));
    faultsInjected.add("the model API refuses agents for a rate limit for " + refusingFor.toMinutes() + " minutes from"
        + " minute " + (refusingFrom - time.now()) / 60_000);
  }

  private void startLife(int killAfter) {
    lives++;
    StoreFaults faults = new StoreFaults(time.clock, killAfter, () -> { });
    if (lives == 1) {
      faults.busyAfterStep = busyAfterStep;
      faults.busyFor = Duration.ofSeconds(15);
      faults.fullAfterStep = fullAfterStep;
      faults.fullFor = fullFor;
    }
    life = new Life(world, faults, neighboursMissingFor);
    Life starting = life;
    starting.start(vertx, dir.resolve("orch.db"), plan()).onComplete(started -> {
      if (started.failed() && !starting.dead()) {
        // orch exits when its store refuses it at start; its service manager starts it again 10 s later.
        startFailed = true;
        starting.faults.kill();
      }
      context.runOnContext(v -> loop());
    });
  }

  private void loop() {
    try {
      step();
    } catch (Exception e) {
      done.tryFail(e);
    }
  }

  private void step() throws Exception {
    if (life.dead()) {
      if (lives == 1) {
        firstLifeSteps = life.faults.persisted();
      }
      Life dead = life;
      if (startFailed) {
        startFailed = false;
        time.clock.advance(Duration.ofSeconds(10));
      }
      // Back on the schedule's context: the closed pool answers elsewhere, and the next life's store must be opened
      // from here to run its statements on this event loop.
      dead.bury().onComplete(v -> context.runOnContext(x -> startLife(0)));
      return;
    }
    if (!life.quiet.quiet()) {
      life.quiet.whenQuiet(() -> context.runOnContext(v -> loop()));
      return;
    }
    Supplier<Future<?>> message = life.nextMessage();
    if (message != null) {
      try {
        message.get();
      } catch (RuntimeException e) {
        // A handler that throws is a bug the bus would log; the step is lost as it would be.
        world.violations.add("a handler threw: " + e);
      }
      context.runOnContext(v -> loop());
      return;
    }
    if (time.now() - lastDoneCheck >= Duration.ofMinutes(5).toMillis() || time.idle()) {
      lastDoneCheck = time.now();
      if (world.liveAgents() > 0 && !time.idle() && time.now() <= GIVE_UP_AFTER.toMillis() + start()) {
        // Not settled while an agent lives (see settled): reading both tables would not change the next step.
        fireNextTimer();
        return;
      }
      endState().onComplete(listed -> {
        if (listed.succeeded() && settled(listed.result()) || time.now() > GIVE_UP_AFTER.toMillis() + start()) {
          finish(listed.succeeded() ? listed.result() : EndState.NONE);
        } else {
          fireNextTimer();
        }
      });
      return;
    }
    fireNextTimer();
  }

  private long start() {
    return java.time.Instant.parse("2026-11-29T09:00:00Z").toEpochMilli();
  }

  private void fireNextTimer() {
    VirtualTime.Timer timer = time.next();
    if (timer == null) {
      finishFromStore();
      return;
    }
    timer.action().run();
    context.runOnContext(v -> loop());
  }

  /** The tasks and the pull requests as the stores hold them. */
  record EndState(List<TaskView> tasks, List<PullRequestView> pullRequests) {
    static final EndState NONE = new EndState(List.of(), List.of());

    /** Complete, or left for a person with the reason: failed or stuck for good, or its pull request flagged. */
    boolean done(TaskView task) {
      return task.status() == TaskStatus.COMPLETE || flagged(task);
    }

    boolean flagged(TaskView task) {
      boolean reason = task.lastError() != null && !task.lastError().isBlank();
      if (task.status() == TaskStatus.FAILED || task.status() == TaskStatus.STUCK) {
        return reason && task.retryAt() == 0;
      }
      PullRequestView latest = dev.orch.scheduler.TaskLifecycle.newest(pullRequests, task.taskId()).orElse(null);
      return task.status() == TaskStatus.IN_REVIEW && reason && latest != null && latest.state() == PrState.FLAGGED
          && latest.reason() != null && !latest.reason().isBlank();
    }
  }

  private Future<EndState> endState() {
    return life.queries.list(TaskQuery.fromJson(new io.vertx.core.json.JsonObject()))
        .compose(tasks -> life.prbot.all().map(prs -> new EndState(tasks, prs)));
  }

  private boolean settled(EndState state) {
    return world.liveAgents() == 0 && state.tasks().stream().allMatch(state::done);
  }

  private void finishFromStore() {
    endState().onComplete(listed -> finish(listed.succeeded() ? listed.result() : EndState.NONE));
  }

  /**
   * A limit is no fault of the task: the run after one that ended {@code limited} goes on with the same attempt (its
   * session resumed, or started afresh when it could not be), never the next.
   */
  private List<String> attemptsSpentOnLimits() {
    List<String> out = new ArrayList<>();
    Map<String, Integer> limitedAttempt = new java.util.HashMap<>();
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("orch.db"));
        var rows = connection.createStatement().executeQuery("SELECT id, task_id, attempt, status FROM runs ORDER BY id")) {
      while (rows.next()) {
        String task = rows.getString("task_id");
        int attempt = rows.getInt("attempt");
        Integer before = limitedAttempt.remove(task);
        if (before != null && attempt > before) {
          out.add(task + ": run " + rows.getLong("id") + " is attempt " + attempt + " after a limit stopped attempt "
              + before);
        }
        if ("limited".equals(rows.getString("status"))) {
          limitedAttempt.put(task, attempt);
        }
      }
    } catch (java.sql.SQLException e) {
      out.add("could not read the runs: " + e);
    }
    return out;
  }

  /** What the store says at the end, for a replayed schedule that broke an invariant. */
  private void dump() {
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("orch.db"))) {
      for (String query : List.of("SELECT id, task_id, attempt, status, resumed_from, pid, stop_cause, reason FROM runs",
          "SELECT number, task_id, run_id, state, stage, follow_up, fix_rounds, checks_state, reason FROM pull_requests",
          "SELECT task_id, from_status, to_status, reason, at FROM task_transitions ORDER BY id")) {
        System.out.println("== " + query);
        try (var rows = connection.createStatement().executeQuery(query)) {
          int columns = rows.getMetaData().getColumnCount();
          while (rows.next()) {
            StringBuilder line = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
              line.append(rows.getMetaData().getColumnName(i)).append('=').append(rows.getString(i)).append(' ');
            }
            System.out.println(line);
          }
        }
      }
    } catch (java.sql.SQLException e) {
      System.out.println("could not dump the store: " + e);
    }
  }

  private void finish(EndState state) {
    List<TaskView> tasks = state.tasks();
    List<String> violations = new ArrayList<>(world.violations);
    try {
      if (tasks.size() != plan().tasks().size()) {
        violations.add("the store holds " + tasks.size() + " tasks, the plan " + plan().tasks().size());
      }
      for (TaskView task : tasks) {
        boolean complete = task.status() == TaskStatus.COMPLETE;
        if (!state.done(task)) {
          violations.add(task.id() + " ended " + task.status().wire() + " (last error: " + task.lastError()
              + "), neither complete nor flagged with a reason");
        }
        int squashes = world.squashesOnMain(task.id());
        if (squashes > 1) {
          violations.add(task.id() + " was merged " + squashes + " times");
        }
        if (complete && squashes == 0) {
          violations.add(task.id() + " is complete but its work is not on main");
        }
        if (complete && !world.onMain(World.fileOf(task.id())).contains(": work")) {
          violations.add(task.id() + " is complete but main lacks its agent's work");
        }
        if (complete && SHARING.contains(task.id()) && !world.onMain(World.SHARED).contains(task.id())) {
          violations.add(task.id() + " is complete but its line in " + World.SHARED + " was lost: "
              + world.onMain(World.SHARED).lines().skip(1).findFirst().orElse(""));
        }
      }
      violations.addAll(attemptsSpentOnLimits());
      // The governor parks the plan on the first refusal: the agents already asked, then one probe per backoff
      // (30 s doubling: at most 4 in a window of 6 minutes).
      int refusedAtMost = Life.MAX_PARALLEL + 4;
      if (world.agentsRefused > refusedAtMost) {
        violations.add(world.agentsRefused + " agents started while the model API refused, more than " + refusedAtMost);
      }
      if (!schedule.faults()) {
        // A kill -9 alone is orch's doing: only the plan's change that needs review goes to a person.
        world.flagged.stream().filter(f -> NEED_REVIEW.stream().noneMatch(id -> f.startsWith(id + ": ")))
            .forEach(f -> violations.add("flagged after a kill -9 alone: " + f));
      }
      world.unreachableAgentCommits().forEach(c -> violations.add("agent commit " + c + " is unreachable"));
      if (world.liveAgents() > 0) {
        violations.add(world.liveAgents() + " agents still alive at the end");
      }
    } catch (Exception e) {
      violations.add("checking the end state failed: " + e);
    }
    int persisted = lives == 1 ? life.faults.persisted() : firstLifeSteps;
    if (!violations.isEmpty() && System.getProperty("orch.sim.replay") != null) {
      dump();
    }
    Outcome outcome = new Outcome(schedule, persisted, lives, world.agentsSpawned, (time.now() - start()) / 60_000,
        faultsInjected, world.walked, violations);
    life.bury().onComplete(v -> done.tryComplete(outcome));
  }
}
