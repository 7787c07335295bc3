package dev.orch.prbot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.ChecksState;
import dev.orch.contract.FollowUpKind;
import dev.orch.contract.PrStage;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The pull request table in a real SQLite file: rows written before the typed columns existed still load, typed. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrStoreTest {
  @TempDir
  Path tmp;

  @Test
  void rowsFromBeforeTypedChecksAndFollowUpsLoadWithTheStateTheirSentencesMeant(Vertx vertx) throws Exception {
    Pool pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, PrStore.OWNER, PrStore.MIGRATIONS.subList(0, 3)));
    Object[][] old = {
        {1, "passed", null, "checking"},
        {2, "passed here; waiting for the forge's checks", null, "checking"},
        {3, "'make test' failed (exit 2); output in /x.log", "fixing red checks: 'make test' failed (exit 2)", "fixing"},
        {4, "the forge's checks failed: ci: failure", "resolving a conflict with the main branch in a.txt", "checking"},
        {5, null, "changes requested by a person: more tests", "fixing"},
        {6, "none configured", null, "done"}};
    for (Object[] row : old) {
      await(pool.preparedQuery("INSERT INTO pull_requests (number, task_id, run_id, branch, title, body, state, reason,"
              + " head_commit, created_at, stage, checks) VALUES (?, ?, 1, 'b', 't', 'body', ?, ?, 'abc', 0, ?, ?)")
          .execute(Tuple.of(row[0], "app/E0" + row[0], "done".equals(row[3]) ? "merged" : "open", row[2], row[3], row[1])));
    }

    await(Database.migrate(pool, PrStore.OWNER, PrStore.MIGRATIONS));
    Map<Integer, PullRequestView> loaded = await(new PrStore(pool).list(null)).stream()
        .collect(Collectors.toMap(PullRequestView::number, Function.identity()));

    assertThat(loaded.get(1).checksState()).isEqualTo(ChecksState.PASSED);
    assertThat(loaded.get(2).checksState()).isEqualTo(ChecksState.FORGE_PENDING);
    assertThat(loaded.get(3).checksState()).isEqualTo(ChecksState.FAILED);
    assertThat(loaded.get(3).followUp()).isEqualTo(FollowUpKind.CHECKS_FAILED);
    assertThat(loaded.get(3).stage()).isEqualTo(PrStage.FIXING);
    assertThat(loaded.get(4).checksState()).isEqualTo(ChecksState.FORGE_FAILED);
    assertThat(loaded.get(4).followUp()).isEqualTo(FollowUpKind.CONFLICT);
    assertThat(loaded.get(5).checksState()).isEqualTo(ChecksState.NOT_RUN);
    assertThat(loaded.get(5).followUp()).isEqualTo(FollowUpKind.REJECTED);
    assertThat(loaded.get(6).checksState()).isEqualTo(ChecksState.NONE_CONFIGURED);
    assertThat(loaded.get(6).state()).isEqualTo(PrState.MERGED);
    assertThat(loaded.values()).allSatisfy(pr -> assertThat(pr.hasSnapshot()).isFalse());
  }

  @Test
  void theSnapshotAndTheTypedFieldsRoundTrip(Vertx vertx) throws Exception {
    Pool pool = await(Database.open(vertx, tmp.resolve("orch.db")));
    await(Database.migrate(pool, PrStore.OWNER, PrStore.MIGRATIONS));
    PrStore store = new PrStore(pool);
    PullRequestView draft = new PullRequestView(0, TaskId.parseFull("app/E01"), 7, "orch/app-E01", "X (app/E01)", "body", PrState.OPEN, null,
        "abc", null, 1, 2, 3, "stat", 0.5, 10, 1, 0, PrStage.CHECKING, 0, List.of(), null, null, null, 0,
        ChecksState.NOT_RUN, null, "X", "docs/plans/app/epic-01-x.md", "/wt/app-E01", true, List.of());

    PullRequestView stored = await(store.insert(draft));
    PullRequestView saved = await(store.save(stored.withChecks(ChecksState.FAILED, "'make' failed (exit 1)")
        .handedToAgent(FollowUpKind.CHECKS_FAILED, "fixing red checks: 'make' failed (exit 1)", 1)));

    assertThat(stored.taskTitle()).isEqualTo("X");
    assertThat(stored.taskFile()).isEqualTo("docs/plans/app/epic-01-x.md");
    assertThat(stored.worktree()).isEqualTo("/wt/app-E01");
    assertThat(stored.needsReview()).isTrue();
    assertThat(saved.checksState()).isEqualTo(ChecksState.FAILED);
    assertThat(saved.checks()).isEqualTo("'make' failed (exit 1)");
    assertThat(saved.followUp()).isEqualTo(FollowUpKind.CHECKS_FAILED);
    assertThat(saved.stage()).isEqualTo(PrStage.FIXING);
    assertThat(saved.fixRounds()).isEqualTo(1);
    assertThat(PullRequestView.fromJson(saved.toJson())).isEqualTo(saved);
    assertThat(saved.toJson().getString("checks_state")).isEqualTo("failed");
    assertThat(saved.toJson().getString("stage")).isEqualTo("fixing");
    assertThat(saved.toJson().getString("follow_up")).isEqualTo("checks_failed");
    assertThat(saved.changedPaths()).isEmpty();

    PullRequestView merged = await(store.save(saved.merged("def", 5, null, List.of("src/A.java", "pom.xml"))));
    assertThat(merged.changedPaths()).as("a restarted scheduler asks prbot again").containsExactly("src/A.java", "pom.xml");
    assertThat(merged.toJson().getJsonArray("changed_paths")).containsExactly("src/A.java", "pom.xml");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
