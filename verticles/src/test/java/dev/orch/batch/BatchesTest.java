package dev.orch.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.BatchSummary;
import dev.orch.contract.BatchView;
import dev.orch.contract.GovernorView;
import dev.orch.contract.ParkedTime;
import dev.orch.contract.Priority;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.StartRequest;
import dev.orch.contract.StartResult;
import dev.orch.contract.TaskRef;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskView;
import dev.orch.testkit.MovableClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The batches' state machine without Vert.x: in-memory tasks and store, time moved by a clock. */
class BatchesTest {
  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final MovableClock clock = MovableClock.at("2026-11-24T01:00:00Z");
  private final Map<String, TaskView> tasks = new TreeMap<>();
  private final Map<String, BatchStore.State> saved = new HashMap<>();
  private final List<StartRequest> starts = new ArrayList<>();
  private final List<TaskRef> stops = new ArrayList<>();
  private final List<BatchView> started = new ArrayList<>();
  private final List<BatchSummary> finished = new ArrayList<>();
  private Parking.Spell savedSpell;

  @Test
  void aNewBatchWaitsForItsNextSlotThenStartsItsModulesReadyTasksUpToMaxTasks() {
    task("alpha/E01", TaskStatus.NOT_STARTED, true);
    task("alpha/E02", TaskStatus.NOT_STARTED, true);
    task("alpha/E03", TaskStatus.NOT_STARTED, true);
    task("alpha/E04", TaskStatus.NOT_STARTED, false);
    task("beta/E01", TaskStatus.NOT_STARTED, true);
    Batches batches = batches(Map.of(), false, spec("nightly", "0 2 * * *", 2, "1h", "alpha"));

    batches.wakeUp();
    assertThat(started).isEmpty();
    assertThat(saved.get("nightly").running()).isFalse();
    assertThat(batches.untilNextWake()).isEqualTo(Duration.ofHours(1).toMillis());

    clock.set("2026-11-24T02:00:00Z");
    batches.wakeUp();
    assertThat(started).extracting(BatchView::name).containsExactly("nightly");
    assertThat(starts).extracting(StartRequest::ids).containsExactly(List.of("alpha/E01", "alpha/E02"));
    assertThat(saved.get("nightly").tasks()).containsExactly("alpha/E01", "alpha/E02");
    assertThat(batches.untilNextWake()).isEqualTo(Duration.ofHours(1).toMillis());
  }

  @Test
  void slotsMissedWhileDownFireOnceAndTheDeadlineStopsTheRunningTasksThenSumsUp() {
    task("alpha/E01", TaskStatus.NOT_STARTED, true);
    task("alpha/E02", TaskStatus.NOT_STARTED, true);
    long threeDaysAgo = Instant.parse("2026-11-21T01:00:00Z").toEpochMilli();
    var before = new BatchStore.State("nightly", threeDaysAgo, false, 0, 0, List.of(), false, null);
    Batches batches = batches(Map.of("nightly", before), true, spec("nightly", "0 2 * * *", 5, "1h", null));

    batches.wakeUp();
    batches.wakeUp();
    assertThat(started).hasSize(1);
    assertThat(starts).hasSize(1);

    task("alpha/E01", TaskStatus.COMPLETE, true);
    task("alpha/E02", TaskStatus.RUNNING, true);
    clock.advance(Duration.ofMinutes(61));
    batches.wakeUp();
    assertThat(stops).extracting(TaskRef::id).extracting(Object::toString).containsExactly("alpha/E02");
    assertThat(saved.get("nightly").stopping()).isTrue();
    assertThat(finished).isEmpty();

    task("alpha/E02", TaskStatus.FAILED, true);
    batches.progress();
    assertThat(finished).singleElement().satisfies(summary -> {
      assertThat(summary.done()).isEqualTo(1);
      assertThat(summary.failed()).isEqualTo(1);
      assertThat(summary.reason()).isEqualTo("stopped at its deadline or by a person");
    });
    assertThat(saved.get("nightly").running()).isFalse();
  }

