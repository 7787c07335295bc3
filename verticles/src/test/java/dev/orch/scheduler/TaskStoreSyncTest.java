package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.Priority;
import dev.orch.contract.SyncReport;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import dev.orch.db.Database;
import dev.orch.testkit.MovableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync's cheap comparison on a real SQLite file: a row whose stored digest matches its task is not read back in
 * full, and nothing it should notice slips past (changes that leave the file's content hash alone, rows without a
 * digest, state only the scheduler owns).
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class TaskStoreSyncTest {
  @TempDir
  Path tmp;

  private final MovableClock clock = MovableClock.at("2026-11-29T10:00:00Z");
  private TaskStore store;
  private Pool pool;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, TaskStore.OWNER, TaskStore.MIGRATIONS));
    store = new TaskStore(pool, clock);
  }

  private static TaskSpec spec(String id, String... deps) {
    String module = id.substring(0, id.indexOf('/'));
    int number = Integer.parseInt(id.substring(id.indexOf("/E") + 2));
    return new TaskSpec(id, module, "E", number, "T " + id, "docs/plans/" + id + ".md", Priority.MEDIUM,
        Arrays.asList(deps), false, null, 0, 0, List.of(Map.of("Suite", "unit")), "h" + id, null);
  }

  private SyncReport sync(TaskSpec... specs) throws Exception {
    clock.advance(Duration.ofMinutes(1));
    return await(store.applySnapshot(new PlanSnapshot("docs/plans", List.of(specs), List.of(), Map.of(), specs.length, 0)))
        .report();
  }

  private long count(String sql) throws Exception {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  @Test
  void completedCountsTransitionsToCompleteInTheirBuckets() throws Exception {
    sync(spec("app/E01"), spec("app/E02"), spec("app/E03"));
    String insert = "INSERT INTO task_transitions (task_id, from_status, to_status, reason, at) VALUES (?, ?, ?, 'test', ?)";
    await(pool.preparedQuery(insert).execute(io.vertx.sqlclient.Tuple.of("app/E01", "in_review", "complete", 10_100)));
    await(pool.preparedQuery(insert).execute(io.vertx.sqlclient.Tuple.of("app/E02", "in_review", "complete", 10_900)));
    await(pool.preparedQuery(insert).execute(io.vertx.sqlclient.Tuple.of("app/E03", "running", "in_review", 11_500)));
    await(pool.preparedQuery(insert).execute(io.vertx.sqlclient.Tuple.of("app/E03", "in_review", "complete", 12_000)));

    var series = await(store.completed(new dev.orch.contract.HistoryQuery(10_000, 1_000, 2)));

    assertThat(series.values()).containsExactly(2.0, 0.0);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void theFootprintIsStoredAndAChangeToItAloneIsWritten() throws Exception {
    TaskSpec plain = spec("a/E01");
    sync(plain);
    TaskSpec withFiles = new TaskSpec(plain.id(), plain.module(), plain.prefix(), plain.number(), plain.title(), plain.file(),
        plain.priority(), plain.dependsOn(), false, null, 0, 0, plain.testSummary(), plain.contentHash(), null,
        List.of("src/billing/**"), List.of("**/pom.xml"));

    SyncReport report = sync(withFiles);

    assertThat(report.updated()).isEqualTo(1);
    TaskSpec stored = await(store.find("a/E01")).orElseThrow().spec();
    assertThat(stored.files()).containsExactly("src/billing/**");
    assertThat(stored.mentions()).containsExactly("**/pom.xml");
  }

  @Test
  void aSyncWithNothingChangedWritesNoTask() throws Exception {
    sync(spec("a/E01"), spec("a/E02", "a/E01"));
    long updatedAt = await(store.find("a/E02")).orElseThrow().updatedAt();

    SyncReport again = sync(spec("a/E01"), spec("a/E02", "a/E01"));

    assertThat(again.unchanged()).isEqualTo(2);
    assertThat(again.updated()).isZero();
    assertThat(await(store.find("a/E02")).orElseThrow().updatedAt()).isEqualTo(updatedAt);
  }

  @Test
  void aChangeOutsideTheFileIsSeenThoughItsContentHashIsTheSame() throws Exception {
    sync(spec("a/E01"), spec("a/E02"));

    SyncReport report = sync(spec("a/E01"), spec("a/E02", "a/E01").withBlockedReason("dependency a/E09 does not exist"));

    assertThat(report.updated()).isEqualTo(1);
    StoredTask stored = await(store.find("a/E02")).orElseThrow();
    assertThat(stored.dependsOn()).containsExactly("a/E01");
    assertThat(stored.status()).isEqualTo(TaskStatus.BLOCKED);
    assertThat(stored.blockedReason()).isEqualTo("dependency a/E09 does not exist");
  }

  @Test
  void rowsWithoutADigestAreComparedInFullAndGetOne() throws Exception {
    sync(spec("a/E01"), spec("a/E02"));
    await(pool.query("UPDATE tasks SET spec_hash = NULL").execute());
    await(pool.query("UPDATE tasks SET spec_hash = 'stale' WHERE id = 'a/E02'").execute());

    SyncReport again = sync(spec("a/E01"), spec("a/E02"));

    assertThat(again.unchanged()).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM tasks WHERE spec_hash IS NULL OR spec_hash = 'stale'")).isZero();
    assertThat(sync(spec("a/E01"), spec("a/E02")).unchanged()).isEqualTo(2);
  }

  @Test
  void theSchedulersOwnStateSurvivesAnUnchangedSync() throws Exception {
    sync(spec("a/E01"));
    await(store.apply(new TaskStore.Change("a/E01", TaskStatus.FAILED, "exit 1", 2, 12345, "the agent exited")));

    SyncReport again = sync(spec("a/E01"));

    assertThat(again.unchanged()).isEqualTo(1);
    StoredTask stored = await(store.find("a/E01")).orElseThrow();
    assertThat(stored.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(stored.attempts()).isEqualTo(2);
    assertThat(stored.retryAt()).isEqualTo(12345);
    assertThat(stored.lastError()).isEqualTo("the agent exited");
  }

  @Test
  void aTaskGoneFromThePlanIsRemovedAndRestoredWhenBack() throws Exception {
    sync(spec("a/E01"), spec("a/E02"));

    SyncReport without = sync(spec("a/E01"));
    assertThat(without.removed()).isEqualTo(1);
    assertThat(await(store.find("a/E02")).orElseThrow().status()).isEqualTo(TaskStatus.REMOVED);
    assertThat(sync(spec("a/E01")).unchanged()).isEqualTo(1);

    SyncReport back = sync(spec("a/E01"), spec("a/E02"));
    assertThat(back.restored()).isEqualTo(1);
    assertThat(await(store.find("a/E02")).orElseThrow().status()).isEqualTo(TaskStatus.NOT_STARTED);
  }
}
