package dev.orch.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
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
 * Dispatch reads the task table from a mirror: it must always answer what a fresh read of the file answers, whoever
 * changed the table (this store, another connection, another process), and a failed write must not move it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class TaskStoreMirrorTest {
  @TempDir
  Path tmp;

  private final MovableClock clock = MovableClock.at("2026-11-29T10:00:00Z");
  private Vertx vertx;
  private TaskStore store;
  private Pool pool;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    this.vertx = vertx;
    pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, TaskStore.OWNER, TaskStore.MIGRATIONS));
    store = new TaskStore(pool, clock);
    await(store.applySnapshot(new PlanSnapshot("docs/plans", List.of(spec("a/E01"), spec("a/E02", "a/E01")), List.of(),
        Map.of(), 2, 0)));
  }

  private static TaskSpec spec(String id, String... deps) {
    int number = Integer.parseInt(id.substring(id.indexOf("/E") + 2));
    return new TaskSpec(id, "a", "E", number, "T " + id, "docs/plans/" + id + ".md", Priority.MEDIUM,
        Arrays.asList(deps), false, null, 0, 0, List.of(), "h" + id, null);
  }

  private Map<String, StoredTask> freshRead() throws Exception {
    Pool other = await(Database.open(vertx, tmp.resolve("orch.db")));
    try {
      return await(new TaskStore(other, clock).loadAll());
    } finally {
      await(other.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void followsItsOwnChanges() throws Exception {
    await(store.loadAll());
    clock.advance(Duration.ofSeconds(5));
    await(store.apply(new TaskStore.Change("a/E01", TaskStatus.QUEUED, "starting attempt 1", 1, 0, null)));
    clock.advance(Duration.ofSeconds(5));
    await(store.apply(new TaskStore.Change("a/E01", TaskStatus.FAILED, "run 1: exit 1", 1, 99, "exit 1")));

    assertThat(await(store.loadAll())).isEqualTo(freshRead());
    assertThat(await(store.loadAll()).get("a/E01")).satisfies(t -> {
      assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(t.attempts()).isEqualTo(1);
      assertThat(t.retryAt()).isEqualTo(99);
      assertThat(t.lastError()).isEqualTo("exit 1");
      assertThat(t.updatedAt()).isEqualTo(clock.millis());
    });
  }

  @Test
  void seesWhatAnotherConnectionWrote() throws Exception {
    await(store.loadAll());
    await(pool.query("SELECT 1").execute());
    Pool other = await(Database.open(vertx, tmp.resolve("orch.db")));
    try {
      await(new TaskStore(other, clock).apply(new TaskStore.Change("a/E02", TaskStatus.COMPLETE, "merged", 1, 0, null)));
    } finally {
      await(other.close());
    }

    assertThat(await(store.loadAll()).get("a/E02").status()).isEqualTo(TaskStatus.COMPLETE);
  }

  @Test
  void seesAPlanSyncAndARowWrittenOutsideTheStore() throws Exception {
    await(store.loadAll());
    await(store.applySnapshot(new PlanSnapshot("docs/plans", List.of(spec("a/E01"), spec("a/E02", "a/E01"),
        spec("a/E03", "a/E02")), List.of(), Map.of(), 3, 0)));
    assertThat(await(store.loadAll())).containsKey("a/E03").isEqualTo(freshRead());

    await(pool.query("UPDATE tasks SET last_error = 'edited by hand' WHERE id = 'a/E03'").execute());

    assertThat(await(store.loadAll()).get("a/E03").lastError()).isEqualTo("edited by hand");
  }

  @Test
  void aChangeThatDidNotCommitLeavesItAsTheFileIs() throws Exception {
    await(store.loadAll());
    assertThat(store.apply(new TaskStore.Change("a/E09", TaskStatus.QUEUED, "no such task", 1, 0, null))
        .toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(30, TimeUnit.SECONDS)).isNotNull();

    assertThat(await(store.loadAll())).isEqualTo(freshRead()).doesNotContainKey("a/E09");
  }

  @Test
  void aChangeOfStatusRecordsItsTransitionOnceAndAnUnchangedStatusNone() throws Exception {
    clock.advance(Duration.ofSeconds(5));
    TaskTransition queued = await(store.apply(new TaskStore.Change("a/E01", TaskStatus.QUEUED, "starting attempt 1", 1, 0,
        null)));
    await(store.apply(new TaskStore.Change("a/E01", TaskStatus.QUEUED, "asked again", 1, 0, null)));

    assertThat(queued.from()).isEqualTo(TaskStatus.NOT_STARTED);
    assertThat(await(store.history("a/E01"))).extracting(TaskTransition::from, TaskTransition::to, TaskTransition::reason,
            TaskTransition::at)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, TaskStatus.NOT_STARTED, "new in the plan", clock.millis() - 5_000),
            org.assertj.core.groups.Tuple.tuple(TaskStatus.NOT_STARTED, TaskStatus.QUEUED, "starting attempt 1",
                clock.millis()));
  }

  /** The mirror's safety rests on this: a change hands back the counter as it was before the change, not after. */
  @Test
  void aChangeSeesTheCounterAsItWasBeforeIt() throws Exception {
    long before = await(pool.query("SELECT n FROM tasks_version").execute()).iterator().next().getLong(0);

    await(store.apply(new TaskStore.Change("a/E01", TaskStatus.QUEUED, "starting attempt 1", 1, 0, null)));

    assertThat(await(pool.query("SELECT version_before FROM tasks WHERE id = 'a/E01'").execute()).iterator().next()
        .getLong(0)).isEqualTo(before);
    assertThat(await(pool.query("SELECT n FROM tasks_version").execute()).iterator().next().getLong(0))
        .isEqualTo(before + 1);
  }
}