  @Test
  void timeThePlanSpendsParkedCountsAgainstMaxDurationWithoutMovingTheDeadlineAndTheSummarySaysHowLongAndByWhat() {
    task("alpha/E01", TaskStatus.NOT_STARTED, true);
    task("alpha/E02", TaskStatus.NOT_STARTED, true);
    Batches batches = batches(Map.of(), false, spec("nightly", "0 2 * * *", 2, "1h", null));
    batches.wakeUp();

    // Parked before the batch fires: only its own part of the spell counts.
    clock.set("2026-11-24T01:50:00Z");
    batches.governed(parked(ApiLimit.Kind.RATE));
    clock.set("2026-11-24T02:00:00Z");
    batches.wakeUp();
    assertThat(starts).hasSize(1);
    clock.set("2026-11-24T02:15:00Z");
    batches.governed(open());
    assertThat(saved.get("nightly").parked()).containsExactly(new ParkedTime(ApiLimit.Kind.RATE, 15 * 60_000, 1));

    // A probe refused, or the state told again, is the same spell; it ends when agents start again.
    clock.set("2026-11-24T02:40:00Z");
    batches.governed(parked(ApiLimit.Kind.RATE));
    task("alpha/E01", TaskStatus.PAUSED, true);
    clock.set("2026-11-24T02:45:00Z");
    batches.governed(parked(ApiLimit.Kind.RATE));
    batches.progress();
    assertThat(finished).as("a paused task is still the batch's").isEmpty();
    assertThat(batches.untilNextWake()).as("the deadline does not move").isEqualTo(Duration.ofMinutes(15).toMillis());
    // The limit lifts and one agent goes first: the plan is still held until it gets through.
    clock.set("2026-11-24T02:46:00Z");
    batches.governed(new GovernorView(false, ApiLimit.Kind.RATE, 0, 1, "probing"));
    clock.set("2026-11-24T02:47:00Z");
    batches.governed(open());

    task("alpha/E01", TaskStatus.COMPLETE, true);
    task("alpha/E02", TaskStatus.COMPLETE, true);
    batches.progress();
    assertThat(finished).singleElement().satisfies(summary -> {
      assertThat(summary.parked()).containsExactly(new ParkedTime(ApiLimit.Kind.RATE, 22 * 60_000, 2));
      assertThat(summary.parkedText()).isEqualTo("parked 22 min of its 1h by the model API's rate limit (2 times)");
      assertThat(summary.ranOutParkedBy()).isNull();
      assertThat(summary.reason()).isEqualTo("it started its max_tasks of 2");
    });
  }

  @Test
  void aSpellHeardBeforeACrashStillCountsAndMaxDurationRunningOutWhileParkedIsTheEndReason() {
    task("alpha/E01", TaskStatus.NOT_STARTED, true);
    task("alpha/E02", TaskStatus.NOT_STARTED, true);
    clock.set("2026-11-24T02:00:00Z");
    BatchSpec nightly = spec("nightly", "0 2 * * *", 5, "1h", null);
    Batches before = batches(Map.of(), true, nightly);
    assertThat(before.runNow("nightly").succeeded()).isTrue();
    clock.set("2026-11-24T02:30:00Z");
    before.governed(parked(ApiLimit.Kind.USAGE));
    task("alpha/E01", TaskStatus.PAUSED, true);
    task("alpha/E02", TaskStatus.PAUSED, true);

    // kill -9, and back while the plan is still parked: the scheduler says so again, which changes nothing.
    clock.set("2026-11-24T02:45:00Z");
    Batches after = batches(Map.copyOf(saved), true, nightly);
    after.governed(parked(ApiLimit.Kind.USAGE));
    assertThat(savedSpell).isEqualTo(new Parking.Spell(ApiLimit.Kind.USAGE, Instant.parse("2026-11-24T02:30:00Z")
        .toEpochMilli()));

    clock.set("2026-11-24T03:00:00Z");
    after.wakeUp();
    assertThat(finished).singleElement().satisfies(summary -> {
      assertThat(summary.reason())
          .isEqualTo("its max_duration ran out while the plan was parked by the subscription's usage limit");
      assertThat(summary.ranOutParkedBy()).isEqualTo(ApiLimit.Kind.USAGE);
      assertThat(summary.parked()).containsExactly(new ParkedTime(ApiLimit.Kind.USAGE, 30 * 60_000, 1));
      assertThat(summary.parkedText()).isEqualTo("parked 30 min of its 1h by the subscription's usage limit (once)");
      assertThat(summary.failed()).as("paused tasks failed at nothing").isZero();
    });

    clock.set("2026-11-24T03:30:00Z");
    after.governed(open());
    assertThat(saved.get("nightly").parked()).as("a run that ended keeps its count").isEqualTo(finished.get(0).parked());
  }

