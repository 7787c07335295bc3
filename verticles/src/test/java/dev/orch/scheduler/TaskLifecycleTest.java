package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.contract.AgentEvent;
import dev.orch.contract.AgentOutput;
import dev.orch.contract.GovernorView;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.LaunchRequest;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.Priority;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import dev.orch.contract.TaskView;
import dev.orch.db.Database;
import dev.orch.footprint.FootprintMode;
import dev.orch.testkit.MovableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's life on a real SQLite file with fake neighbours and virtual time: no event bus, no verticle. Vert.x is here
 * only because the store's JDBC pool needs it.
 */
@ExtendWith(VertxExtension.class)
class TaskLifecycleTest {
  @TempDir
  Path tmp;

  private final MovableClock clock = MovableClock.at("2026-11-29T10:00:00Z");
  private final List<LaunchRequest> launched = new ArrayList<>();
  private final List<StopRequest> stopped = new ArrayList<>();
  private final List<ResumeRequest> resumed = new ArrayList<>();
  private final List<GovernorView> governed = new ArrayList<>();
  private final List<TaskTransition> transitions = new ArrayList<>();
  /** The executor's live run per task, as a restarted scheduler finds it. */
  private final Map<String, RunView> live = new java.util.HashMap<>();
  private Vertx vertx;
  private TaskStore store;
  private Pool pool;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    this.vertx = vertx;
    pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, TaskStore.OWNER, TaskStore.MIGRATIONS));
    store = new TaskStore(pool, clock);
    await(store.applySnapshot(new PlanSnapshot("docs/plans", List.of(spec("a/E01"), spec("a/E02"), spec("b/E01", "a/E01")),
        List.of(), Map.of(), 3, 0)));
  }

  private static TaskSpec spec(String id, String... deps) {
    String module = id.substring(0, id.indexOf('/'));
    int number = Integer.parseInt(id.substring(id.indexOf("/E") + 2));
    return new TaskSpec(id, module, "E", number, "T " + id, "docs/plans/" + id + ".md", Priority.MEDIUM,
        Arrays.asList(deps), false, null, 0, 0, List.of(), "h" + id, null);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private TaskLifecycle lifecycle(int parallel, boolean auto, int maxRetries) {
    TaskLifecycle.Runs runs = new TaskLifecycle.Runs() {
      @Override
      public Future<RunView> launch(LaunchRequest request) {
        launched.add(request);
        return Future.succeededFuture(run(request.taskId(), request.attempt(), RunStatus.STARTING, null));
      }

      @Override
      public Future<RunView> resume(ResumeRequest request) {
        resumed.add(request);
        return Future.succeededFuture(run(request.taskId(), 1, RunStatus.STARTING, null));
      }

      @Override
      public Future<RunView> stop(StopRequest request) {
        stopped.add(request);
        return Future.succeededFuture(run(request.taskId(), 1, RunStatus.RUNNING, null));
      }

      @Override
      public Future<List<RunView>> ofTask(TaskId taskId) {
        RunView running = live.get(taskId.toString());
        return Future.succeededFuture(running == null ? List.of() : List.of(running));
      }
    };
    TaskLifecycle.PullRequests prs = new TaskLifecycle.PullRequests() {
      @Override
      public Future<PullRequestView> open(TaskId taskId, long runId) {
        return Future.failedFuture("no forge in this test");
      }

      @Override
      public Future<Optional<PullRequestView>> latestOf(TaskId taskId) {
        return Future.succeededFuture(Optional.empty());
      }
    };
    TaskLifecycle.Listener listener = new TaskLifecycle.Listener() {
      @Override
      public void changed(TaskTransition transition) {
        transitions.add(transition);
      }

      @Override
      public void mayDispatch() {
      }

      @Override
      public void governed(GovernorView view) {
        governed.add(view);
      }
    };
    return new TaskLifecycle(clock, store, runs, prs, () -> Future.succeededFuture(TaskLifecycle.Limits.NONE), listener,
        new TaskLifecycle.Policy(parallel, auto, new RetryPolicy(maxRetries, Duration.ofSeconds(30),
            Duration.ofMinutes(10)), FootprintMode.PREFER, RateGovernor.Settings.defaults(parallel,
            LongUnaryOperator.identity())), wait -> Future.failedFuture("no retries in this test"));
  }

  private static RunView run(TaskId taskId, int attempt, RunStatus status, StopCause cause) {
    return new RunView(7, taskId, attempt, status, "s", 0, "orch/x", "/w/x", "/l/x", 42, 1, 2, null,
        cause == null ? (status == RunStatus.FAILED ? "the agent exited with code 1" : null) : cause.describe(), 0, 0, 0, 0,
        0, 0, 0, cause, "T " + taskId, "docs/plans/" + taskId + ".md", false);
  }

  private TaskStatus status(String id) throws Exception {
    return await(store.find(id)).orElseThrow().status();
  }

  @Test
  void tasksAskedForThatDidNotFitUnderTheParallelLimitStillStartAfterARestart() throws Exception {
    TaskLifecycle first = lifecycle(1, false, 0);
    await(first.reconcile());
    assertThat(await(first.start(new StartRequest(List.of("a/E01", "a/E02"), 0, null))).started())
        .containsExactly("a/E01", "a/E02");
    await(first.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01");

    // kill -9 here: only the store is left.
    TaskLifecycle restarted = lifecycle(1, false, 0);
    await(restarted.reconcile());
    await(restarted.onStarted(run(TaskId.parseFull("a/E01"), 1, RunStatus.RUNNING, null)));
    await(restarted.onMerged(PullRequestView.fromJson(new io.vertx.core.json.JsonObject().put("number", 1)
        .put("task_id", "a/E01").put("run_id", 7).put("state", "merged").put("files_changed", 1).put("additions", 1)
        .put("deletions", 0).put("cost_usd", 0.0).put("tokens", 0).put("created_at", 0).put("merged_at", 0)
        .put("fix_rounds", 0).put("remote_number", 0).put("needs_review", false))));
    await(restarted.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01", "a/E02");
    await(restarted.serial(() -> Future.succeededFuture()));
    assertThat(await(store.startRequests())).as("a launched task's request is done").isEmpty();
  }

  @Test
  void whyOrchStoppedARunDecidesWhatHappensToTheTaskNotTheReasonsWording() throws Exception {
    TaskLifecycle lifecycle = lifecycle(3, true, 2);
    await(lifecycle.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01", "a/E02");

    await(lifecycle.onFinished(run(TaskId.parseFull("a/E01"), 1, RunStatus.STOPPED, StopCause.SHUTDOWN)));
    assertThat(status("a/E01")).isEqualTo(TaskStatus.NOT_STARTED);
    assertThat(await(store.find("a/E01")).orElseThrow().attempts()).as("a shutdown is not held against the task").isZero();

    await(lifecycle.onFinished(run(TaskId.parseFull("a/E02"), 1, RunStatus.STOPPED, StopCause.PERSON)));
    StoredTask byPerson = await(store.find("a/E02")).orElseThrow();
    assertThat(byPerson.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(byPerson.retryAt()).as("a person's stop is not retried").isZero();
  }

  @Test
  void aFirstRunLostToAKillBeforeItsAgentStartedIsGivenBackWithoutCountingTheAttempt() throws Exception {
    TaskLifecycle lifecycle = lifecycle(3, true, 2);
    await(lifecycle.dispatch());
    assertThat(await(store.find("a/E01")).orElseThrow().attempts()).isEqualTo(1);

    await(lifecycle.onFinished(run(TaskId.parseFull("a/E01"), 1, RunStatus.STOPPED, StopCause.LOST)));

    StoredTask lost = await(store.find("a/E01")).orElseThrow();
    assertThat(lost.status()).isEqualTo(TaskStatus.NOT_STARTED);
    assertThat(lost.attempts()).as("orch's kill is not held against the task").isZero();
    assertThat(lost.retryAt()).as("it starts again at once, no backoff").isZero();
    launched.clear();
    await(lifecycle.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).contains("a/E01");
  }

  @Test
  void aFailedRunIsRetriedAfterTheBackoffOnTheInjectedClockAndNotBefore() throws Exception {
    TaskLifecycle lifecycle = lifecycle(3, true, 2);
    await(lifecycle.dispatch());
    await(lifecycle.onFinished(run(TaskId.parseFull("a/E01"), 1, RunStatus.FAILED, null)));
    StoredTask failed = await(store.find("a/E01")).orElseThrow();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.retryAt()).isEqualTo(clock.millis() + 30_000);

    launched.clear();
    assertThat(await(lifecycle.dispatch())).as("when to look again").isEqualTo(failed.retryAt());
    assertThat(launched).as("before the retry is due").isEmpty();
    clock.advance(Duration.ofSeconds(30));
    await(lifecycle.dispatch());
    assertThat(launched).extracting(LaunchRequest::taskId, LaunchRequest::attempt).containsExactly(
        org.assertj.core.groups.Tuple.tuple(TaskId.parseFull("a/E01"), 2));
  }

  @Test
  void anExecutorThatIsNotThereYetCostsNoAttemptAndIsAskedAgainAfterABackoff() throws Exception {
    List<LaunchRequest> refused = new ArrayList<>();
    TaskLifecycle lifecycle = new TaskLifecycle(clock, store, new TaskLifecycle.Runs() {
      @Override
      public Future<RunView> launch(LaunchRequest request) {
        refused.add(request);
        return Future.failedFuture(new io.vertx.core.eventbus.ReplyException(
            io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS, "nobody serves the executor"));
      }

      @Override
      public Future<RunView> resume(ResumeRequest request) {
        resumed.add(request);
        return Future.succeededFuture(run(request.taskId(), 1, RunStatus.STARTING, null));
      }

      @Override
      public Future<RunView> stop(StopRequest request) {
        return Future.failedFuture("unused");
      }

      @Override
      public Future<List<RunView>> ofTask(TaskId taskId) {
        return Future.succeededFuture(List.of());
      }
    }, null, () -> Future.succeededFuture(TaskLifecycle.Limits.NONE), new TaskLifecycle.Listener() {
      @Override
      public void changed(TaskTransition transition) {
      }

      @Override
      public void mayDispatch() {
      }
    }, new TaskLifecycle.Policy(1, true, new RetryPolicy(0, Duration.ofSeconds(30), Duration.ofMinutes(10)),
        FootprintMode.PREFER),
        wait -> Future.failedFuture("no retries in this test"));
    await(lifecycle.dispatch());
    await(lifecycle.serial(() -> Future.succeededFuture()));
    StoredTask waiting = await(store.find(refused.get(0).taskId().toString())).orElseThrow();
    assertThat(waiting.status()).isEqualTo(TaskStatus.NOT_STARTED);
    assertThat(waiting.attempts()).as("no attempt counted").isZero();

    assertThat(await(lifecycle.dispatch())).as("asked again in a second").isEqualTo(clock.millis() + 1_000);
    assertThat(refused).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    await(lifecycle.dispatch());
    assertThat(refused).hasSize(2);
  }

  @Test
  void theDaysBudgetPausesDispatchUntilTheNextDayOnTheClock() throws Exception {
    TaskLifecycle lifecycle = lifecycle(3, true, 2);
    await(lifecycle.onBudget(new dev.orch.contract.RunAlert(0, null, "daily cost limit reached", 10, 10)));
    await(lifecycle.dispatch());
    assertThat(launched).isEmpty();
    assertThat(lifecycle.pauseReason()).isEqualTo("daily cost limit reached");
    clock.advance(Duration.ofDays(1));
    await(lifecycle.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01", "a/E02");
  }

  @Test
  void stoppingATaskThatIsNotRunningIsAConflictNamingItsStatus() throws Exception {
    TaskLifecycle lifecycle = lifecycle(1, false, 0);
    assertThatThrownBy(() -> await(lifecycle.stop("a/E01"))).hasMessageContaining("a/E01 is not_started, not running");
    await(lifecycle.start(new StartRequest(List.of("a/E01"), 0, null)));
    await(lifecycle.dispatch());
    await(lifecycle.stop("a/E01"));
    assertThat(stopped).extracting(StopRequest::cause).containsExactly(StopCause.PERSON);
  }

  @Test
  void aTaskDeclaringARunningTasksFilesWaitsForItAndSaysWhy() throws Exception {
    TaskSpec billing = spec("a/E01");
    TaskSpec invoices = spec("a/E02");
    await(store.applySnapshot(new PlanSnapshot("docs/plans", List.of(
        withFiles(billing, "src/billing/**"), withFiles(invoices, "src/billing/Invoice.java"), spec("b/E01", "a/E01")),
        List.of(), Map.of(), 3, 0)));
    TaskLifecycle lifecycle = lifecycle(3, true, 0);
    TaskQueries queries = new TaskQueries(store, List::of, lifecycle::footprintHolds);

    await(lifecycle.dispatch());

    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01");
    TaskView held = await(queries.get("a/E02"));
    assertThat(held.ready()).isTrue();
    assertThat(held.heldBy()).isEqualTo("a/E01");
    assertThat(held.sharedFiles()).isEqualTo("src/billing/Invoice.java");

    await(lifecycle.onStarted(run(TaskId.parseFull("a/E01"), 1, RunStatus.RUNNING, null)));
    await(lifecycle.onFinished(run(TaskId.parseFull("a/E01"), 1, RunStatus.FAILED, null)));
    await(lifecycle.dispatch());

    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01", "a/E02");
    assertThat(await(queries.get("a/E02")).heldBy()).isNull();
  }

  @Test
  void aTaskInReviewHoldsItsFilesUntilItMerges() throws Exception {
    await(store.applySnapshot(new PlanSnapshot("docs/plans", List.of(
        withFiles(spec("a/E01"), "shared/ledger.txt"), withFiles(spec("a/E02"), "shared/ledger.txt")),
        List.of(), Map.of(), 2, 0)));
    TaskLifecycle lifecycle = lifecycle(3, true, 0);
    TaskId first = TaskId.parseFull("a/E01");
    await(lifecycle.dispatch());
    await(lifecycle.onStarted(run(first, 1, RunStatus.RUNNING, null)));
    await(lifecycle.onFinished(run(first, 1, RunStatus.SUCCEEDED, null)));
    PullRequestView pr = openPullRequestOf(first);
    await(lifecycle.onOpened(pr));
    assertThat(status("a/E01")).isEqualTo(TaskStatus.IN_REVIEW);

    await(lifecycle.dispatch());
    assertThat(launched).as("a/E02 would branch from a main branch without a/E01's change")
        .extracting(r -> r.taskId().toString()).containsExactly("a/E01");
    assertThat(lifecycle.footprintHolds()).containsKey("a/E02");

    await(lifecycle.onMerged(pr));
    await(lifecycle.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01", "a/E02");
  }

  @Test
  void aTaskIsPredictedToTouchWhatItsModulesMergedTasksChangedAndThatSurvivesARestart() throws Exception {
    await(store.applySnapshot(new PlanSnapshot("docs/plans", List.of(spec("a/E01"), spec("a/E02", "a/E01"),
        withFiles(spec("b/E01"), "src/a/Ledger.java"), spec("c/E01")), List.of(), Map.of(), 4, 0)));
    TaskLifecycle lifecycle = lifecycle(2, true, 0);
    await(lifecycle.reconcile());
    await(lifecycle.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01", "b/E01");
    TaskId first = TaskId.parseFull("a/E01");
    await(lifecycle.onStarted(run(first, 1, RunStatus.RUNNING, null)));
    await(lifecycle.onFinished(run(first, 1, RunStatus.SUCCEEDED, null)));
    PullRequestView pr = openPullRequestOf(first);
    await(lifecycle.onOpened(pr));
    await(lifecycle.onMerged(pr.merged("def", clock.millis(), null, List.of("src/a/Ledger.java"))));
    assertThat(status("a/E01")).isEqualTo(TaskStatus.COMPLETE);

    await(lifecycle.dispatch());

    assertThat(launched).as("a/E02 may touch what a/E01 changed, which b/E01 declares; c/E01 overlaps nothing")
        .extracting(r -> r.taskId().toString()).containsExactly("a/E01", "b/E01", "c/E01");
    TaskView held = await(new TaskQueries(store, List::of, lifecycle::footprintHolds).get("a/E02"));
    assertThat(held.heldBy()).isEqualTo("b/E01");
    assertThat(held.sharedFiles()).isEqualTo("src/a/Ledger.java");

    launched.clear();
    live.put("b/E01", run(TaskId.parseFull("b/E01"), 1, RunStatus.RUNNING, null));
    TaskLifecycle restarted = lifecycle(2, true, 0);
    await(restarted.reconcile());
    await(restarted.dispatch());
    assertThat(launched).as("c/E01 never started: it goes again; a/E02 still waits").extracting(r -> r.taskId().toString())
        .containsExactly("c/E01");
    assertThat(restarted.footprintHolds()).containsOnlyKeys("a/E02");
    assertThat(restarted.footprintHolds().get("a/E02").otherTaskId()).isEqualTo("b/E01");
  }

  private static TaskSpec withFiles(TaskSpec s, String... files) {
    return new TaskSpec(s.id(), s.module(), s.prefix(), s.number(), s.title(), s.file(), s.priority(), s.dependsOn(),
        s.needsReview(), s.planStatus(), s.criteriaDone(), s.criteriaTotal(), s.testSummary(), s.contentHash(),
        s.blockedReason(), List.of(files), List.of());
  }

  /** Pull request #1 of run 7, open, as prbot announces it. */
  private static PullRequestView openPullRequestOf(TaskId task) {
    return new PullRequestView(1, task, 7, "orch/" + task.toString().replace('/', '-'), "T " + task, "body",
        dev.orch.contract.PrState.OPEN, null, "abc", null, 1, 1, 0, "", 0, 0, 0, 0, null, 0, List.of(), null, null,
        null, 0);
  }

  private static RunView limited(String taskId, ApiLimit.Kind kind) {
    return run(TaskId.parseFull(taskId), 1, RunStatus.RUNNING, null)
        .settled(RunStatus.LIMITED, null, "stopped by " + kind.describe(), 1, 0).withApiLimit(new ApiLimit(kind, 0));
  }

  @Test
  void theHourlySpendingLimitHoldsNewAgentsBackUntilTheHourRollsUnderIt() throws Exception {
    TaskLifecycle lifecycle = lifecycle(3, true, 2);
    await(lifecycle.reconcile());
    long underAt = clock.millis() + Duration.ofMinutes(20).toMillis();

    await(lifecycle.onSpendRate(new ApiLimit(ApiLimit.Kind.SPEND_RATE, underAt)));
    await(lifecycle.dispatch());

    assertThat(launched).isEmpty();
    assertThat(lifecycle.notices()).singleElement().asString()
        .startsWith("parked by the hourly spending limit (observer.max_spend_per_hour)");
    clock.set(java.time.Instant.ofEpochMilli(underAt + 5_000));
    await(lifecycle.dispatch());
    assertThat(launched).as("one goes first").hasSize(1);
    assertThat(await(store.find(launched.get(0).taskId().toString())).orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void aLimitParksThePlanThenOneParkedSessionGoesFirstAndTheRestFollowOnceItGetsThrough() throws Exception {
    TaskLifecycle lifecycle = lifecycle(3, true, 2);
    await(lifecycle.reconcile());
    await(lifecycle.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01", "a/E02");
    await(lifecycle.onStarted(run(TaskId.parseFull("a/E01"), 1, RunStatus.RUNNING, null)));
    await(lifecycle.onStarted(run(TaskId.parseFull("a/E02"), 1, RunStatus.RUNNING, null)));

    await(lifecycle.onFinished(limited("a/E01", ApiLimit.Kind.RATE)));

    StoredTask paused = await(store.find("a/E01")).orElseThrow();
    assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);
    assertThat(paused.attempts()).as("a limit is not an attempt").isZero();
    assertThat(await(lifecycle.dispatch())).as("look again when it lifts").isEqualTo(clock.millis() + 30_000);
    await(lifecycle.onFinished(limited("a/E02", ApiLimit.Kind.RATE)));
    assertThat(lifecycle.notices()).singleElement().asString().startsWith("parked by the model API's rate limit");

    // kill -9: the store alone says the plan is parked, and until when.
    launched.clear();
    TaskLifecycle restarted = lifecycle(3, true, 2);
    await(restarted.reconcile());
    await(restarted.dispatch());
    assertThat(launched).isEmpty();
    assertThat(resumed).isEmpty();

    clock.advance(Duration.ofSeconds(30));
    await(restarted.dispatch());
    assertThat(resumed).as("one probe, in its own session").extracting(r -> r.taskId().toString())
        .containsExactly("a/E01");
    assertThat(resumed.get(0).template()).isEqualTo(ResumeRequest.AFTER_LIMIT);
    assertThat(resumed.get(0).values()).containsEntry("Limit", ApiLimit.Kind.RATE.describe()).containsKey("Title");
    await(restarted.dispatch());
    assertThat(resumed).as("the rest wait for the probe").hasSize(1);
    assertThat(launched).isEmpty();

    await(restarted.onStarted(run(TaskId.parseFull("a/E01"), 1, RunStatus.RUNNING, null)));
    await(restarted.onOutput(new AgentOutput(7, TaskId.parseFull("a/E01"),
        List.of(AgentEvent.text(AgentEvent.Kind.TEXT, "Carrying on.")), clock.millis())));
    await(restarted.dispatch());

    assertThat(resumed).extracting(r -> r.taskId().toString()).containsExactly("a/E01", "a/E02");
    assertThat(await(store.find("a/E01")).orElseThrow().attempts()).as("the interrupted attempt, counted once").isEqualTo(1);
    assertThat(restarted.notices()).singleElement().asString().contains("back to at most 2 agents");
  }

  @Test
  void aPullRequestsRoundThatHitsALimitParksThePlanAndTheGovernorIsToldAtLoadAndAtEachChangeOnce() throws Exception {
    TaskLifecycle lifecycle = lifecycle(1, false, 0);
    await(lifecycle.reconcile());
    assertThat(governed).as("told at load, open or not: prbot waits to hear").singleElement()
        .satisfies(view -> assertThat(view.open()).isTrue());
    TaskId first = TaskId.parseFull("a/E01");
    await(lifecycle.onOpened(openPullRequestOf(first)));

    await(lifecycle.onFinished(limited("a/E01", ApiLimit.Kind.RATE)));

    assertThat(status("a/E01")).as("its pull request's round waits; the task stays in review")
        .isEqualTo(TaskStatus.IN_REVIEW);
    assertThat(governed).hasSize(2);
    assertThat(governed.get(1).parked()).isTrue();
    assertThat(governed.get(1).limit()).isEqualTo(ApiLimit.Kind.RATE);
    await(lifecycle.dispatch());
    assertThat(governed).as("nothing changed, nothing told").hasSize(2);

    clock.advance(Duration.ofSeconds(30));
    await(lifecycle.dispatch());
    assertThat(launched).isEmpty();
    assertThat(governed).hasSize(3);
    assertThat(governed.get(2).probing()).isTrue();
    assertThat(governed.get(2).probeFree()).as("no task of the plan is there to go first").isTrue();
    assertThat(lifecycle.awaitsProbe()).isTrue();

    // The pull request's round went first, and talks to the model.
    await(lifecycle.onOutput(new AgentOutput(8, first, List.of(AgentEvent.text(AgentEvent.Kind.TEXT, "Carrying on.")),
        clock.millis())));
    assertThat(governed).hasSize(4);
    assertThat(governed.get(3).open()).as("it got through").isTrue();
    assertThat(lifecycle.awaitsProbe()).isFalse();
  }

  @Test
  void oneTaskIsReadWithItsDependenciesOnly() throws Exception {
    TaskQueries queries = new TaskQueries(store, List::of, Map::of);
    assertThat(await(queries.get("b/E01")).ready()).isFalse();
    assertThat(await(store.findWithDependencies("b/E01"))).containsOnlyKeys("b/E01", "a/E01");
    assertThat(await(queries.get("a/E02")).ready()).isTrue();
    assertThatThrownBy(() -> await(queries.get("z/E09"))).hasMessageContaining("no task z/E09");
  }

  @Test
  void aPersonLiftsTheParkEarlyAndOneParkedSessionGoesFirstAlsoFromACommandLineWithoutOrch() throws Exception {
    TaskLifecycle lifecycle = lifecycle(3, true, 2);
    await(lifecycle.reconcile());
    assertThat(governed).as("told at load, open or not").singleElement().satisfies(v -> assertThat(v.open()).isTrue());
    governed.clear();
    await(lifecycle.dispatch());
    await(lifecycle.onStarted(run(TaskId.parseFull("a/E01"), 1, RunStatus.RUNNING, null)));
    await(lifecycle.onFinished(limited("a/E01", ApiLimit.Kind.USAGE)));
    assertThat(governed).singleElement().satisfies(v -> assertThat(v.parked()).isTrue());

    // orch unpark with no orch running: a second lifecycle on the same store, not reconciled, lifts the saved park.
    TaskLifecycle commandLine = lifecycle(3, true, 2);
    GovernorView after = await(commandLine.unpark());
    assertThat(after.parked()).isFalse();
    assertThat(after.allowed()).as("one goes first").isEqualTo(1);
    assertThat(after.text()).contains("one agent goes first");

    resumed.clear();
    launched.clear();
    TaskLifecycle restarted = lifecycle(3, true, 2);
    governed.clear();
    await(restarted.reconcile());
    assertThat(governed).as("a restart tells late subscribers the governor is not open").singleElement()
        .satisfies(v -> assertThat(v.allowed()).isEqualTo(1));
    await(restarted.dispatch());
    assertThat(resumed).as("the probe, long before the usage limit's own reset")
        .extracting(r -> r.taskId().toString()).containsExactly("a/E01");
    assertThat(launched).isEmpty();
    assertThat(await(restarted.unpark()).allowed()).as("nothing parked: nothing changes").isEqualTo(1);
  }

  @Test
  void anAgentWhoseCliRetriesALimitParksThePlanBeforeItsRunEnds() throws Exception {
    TaskLifecycle lifecycle = lifecycle(1, true, 2);
    await(lifecycle.reconcile());
    await(lifecycle.dispatch());
    assertThat(launched).extracting(r -> r.taskId().toString()).containsExactly("a/E01");
    await(lifecycle.onStarted(run(TaskId.parseFull("a/E01"), 1, RunStatus.RUNNING, null)));
    AgentEvent retry = new AgentEvent(AgentEvent.Kind.RETRY, "{}", null, null, true, "api_retry", "s1", null, 0, 0, 0, 0,
        0, 0, new ApiLimit(ApiLimit.Kind.RATE, 0));

    await(lifecycle.onOutput(new AgentOutput(1, TaskId.parseFull("a/E01"), List.of(retry), clock.millis())));

    assertThat(lifecycle.notices()).singleElement().asString().startsWith("parked by the model API's rate limit");
    assertThat(status("a/E01")).as("its agent goes on").isEqualTo(TaskStatus.RUNNING);
    await(lifecycle.onFinished(run(TaskId.parseFull("a/E01"), 1, RunStatus.SUCCEEDED, null)));
    launched.clear();
    await(lifecycle.dispatch());
    assertThat(launched).as("no new start until the backoff ends").isEmpty();
    clock.advance(Duration.ofSeconds(30));
    await(lifecycle.dispatch());
    assertThat(launched).as("then one goes first").extracting(r -> r.taskId().toString()).containsExactly("a/E02");
  }
}
