package dev.orch.executor;

import dev.orch.contract.ApiLimit;
import dev.orch.contract.ErrorCode;
import dev.orch.contract.OrchException;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunUsage;
import dev.orch.contract.RunView;
import dev.orch.contract.HistoryQuery;
import dev.orch.contract.HistorySeries;
import dev.orch.contract.SpendSummary;
import dev.orch.contract.StopCause;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The executor's table of agent runs. A partial unique index keeps at most one live run per task. */
final class RunStore implements RunRecords {
  static final String OWNER = "executor";
  static final List<Database.Migration> MIGRATIONS = List.of(Database.Migration.of(1,
      """
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        status TEXT NOT NULL,
        session_id TEXT NOT NULL,
        resumed_from INTEGER NOT NULL DEFAULT 0,
        branch TEXT NOT NULL,
        worktree TEXT NOT NULL,
        log_file TEXT NOT NULL,
        pid INTEGER NOT NULL DEFAULT 0,
        pid_started_at INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER NOT NULL,
        ended_at INTEGER NOT NULL DEFAULT 0,
        exit_code INTEGER,
        reason TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cache_read_tokens INTEGER NOT NULL DEFAULT 0,
        cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        num_turns INTEGER NOT NULL DEFAULT 0,
        last_output_at INTEGER NOT NULL DEFAULT 0)""",
      "CREATE INDEX runs_task ON runs(task_id, id)",
      "CREATE UNIQUE INDEX runs_one_live_per_task ON runs(task_id) WHERE status IN ('starting', 'running')"),
      // Why orch stopped a run is a type the scheduler reads; older rows carried it only in the reason's wording.
      Database.Migration.of(2, "ALTER TABLE runs ADD COLUMN stop_cause TEXT",
          "UPDATE runs SET stop_cause = 'person' WHERE reason = 'stopped by a person'",
          "UPDATE runs SET stop_cause = 'task-budget' WHERE reason LIKE 'cost limit reached: %'",
          "UPDATE runs SET stop_cause = 'day-budget' WHERE reason LIKE 'daily cost limit reached: %'",
          "UPDATE runs SET stop_cause = 'shutdown' WHERE reason = 'orch shut down while the agent was running'",
          "UPDATE runs SET stop_cause = 'stuck' WHERE status = 'stuck'"),
      // A run carries its task's title and plan file forward, so its consumers need not ask for the task again.
      Database.Migration.of(3, "ALTER TABLE runs ADD COLUMN title TEXT", "ALTER TABLE runs ADD COLUMN file TEXT"),
      // And whether the plan asks for a person's review: prbot opens the pull request from the run alone (NULL: older).
      Database.Migration.of(4, "ALTER TABLE runs ADD COLUMN needs_review INTEGER"),
      // The limit a run met, typed: the scheduler parks the plan on it and a restart must see it the same way.
      Database.Migration.of(5, "ALTER TABLE runs ADD COLUMN limit_kind TEXT",
          "ALTER TABLE runs ADD COLUMN limit_resets_at INTEGER NOT NULL DEFAULT 0"));

  private static final String COLUMNS = "id, task_id, attempt, status, session_id, resumed_from, branch, worktree, log_file,"
      + " pid, pid_started_at, started_at, ended_at, exit_code, reason, input_tokens, output_tokens, cache_read_tokens,"
      + " cache_creation_tokens, cost_usd, num_turns, last_output_at, stop_cause, title, file, needs_review, limit_kind,"
      + " limit_resets_at";

  private final Pool pool;

  RunStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Long> insert(RunView starting) {
    return pool.preparedQuery("INSERT INTO runs (task_id, attempt, status, session_id,"
            + " resumed_from, branch, worktree, log_file, started_at, title, file, needs_review)"
            + " VALUES (?, ?, 'starting', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
        .execute(Tuple.tuple().addValue(starting.taskId().toString()).addValue(starting.attempt()).addValue(starting.sessionId())
            .addValue(starting.resumedFrom()).addValue(starting.branch()).addValue(starting.worktree())
            .addValue(starting.logFile()).addValue(starting.startedAt()).addValue(starting.title())
            .addValue(starting.file())
            .addValue(starting.needsReview() == null ? null : starting.needsReview() ? 1 : 0))
        .map(rows -> rows.iterator().next().getLong("id"))
        // The partial unique index is what guarantees one live run per task, even against a second orch process.
        .recover(e -> Future.failedFuture(Database.uniqueViolation(e)
            ? OrchException.conflict(starting.taskId() + " already has a live run")
            // A busy or full store is no reason to give up on the task: the caller is told to ask again.
            : Database.passing(e) ? new OrchException(ErrorCode.TRANSIENT, "the run of " + starting.taskId()
                + " could not be recorded (" + e.getMessage() + "); nothing was started")
            : e));
  }

  @Override
  public Future<Void> markRunning(long runId, String logFile, long pid, long pidStartedAt) {
    // Only from starting: a write retried after the agent already ended must not bring its row back to life.
    return pool.preparedQuery("UPDATE runs SET status = 'running', log_file = ?, pid = ?, pid_started_at = ?"
            + " WHERE id = ? AND status = 'starting'")
        .execute(Tuple.of(logFile, pid, pidStartedAt, runId)).mapEmpty();
  }

  @Override
  public Future<Boolean> finish(RunView settled) {
    RunUsage u = settled.usage();
    // A run's end is what the scheduler retries or gives up on: it must outlive a power loss.
    return Database.durably(pool, conn -> conn.preparedQuery("UPDATE runs SET status = ?, stop_cause = ?, exit_code = ?, reason = ?, ended_at = ?,"
            + " log_file = ?, input_tokens = ?, output_tokens = ?, cache_read_tokens = ?,"
            + " cache_creation_tokens = ?, cost_usd = ?, num_turns = ?, last_output_at = ?, limit_kind = ?, limit_resets_at = ?"
            + " WHERE id = ? AND status IN ('starting', 'running')")
        .execute(Tuple.tuple().addValue(settled.status().wire())
            .addValue(settled.stopCause() == null ? null : settled.stopCause().wire()).addValue(settled.exitCode())
            .addValue(settled.reason()).addValue(settled.endedAt()).addValue(settled.logFile()).addValue(u.inputTokens()).addValue(u.outputTokens())
            .addValue(u.cacheReadTokens()).addValue(u.cacheCreationTokens()).addValue(u.costUsd())
            .addValue(u.numTurns()).addValue(u.lastOutputAt())
            .addValue(settled.apiLimit() == null ? null : settled.apiLimit().kind().wire())
            .addValue(settled.apiLimit() == null ? 0L : settled.apiLimit().resetsAt()).addValue(settled.runId())))
        .map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Void> saveUsage(long runId, RunUsage u) {
    return pool.preparedQuery("UPDATE runs SET input_tokens = ?, output_tokens = ?, cache_read_tokens = ?,"
            + " cache_creation_tokens = ?, cost_usd = ?, num_turns = ?, last_output_at = ? WHERE id = ?")
        .execute(Tuple.tuple().addValue(u.inputTokens()).addValue(u.outputTokens())
            .addValue(u.cacheReadTokens()).addValue(u.cacheCreationTokens()).addValue(u.costUsd())
            .addValue(u.numTurns()).addValue(u.lastOutputAt()).addValue(runId))
        .mapEmpty();
  }

  @Override
  public Future<Optional<StoredRun>> get(long runId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM runs WHERE id = ?").execute(Tuple.of(runId))
        .map(rows -> first(rows));
  }

  @Override
  public Future<Optional<StoredRun>> latestForTask(TaskId taskId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM runs WHERE task_id = ? ORDER BY id DESC LIMIT 1")
        .execute(Tuple.of(taskId.toString())).map(RunStore::first);
  }

  @Override
  public Future<List<StoredRun>> live() {
    return pool.query("SELECT " + COLUMNS + " FROM runs WHERE status IN ('starting', 'running') ORDER BY id").execute()
        .map(RunStore::all);
  }

  Future<List<StoredRun>> list(TaskId taskId, boolean liveOnly, int limit) {
    String where = (taskId != null ? " WHERE task_id = ?" : " WHERE 1 = 1")
        + (liveOnly ? " AND status IN ('starting', 'running')" : "");
    Tuple params = taskId != null ? Tuple.of(taskId.toString(), limit) : Tuple.of(limit);
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM runs" + where + " ORDER BY id DESC LIMIT ?").execute(params)
        .map(RunStore::all);
  }

  /** {@code now}: the last hour is the hour before it, counted by when runs ended or last said what they cost. */
  Future<SpendSummary> spend(ZoneId zone, long now) {
    long startOfDay = Instant.ofEpochMilli(now).atZone(zone).toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli();
    long hourAgo = now - 3_600_000L;
    return pool.query("SELECT task_id, SUM(cost_usd) AS cost, SUM(input_tokens) AS input, SUM(output_tokens) AS output,"
            + " SUM(CASE WHEN started_at >= " + startOfDay + " THEN cost_usd ELSE 0 END) AS today,"
            + " SUM(CASE WHEN MAX(ended_at, last_output_at) >= " + hourAgo + " THEN cost_usd ELSE 0 END) AS last_hour"
            + " FROM runs GROUP BY task_id")
        .execute()
        .map(rows -> {
          Map<String, Double> byTask = new TreeMap<>();
          double today = 0;
          double total = 0;
          long input = 0;
          long output = 0;
          double lastHour = 0;
          for (Row row : rows) {
            double cost = row.getDouble("cost");
            byTask.put(row.getString("task_id"), cost);
            total += cost;
            today += row.getDouble("today");
            input += row.getLong("input");
            output += row.getLong("output");
            lastHour += row.getDouble("last_hour");
          }
          return new SpendSummary(today, total, byTask, input, output, lastHour);
        });
  }

  /** Each run's cost at its end (a live run's so far, at its last output), summed per bucket of the query. */
  Future<HistorySeries> spendHistory(HistoryQuery query) {
    String at = "CASE WHEN ended_at > 0 THEN ended_at WHEN last_output_at > 0 THEN last_output_at ELSE started_at END";
    return pool.preparedQuery("SELECT " + at + " AS at, cost_usd FROM runs WHERE cost_usd > 0 AND " + at + " >= ? AND "
            + at + " < ?")
        .execute(Tuple.of(query.since(), query.until()))
        .map(rows -> {
          List<HistoryQuery.Point> points = new ArrayList<>();
          rows.forEach(r -> points.add(new HistoryQuery.Point(r.getLong("at"), r.getDouble("cost_usd"))));
          return query.sum(points);
        });
  }

  private static Optional<StoredRun> first(RowSet<Row> rows) {
    List<StoredRun> all = all(rows);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  private static List<StoredRun> all(RowSet<Row> rows) {
    List<StoredRun> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new StoredRun(new RunView(r.getLong("id"), TaskId.parseFull(r.getString("task_id")), r.getInteger("attempt"),
          RunStatus.fromWire(r.getString("status")), r.getString("session_id"), r.getLong("resumed_from"),
          r.getString("branch"), r.getString("worktree"), r.getString("log_file"), r.getLong("pid"),
          r.getLong("started_at"), r.getLong("ended_at"), r.getInteger("exit_code"), r.getString("reason"),
          r.getLong("input_tokens"), r.getLong("output_tokens"), r.getLong("cache_read_tokens"),
          r.getLong("cache_creation_tokens"), r.getDouble("cost_usd"), r.getInteger("num_turns"),
          r.getLong("last_output_at"), r.getString("stop_cause") == null ? null : StopCause.fromWire(r.getString("stop_cause")),
          r.getString("title"), r.getString("file"),
          r.getInteger("needs_review") == null ? null : r.getInteger("needs_review") != 0,
          r.getString("limit_kind") == null ? null
              : new ApiLimit(ApiLimit.Kind.fromWire(r.getString("limit_kind")), r.getLong("limit_resets_at"))),
          r.getLong("pid_started_at")));
    }
    return out;
  }
}