  @Test
  void parkedTimeIsSaidPerLimitInWordsPeopleUse() {
    var rate = new ParkedTime(ApiLimit.Kind.RATE, Duration.ofMinutes(42).toMillis(), 2);
    var overloaded = new ParkedTime(ApiLimit.Kind.OVERLOADED, Duration.ofSeconds(40).toMillis(), 1);
    assertThat(Parking.describe(List.of(), Duration.ofHours(6))).isEmpty();
    assertThat(Parking.describe(List.of(rate), Duration.ofHours(6)))
        .isEqualTo("parked 42 min of its 6h by the model API's rate limit (2 times)");
    assertThat(Parking.describe(List.of(rate, overloaded), Duration.ofMinutes(90)))
        .isEqualTo("parked 42 min of its 1h 30 min: 42 min by the model API's rate limit (2 times),"
            + " 40 s by the model API's overload (once)");
  }

  private static GovernorView parked(ApiLimit.Kind limit) {
    return new GovernorView(true, limit, 0, 0, "parked");
  }

  private static GovernorView open() {
    return new GovernorView(false, null, 0, 2, "open");
  }

  @Test
  void aPersonsRunNeedsAnOrchestratingInstanceAndAKnownBatch() {
    Batches listing = new Batches(clock, store(), neighbours(), events(), "schedule.toml",
        new ScheduleFile.Result(List.of(spec("nightly", "0 2 * * *", 1, "1h", null)), List.of()), Map.of(), null, false,
        BatchSettings.Runs.NEVER);
    assertThatThrownBy(() -> listing.runNow("weekly"))
        .hasMessageContaining("no batch 'weekly' in schedule.toml (batches: nightly)");
    assertThat(listing.runNow("nightly").failed()).isTrue();
    assertThat(listing.list().getJsonArray("batches")).hasSize(1);
  }

  private Batches batches(Map<String, BatchStore.State> before, boolean stopAtDeadline, BatchSpec... specs) {
    return batches(BatchSettings.Runs.ON_SCHEDULE, before, stopAtDeadline, specs);
  }

  private Batches batches(BatchSettings.Runs runs, Map<String, BatchStore.State> before, boolean stopAtDeadline,
      BatchSpec... specs) {
    saved.putAll(before);
    return new Batches(clock, store(), neighbours(), events(), "schedule.toml",
        new ScheduleFile.Result(List.of(specs), List.of()), before, savedSpell, stopAtDeadline, runs);
  }

