package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.Addresses;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.SyncReport;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskQuery;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import dev.orch.contract.TaskView;
import dev.orch.parser.ParserVerticle;
import dev.orch.testkit.PlanTree;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class SchedulerVerticleTest {
  @TempDir
  Path tmp;
  PlanTree tree;
  SchedulerClient scheduler;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    tree = PlanTree.create(tmp.resolve("repo"))
        .plan("core/epic-01-a.md", PlanTree.task("A", "priority: high"))
        .plan("core/epic-02-b.md", PlanTree.task("B"))
        .plan("cli/epic-01-c.md", PlanTree.task("C", "depends_on: [core/E02]"));
    scheduler = new SchedulerClient(vertx);
    var parser = new ParserVerticle.Settings(tree.root().toString(), tree.plans().toString(), false);
    var settings = SchedulerSettings.storeOnly(tmp.resolve("state/orch.db"));
    vertx.deployVerticle(new ParserVerticle(parser))
        .compose(id -> vertx.deployVerticle(new SchedulerVerticle(settings)))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Map<String, TaskView> tasks() throws Exception {
    return await(scheduler.list(new TaskQuery(null, null, null))).stream()
        .collect(Collectors.toMap(TaskView::id, Function.identity()));
  }

  @Test
  void syncIsIdempotent() throws Exception {
    SyncReport first = await(scheduler.sync());
    assertThat(first.inserted()).isEqualTo(3);
    SyncReport second = await(scheduler.sync());
    assertThat(second.inserted()).isZero();
    assertThat(second.updated()).isZero();
    assertThat(second.unchanged()).isEqualTo(3);
  }

  @Test
  void readinessFollowsDependencies() throws Exception {
    await(scheduler.sync());
    assertThat(tasks().values()).filteredOn(TaskView::ready).extracting(TaskView::id).containsExactly("core/E01");
    tree.plan("core/epic-01-a.md", PlanTree.task("A", "status: done"))
        .plan("core/epic-02-b.md", PlanTree.task("B", "status: complete"));
    await(scheduler.sync());
    assertThat(tasks().get("cli/E01").ready()).isTrue();
    assertThat(await(scheduler.list(new TaskQuery("cli", null, true)))).extracting(TaskView::id).containsExactly("cli/E01");
    assertThat(await(scheduler.list(new TaskQuery(null, TaskStatus.COMPLETE, null)))).hasSize(2);
  }

  @Test
  void changedFieldsAreUpdatedAndGoneFilesMarkedRemovedThenRestored(Vertx vertx) throws Exception {
    await(scheduler.sync());
    List<TaskTransition> seen = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.Scheduler.EVT_TASK, m -> seen.add(TaskTransition.fromJson(m.body())));

    tree.plan("core/epic-02-b.md", PlanTree.task("B renamed", "priority: low")).delete("docs/plans/cli/epic-01-c.md");
    SyncReport report = await(scheduler.sync());
    assertThat(report.updated()).isEqualTo(1);
    assertThat(report.removed()).isEqualTo(1);
    assertThat(tasks().get("core/E02").title()).isEqualTo("B renamed");
    assertThat(tasks()).doesNotContainKey("cli/E01");
    TaskView removed = await(scheduler.get(TaskId.parseFull("cli/E01")));
    assertThat(removed.status()).isEqualTo(TaskStatus.REMOVED);

    tree.plan("cli/epic-01-c.md", PlanTree.task("C", "depends_on: [core/E02]"));
    SyncReport restored = await(scheduler.sync());
    assertThat(restored.restored()).isEqualTo(1);
    assertThat(await(scheduler.get(TaskId.parseFull("cli/E01"))).status()).isEqualTo(TaskStatus.NOT_STARTED);
    org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(seen).extracting(TaskTransition::to)
        .containsExactly(TaskStatus.REMOVED, TaskStatus.NOT_STARTED));
  }

  @Test
  void brokenFileBlocksItsTaskWithTheReasonAndOthersStillSync() throws Exception {
    await(scheduler.sync());
    tree.plan("core/epic-02-b.md", "---\ntitle: [unclosed\n---\n# B\n")
        .plan("core/epic-03-new.md", PlanTree.task("New"));
    SyncReport report = await(scheduler.sync());
    assertThat(report.errors()).singleElement().satisfies(e -> assertThat(e.file()).isEqualTo("docs/plans/core/epic-02-b.md"));
    assertThat(report.inserted()).isEqualTo(1);
    TaskView b = tasks().get("core/E02");
    assertThat(b.status()).isEqualTo(TaskStatus.BLOCKED);
    assertThat(b.blockedReason()).contains("malformed YAML").containsPattern("epic-02-b.md:[23]");
    var status = await(scheduler.status());
    assertThat(status.blocked()).extracting(s -> s.id()).containsExactly("core/E02");
    assertThat(status.planErrors()).hasSize(1);

    tree.plan("core/epic-02-b.md", PlanTree.task("B"));
    await(scheduler.sync());
    assertThat(tasks().get("core/E02").status()).isEqualTo(TaskStatus.NOT_STARTED);
    assertThat(await(scheduler.status()).planErrors()).isEmpty();
  }

  @Test
  void statusSummaryCountsAndReady() throws Exception {
    tree.plan("core/epic-01-a.md", PlanTree.task("A", "status: complete"))
        .plan("x/epic-01-loop.md", PlanTree.task("Loop", "depends_on: [x/E02]"))
        .plan("x/epic-02-loop.md", PlanTree.task("Loop 2"));
    await(scheduler.sync());
    var status = await(scheduler.status());
    assertThat(status.total()).isEqualTo(5);
    assertThat(status.counts()).containsEntry("complete", 1).containsEntry("not_started", 2).containsEntry("blocked", 2);
    assertThat(status.ready()).isEqualTo(1);
    assertThat(status.blocked()).allSatisfy(b -> assertThat(b.reason()).contains("dependency cycle: x/E01 -> x/E02 -> x/E01"));
    assertThat(status.lastSyncAt()).isPositive();
  }

  @Test
  void statusStateIsKeptAcrossRestartsInTheSameFile(Vertx vertx) throws Exception {
    await(scheduler.sync());
    Vertx second = Vertx.vertx();
    try {
      var parser = new ParserVerticle.Settings(tree.root().toString(), tree.plans().toString(), false);
      var settings = SchedulerSettings.storeOnly(tmp.resolve("state/orch.db"));
      await(second.deployVerticle(new ParserVerticle(parser)));
      await(second.deployVerticle(new SchedulerVerticle(settings)));
      SyncReport report = await(new SchedulerClient(second).sync());
      assertThat(report.unchanged()).isEqualTo(3);
    } finally {
      await(second.close());
    }
  }

  @Test
  void unknownTaskIsNotFoundAndBadIdIsBadRequest(Vertx vertx) throws Exception {
    await(scheduler.sync());
    assertThat(catchCode(scheduler.get(TaskId.parseFull("core/E99")))).isEqualTo(ErrorCode.NOT_FOUND);
    // The typed client cannot send a malformed id; a raw sender (the CLI of another version, a script) can.
    Future<Object> raw = new dev.orch.contract.EventBusTransport(vertx).request(dev.orch.contract.Addresses.Scheduler.CMD,
        dev.orch.contract.Addresses.Scheduler.Action.GET, new io.vertx.core.json.JsonObject().put("id", "E99"),
        java.time.Duration.ofSeconds(30));
    assertThat(catchCode(raw)).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void malformedCommandsAreAnsweredWithBadRequest(Vertx vertx) throws Exception {
    DeliveryOptions list = new DeliveryOptions().addHeader(Addresses.ACTION_HEADER, "list");
    ReplyException badStatus = failure(vertx.eventBus().request(Addresses.Scheduler.CMD,
        new JsonObject().put("status", 7), list));
    assertThat(badStatus.failureCode()).isEqualTo(400);
    ReplyException missingId = failure(vertx.eventBus().request(Addresses.Scheduler.CMD, new JsonObject(),
        new DeliveryOptions().addHeader(Addresses.ACTION_HEADER, "get")));
    assertThat(missingId.failureCode()).isEqualTo(400);
  }

  @Test
  void markdownWinsWithoutALiveRunAndTheDisagreementIsReported() throws Exception {
    await(scheduler.sync());
    tree.plan("core/epic-01-a.md", PlanTree.task("A", "status: complete"));
    SyncReport report = await(scheduler.sync());
    assertThat(report.statusConflicts()).singleElement().satisfies(c -> {
      assertThat(c.taskId()).hasToString("core/E01");
      assertThat(c.planStatus()).isEqualTo(PlanStatus.COMPLETE);
      assertThat(c.kept()).isEqualTo(TaskStatus.COMPLETE);
    });
  }

  private static ErrorCode catchCode(Future<?> future) {
    try {
      await(future);
      throw new AssertionError("expected a failure");
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return ((OrchException) cause).code();
    }
  }

  private static ReplyException failure(Future<?> future) {
    try {
      await(future);
      throw new AssertionError("expected a failure");
    } catch (Exception e) {
      return (ReplyException) e.getCause();
    }
  }
}
