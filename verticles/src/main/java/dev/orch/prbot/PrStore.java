package dev.orch.prbot;

import dev.orch.contract.ChecksState;
import dev.orch.contract.FollowUpKind;
import dev.orch.contract.PrStage;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** prbot's table of pull requests. At most one open or flagged pull request per task. */
final class PrStore implements PullRequests {
  static final String OWNER = "prbot";
  static final List<Database.Migration> MIGRATIONS = List.of(Database.Migration.of(1,
      """
      CREATE TABLE pull_requests (
        number INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        branch TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        head_commit TEXT NOT NULL,
        merge_commit TEXT,
        files_changed INTEGER NOT NULL DEFAULT 0,
        additions INTEGER NOT NULL DEFAULT 0,
        deletions INTEGER NOT NULL DEFAULT 0,
        diff_stat TEXT NOT NULL DEFAULT '',
        cost_usd REAL NOT NULL DEFAULT 0,
        tokens INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        merged_at INTEGER NOT NULL DEFAULT 0)""",
      "CREATE INDEX pull_requests_task ON pull_requests(task_id)",
      "CREATE UNIQUE INDEX pull_requests_one_open_per_task ON pull_requests(task_id) WHERE state IN ('open', 'flagged')"),
      Database.Migration.of(2,
          "ALTER TABLE pull_requests ADD COLUMN stage TEXT NOT NULL DEFAULT 'checking'",
          "ALTER TABLE pull_requests ADD COLUMN fix_rounds INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE pull_requests ADD COLUMN labels TEXT NOT NULL DEFAULT '[]'",
          "ALTER TABLE pull_requests ADD COLUMN routing TEXT",
          "ALTER TABLE pull_requests ADD COLUMN checks TEXT",
          "ALTER TABLE pull_requests ADD COLUMN url TEXT"),
      Database.Migration.of(3, "ALTER TABLE pull_requests ADD COLUMN remote_number INTEGER NOT NULL DEFAULT 0"),
      // Decisions move from sentences to typed columns; the sentences stay as what people read. Older rows get the
      // state their sentence meant, once, here, and the snapshot stays empty (filled on their next step).
      Database.Migration.of(4,
          "ALTER TABLE pull_requests ADD COLUMN checks_state TEXT NOT NULL DEFAULT 'not_run'",
          """
          UPDATE pull_requests SET checks_state = CASE
            WHEN checks IS NULL THEN 'not_run'
            WHEN checks = 'passed' THEN 'passed'
            WHEN checks = 'none configured' THEN 'none_configured'
            WHEN checks = 'passed here; waiting for the forge''s checks' THEN 'forge_pending'
            WHEN checks LIKE 'the forge''s checks failed%' THEN 'forge_failed'
            ELSE 'failed' END""",
          "ALTER TABLE pull_requests ADD COLUMN follow_up TEXT",
          """
          UPDATE pull_requests SET follow_up = CASE
            WHEN reason LIKE 'resolving a conflict with the main branch in %' THEN 'conflict'
            WHEN reason LIKE 'fixing red checks: %' OR reason LIKE 'fixing the forge''s red checks: %' THEN 'checks_failed'
            WHEN reason LIKE 'changes requested by a person: %' THEN 'rejected' END""",
          "ALTER TABLE pull_requests ADD COLUMN task_title TEXT",
          "ALTER TABLE pull_requests ADD COLUMN task_file TEXT",
          "ALTER TABLE pull_requests ADD COLUMN worktree TEXT",
          "ALTER TABLE pull_requests ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0"),
      // The files a merged change touched: the scheduler predicts a module's next tasks from them, and asks again
      // after a restart.
      Database.Migration.of(5, "ALTER TABLE pull_requests ADD COLUMN changed_paths TEXT NOT NULL DEFAULT '[]'"));

  private static final String INSERT_COLUMNS = "number, task_id, run_id, branch, title, body, state, reason, head_commit,"
      + " merge_commit, files_changed, additions, deletions, diff_stat, cost_usd, tokens, created_at, merged_at";
  private static final String COLUMNS = INSERT_COLUMNS + ", stage, fix_rounds, labels, routing, checks, url, remote_number,"
      + " checks_state, follow_up, task_title, task_file, worktree, needs_review, changed_paths";

  private final Pool pool;

  PrStore(Pool pool) {
    this.pool = pool;
  }

  /** Records a new open pull request and returns it with its number. */
  public Future<PullRequestView> insert(PullRequestView draft) {
    return Database.inTransaction(pool, conn -> conn.query("SELECT COALESCE(MAX(number), 0) + 1 AS next FROM pull_requests")
        .execute()
        .compose(rows -> {
          int number = rows.iterator().next().getInteger("next");
          return conn.preparedQuery("INSERT INTO pull_requests (" + INSERT_COLUMNS + ", task_title, task_file, worktree,"
                  + " needs_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .execute(Tuple.tuple().addValue(number).addValue(draft.taskId().toString()).addValue(draft.runId())
                  .addValue(draft.branch()).addValue(draft.title()).addValue(draft.body()).addValue(PrState.OPEN.wire())
                  .addValue(null).addValue(draft.headCommit()).addValue(null).addValue(draft.filesChanged())
                  .addValue(draft.additions()).addValue(draft.deletions()).addValue(draft.diffStat())
                  .addValue(draft.costUsd()).addValue(draft.tokens()).addValue(draft.createdAt()).addValue(0L)
                  .addValue(draft.taskTitle()).addValue(draft.taskFile()).addValue(draft.worktree())
                  .addValue(draft.needsReview() ? 1 : 0))
              .map(v -> number);
        }))
        .compose(this::get)
        .map(Optional::orElseThrow);
  }

