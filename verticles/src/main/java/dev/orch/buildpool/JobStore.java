package dev.orch.buildpool;

import dev.orch.contract.JobRequest;
import dev.orch.contract.JobView;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The build pool's job queue: every job and its state, so a restart loses none. */
final class JobStore {
  static final String OWNER = "buildpool";
  static final List<Database.Migration> MIGRATIONS = List.of(Database.Migration.of(1,
      """
      CREATE TABLE build_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        label TEXT NOT NULL,
        command TEXT NOT NULL,
        commit_id TEXT NOT NULL,
        ref TEXT,
        task_id TEXT,
        state TEXT NOT NULL,
        worker TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        exit_code INTEGER,
        reason TEXT,
        timeout_secs INTEGER NOT NULL,
        output_bytes INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        started_at INTEGER NOT NULL DEFAULT 0,
        ended_at INTEGER NOT NULL DEFAULT 0)""",
      "CREATE INDEX build_jobs_state ON build_jobs(state, id)"),
      Database.Migration.of(2, "ALTER TABLE build_jobs ADD COLUMN output_truncated INTEGER NOT NULL DEFAULT 0"));

  private static final String COLUMNS = "id, label, command, commit_id, ref, task_id, state, worker, attempts, exit_code,"
      + " reason, timeout_secs, output_bytes, created_at, started_at, ended_at, output_truncated";

  private final Pool pool;

  JobStore(Pool pool) {
    this.pool = pool;
  }

  Future<JobView> insert(JobRequest request, int timeoutSecs, long now) {
    return pool.withConnection(conn -> conn.preparedQuery("INSERT INTO build_jobs (label, command, commit_id, ref, task_id,"
            + " state, timeout_secs, created_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)")
        .execute(Tuple.of(request.label(), request.command(), request.commit(), request.ref(), request.taskId() == null ? null : request.taskId().toString(), timeoutSecs,
            now))
        .compose(v -> conn.query("SELECT last_insert_rowid() AS id").execute())
        .map(rows -> rows.iterator().next().getLong("id")))
        .compose(this::get).map(Optional::orElseThrow);
  }

  Future<JobView> save(JobView job) {
    return pool.preparedQuery("UPDATE build_jobs SET state = ?, worker = ?, attempts = ?, exit_code = ?, reason = ?,"
            + " output_bytes = ?, started_at = ?, ended_at = ?, output_truncated = ? WHERE id = ?")
        .execute(Tuple.tuple().addValue(job.state().wire()).addValue(job.worker()).addValue(job.attempts())
            .addValue(job.exitCode()).addValue(job.reason()).addValue(job.outputBytes()).addValue(job.startedAt())
            .addValue(job.endedAt()).addValue(job.outputTruncated() ? 1 : 0).addValue(job.jobId()))
        .map(v -> job);
  }

  Future<Optional<JobView>> get(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM build_jobs WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> all(rows).stream().findFirst());
  }

  Future<List<JobView>> inStates(String... states) {
    String in = String.join(", ", java.util.Collections.nCopies(states.length, "?"));
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM build_jobs WHERE state IN (" + in + ") ORDER BY id")
        .execute(Tuple.from(List.of((Object[]) states))).map(JobStore::all);
  }

  Future<List<JobView>> recent(int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM build_jobs ORDER BY id DESC LIMIT ?").execute(Tuple.of(limit))
        .map(JobStore::all);
  }

  private static List<JobView> all(RowSet<Row> rows) {
    List<JobView> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new JobView(r.getLong("id"), r.getString("label"), r.getString("command"), r.getString("commit_id"),
          r.getString("ref"), r.getString("task_id") == null ? null : TaskId.parseFull(r.getString("task_id")), JobView.State.fromWire(r.getString("state")), r.getString("worker"),
          r.getInteger("attempts"), r.getInteger("exit_code"), r.getString("reason"), r.getInteger("timeout_secs"),
          r.getLong("output_bytes"), r.getLong("created_at"), r.getLong("started_at"), r.getLong("ended_at"),
          r.getInteger("output_truncated") != 0));
    }
    return out;
  }
}