  private Batches.Store store() {
    return new Batches.Store() {
      @Override
      public Future<Void> save(BatchStore.State state) {
        saved.put(state.name(), state);
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> saveSpell(List<BatchStore.State> states, Parking.Spell spell) {
        states.forEach(state -> saved.put(state.name(), state));
        savedSpell = spell;
        return Future.succeededFuture();
      }
    };
  }

  @Test
  void underServeASlotPassesUnfiredAndAPersonsRunStillStartsTheBatch() {
    task("alpha/E01", TaskStatus.NOT_STARTED, true);
    long yesterday = Instant.parse("2026-11-23T01:00:00Z").toEpochMilli();
    var before = new BatchStore.State("nightly", yesterday, false, 0, 0, List.of(), false, null);
    Batches batches = batches(BatchSettings.Runs.WHEN_ASKED, Map.of("nightly", before), false,
        spec("nightly", "0 2 * * *", 1, "1h", null));

    clock.set("2026-11-24T02:00:00Z");
    batches.wakeUp();
    assertThat(started).isEmpty();
    assertThat(starts).isEmpty();
    assertThat(saved.get("nightly").running()).isFalse();

    assertThat(batches.runNow("nightly").succeeded()).isTrue();
    assertThat(started).extracting(BatchView::name).containsExactly("nightly");
    assertThat(starts).extracting(StartRequest::ids).containsExactly(List.of("alpha/E01"));
  }

  @Test
  void aSlotThatPassedUnderServeIsNotFiredByTheNextRunAsAMissedOne() {
    task("alpha/E01", TaskStatus.NOT_STARTED, true);
    long yesterday = Instant.parse("2026-11-23T01:00:00Z").toEpochMilli();
    var before = new BatchStore.State("nightly", yesterday, false, 0, 0, List.of(), false, null);
    BatchSpec nightly = spec("nightly", "0 2 * * *", 1, "1h", null);
    Batches serve = batches(BatchSettings.Runs.WHEN_ASKED, Map.of("nightly", before), false, nightly);

    clock.set("2026-11-24T02:00:00Z");
    serve.wakeUp();
    assertThat(saved.get("nightly").lastFire()).isEqualTo(Instant.parse("2026-11-24T02:00:00Z").toEpochMilli());
    assertThat(saved.get("nightly").running()).isFalse();

    clock.set("2026-11-24T03:00:00Z");
    Batches run = batches(BatchSettings.Runs.ON_SCHEDULE, Map.copyOf(saved), false, nightly);
    run.wakeUp();
    assertThat(started).isEmpty();
    assertThat(starts).isEmpty();

    clock.set("2026-11-25T02:00:00Z");
    run.wakeUp();
    assertThat(started).extracting(BatchView::name).containsExactly("nightly");
  }

  @Test
  void whereBatchesNeverRunAMissedSlotAndABatchLeftRunningAreLeftAsTheyAre() {
    task("alpha/E01", TaskStatus.NOT_STARTED, true);
    task("alpha/E02", TaskStatus.NOT_STARTED, true);
    long threeDaysAgo = Instant.parse("2026-11-21T01:00:00Z").toEpochMilli();
    var missed = new BatchStore.State("nightly", threeDaysAgo, false, 0, 0, List.of(), false, null);
    long deadline = Instant.parse("2026-11-24T01:30:00Z").toEpochMilli();
    var leftRunning = new BatchStore.State("hourly", threeDaysAgo, true, threeDaysAgo, deadline, List.of("alpha/E01"),
        false, null);
    Batches foreground = batches(BatchSettings.Runs.NEVER, Map.of("nightly", missed, "hourly", leftRunning), true,
        spec("nightly", "0 2 * * *", 5, "1h", null), spec("hourly", "0 * * * *", 5, "1h", null),
        spec("weekly", "0 3 * * 1", 5, "1h", null));

    clock.set("2026-11-24T02:00:00Z");
    foreground.wakeUp();
    assertThat(started).isEmpty();
    assertThat(starts).isEmpty();
    assertThat(stops).isEmpty();
    assertThat(saved).containsOnly(Map.entry("nightly", missed), Map.entry("hourly", leftRunning));

    // The scheduler dispatches here all the same: a spell must not end unheard and stay open for the next batch.
    foreground.governed(parked(ApiLimit.Kind.RATE));
    assertThat(savedSpell).isNotNull();
    foreground.governed(open());
    assertThat(savedSpell).isNull();
    assertThat(saved.get("hourly")).as("its deadline had passed").isEqualTo(leftRunning);
  }

  private static BatchSpec spec(String name, String cron, int maxTasks, String maxDuration, String module) {
    return new BatchSpec(name, cron, ExecutionTime.forCron(CRON.parse(cron)), maxTasks, ScheduleFile.duration(maxDuration),
        true, module);
  }

  private void task(String id, TaskStatus status, boolean ready) {
    String module = id.substring(0, id.indexOf('/'));
    tasks.put(id, new TaskView(id, module, "E", Integer.parseInt(id.substring(id.indexOf('/') + 2)), "title of " + id,
        status, Priority.MEDIUM, List.of(), ready, null, "docs/plans/" + id + ".md", false, 0, 1, 0, 0, 0, null));
  }

  private Batches.Neighbours neighbours() {
    return new Batches.Neighbours() {
      @Override
      public Future<List<TaskView>> tasks() {
        return Future.succeededFuture(List.copyOf(tasks.values()));
      }

      @Override
      public Future<StartResult> start(StartRequest request) {
        starts.add(request);
        request.ids().forEach(id -> task(id, TaskStatus.QUEUED, true));
        return Future.succeededFuture(new StartResult(request.ids(), List.of()));
      }

      @Override
      public Future<TaskView> stop(TaskRef task) {
        stops.add(task);
        return Future.succeededFuture(tasks.get(task.id().toString()));
      }

      @Override
      public Future<List<PullRequestView>> flagged() {
        return Future.succeededFuture(List.of());
      }

      @Override
      public Future<SpendSummary> spend() {
        return Future.failedFuture("no executor");
      }
    };
  }

  private Batches.Events events() {
    return new Batches.Events() {
      @Override
      public void started(BatchView batch) {
        started.add(batch);
      }

      @Override
      public void finished(BatchSummary summary) {
        finished.add(summary);
      }
    };
  }
}