  /** Writes every field that changes over a pull request's life, and returns it as stored. */
  public Future<PullRequestView> save(PullRequestView pr) {
    // A merge is on the project's main branch for good: its record must outlive a power loss as well.
    Function<SqlConnection, Future<RowSet<Row>>> write = conn -> conn.preparedQuery("UPDATE pull_requests SET run_id = ?, body = ?, state = ?, reason = ?, head_commit = ?,"
            + " merge_commit = ?, files_changed = ?, additions = ?, deletions = ?, diff_stat = ?, cost_usd = ?, tokens = ?,"
            + " merged_at = ?, stage = ?, fix_rounds = ?, labels = ?, routing = ?, checks = ?, url = ?, remote_number = ?,"
            + " checks_state = ?, follow_up = ?, task_title = ?, task_file = ?, worktree = ?, needs_review = ?,"
            + " changed_paths = ? WHERE number = ?")
        .execute(Tuple.tuple().addValue(pr.runId()).addValue(pr.body()).addValue(pr.state().wire()).addValue(pr.reason())
            .addValue(pr.headCommit()).addValue(pr.mergeCommit()).addValue(pr.filesChanged()).addValue(pr.additions())
            .addValue(pr.deletions()).addValue(pr.diffStat()).addValue(pr.costUsd()).addValue(pr.tokens())
            .addValue(pr.mergedAt()).addValue(pr.stage().wire()).addValue(pr.fixRounds())
            .addValue(new io.vertx.core.json.JsonArray(pr.labels()).encode()).addValue(pr.routing()).addValue(pr.checks())
            .addValue(pr.url()).addValue(pr.remoteNumber()).addValue(pr.checksState().wire())
            .addValue(pr.followUp() == null ? null : pr.followUp().wire()).addValue(pr.taskTitle()).addValue(pr.taskFile())
            .addValue(pr.worktree()).addValue(pr.needsReview() ? 1 : 0)
            .addValue(new io.vertx.core.json.JsonArray(pr.changedPaths()).encode()).addValue(pr.number()));
    return (pr.state() == PrState.MERGED ? Database.durably(pool, write) : pool.withConnection(write))
        .compose(v -> get(pr.number()))
        .map(Optional::orElseThrow);
  }

  public Future<Optional<PullRequestView>> get(int number) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM pull_requests WHERE number = ?").execute(Tuple.of(number))
        .map(PrStore::first);
  }

  public Future<Optional<PullRequestView>> activeForTask(TaskId taskId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM pull_requests WHERE task_id = ? AND state IN ('open', 'flagged')")
        .execute(Tuple.of(taskId.toString())).map(PrStore::first);
  }

  public Future<Optional<PullRequestView>> forRun(long runId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM pull_requests WHERE run_id = ? ORDER BY number DESC LIMIT 1")
        .execute(Tuple.of(runId)).map(PrStore::first);
  }

  public Future<List<PullRequestView>> list(PrState state) {
    return (state == null
        ? pool.query("SELECT " + COLUMNS + " FROM pull_requests ORDER BY number").execute()
        : pool.preparedQuery("SELECT " + COLUMNS + " FROM pull_requests WHERE state = ? ORDER BY number")
            .execute(Tuple.of(state.wire())))
        .map(PrStore::all);
  }

  private static Optional<PullRequestView> first(RowSet<Row> rows) {
    List<PullRequestView> all = all(rows);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  private static List<PullRequestView> all(RowSet<Row> rows) {
    List<PullRequestView> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new PullRequestView(r.getInteger("number"), TaskId.parseFull(r.getString("task_id")), r.getLong("run_id"), r.getString("branch"),
          r.getString("title"), r.getString("body"), PrState.fromWire(r.getString("state")), r.getString("reason"),
          r.getString("head_commit"), r.getString("merge_commit"), r.getInteger("files_changed"), r.getInteger("additions"),
          r.getInteger("deletions"), r.getString("diff_stat"), r.getDouble("cost_usd"), r.getLong("tokens"),
          r.getLong("created_at"), r.getLong("merged_at"), PrStage.fromWire(r.getString("stage")), r.getInteger("fix_rounds"),
          new io.vertx.core.json.JsonArray(r.getString("labels")).stream().map(String::valueOf).toList(),
          r.getString("routing"), r.getString("checks"), r.getString("url"), r.getInteger("remote_number"),
          ChecksState.fromWire(r.getString("checks_state")), FollowUpKind.fromWire(r.getString("follow_up")),
          r.getString("task_title"), r.getString("task_file"), r.getString("worktree"), r.getInteger("needs_review") != 0,
          new io.vertx.core.json.JsonArray(r.getString("changed_paths")).stream().map(String::valueOf).toList()));
    }
    return out;
  }
}
