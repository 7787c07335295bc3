package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.StopCause;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The runs table on a real SQLite file: why a run was stopped is stored as a type and survives a restart. */
@ExtendWith(VertxExtension.class)
class RunStoreTest {
  @TempDir
  Path tmp;

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aStopCauseIsStoredAndReadBack(Vertx vertx) throws Exception {
    Pool pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, RunStore.OWNER, RunStore.MIGRATIONS));
    RunStore store = new RunStore(pool);
    long stopped = await(store.insert(starting("m/E01")));
    long failed = await(store.insert(starting("m/E02")));
    await(store.finish(await(store.get(stopped)).orElseThrow().view()
        .settled(RunStatus.STOPPED, StopCause.DAY_BUDGET, "today's agents cost $9", null, 2_000)));
    await(store.finish(await(store.get(failed)).orElseThrow().view()
        .settled(RunStatus.FAILED, null, "the agent exited with code 1", 1, 2_000)));

    RunStore reopened = new RunStore(await(Database.open(vertx, tmp.resolve("orch.db"))));
    assertThat(await(reopened.get(stopped)).orElseThrow().view().stopCause()).isEqualTo(StopCause.DAY_BUDGET);
    assertThat(await(reopened.get(stopped)).orElseThrow().view().reason()).isEqualTo("today's agents cost $9");
    assertThat(await(reopened.get(failed)).orElseThrow().view().stopCause()).isNull();
  }

  @Test
  void spendHistorySumsEachRunsCostIntoTheBucketOfItsEndOrItsLastOutputWhileLive(Vertx vertx) throws Exception {
    Pool pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, RunStore.OWNER, RunStore.MIGRATIONS));
    String insert = "INSERT INTO runs (task_id, attempt, status, session_id, branch, worktree, log_file, started_at,"
        + " ended_at, last_output_at, cost_usd) VALUES (?, 1, ?, 's', 'b', 'w', 'l', ?, ?, ?, ?)";
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E01", "succeeded", 9_000, 10_500, 10_400, 1.0)));
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E02", "running", 9_500, 0, 11_200, 0.5)));
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E03", "failed", 8_000, 9_000, 8_900, 2.0)));
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E04", "starting", 12_100, 0, 0, 0.25)));

    var series = await(new RunStore(pool).spendHistory(new dev.orch.contract.HistoryQuery(10_000, 1_000, 3)));

    assertThat(series.values()).containsExactly(1.0, 0.5, 0.25);
  }

  private static RunView starting(String taskId) {
    return RunView.starting(0, TaskId.parseFull(taskId), 1, "s", 0, "orch/" + taskId.replace('/', '-'), "/w/" + taskId.replace('/', '-'),
        "", 1_000, "Title of " + taskId, "plans/" + taskId + ".md", true);
  }

  @Test
  void aRunKeepsItsTasksTitleFileAndNeedsReviewAndOlderRowsLoadWithout(Vertx vertx) throws Exception {
    Pool pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, RunStore.OWNER, RunStore.MIGRATIONS.subList(0, 2)));
    await(pool.query("INSERT INTO runs (task_id, attempt, status, session_id, branch, worktree, log_file, started_at)"
        + " VALUES ('m/E01', 1, 'succeeded', 's', 'b', 'w', 'l', 1)").execute());
    await(Database.migrate(pool, RunStore.OWNER, RunStore.MIGRATIONS));
    RunStore store = new RunStore(pool);
    long id = await(store.insert(starting("m/E02")));

    RunView old = await(store.latestForTask(TaskId.parseFull("m/E01"))).orElseThrow().view();
    assertThat(old).extracting(RunView::title, RunView::file, RunView::needsReview).containsExactly(null, null, null);
    assertThat(old.hasTaskSnapshot()).as("prbot asks the scheduler for such a run's task").isFalse();
    RunView fresh = await(store.get(id)).orElseThrow().view();
    assertThat(fresh.title()).isEqualTo("Title of m/E02");
    assertThat(fresh.file()).isEqualTo("plans/m/E02.md");
    assertThat(fresh.needsReview()).isTrue();
    assertThat(fresh.hasTaskSnapshot()).isTrue();
    assertThat(RunView.fromJson(fresh.toJson())).isEqualTo(fresh);
  }

  @Test
  void rowsWrittenBeforeCausesWereTypedGetTheirCauseFromTheirOldWording(Vertx vertx) throws Exception {
    Pool pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, RunStore.OWNER, RunStore.MIGRATIONS.subList(0, 1)));
    String insert = "INSERT INTO runs (task_id, attempt, status, session_id, branch, worktree, log_file, started_at, reason)"
        + " VALUES (?, 1, ?, 's', 'b', 'w', 'l', 1, ?)";
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E01", "stopped", "stopped by a person")));
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E02", "failed", "cost limit reached: m/E02 has cost $3.00")));
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E03", "stopped", "daily cost limit reached: today's $9")));
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E04", "stopped", "orch shut down while the agent was running")));
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E05", "stuck", "no output for 600 s")));
    await(pool.preparedQuery(insert).execute(Tuple.of("m/E06", "failed", "the agent exited with code 1")));

    await(Database.migrate(pool, RunStore.OWNER, RunStore.MIGRATIONS));

    RunStore store = new RunStore(pool);
    assertThat(await(store.list(null, false, 10))).extracting(run -> run.view().taskId() + "=" + run.view().stopCause())
        .containsExactlyInAnyOrder("m/E01=PERSON", "m/E02=TASK_BUDGET", "m/E03=DAY_BUDGET", "m/E04=SHUTDOWN",
            "m/E05=STUCK", "m/E06=null");
  }
}
