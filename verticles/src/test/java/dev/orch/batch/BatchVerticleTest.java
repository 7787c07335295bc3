package dev.orch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.config.ConfigLoader;
import dev.orch.config.OrchConfig;
import dev.orch.contract.Addresses;
import dev.orch.testkit.MovableClock;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.ApiLimit;
import dev.orch.contract.GovernorView;
import dev.orch.contract.ParkedTime;
import dev.orch.contract.BatchSummary;
import dev.orch.contract.BatchView;
import dev.orch.contract.SchedulerClient;
import dev.orch.parser.ParserVerticle;
import dev.orch.scheduler.SchedulerSettings;
import dev.orch.scheduler.SchedulerVerticle;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches against the real parser and scheduler on a real SQLite file, with time moved by an injected clock rather
 * than slept through. A fake executor on the executor's real address refuses every launch (its agent cannot start),
 * so every task a batch starts fails at once: a real outcome the batch has to count.
 */
@ExtendWith(VertxExtension.class)
class BatchVerticleTest {
  @TempDir
  Path tmp;

  private PlanTree tree;
  private Path schedule;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-24T01:00:00Z"));
  private final List<JsonObject> started = new CopyOnWriteArrayList<>();
  private final List<BatchSummary> finished = new CopyOnWriteArrayList<>();
  private BatchVerticle batches;
  /** While set, launches wait in {@link #held} for the test to answer them: their tasks stay queued till then. */
  private volatile boolean holdLaunches;
  private final List<Message<JsonObject>> held = new CopyOnWriteArrayList<>();
  private String batchDeployment;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    tree = PlanTree.create(tmp.resolve("repo"))
        .plan("alpha/epic-01-a.md", PlanTree.task("A"))
        .plan("beta/epic-01-b.md", PlanTree.task("B"))
        .plan("gamma/epic-01-c.md", PlanTree.task("C"));
    schedule = tmp.resolve("schedule.toml");
    Files.writeString(schedule, """
        [[batch]]
        name = "nightly"
        cron = "0 2 * * *"
        max_tasks = 2
        max_duration = "1h"

        [[batch]]
        name = "also-nightly"
        cron = "0 2 * * *"
        max_tasks = 2
        max_duration = "90m"
        notify_on_complete = false

        [[batch]]
        name = "broken"
        cron = "every night"
        """);
    var parser = new ParserVerticle.Settings(tree.root().toString(), tree.plans().toString(), false);
    // Three may be dispatched at once, so no started task waits behind another.
    var defaults = ConfigLoader.defaults(tree.root());
    var scheduler = new SchedulerSettings(defaults.general().withDatabasePath(tmp.resolve("state/orch.db"))
        .withMaxParallelAgents(3), defaults.scheduler().withMaxRetries(0), false, false);
    await(vertx.deployVerticle(new ParserVerticle(parser)));
    await(vertx.eventBus().<JsonObject>consumer(Addresses.Executor.CMD, m -> {
      if (holdLaunches && Addresses.Executor.Action.LAUNCH.wireName().equals(m.headers().get(Addresses.ACTION_HEADER))) {
        held.add(m);
      } else {
        m.fail(ErrorCode.TERMINAL.code(), "the agent could not start");
      }
    }).completion());
    await(vertx.deployVerticle(new SchedulerVerticle(scheduler)));
    await(new SchedulerClient(vertx).sync());
    vertx.eventBus().<JsonObject>consumer(Addresses.Batch.EVT_STARTED, m -> started.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.Batch.EVT_FINISHED, m -> finished.add(BatchSummary.fromJson(m.body())));
    deployBatches(vertx);
  }

  private void deployBatches(Vertx vertx) throws Exception {
    var defaults = ConfigLoader.defaults(tree.root());
    var settings = new BatchSettings(defaults.general().withDatabasePath(tmp.resolve("state/orch.db")),
        new OrchConfig.Batch(schedule, false), BatchSettings.Runs.ON_SCHEDULE);
    batches = new BatchVerticle(settings, clock);
    batchDeployment = await(vertx.deployVerticle(batches));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static List<BatchView> list(Vertx vertx) throws Exception {
    JsonObject reply = (JsonObject) await(vertx.eventBus().request(Addresses.Batch.CMD, new JsonObject(),
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(Addresses.ACTION_HEADER, "list"))).body();
    return reply.getJsonArray("batches").stream().map(o -> BatchView.fromJson((JsonObject) o)).toList();
  }

  @Test
  void aBatchFiresOnItsScheduleNeverSharesTasksAndSumsUpWhenItsTasksAreDone(Vertx vertx) throws Exception {
    assertThat(list(vertx)).extracting(BatchView::name).containsExactly("nightly", "also-nightly");
    assertThat(list(vertx).get(0).nextRunAt()).isEqualTo(Instant.parse("2026-11-24T02:00:00Z").toEpochMilli());
    await(batches.wakeUpNow());
    assertThat(started).as("nothing is due at 01:00").isEmpty();

    clock.set("2026-11-24T02:00:05Z");
    await(batches.wakeUpNow());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> finished.size() == 2);
    assertThat(started).extracting(b -> b.getString("name")).containsExactly("nightly", "also-nightly");
    JsonObject state = (JsonObject) await(vertx.eventBus().request(Addresses.Batch.CMD, new JsonObject(),
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(Addresses.ACTION_HEADER, "list"))).body();
    assertThat(state.getJsonArray("errors").encode()).contains("[[batch]] #3 (broken)", "field 'cron'");

    // Three ready tasks, two batches of two: the first takes two, the second the one left.
    BatchSummary nightly = finished.stream().filter(s -> s.name().equals("nightly")).findFirst().orElseThrow();
    BatchSummary other = finished.stream().filter(s -> s.name().equals("also-nightly")).findFirst().orElseThrow();
    assertThat(nightly.tasks()).containsExactly("alpha/E01", "beta/E01");
    assertThat(other.tasks()).containsExactly("gamma/E01");
    assertThat(nightly.failed()).isEqualTo(2);
    assertThat(nightly.done()).isZero();
    assertThat(nightly.reason()).contains("max_tasks of 2");
    assertThat(other.reason()).contains("no more tasks were ready");
    assertThat(other.notifyPeople()).isFalse();
    assertThat(list(vertx)).noneMatch(BatchView::running);
    assertThat(list(vertx).get(0).lastSummary().failed()).isEqualTo(2);
    assertThat(list(vertx).get(0).nextRunAt()).isEqualTo(Instant.parse("2026-11-25T02:00:00Z").toEpochMilli());

    // Later the same day nothing fires again; the next slot fires once.
    clock.set("2026-11-24T23:59:00Z");
    await(batches.wakeUpNow());
    assertThat(started).hasSize(2);
    clock.set("2026-11-25T02:00:00Z");
    await(batches.wakeUpNow());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> started.size() >= 4);
    assertThat(started).hasSize(4);
  }

  @Test
  void aBatchMissedWhileOrchWasDownRunsOnceAtStartUpNotOncePerMissedSlot(Vertx vertx) throws Exception {
    await(vertx.undeploy(batchDeployment));
    clock.set("2026-11-27T03:00:00Z");
    deployBatches(vertx);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2);
    assertThat(started).extracting(s -> s.getString("name")).containsExactlyInAnyOrder("nightly", "also-nightly");

    // A restart after the run: the slot was taken, nothing runs twice.
    await(vertx.undeploy(batchDeployment));
    deployBatches(vertx);
    await(batches.wakeUpNow());
    assertThat(started).hasSize(2);
  }

  @Test
  void theTimeThePlanIsParkedCountsAgainstRunningBatchesAcrossARestartAndTheirSummariesSaySo(Vertx vertx)
      throws Exception {
    holdLaunches = true;
    clock.set("2026-11-24T02:00:05Z");
    await(batches.wakeUpNow());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);

    clock.set("2026-11-24T02:10:05Z");
    governor(vertx, new GovernorView(true, ApiLimit.Kind.RATE, 0, 0, "parked"));
    // Only the store carries the spell over: the scheduler says the plan is still parked, which starts no new one.
    await(vertx.undeploy(batchDeployment));
    clock.set("2026-11-24T02:40:05Z");
    deployBatches(vertx);
    governor(vertx, new GovernorView(true, ApiLimit.Kind.RATE, 0, 0, "parked"));
    clock.set("2026-11-24T02:50:05Z");
    governor(vertx, new GovernorView(false, null, 0, 3, "open"));

    held.forEach(m -> m.fail(ErrorCode.TERMINAL.code(), "the agent could not start"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> finished.size() == 2);
    var forty = new ParkedTime(ApiLimit.Kind.RATE, Duration.ofMinutes(40).toMillis(), 1);
    assertThat(finished).allSatisfy(summary -> assertThat(summary.parked()).containsExactly(forty));
    assertThat(finished).extracting(BatchSummary::parkedText).containsExactlyInAnyOrder(
        "parked 40 min of its 1h by the model API's rate limit (once)",
        "parked 40 min of its 1h 30 min by the model API's rate limit (once)");
    assertThat(list(vertx).get(0).lastSummary().parked()).containsExactly(forty);
  }

  /** Tells the batches what the governor does, and waits until they have taken it in (their steps go in order). */
  private static void governor(Vertx vertx, GovernorView view) throws Exception {
    vertx.eventBus().publish(Addresses.Scheduler.EVT_GOVERNOR, view.toJson());
    list(vertx);
  }
}
