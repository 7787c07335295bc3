package dev.orch.batch;

import dev.orch.contract.ApiLimit;
import dev.orch.contract.BatchSummary;
import dev.orch.contract.BatchView;
import dev.orch.contract.GovernorView;
import dev.orch.contract.OrchException;
import dev.orch.contract.ParkedTime;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StartResult;
import dev.orch.contract.TaskRef;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled batches' state machine: when each fires, which ready tasks it starts, when its time is up and how it
 * sums up. Every step is saved before it is announced. Time comes from the injected {@link Clock}; the caller runs one
 * step at a time and wakes it again after {@link #untilNextWake()}.
 */
final class Batches {
  private static final Logger LOG = LoggerFactory.getLogger(Batches.class);
  private static final long MAX_SLEEP_MILLIS = 3_600_000;
  private static final Set<TaskStatus> GOING = Set.of(TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.IN_PROGRESS,
      TaskStatus.IN_REVIEW);
  /** Tasks that go on once the scheduler dispatches them: a parked one resumes its session when the limit lifts. */
  private static final Set<TaskStatus> WAITING = Set.of(TaskStatus.NOT_STARTED, TaskStatus.PAUSED);

  /** The tasks as the scheduler has them, the pull requests waiting for a person, and what runs cost. */
  interface Neighbours {
    Future<List<TaskView>> tasks();

    Future<StartResult> start(StartRequest request);

    Future<TaskView> stop(TaskRef task);

    Future<List<PullRequestView>> flagged();

    Future<SpendSummary> spend();
  }

  /** What the batches announce, once it is saved. */
  interface Events {
    void started(BatchView batch);

    void finished(BatchSummary summary);
  }

  /** Where each batch's state is kept. */
  interface Store {
    Future<Void> save(BatchStore.State state);

    /**
     * The plan's parked spell ({@code null}: not parked) with the batches whose totals it changed, all at once, so a
     * crash neither loses a spell nor counts it twice.
     */
    Future<Void> saveSpell(List<BatchStore.State> states, Parking.Spell spell);
  }

  private final Clock clock;
  private final Store store;
  private final Neighbours neighbours;
  private final Events events;
  private final String scheduleFile;
  private final boolean stopAtDeadline;
  private final BatchSettings.Runs runs;
  private final Map<String, BatchSpec> specs = new LinkedHashMap<>();
  private final Map<String, BatchStore.State> states = new LinkedHashMap<>();
  private final List<String> scheduleErrors;
  private Parking.Spell spell;

  /**
   * {@code stopAtDeadline}: stop a batch's running tasks when its time is up (else they may finish);
   * {@code runs}: which batches this instance runs (none, only a person's, or also the scheduled ones);
   * {@code parked}: the plan's parked spell as stored, or null.
   */
  Batches(Clock clock, Store store, Neighbours neighbours, Events events, String scheduleFile,
      ScheduleFile.Result schedule, Map<String, BatchStore.State> saved, Parking.Spell parked, boolean stopAtDeadline,
      BatchSettings.Runs runs) {
    this.clock = clock;
    this.store = store;
    this.neighbours = neighbours;
    this.events = events;
    this.scheduleFile = scheduleFile;
    this.stopAtDeadline = stopAtDeadline;
    this.runs = runs;
    schedule.batches().forEach(spec -> specs.put(spec.name(), spec));
    scheduleErrors = List.copyOf(schedule.errors());
    states.putAll(saved);
    spell = parked;
  }

  int size() {
    return specs.size();
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(clock);
  }

  // ---- time

  /**
   * Fires due and missed batches, handles deadlines, then starts and finishes what it may. Where batches never run,
   * it leaves them all as they are: a slot passing there is one missed while no orch ran them.
   */
  Future<Void> wakeUp() {
    if (runs == BatchSettings.Runs.NEVER) {
      return Future.succeededFuture();
    }
    ZonedDateTime now = now();
    List<Future<Void>> work = new ArrayList<>();
    for (BatchSpec spec : specs.values()) {
      BatchStore.State state = states.get(spec.name());
      if (state == null) {
        // First sight of this batch: its earlier slots were before anyone asked for it.
        BatchStore.State fresh = new BatchStore.State(spec.name(), now.toInstant().toEpochMilli(), false, 0, 0, List.of(),
            false, null);
        states.put(spec.name(), fresh);
        work.add(store.save(fresh));
        continue;
      }
      if (state.running()) {
        if (!state.stopping() && now.toInstant().toEpochMilli() >= state.deadline()) {
          work.add(timeUp(spec, "its max_duration of " + spec.maxDuration() + " ran out", stopAtDeadline, parkedBy()));
        }
        continue;
      }
      ZonedDateTime lastFire = ZonedDateTime.ofInstant(Instant.ofEpochMilli(state.lastFire()), clock.getZone());
      var due = spec.lastAtOrBefore(now).filter(slot -> slot.isAfter(lastFire));
      if (due.isEmpty()) {
        continue;
      }
      if (runs == BatchSettings.Runs.ON_SCHEDULE) {
        work.add(fire(spec, "its schedule (" + spec.cron() + ")"));
      } else {
        work.add(pass(spec, due.get()));
      }
    }
    return Future.all(work).compose(v -> progress());
  }

  /** How long until the next due instant (a deadline or a schedule's next slot): at least 1 ms, at most an hour. */
  long untilNextWake() {
    ZonedDateTime now = now();
    long wait = MAX_SLEEP_MILLIS;
    for (BatchSpec spec : specs.values()) {
      BatchStore.State state = states.get(spec.name());
      if (state != null && state.running()) {
        if (!state.stopping()) {
          wait = Math.min(wait, state.deadline() - now.toInstant().toEpochMilli());
        }
      } else {
        var next = spec.nextAfter(now);
        if (next.isPresent()) {
          wait = Math.min(wait, Duration.between(now, next.get()).toMillis());
        }
      }
    }
    return Math.max(1, wait);
  }

  // ---- running

  private Future<Void> fire(BatchSpec spec, String why) {
    long now = now().toInstant().toEpochMilli();
    BatchStore.State running = states.get(spec.name()).withRun(now, now + spec.maxDuration().toMillis());
    states.put(spec.name(), running);
    LOG.info("batch {} starts ({}): up to {} task(s) for {}", spec.name(), why, spec.maxTasks(), spec.maxDuration());
    return store.save(running).onSuccess(v -> events.started(view(spec)));
  }

  /**
   * Under orch serve a person starts everything: the slot passes unfired, and is saved as passed so that the next orch
   * run does not take it for one missed while orch was down.
   */
  private Future<Void> pass(BatchSpec spec, ZonedDateTime slot) {
    BatchStore.State passed = states.get(spec.name()).passedAt(slot.toInstant().toEpochMilli());
    states.put(spec.name(), passed);
    LOG.info("batch {}: its slot at {} passes unfired (only a person starts batches here)", spec.name(), slot);
    return store.save(passed);
  }

  /** Starts more tasks for running batches where they may, and finishes the ones that are done. */
  Future<Void> progress() {
    List<BatchSpec> running = specs.values().stream().filter(s -> states.get(s.name()) != null
        && states.get(s.name()).running()).toList();
    if (running.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<List<TaskView>> tasks = neighbours.tasks();
    // Without a forge answering, nothing can be waiting for a review.
    Future<List<PullRequestView>> flagged = neighbours.flagged().otherwise(List.of());
    return Future.all(tasks, flagged).compose(both -> {
      Map<String, TaskView> byId = tasks.result().stream().collect(Collectors.toMap(TaskView::id, t -> t, (a, b) -> a));
      Set<String> waitingForAPerson = flagged.result().stream().map(pr -> pr.taskId().toString()).collect(Collectors.toSet());
      Future<Void> chain = Future.succeededFuture();
      for (BatchSpec spec : running) {
        chain = chain.compose(v -> advance(spec, byId, waitingForAPerson));
      }
      return chain;
    });
  }

  private Future<Void> advance(BatchSpec spec, Map<String, TaskView> tasks, Set<String> waitingForAPerson) {
    BatchStore.State state = states.get(spec.name());
    long now = now().toInstant().toEpochMilli();
    Set<String> claimed = new HashSet<>();
    states.values().stream().filter(BatchStore.State::running).forEach(s -> claimed.addAll(s.tasks()));
    List<String> candidates = tasks.values().stream()
        .filter(t -> t.ready() && t.status() == TaskStatus.NOT_STARTED && !claimed.contains(t.id())
            && (spec.module() == null || spec.module().equals(t.module())))
        .map(TaskView::id).sorted().toList();
    int room = spec.maxTasks() - state.tasks().size();
    boolean mayStart = !state.stopping() && now < state.deadline() && room > 0;
    if (mayStart && !candidates.isEmpty()) {
      List<String> wanted = candidates.subList(0, Math.min(room, candidates.size()));
      return neighbours.start(new StartRequest(wanted, 0, null)).compose(result -> {
        List<String> all = new ArrayList<>(state.tasks());
        all.addAll(result.started());
        BatchStore.State more = state.withTasks(all);
        states.put(spec.name(), more);
        LOG.info("batch {} started {}", spec.name(), result.started());
        return store.save(more);
      });
    }
    // A task the batch asked for is "not started" until the scheduler dispatches it; once the batch is stopping, one
    // that never got going will not.
    boolean going = state.tasks().stream().map(tasks::get).anyMatch(t -> t != null && !waitingForAPerson.contains(t.id())
        && (GOING.contains(t.status()) || (WAITING.contains(t.status()) && !state.stopping())));
    if (going) {
      return Future.succeededFuture();
    }
    boolean ranOut = !state.stopping() && room > 0 && now >= state.deadline();
    BatchStore.State ending = ranOut ? state.stoppingNow(parkedBy()) : state;
    String reason = ending.ranOutParkedBy() != null
        ? "its max_duration ran out while the plan was parked by " + ending.ranOutParkedBy().describe()
        : state.stopping() ? "stopped at its deadline or by a person"
        : room <= 0 ? "it started its max_tasks of " + spec.maxTasks()
        : ranOut ? "its max_duration ran out" : "no more tasks were ready";
    return finish(spec, ending, tasks, waitingForAPerson, reason);
  }

  /** What parks the plan now, or null when it is not parked. */
  private ApiLimit.Kind parkedBy() {
    return spell == null ? null : spell.by();
  }

  /**
   * The governor parked the plan or let agents start again. A spell lasts from the one to the other (its probe getting
   * through): the same limit heard again (the probe going out, a probe refused, or the state told again after a
   * restart) goes on with it; each batch running counts the part of it that fell in its window when it ends.
   */
  Future<Void> governed(GovernorView view) {
    ApiLimit.Kind by = view.holding() ? view.limit() : null;
    if (by == parkedBy()) {
      return Future.succeededFuture();
    }
    long at = now().toInstant().toEpochMilli();
    List<BatchStore.State> changed = new ArrayList<>();
    if (spell != null) {
      for (BatchStore.State state : states.values()) {
        if (state.running()) {
          List<ParkedTime> totals = Parking.add(state.parked(), spell, at, state.startedAt(), state.deadline());
          if (!totals.equals(state.parked())) {
            changed.add(state.withParked(totals));
          }
        }
      }
    }
    Parking.Spell next = by == null ? null : new Parking.Spell(by, at);
    return store.saveSpell(changed, next).onSuccess(v -> {
      changed.forEach(state -> states.put(state.name(), state));
      spell = next;
      if (by == null) {
        LOG.info("batches: the plan is no longer parked");
      } else {
        LOG.info("batches: the plan is parked by {}; running batches count it against their max_duration",
            by.describe());
      }
    });
  }

  private Future<Void> timeUp(BatchSpec spec, String why, boolean stopTasks, ApiLimit.Kind parkedBy) {
    BatchStore.State state = states.get(spec.name());
    BatchStore.State stopping = state.stoppingNow(parkedBy);
    states.put(spec.name(), stopping);
    LOG.info("batch {}: {}; {}", spec.name(), why, stopTasks ? "stopping its running tasks"
        : "starting no more tasks, letting the running ones finish");
    Future<Void> saved = store.save(stopping);
    if (!stopTasks) {
      return saved;
    }
    return saved.compose(v -> neighbours.tasks()).compose(tasks -> {
      List<Future<TaskView>> stops = tasks.stream()
          .filter(t -> stopping.tasks().contains(t.id()) && (t.status() == TaskStatus.RUNNING || t.status() == TaskStatus.QUEUED))
          .map(t -> neighbours.stop(new TaskRef(t.taskId(), "batch " + spec.name() + ": " + why)))
          .toList();
      return Future.join(new ArrayList<>(stops)).mapEmpty();
    });
  }

  private Future<Void> finish(BatchSpec spec, BatchStore.State state, Map<String, TaskView> tasks,
      Set<String> waitingForAPerson, String reason) {
    int done = 0;
    int failed = 0;
    int flagged = 0;
    for (String id : state.tasks()) {
      TaskView task = tasks.get(id);
      if (task == null) {
        continue;
      }
      if (task.status() == TaskStatus.COMPLETE) {
        done++;
      } else if (waitingForAPerson.contains(id) || task.status() == TaskStatus.IN_REVIEW) {
        flagged++;
      } else if (task.status() != TaskStatus.PAUSED) {
        // A paused task failed at nothing: a limit holds it, and it resumes once the limit lifts.
        failed++;
      }
    }
    int doneCount = done;
    int failedCount = failed;
    int flaggedCount = flagged;
    return neighbours.spend().otherwiseEmpty().compose(spend -> {
      double usd = spend == null ? 0 : state.tasks().stream().mapToDouble(id -> spend.byTaskUsd().getOrDefault(id, 0.0)).sum();
      long now = now().toInstant().toEpochMilli();
      // A spell still going counts up to now; it is not this run's any more once the run has ended.
      List<ParkedTime> parked = spell == null ? state.parked()
          : Parking.add(state.parked(), spell, now, state.startedAt(), state.deadline());
      String parkedText = Parking.describe(parked, spec.maxDuration());
      BatchSummary summary = new BatchSummary(spec.name(), state.startedAt(), now, state.tasks(), doneCount, failedCount,
          flaggedCount, usd, spec.notifyOnComplete(), reason, parked, state.ranOutParkedBy(), parkedText);
      BatchStore.State ended = state.ended(summary);
      states.put(spec.name(), ended);
      LOG.info("batch {} finished ({}): {} done, {} failed, {} waiting for a person, ${}{}", spec.name(), reason, doneCount,
          failedCount, flaggedCount, String.format("%.2f", usd), parkedText.isEmpty() ? "" : "; " + parkedText);
      return store.save(ended).onSuccess(v -> events.finished(summary));
    });
  }

  // ---- commands

  JsonObject list() {
    JsonArray batches = new JsonArray();
    specs.values().forEach(spec -> batches.add(view(spec).toJson()));
    return new JsonObject().put("batches", batches).put("errors", new JsonArray(scheduleErrors))
        .put("schedule_file", scheduleFile);
  }

  private BatchView view(BatchSpec spec) {
    BatchStore.State state = states.get(spec.name());
    long next = spec.nextAfter(now()).map(t -> t.toInstant().toEpochMilli()).orElse(0L);
    return new BatchView(spec.name(), spec.cron(), spec.maxTasks(), spec.maxDuration().toMillis(), spec.notifyOnComplete(),
        spec.module(), next, state != null && state.running(), state == null ? 0 : state.startedAt(),
        state == null ? null : state.lastSummary());
  }

  private BatchSpec spec(String name) {
    BatchSpec spec = specs.get(name);
    if (spec == null) {
      throw OrchException.notFound("no batch '" + name + "' in " + scheduleFile + " (batches: "
          + (specs.isEmpty() ? "none" : String.join(", ", specs.keySet())) + ")");
    }
    return spec;
  }

  /** A person's run: the batch fires now, whatever its schedule says. */
  Future<BatchView> runNow(String name) {
    BatchSpec spec = spec(name);
    if (runs == BatchSettings.Runs.NEVER) {
      return Future.failedFuture(OrchException.conflict("this orch runs no batches (only orch run and orch serve do);"
          + " start one of them once it has ended"));
    }
    BatchStore.State state = states.get(name);
    if (state != null && state.running()) {
      return Future.failedFuture(OrchException.conflict("batch " + name + " is already running"));
    }
    if (state == null) {
      states.put(name, new BatchStore.State(name, 0, false, 0, 0, List.of(), false, null));
    }
    return fire(spec, "asked for").compose(v -> progress()).map(v -> view(spec));
  }

  Future<BatchView> stopNow(String name) {
    BatchSpec spec = spec(name);
    BatchStore.State state = states.get(name);
    if (state == null || !state.running()) {
      return Future.failedFuture(OrchException.conflict("batch " + name + " is not running"));
    }
    return timeUp(spec, "stopped by a person", true, null).compose(v -> progress()).map(v -> view(spec));
  }
}
