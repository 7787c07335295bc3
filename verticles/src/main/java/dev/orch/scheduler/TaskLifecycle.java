package dev.orch.scheduler;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.GovernorView;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.OrchException;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunAlert;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunTouched;
import dev.orch.contract.RunView;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StartResult;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import dev.orch.db.UntilWritten;
import dev.orch.flow.Backoff;
import dev.orch.flow.SerialQueue;
import dev.orch.footprint.Footprint;
import dev.orch.footprint.FootprintGate;
import dev.orch.footprint.FootprintMode;
import dev.orch.footprint.ModuleHistory;
import dev.orch.logging.TaskLog;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every task's life after the plan: which ready tasks start (up to the parallel limit; all of them in auto mode, else
 * the ones a person asked for), what a run's end, a pull request's progress or a cost limit does to the task, the retry
 * policy, a person's commands, and how a restart brings mid-flight tasks back in line. Every decision runs through one
 * queue, so no two interleave; the neighbours are ports, so the whole of it runs without an event bus.
 */
public final class TaskLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(TaskLifecycle.class);

  /** The executor, as this class uses it. */
  public interface Runs {
    Future<RunView> launch(LaunchRequest request);

    /** Continues the task's latest run in its session and worktree. */
    Future<RunView> resume(ResumeRequest request);

    Future<RunView> stop(StopRequest request);

    /** The task's runs, newest first. */
    Future<List<RunView>> ofTask(TaskId taskId);
  }

  /** prbot, as this class uses it. */
  public interface PullRequests {
    Future<PullRequestView> open(TaskId taskId, long runId);

    Future<Optional<PullRequestView>> latestOf(TaskId taskId);
  }

  /** What the observer knows of spending limits when orch starts. */
  public record Limits(Map<String, String> tasksOverBudget, String dayOverBudget) {
    public static final Limits NONE = new Limits(Map.of(), null);
  }

  /** Where this class's decisions go besides the store. */
  public interface Listener {
    void changed(TaskTransition transition);

    /** Something may have freed a slot or made a task ready. */
    void mayDispatch();

    /**
     * The rate-limit governor as it now is, when it was loaded and whenever it changed: parked, probing, ramping back,
     * open.
     */
    default void governed(GovernorView view) {
    }
  }

  /**
   * How many agents, whether every ready task starts by itself, when failed ones are tried again, and how far tasks
   * that may touch the same files are kept apart.
   */
  public record Policy(int maxParallelAgents, boolean auto, RetryPolicy retries, FootprintMode footprint,
      RateGovernor.Settings governor) {
    /** With the governor's usual waits (30 s doubling to 10 min, each shortened by up to a fifth at random). */
    public Policy(int maxParallelAgents, boolean auto, RetryPolicy retries, FootprintMode footprint) {
      this(maxParallelAgents, auto, retries, footprint, RateGovernor.Settings.defaults(maxParallelAgents,
          wait -> wait - java.util.concurrent.ThreadLocalRandom.current().nextLong(wait / 5 + 1)));
    }
  }

  /**
   * How many of the files its module's merged tasks changed a task not started yet is predicted to touch, newest
   * first: enough for a module's usual working set, few enough that one sweeping change does not hold the module back.
   */
  static final int PREDICTED_PER_MODULE = 50;

  private final Clock clock;
  private final TaskStore store;
  private final Runs runs;
  private final PullRequests pullRequests;
  private final Supplier<Future<Limits>> limits;
  private final Listener listener;
  private final Policy policy;
  private final UntilWritten.Delay delay;
  /** A mirror of the stored start requests, read by every dispatch. */
  private final Set<String> requested = new LinkedHashSet<>();
  /** Tasks whose cost reached observer.max_cost_usd_per_task: not started again until a person asks. */
  private final Map<String, String> overBudget = new LinkedHashMap<>();
  private LocalDate pausedOn;
  private String pauseReason;
  private final SerialQueue decisions = new SerialQueue();
  private final TaskFootprints footprints = new TaskFootprints();
  /** What each module's merged tasks changed: part of the predicted footprint of its tasks not started yet. */
  private final ModuleHistory history = new ModuleHistory(PREDICTED_PER_MODULE);
  /** Why ready tasks were held back at the last dispatch, for the views; replaced whole by each dispatch. */
  private volatile Map<String, FootprintGate.Hold> holds = Map.of();
  private RateGovernor governor;
  /** The task started first when a limit lifted; its getting through to the model lets the others follow. */
  private String probe;
  /** A dispatch looked for a probe since the limit lifted: if it found none, an agent outside the plan may go first. */
  private boolean probeSought;
  /** The governor as last told to the listener, so it is told each change once. */
  private GovernorView announced;
  private static final Backoff EXECUTOR_AWAY = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  private int executorRefusals;
  private long executorAwayUntil;

  public TaskLifecycle(Clock clock, TaskStore store, Runs runs, PullRequests pullRequests,
      Supplier<Future<Limits>> limits, Listener listener, Policy policy, UntilWritten.Delay delay) {
    this.delay = delay;
    this.clock = clock;
    this.store = store;
    this.runs = runs;
    this.pullRequests = pullRequests;
    this.limits = limits;
    this.listener = listener;
    this.policy = policy;
    this.governor = new RateGovernor(clock, policy.governor(), RateGovernor.State.OPEN);
  }

  /** Runs one decision after the ones before it. */
  public <T> Future<T> serial(Supplier<Future<T>> step) {
    return decisions.run(step);
  }

  /** The ready tasks the last dispatch held back because they may touch a running task's files, and why. */
  public Map<String, FootprintGate.Hold> footprintHolds() {
    return holds;
  }

  /** What a person should know about why fewer agents start than could: a spending pause, the rate-limit governor. */
  public List<String> notices() {
    List<String> out = new ArrayList<>();
    if (paused()) {
      out.add("no new agents start today: " + pauseReason);
    }
    String governed = governor.state().describe();
    if (governed != null) {
      out.add(governed);
    }
    return out;
  }

  /** Whether the governor waits for a probe's first words from the model: only then is agent output of interest here. */
  public boolean awaitsProbe() {
    return probe != null || probeSought;
  }

  /** Why no new agent starts today, or null. */
  public String pauseReason() {
    return paused() ? pauseReason : null;
  }

  // ---- dispatching

  /**
   * Queues the tasks that may start now and asks the executor to launch them. Answers when to look again without a
   * nudge (the earliest retry due, or the end of a wait for the executor), or 0 when only an event can start more.
   */
  public Future<Long> dispatch() {
    return serial(() -> store.loadAll().compose(tasks -> {
      long now = clock.millis();
      long retryAt = earliest(DispatchOrder.nextRetryAt(tasks, now), governor.nextChangeAt());
      if (paused()) {
        announce();
        return Future.succeededFuture(retryAt);
      }
      if (now < executorAwayUntil) {
        announce();
        return Future.succeededFuture(earliest(retryAt, executorAwayUntil));
      }
      long busy = tasks.values().stream().filter(t -> t.status() == TaskStatus.QUEUED || t.status() == TaskStatus.RUNNING)
          .count();
      int capacity = capacityUnderGovernor((int) busy);
      // Runs a limit parked go on first, in their sessions, in the order they were parked.
      List<StoredTask> parked = tasks.values().stream().filter(t -> t.status() == TaskStatus.PAUSED)
          .sorted(Comparator.comparingLong(StoredTask::updatedAt)).limit(Math.max(0, capacity)).toList();
      List<StoredTask> next = startable(tasks, capacity - parked.size(), now,
          id -> requested.contains(id) || policy.auto() && !overBudget.containsKey(id));
      boolean probing = governor.state().phase() == RateGovernor.Phase.PROBING;
      if (probing && probe == null) {
        probe = !parked.isEmpty() ? parked.get(0).id() : next.isEmpty() ? null : next.get(0).id();
      }
      probeSought = probing;
      // The limit lifting and each ramp step happen with time: this is where they are seen, and told.
      announce();
      Future<Void> chain = Future.succeededFuture();
      for (StoredTask task : parked) {
        chain = chain.compose(v -> resumeAfterLimit(task));
      }
      for (StoredTask task : next) {
        chain = chain.compose(v -> queue(task, tasks));
      }
      return chain.map(retryAt);
    }));
  }

  /**
   * How many agents may start now: the parallel limit, or fewer while the governor holds them back, and one, the probe,
   * when a limit has just lifted (whatever still runs from before).
   */
  private int capacityUnderGovernor(int busy) {
    return switch (governor.state().phase()) {
      case OPEN, RAMPING -> governor.allowedRunning() - busy;
      case PARKED -> 0;
      case PROBING -> probe == null ? 1 : 0;
    };
  }

  private static long earliest(long a, long b) {
    return a == 0 ? b : b == 0 ? a : Math.min(a, b);
  }

  private Future<Void> resumeAfterLimit(StoredTask task) {
    // The session goes on with the attempt the limit interrupted, so it counts again, once.
    return change(task.id(), TaskStatus.QUEUED, "the limit lifted: resuming its session", task.attempts() + 1, 0,
        task.lastError()).onSuccess(t -> runs.resume(ResumeRequest.afterLimit(task.taskId(), task.spec().title(),
            governor.state().parkedFor()))
            .onFailure(e -> serial(() -> notResumed(task, e)))).mapEmpty();
  }

  /** A session that cannot go on (its worktree gone, say) starts afresh; the limit was no attempt of its own. */
  private Future<Void> notResumed(StoredTask task, Throwable failure) {
    if (task.id().equals(probe)) {
      probe = null;
    }
    return change(task.id(), TaskStatus.NOT_STARTED, "its session could not be resumed (" + failure.getMessage()
        + "); it starts afresh", task.attempts(), 0, task.lastError()).mapEmpty();
  }

  /** The tasks to start now: the dispatch order, then the footprint rule over what runs and what starts with them. */
  private List<StoredTask> startable(Map<String, StoredTask> tasks, int capacity, long now, Predicate<String> allowed) {
    if (policy.footprint() == FootprintMode.OFF) {
      holds = Map.of();
      return DispatchOrder.next(tasks, capacity, now, allowed);
    }
    List<StoredTask> ordered = DispatchOrder.next(tasks, Integer.MAX_VALUE, now, allowed);
    Map<String, Footprint> running = new LinkedHashMap<>();
    for (StoredTask task : tasks.values()) {
      // A task in review holds its files until it merges: a task started meanwhile branches from a main branch without
      // that change, and conflicts with it on the branch update (measured: bench/footprint-bench.sh). A paused one
      // holds them too: its session goes on with its changes when the limit lifts.
      if (task.status().live()) {
        running.put(task.id(), footprints.of(task));
      }
    }
    List<FootprintGate.Candidate> candidates = ordered.stream()
        .map(t -> new FootprintGate.Candidate(t.id(), footprints.beforeStart(t, history.predictedFor(t.spec().module(),
            t.id())), footprints.of(t))).toList();
    FootprintGate.Decision decision = FootprintGate.choose(candidates, running, capacity, policy.footprint());
    if (capacity > 0) {
      holds = Map.copyOf(decision.held());
    }
    return decision.start().stream().map(tasks::get).toList();
  }

  private Future<Void> queue(StoredTask task, Map<String, StoredTask> all) {
    int attempt = task.attempts() + 1;
    String reason = "starting attempt " + attempt + (task.retryDue(clock.millis()) ? " (retry)" : "");
    return change(task.id(), TaskStatus.QUEUED, reason, attempt, 0, task.lastError()).onSuccess(t -> {
      List<String> deps = task.dependsOn().stream().filter(all::containsKey).toList();
      runs.launch(new LaunchRequest(task.taskId(), attempt, task.spec().title(), task.spec().file(), deps,
          task.spec().needsReview()))
          .onSuccess(run -> {
            executorRefusals = 0;
            serial(() -> unrequest(task.id()));
          })
          .onFailure(e -> serial(() -> notLaunched(task, e)));
    }).mapEmpty();
  }

  /**
   * An executor that is not there yet (or did not answer) is no fault of the task: it goes back in line, its attempt
   * not counted and its start request kept, and the next dispatch tries again. Any other refusal is a failed attempt.
   */
  private Future<Void> notLaunched(StoredTask task, Throwable failure) {
    if (ErrorCode.of(failure).retryable()) {
      // Wait before asking again, or every event would ask a missing executor at once.
      executorAwayUntil = clock.millis() + EXECUTOR_AWAY.after(++executorRefusals).toMillis();
      TaskLog.warn(LOG, task.id())
          .log("{}: the executor did not take it ({}); it waits for the next dispatch", task.id(),
              failure.getMessage());
      return change(task.id(), TaskStatus.NOT_STARTED, "waiting for the executor: " + failure.getMessage(),
          task.attempts(), task.retryAt(), task.lastError()).mapEmpty();
    }
    return failed(task.id(), TaskStatus.FAILED, "the executor did not start the agent: " + failure.getMessage(), true);
  }

  private boolean paused() {
    if (pausedOn != null && !pausedOn.equals(LocalDate.now(clock))) {
      pausedOn = null;
      pauseReason = null;
    }
    return pausedOn != null;
  }

  // ---- what the neighbours report

  public Future<Void> onStarted(RunView run) {
    return serial(() -> task(run.taskId()).compose(task -> task.status() == TaskStatus.QUEUED
        ? change(task.id(), TaskStatus.RUNNING, "agent running (run " + run.runId() + ", pid " + run.pid() + ")",
            task.attempts(), 0, task.lastError()).mapEmpty()
        : Future.succeededFuture()));
  }

  public Future<Void> onFinished(RunView run) {
    if (!run.succeeded() && run.status() != RunStatus.LIMITED) {
      // What it changed stays with a run that goes to review or waits out a limit, until it merges.
      footprints.forget(run.taskId().toString());
    }
    return serial(() -> finished(run));
  }

  /** What a running agent has changed so far joins its task's footprint, so no other task is started into it. */
  public Future<Void> onTouched(RunTouched touched) {
    return serial(() -> task(touched.taskId()).map(task -> {
      if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
        footprints.observe(task.id(), touched.paths());
      }
      return null;
    }));
  }

  private Future<Void> finished(RunView run) {
    if (run.succeeded()) {
      return governor.state().phase() == RateGovernor.Phase.PROBING ? gotThrough() : Future.succeededFuture();
    }
    return task(run.taskId()).compose(task -> {
      if (run.status() == RunStatus.LIMITED && run.apiLimit() != null && task.status() == TaskStatus.IN_REVIEW) {
        // A pull request's fix round hit the limit: the same limit holds every agent back; prbot runs the round again.
        return parkOnly(run.apiLimit());
      }
      if (task.status() != TaskStatus.RUNNING && task.status() != TaskStatus.QUEUED) {
        return Future.succeededFuture();
      }
      if (run.status() == RunStatus.LIMITED && run.apiLimit() != null) {
        return parkFor(task, run.apiLimit());
      }
      if (task.id().equals(probe)) {
        probe = null;
      }
      StopCause cause = run.stopCause();
      if (cause == StopCause.SHUTDOWN || cause == StopCause.LOST) {
        return change(task.id(), TaskStatus.NOT_STARTED, run.reason() + "; it starts again with orch",
            Math.max(0, task.attempts() - 1), 0, task.lastError()).mapEmpty();
      }
      if (cause == StopCause.DAY_BUDGET) {
        return change(task.id(), TaskStatus.NOT_STARTED, run.reason() + "; it starts again tomorrow",
            Math.max(0, task.attempts() - 1), 0, run.reason()).mapEmpty();
      }
      boolean retryable = cause != StopCause.PERSON && cause != StopCause.TASK_BUDGET;
      TaskStatus as = run.status() == RunStatus.STUCK ? TaskStatus.STUCK : TaskStatus.FAILED;
      String reason = "run " + run.runId() + ": " + (run.reason() == null ? run.status().wire() : run.reason());
      return failed(task.id(), as, reason, retryable);
    });
  }

  /** A limit is no fault of the task: it waits, its attempt given back, and the governor holds every new start. */
  private Future<Void> parkFor(StoredTask task, ApiLimit limit) {
    boolean parkedNow = governor.limited(limit);
    if (task.id().equals(probe)) {
      probe = null;
    }
    long resumeAt = governor.state().resumeAt();
    String reason = "paused: " + limit.kind().describe() + "; resumes after " + Instant.ofEpochMilli(resumeAt);
    return saveGovernor().compose(view -> change(task.id(), TaskStatus.PAUSED, reason, Math.max(0, task.attempts() - 1),
        0, task.lastError()).onSuccess(t -> {
          if (parkedNow) {
            toldParked(limit, view);
          }
          announce();
        })).mapEmpty();
  }

  private void toldParked(ApiLimit limit, GovernorView view) {
    LOG.warn("{}: no new agent starts until {}", limit.kind().describe(), Instant.ofEpochMilli(view.resumeAt()));
  }

  /** Tells the listener the governor as it now is, if that is not what it was last told. */
  private void announce() {
    if (governor.state().phase() != RateGovernor.Phase.PROBING) {
      probeSought = false;
    }
    GovernorView view = governor.view().withProbeFree(probeSought && probe == null);
    if (!view.equals(announced)) {
      announced = view;
      listener.governed(view);
    }
  }

  /** Writes the governor's state (a restart must find the plan as parked as it was) and answers what it is now. */
  private Future<GovernorView> saveGovernor() {
    RateGovernor.State state = governor.state();
    GovernorView view = governor.view();
    return UntilWritten.write(delay, "the governor", () -> store.saveGovernor(state), TaskLifecycle::timeCanFix)
        .map(view);
  }

  /**
   * A person lifts the park before the governor's own time (they know the limit is gone, or the reset time was
   * wrong): one agent goes first as a probe, as when the wait ends by itself. Answers the governor's state after.
   */
  public Future<GovernorView> unpark() {
    // Read back from the store: a command line without a running orch lifts the park the last orch saved.
    return serial(() -> store.governor().compose(saved -> {
      governor = new RateGovernor(clock, policy.governor(), saved);
      if (!governor.lift()) {
        return Future.succeededFuture(governor.view());
      }
      LOG.warn("the park was lifted by a person: one agent goes first");
      return saveGovernor().onSuccess(view -> {
        announce();
        listener.mayDispatch();
      });
    }));
  }

  /** The hourly spending limit holds new agents back on the governor, until the hour has rolled under it. */
  public Future<Void> onSpendRate(ApiLimit limit) {
    return serial(() -> parkOnly(limit));
  }

  /** A limit no task of the plan waits out: every new start is held back, and nothing else changes. */
  private Future<Void> parkOnly(ApiLimit limit) {
    boolean parkedNow = governor.limited(limit);
    return saveGovernor().onSuccess(view -> {
      if (parkedNow) {
        toldParked(limit, view);
      }
      announce();
    }).mapEmpty();
  }

  /**
   * The probe's agent is talking to the model: the limit has lifted, the others may follow. With no task of the plan
   * to send first, any agent talking (a pull request's round that went as the probe) shows the same. An agent whose CLI
   * retries a limit parks the plan at once.
   */
  public Future<Void> onOutput(AgentOutput output) {
    ApiLimit met = output.events().stream().map(AgentEvent::limit).filter(java.util.Objects::nonNull).findFirst()
        .orElse(null);
    if (met != null) {
      // The CLI waits out a 429 or 529 on its own, or met a usage limit: hold every new start now, before its run ends.
      // Its agent goes on; a probe that meets the limit has not got through, so the next one is chosen afresh.
      return serial(() -> {
        if (output.taskId().toString().equals(probe)) {
          probe = null;
        }
        return parkOnly(met);
      });
    }
    boolean fromProbe = probe != null ? probe.equals(output.taskId().toString()) : probeSought;
    if (!fromProbe) {
      return Future.succeededFuture();
    }
    boolean talking = output.events().stream()
        .anyMatch(e -> e.kind() == AgentEvent.Kind.TEXT || e.kind() == AgentEvent.Kind.TOOL_CALL);
    return talking ? serial(this::gotThrough) : Future.succeededFuture();
  }

  private Future<Void> gotThrough() {
    if (governor.state().phase() != RateGovernor.Phase.PROBING) {
      return Future.succeededFuture();
    }
    governor.gotThrough();
    probe = null;
    return saveGovernor().onSuccess(view -> {
      LOG.warn("the model API's limit has lifted: agents start again, up to {} at first", view.allowed());
      announce();
      listener.mayDispatch();
    }).mapEmpty();
  }

  public Future<Void> onOpened(PullRequestView pr) {
    return serial(() -> task(pr.taskId()).compose(task -> task.status() == TaskStatus.COMPLETE ? Future.succeededFuture()
        : change(task.id(), TaskStatus.IN_REVIEW, "pull request #" + pr.number() + " opened", task.attempts(), 0, null)
            .mapEmpty()));
  }

  public Future<Void> onMerged(PullRequestView pr) {
    footprints.forget(pr.taskId().toString());
    return serial(() -> task(pr.taskId()).compose(task -> change(task.id(), TaskStatus.COMPLETE,
        "pull request #" + pr.number() + " merged", task.attempts(), 0, null)).compose(t -> remember(pr)));
  }

  /**
   * The files a merged pull request changed join its module's history, kept across restarts. Only a prediction rests
   * on them, so a write that fails is logged, not retried.
   */
  private Future<Void> remember(PullRequestView pr) {
    if (pr.changedPaths().isEmpty()) {
      return Future.succeededFuture();
    }
    ModuleHistory.Merge merge = new ModuleHistory.Merge(pr.taskId().module(), pr.taskId().toString(),
        pr.mergedAt() > 0 ? pr.mergedAt() : clock.millis(), pr.changedPaths());
    history.record(merge);
    return store.saveMergedFiles(merge).recover(e -> {
      TaskLog.warn(LOG, merge.taskId()).log("{}: the files its merge changed were not kept: {}", merge.taskId(),
          e.getMessage());
      return Future.succeededFuture();
    });
  }

  public Future<Void> onFlagged(PullRequestView pr) {
    return serial(() -> task(pr.taskId()).compose(task -> change(task.id(), TaskStatus.IN_REVIEW,
        "pull request #" + pr.number() + " needs a person", task.attempts(), 0,
        "pull request #" + pr.number() + " needs a person: " + pr.reason()).mapEmpty()));
  }

  public Future<Void> onFixing(PullRequestView pr) {
    return serial(() -> task(pr.taskId()).compose(task -> change(task.id(), TaskStatus.IN_REVIEW,
        "pull request #" + pr.number() + ": " + pr.reason(), task.attempts(), 0, null).mapEmpty()));
  }

  public Future<Void> onPullRequestFailed(PullRequestFailure failure) {
    return serial(() -> failed(failure.taskId().toString(), TaskStatus.FAILED, "run " + failure.runId() + ": " + failure.reason(),
        true));
  }

  public Future<Void> onBudget(RunAlert alert) {
    return serial(() -> {
      if (alert.taskId() == null) {
        pausedOn = LocalDate.now(clock);
        pauseReason = alert.reason();
        LOG.warn("no new agents start today: {}", alert.reason());
        return Future.succeededFuture();
      }
      return task(alert.taskId()).compose(task -> {
        overBudget.put(task.id(), alert.reason());
        boolean waiting = task.status() == TaskStatus.FAILED || task.status() == TaskStatus.STUCK
            || task.status() == TaskStatus.NOT_STARTED;
        // A live run is stopped by the observer and fails without a retry; a task waiting for a retry loses it now.
        return unrequest(task.id()).compose(v -> waiting
            ? change(task.id(), task.status() == TaskStatus.NOT_STARTED ? TaskStatus.FAILED : task.status(),
                alert.reason(), task.attempts(), 0, alert.reason()).mapEmpty()
            : Future.succeededFuture());
      });
    });
  }

  /** The failure policy: retry with backoff while attempts remain, else leave the task for a person. */
  private Future<Void> failed(String taskId, TaskStatus as, String reason, boolean retryable) {
    return task(taskId).compose(task -> {
      String budget = overBudget.get(taskId);
      if (!retryable || budget != null || !policy.retries().mayRetry(task.attempts())) {
        String why = budget != null ? reason + "; not retried: " + budget
            : retryable ? reason + " (gave up after " + task.attempts() + " attempt" + (task.attempts() == 1 ? "" : "s")
                + "; orch retry " + taskId + " to try again)" : reason;
        return unrequest(taskId).compose(v -> change(taskId, as, why, task.attempts(), 0, why)).mapEmpty();
      }
      Duration delay = policy.retries().delayAfter(task.attempts());
      long at = clock.millis() + delay.toMillis();
      return change(taskId, as, reason + "; retrying in " + delay.toSeconds() + " s", task.attempts(), at, reason)
          .mapEmpty();
    });
  }

  // ---- a person's commands

  /** Records which tasks a person asked to start (they outlive a restart) and answers which were refused and why. */
  public Future<StartResult> start(StartRequest request) {
    return serial(() -> store.loadAll().compose(tasks -> {
      List<String> started = new ArrayList<>();
      List<StartResult.Refusal> refused = new ArrayList<>();
      if (!request.ids().isEmpty()) {
        for (String raw : request.ids()) {
          String id;
          try {
            id = TaskId.parseFull(raw).toString();
          } catch (OrchException e) {
            refused.add(new StartResult.Refusal(raw, e.getMessage()));
            continue;
          }
          StoredTask task = tasks.get(id);
          String why = task == null || task.status() == TaskStatus.REMOVED ? "no such task"
              : Readiness.whyNotStartable(task, tasks);
          if (why != null) {
            refused.add(new StartResult.Refusal(id, why));
          } else {
            started.add(id);
          }
        }
      } else {
        DispatchOrder.next(tasks, request.count(), Long.MAX_VALUE,
            id -> request.module() == null || id.startsWith(request.module() + "/")).forEach(t -> started.add(t.id()));
      }
      return store.addStartRequests(started).map(v -> {
        requested.addAll(started);
        return new StartResult(started, refused);
      });
    }));
  }

  public Future<Void> stop(String taskId) {
    return serial(() -> task(taskId).compose(task -> unrequest(taskId).compose(v -> {
      if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
        // The run may end on its own meanwhile; its end event then settles the task either way.
        return runs.stop(StopRequest.byPerson(task.taskId())).<Void>mapEmpty().otherwiseEmpty();
      }
      if (task.retryDue(Long.MAX_VALUE)) {
        return change(taskId, task.status(), "retry cancelled by a person", task.attempts(), 0, task.lastError())
            .mapEmpty();
      }
      return Future.failedFuture(OrchException.conflict(taskId + " is " + task.status().wire() + ", not running"));
    })));
  }

  public Future<Void> retry(String taskId) {
    return serial(() -> task(taskId).compose(task -> {
      if (task.status() != TaskStatus.FAILED && task.status() != TaskStatus.STUCK) {
        return Future.failedFuture(OrchException.conflict(taskId + " is " + task.status().wire()
            + "; only failed or stuck tasks can be retried"));
      }
      overBudget.remove(taskId);
      return store.addStartRequests(List.of(taskId))
          .onSuccess(v -> requested.add(taskId))
          .compose(v -> change(taskId, TaskStatus.NOT_STARTED, "retry requested by a person", 0, 0, task.lastError()))
          .<Void>mapEmpty();
    }));
  }

  public Future<Void> reset(String taskId) {
    return serial(() -> task(taskId).compose(task -> {
      if (task.status().live()) {
        return Future.failedFuture(OrchException.conflict(taskId + " is " + task.status().wire() + "; stop it first"));
      }
      if (task.status() == TaskStatus.BLOCKED) {
        return Future.failedFuture(OrchException.conflict(taskId + " is blocked by its plan: " + task.blockedReason()));
      }
      return unrequest(taskId).compose(v -> change(taskId, TaskStatus.NOT_STARTED, "reset by a person", 0, 0, null))
          .mapEmpty();
    }));
  }

  // ---- after a restart

  /** Brings every task that was mid-flight when orch stopped back in line with its runs and pull requests. */
  public Future<Void> reconcile() {
    return serial(() -> loadLimits().compose(v -> loadHistory()).compose(v -> store.governor()).compose(saved -> {
      governor = new RateGovernor(clock, policy.governor(), saved);
      // Told at once, parked or not: whoever holds back on the governor (batches counting parked time, prbot's fix
      // rounds, which start none until they know) learns how it stands after a restart.
      announce();
      return store.startRequests();
    }).compose(stored -> {
      requested.addAll(stored);
      return store.loadAll();
    }).compose(tasks -> {
      Future<Void> chain = Future.succeededFuture();
      for (StoredTask task : tasks.values()) {
        if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
          chain = chain.compose(v -> untilAnswered(task.id() + "'s runs", () -> reconcileRun(task)));
        } else if (task.status() == TaskStatus.IN_REVIEW) {
          chain = chain.compose(v -> untilAnswered(task.id() + "'s pull request", () -> reconcileReview(task)));
        }
      }
      return chain;
    }));
  }

  /** Only predictions rest on the modules' history: a store that cannot give it now leaves them to the merges to come. */
  private Future<Void> loadHistory() {
    return store.mergedFiles().<Void>map(merges -> {
      merges.forEach(history::record);
      return null;
    }).recover(e -> {
      LOG.warn("the files earlier merges changed are unknown at start: {}", e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> loadLimits() {
    return limits.get()
        .map(known -> {
          overBudget.putAll(known.tasksOverBudget());
          if (known.dayOverBudget() != null) {
            pausedOn = LocalDate.now(clock);
            pauseReason = known.dayOverBudget();
          }
          return (Void) null;
        })
        .recover(e -> {
          LOG.warn("cost limits unknown at start: {}", e.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<Void> reconcileRun(StoredTask task) {
    return runs.ofTask(task.taskId()).compose(list -> {
      RunView latest = list.isEmpty() ? null : list.get(0);
      if (latest == null || latest.attempt() < task.attempts() && task.status() == TaskStatus.QUEUED) {
        return change(task.id(), TaskStatus.NOT_STARTED, "orch restarted before the agent started",
            Math.max(0, task.attempts() - 1), 0, task.lastError()).mapEmpty();
      }
      if (latest.status().live()) {
        return task.status() == TaskStatus.QUEUED
            ? change(task.id(), TaskStatus.RUNNING, "agent still running after restart (run " + latest.runId() + ")",
                task.attempts(), 0, task.lastError()).mapEmpty()
            : Future.succeededFuture();
      }
      if (latest.succeeded()) {
        return pullRequests.open(task.taskId(), latest.runId()).compose(pr -> pr.state() == PrState.MERGED
            ? change(task.id(), TaskStatus.COMPLETE, "pull request #" + pr.number() + " merged", task.attempts(), 0, null)
                .compose(t -> remember(pr))
            : change(task.id(), TaskStatus.IN_REVIEW, "pull request #" + pr.number() + " open", task.attempts(), 0,
                pr.state() == PrState.FLAGGED ? pr.reason() : null).<Void>mapEmpty())
            .recover(e -> ErrorCode.of(e).retryable() ? Future.failedFuture(e)
                : failed(task.id(), TaskStatus.FAILED, "run " + latest.runId() + ": " + e.getMessage(), true));
      }
      return finished(latest);
    });
  }

  private Future<Void> reconcileReview(StoredTask task) {
    return pullRequests.latestOf(task.taskId()).compose(found -> {
      PullRequestView latest = found.orElse(null);
      if (latest != null && latest.state() == PrState.MERGED) {
        return change(task.id(), TaskStatus.COMPLETE, "pull request #" + latest.number() + " merged", task.attempts(), 0,
            null).compose(t -> remember(latest));
      }
      if (latest == null || latest.state() == PrState.CLOSED) {
        return failed(task.id(), TaskStatus.FAILED, "its pull request was closed without merging", true);
      }
      if (latest.state() == PrState.FLAGGED && task.lastError() == null) {
        // Flagged just before orch stopped, before the scheduler heard of it: say so, a person is to act.
        return change(task.id(), TaskStatus.IN_REVIEW, "pull request #" + latest.number() + " needs a person",
            task.attempts(), 0, "pull request #" + latest.number() + " needs a person: " + latest.reason()).mapEmpty();
      }
      return Future.succeededFuture();
    });
  }

  // ---- state helpers

  private Future<StoredTask> task(TaskId id) {
    return task(id.toString());
  }

  private Future<StoredTask> task(String id) {
    return store.find(id).map(found -> found.orElseThrow(() -> OrchException.notFound("no task " + id)));
  }

  private Future<Void> unrequest(String taskId) {
    return requested.remove(taskId)
        ? UntilWritten.write(delay, taskId + "'s start request", () -> store.removeStartRequest(taskId),
            TaskLifecycle::timeCanFix)
        : Future.succeededFuture();
  }

  /**
   * Asks a neighbour until it answers: after a restart the executor or prbot may not be deployed yet, and that is
   * no reason to fail a task or hand it to a person. Other failures are logged and the next task is looked at.
   */
  private Future<Void> untilAnswered(String what, Supplier<Future<Void>> ask) {
    return UntilWritten.write(delay, what, ask, failure -> ErrorCode.of(failure).retryable())
        .recover(e -> {
          LOG.warn("{}: {}", what, e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** A busy or full store heals with time; a task that is not there does not. */
  private static boolean timeCanFix(Throwable failure) {
    return !(failure instanceof OrchException);
  }

  private Future<TaskTransition> change(String id, TaskStatus to, String reason, int attempts, long retryAt,
      String lastError) {
    // Written until it lands: a neighbour's event is handled once, and dropping its effect would leave the task
    // "running" with its slot taken for good.
    TaskStore.Change change = new TaskStore.Change(id, to, reason, attempts, retryAt, lastError);
    return UntilWritten.write(delay, id + " -> " + to.wire(), () -> store.apply(change), TaskLifecycle::timeCanFix)
        .onSuccess(t -> {
          if (t.from() != t.to()) {
            TaskLog.info(LOG, id)
                .log("{}: {} -> {} ({})", id, t.from() == null ? "new" : t.from().wire(), to.wire(), reason);
            listener.changed(t);
            if (to != TaskStatus.QUEUED && to != TaskStatus.RUNNING) {
              listener.mayDispatch();
            }
          }
        });
  }

  /** The newest of a task's pull requests. */
  public static Optional<PullRequestView> newest(List<PullRequestView> prs, TaskId taskId) {
    return prs.stream().filter(pr -> pr.taskId().equals(taskId)).max(Comparator.comparingInt(PullRequestView::number));
  }
}
