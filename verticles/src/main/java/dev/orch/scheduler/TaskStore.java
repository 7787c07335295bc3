package dev.orch.scheduler;

import dev.orch.contract.ApiLimit;
import dev.orch.contract.ChangedPaths;
import dev.orch.contract.HistoryQuery;
import dev.orch.contract.HistorySeries;
import dev.orch.contract.PlanIssue;
import dev.orch.contract.PlanSnapshot;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.Priority;
import dev.orch.contract.SyncReport;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskSpec;
import dev.orch.contract.TaskStatus;
import dev.orch.contract.TaskTransition;
import dev.orch.db.Database;
import dev.orch.footprint.ModuleHistory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The scheduler's tables: tasks, their transitions, the last sync's plan errors. Only the scheduler calls it. */
public final class TaskStore {
  public static final String OWNER = "scheduler";
  public static final List<Database.Migration> MIGRATIONS = List.of(Database.Migration.of(1,
      """
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        module TEXT NOT NULL,
        prefix TEXT NOT NULL,
        number INTEGER NOT NULL,
        title TEXT NOT NULL,
        file TEXT NOT NULL,
        priority TEXT NOT NULL,
        depends_on TEXT NOT NULL,
        needs_review INTEGER NOT NULL,
        plan_status TEXT,
        status TEXT NOT NULL,
        blocked_reason TEXT,
        criteria_done INTEGER NOT NULL,
        criteria_total INTEGER NOT NULL,
        test_summary TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL)""",
      "CREATE INDEX tasks_module ON tasks(module)",
      "CREATE INDEX tasks_file ON tasks(file)",
      """
      CREATE TABLE task_transitions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL REFERENCES tasks(id),
        from_status TEXT,
        to_status TEXT NOT NULL,
        reason TEXT,
        at INTEGER NOT NULL)""",
      "CREATE INDEX task_transitions_task ON task_transitions(task_id, at)",
      """
      CREATE TABLE plan_errors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        task_id TEXT,
        message TEXT NOT NULL)""",
      """
      CREATE TABLE syncs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        report TEXT NOT NULL)"""),
      Database.Migration.of(2,
          "ALTER TABLE tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE tasks ADD COLUMN retry_at INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE tasks ADD COLUMN last_error TEXT"),
      // A person's "start these" outlives a restart: tasks asked for that did not fit under the parallel limit.
      Database.Migration.of(3, "CREATE TABLE start_requests (task_id TEXT PRIMARY KEY, at INTEGER NOT NULL)"),
      // A digest of the plan's columns as written, so a sync compares one value per row instead of reading every column
      // back; NULL (rows from before, or written elsewhere) means "compare in full".
      Database.Migration.of(4, "ALTER TABLE tasks ADD COLUMN spec_hash TEXT"),
      // A counter every change to the tasks table moves, in whichever process or connection: the mirror dispatch reads
      // is trusted while it still matches, so a dispatch reads one value instead of every row.
      Database.Migration.of(5,
          "CREATE TABLE tasks_version (n INTEGER NOT NULL)",
          "INSERT INTO tasks_version (n) VALUES (0)",
          "CREATE TRIGGER tasks_version_insert AFTER INSERT ON tasks BEGIN UPDATE tasks_version SET n = n + 1; END",
          "CREATE TRIGGER tasks_version_update AFTER UPDATE ON tasks BEGIN UPDATE tasks_version SET n = n + 1; END",
          "CREATE TRIGGER tasks_version_delete AFTER DELETE ON tasks BEGIN UPDATE tasks_version SET n = n + 1; END"),
      // A task's change of status is one statement: the database records its transition (a trigger that fires for
      // updates that set status_reason, which only apply() does); previous_status and version_before hand the old
      // status and the counter before the statement back through RETURNING, which shows only new values. Four round
      // trips to SQLite fewer on every launch.
      Database.Migration.of(6,
          "ALTER TABLE tasks ADD COLUMN previous_status TEXT",
          "ALTER TABLE tasks ADD COLUMN status_reason TEXT",
          "ALTER TABLE tasks ADD COLUMN version_before INTEGER",
          """
          CREATE TRIGGER tasks_transition AFTER UPDATE OF status_reason ON tasks WHEN old.status IS NOT new.status
          BEGIN
            INSERT INTO task_transitions (task_id, from_status, to_status, reason, at)
            VALUES (new.id, old.status, new.status, new.status_reason, new.updated_at);
          END"""),
      // Whose tasks these are: a sync removes every task its plan does not have, so two projects sharing one store
      // would mark each other's tasks removed.
      Database.Migration.of(7,
          "CREATE TABLE store_project (id INTEGER PRIMARY KEY CHECK (id = 1), project_root TEXT NOT NULL)"),
      // The files a task declares and the paths its text names: what the scheduler keeps parallel agents apart by.
      Database.Migration.of(8,
          "ALTER TABLE tasks ADD COLUMN files TEXT NOT NULL DEFAULT '[]'",
          "ALTER TABLE tasks ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]'"),
      // The rate-limit governor's state: a plan parked by the model API is still parked after a restart, with the same
      // resume time.
      Database.Migration.of(9, """
          CREATE TABLE governor (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            phase TEXT NOT NULL,
            parked_for TEXT,
            resume_at INTEGER NOT NULL,
            limits_in_a_row INTEGER NOT NULL,
            allowed INTEGER NOT NULL,
            ramped_at INTEGER NOT NULL)"""),
      // The files each task's merged change touched: the next tasks of its module are predicted to touch them too.
      Database.Migration.of(10, """
          CREATE TABLE merged_files (
            task_id TEXT PRIMARY KEY,
            module TEXT NOT NULL,
            merged_at INTEGER NOT NULL,
            paths TEXT NOT NULL)"""));

  private static final String INSERT_COLUMNS = "id, module, prefix, number, title, file, priority, depends_on, needs_review,"
      + " plan_status, status, blocked_reason, criteria_done, criteria_total, test_summary, content_hash, created_at, updated_at,"
      + " files, mentions";
  private static final String COLUMNS = INSERT_COLUMNS + ", attempts, retry_at, last_error";
  private static final String INSERT = "INSERT INTO tasks (" + INSERT_COLUMNS + ", spec_hash)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE = "UPDATE tasks SET module = ?, prefix = ?, number = ?, title = ?, file = ?, priority = ?,"
      + " depends_on = ?, needs_review = ?, plan_status = ?, status = ?, blocked_reason = ?, criteria_done = ?,"
      + " criteria_total = ?, test_summary = ?, content_hash = ?, updated_at = ?, files = ?, mentions = ?, spec_hash = ?"
      + " WHERE id = ?";
  /** Rows read in full per query when only some are (ids bound as parameters, under SQLite's limit). */
  private static final int FULL_READ_CHUNK = 500;
  private static final String INSERT_TRANSITION =
      "INSERT INTO task_transitions (task_id, from_status, to_status, reason, at) VALUES (?, ?, ?, ?, ?)";

  private final Pool pool;
  private final Clock clock;
  /** The table as of {@code tasks_version} = {@code version}; replaced, never changed in place. */
  private record Mirror(long version, Map<String, StoredTask> tasks) {
  }

  private volatile Mirror mirror;

  public TaskStore(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** The project whose tasks the store holds, once one has claimed it. */
  Future<Optional<Path>> claimedBy() {
    return pool.query("SELECT project_root FROM store_project WHERE id = 1").execute()
        .map(rows -> rows.iterator().hasNext() ? Optional.of(Path.of(rows.iterator().next().getString(0)))
            : Optional.empty());
  }

  Future<Void> claimFor(Path projectRoot) {
    return pool.preparedQuery("INSERT OR REPLACE INTO store_project (id, project_root) VALUES (1, ?)")
        .execute(Tuple.of(projectRoot.toString())).mapEmpty();
  }

  /** The result of a sync: its report and the transitions to publish once committed. */
  public record Applied(SyncReport report, List<TaskTransition> transitions) {
  }

  public Future<Applied> applySnapshot(PlanSnapshot snapshot) {
    long started = System.nanoTime();
    Map<String, String> hashes = new HashMap<>();
    snapshot.tasks().forEach(spec -> hashes.put(spec.id(), specHash(spec)));
    return Database.inTransaction(pool, conn -> loadForSync(conn, snapshot, hashes).compose(existing -> {
      long now = clock.millis();
      SyncPlanner.Plan plan = SyncPlanner.plan(existing.tasks(), snapshot, now);
      Set<String> written = new HashSet<>();
      plan.updates().forEach(t -> written.add(t.id()));
      // Rows compared in full because their digest was missing or stale, found unchanged: store the digest once.
      List<Tuple> digests = existing.comparedInFull().stream()
          .filter(id -> hashes.containsKey(id) && !written.contains(id))
          .map(id -> Tuple.of(hashes.get(id), id))
          .toList();
      return batch(conn, INSERT, plan.inserts().stream().map(TaskStore::insertTuple).toList())
          .compose(v -> batch(conn, UPDATE, plan.updates().stream().map(TaskStore::updateTuple).toList()))
          .compose(v -> batch(conn, "UPDATE tasks SET spec_hash = ? WHERE id = ?", digests))
          .compose(v -> batch(conn, INSERT_TRANSITION, plan.transitions().stream().map(TaskStore::transitionTuple).toList()))
          .compose(v -> conn.query("DELETE FROM plan_errors").execute())
          .compose(v -> batch(conn, "INSERT INTO plan_errors (file, line, task_id, message) VALUES (?, ?, ?, ?)",
              snapshot.errors().stream().map(e -> Tuple.of(e.file(), e.line(), e.taskId() == null ? null : e.taskId().toString(), e.message())).toList()))
          .compose(v -> {
            SyncReport report = new SyncReport(snapshot.tasks().size(), plan.inserts().size(),
                plan.updates().size() - plan.removed(), plan.unchanged(), plan.removed(), plan.restored(), plan.conflicts(),
                snapshot.errors(), snapshot.filesRead(), snapshot.parseMillis(), (System.nanoTime() - started) / 1_000_000);
            return conn.preparedQuery("INSERT INTO syncs (at, report) VALUES (?, ?)")
                .execute(Tuple.of(now, report.toJson().encode()))
                .map(rows -> new Applied(report, plan.transitions()));
          });
    }));
  }

  /**
   * One status change, stored with its transition in a transaction. {@code attempts}, {@code retryAt} and
   * {@code lastError} are written as given (the caller passes the current values to keep them).
   */
  record Change(String taskId, TaskStatus to, String reason, int attempts, long retryAt, String lastError) {
  }

  Future<TaskTransition> apply(Change change) {
    long now = clock.millis();
    // SET reads the row and the counter as they were before this statement; its triggers run after.
    return pool.preparedQuery("UPDATE tasks SET previous_status = status, version_before = (SELECT n FROM tasks_version),"
            + " status = ?, status_reason = ?, attempts = ?, retry_at = ?, last_error = ?, updated_at = ? WHERE id = ?"
            + " RETURNING previous_status, version_before")
        .execute(Tuple.tuple().addValue(change.to().wire()).addValue(change.reason()).addValue(change.attempts())
            .addValue(change.retryAt()).addValue(change.lastError()).addValue(now).addValue(change.taskId()))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(dev.orch.contract.OrchException.notFound("no task " + change.taskId()));
          }
          Row row = rows.iterator().next();
          TaskStatus from = TaskStatus.fromWire(row.getString("previous_status"));
          followInMirror(change, now, row.getLong("version_before"));
          return Future.succeededFuture(
              new TaskTransition(TaskId.parseFull(change.taskId()), from, change.to(), change.reason(), now));
        });
  }

  /**
   * Brings the mirror along with a change this store just committed, when the mirror is of the table exactly as it was
   * before the change (the one-row update then moved the counter by one). Any other mirror is left as it is: its version
   * is behind the counter for good, so the next read reloads. A mirror is never tagged newer than what it holds.
   */
  private void followInMirror(Change change, long now, long versionBefore) {
    Mirror seen = mirror;
    StoredTask before = seen == null ? null : seen.tasks().get(change.taskId());
    if (before == null || seen.version() != versionBefore) {
      return;
    }
    Map<String, StoredTask> tasks = new LinkedHashMap<>(seen.tasks());
    tasks.put(change.taskId(), new StoredTask(before.spec(), change.to(), before.createdAt(), now, change.attempts(),
        change.retryAt(), change.lastError()));
    mirror = new Mirror(seen.version() + 1, Collections.unmodifiableMap(tasks));
  }

  /** When tasks became complete within the query's window: one point per transition, for the dashboard's charts. */
  Future<HistorySeries> completed(HistoryQuery query) {
    return pool.preparedQuery("SELECT at FROM task_transitions WHERE to_status = ? AND at >= ? AND at < ?")
        .execute(Tuple.of(TaskStatus.COMPLETE.wire(), query.since(), query.until()))
        .map(rows -> {
          List<HistoryQuery.Point> points = new ArrayList<>();
          rows.forEach(r -> points.add(new HistoryQuery.Point(r.getLong("at"), 1)));
          return query.sum(points);
        });
  }

  Future<List<TaskTransition>> history(String taskId) {
    return pool.preparedQuery("SELECT task_id, from_status, to_status, reason, at FROM task_transitions WHERE task_id = ?"
            + " ORDER BY id")
        .execute(Tuple.of(taskId))
        .map(rows -> {
          List<TaskTransition> out = new ArrayList<>();
          rows.forEach(r -> out.add(new TaskTransition(TaskId.parseFull(r.getString("task_id")),
              r.getString("from_status") == null ? null : TaskStatus.fromWire(r.getString("from_status")),
              TaskStatus.fromWire(r.getString("to_status")), r.getString("reason"), r.getLong("at"))));
          return out;
        });
  }

  /**
   * Every task, from the mirror while the table has not changed since it was read (one value read instead of every
   * row: dispatch runs after every event). The counter is read before the rows, so a mirror is never newer than its
   * version says, only possibly older, which the next read corrects.
   */
  Future<Map<String, StoredTask>> loadAll() {
    return pool.withConnection(conn -> conn.query("SELECT n FROM tasks_version").execute().compose(rows -> {
      long version = rows.iterator().next().getLong(0);
      Mirror seen = mirror;
      if (seen != null && seen.version() == version) {
        return Future.succeededFuture(new LinkedHashMap<>(seen.tasks()));
      }
      return loadAll(conn).map(tasks -> {
        mirror = new Mirror(version, Collections.unmodifiableMap(new LinkedHashMap<>(tasks)));
        return tasks;
      });
    }));
  }

  Future<Optional<StoredTask>> find(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM tasks WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(fromRow(rows.iterator().next()))
            : Optional.empty());
  }

  /** One task and the tasks it depends on: enough to say whether it is ready, without reading the whole table. */
  Future<Map<String, StoredTask>> findWithDependencies(String id) {
    return pool.withConnection(conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM tasks WHERE id = ?")
        .execute(Tuple.of(id))
        .compose(rows -> {
          Map<String, StoredTask> out = new LinkedHashMap<>();
          if (!rows.iterator().hasNext()) {
            return Future.succeededFuture(out);
          }
          StoredTask task = fromRow(rows.iterator().next());
          out.put(id, task);
          if (task.dependsOn().isEmpty()) {
            return Future.succeededFuture(out);
          }
          String marks = String.join(", ", java.util.Collections.nCopies(task.dependsOn().size(), "?"));
          return conn.preparedQuery("SELECT " + COLUMNS + " FROM tasks WHERE id IN (" + marks + ")")
              .execute(Tuple.wrap(new ArrayList<Object>(task.dependsOn())))
              .map(deps -> {
                deps.forEach(row -> out.put(row.getString("id"), fromRow(row)));
                return out;
              });
        }));
  }

  /** The tasks a person asked to start that have not been queued yet, oldest first. */
  Future<List<String>> startRequests() {
    return pool.query("SELECT task_id FROM start_requests ORDER BY at, task_id").execute().map(rows -> {
      List<String> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getString("task_id")));
      return out;
    });
  }

  Future<Void> addStartRequests(List<String> taskIds) {
    long now = clock.millis();
    return pool.withConnection(conn -> batch(conn, "INSERT OR IGNORE INTO start_requests (task_id, at) VALUES (?, ?)",
        taskIds.stream().map(id -> Tuple.of(id, now)).toList()));
  }

  Future<Void> removeStartRequest(String taskId) {
    return pool.preparedQuery("DELETE FROM start_requests WHERE task_id = ?").execute(Tuple.of(taskId)).mapEmpty();
  }

  Future<List<PlanIssue>> planErrors() {
    return pool.query("SELECT file, line, task_id, message FROM plan_errors ORDER BY file, line").execute()
        .map(rows -> {
          List<PlanIssue> out = new ArrayList<>();
          rows.forEach(r -> out.add(new PlanIssue(r.getString("file"), r.getInteger("line"), taskIdOrNull(r.getString("task_id")),
              r.getString("message"))));
          return out;
        });
  }

  Future<Long> lastSyncAt() {
    return pool.query("SELECT COALESCE(MAX(at), 0) AS at FROM syncs").execute()
        .map(rows -> rows.iterator().next().getLong("at"));
  }

  /** The rows a sync compares against, and the ids of those read (and so compared) in full. */
  private record Existing(Map<String, StoredTask> tasks, Set<String> comparedInFull) {
    /** In table order, as a full read gives them, so removals are reported in the same order as before. */
    static Existing inOrder(List<String> order, Map<String, StoredTask> found, Set<String> comparedInFull) {
      Map<String, StoredTask> tasks = new LinkedHashMap<>();
      order.forEach(id -> {
        StoredTask task = found.get(id);
        if (task != null) {
          tasks.put(id, task);
        }
      });
      return new Existing(tasks, comparedInFull);
    }
  }

  /**
   * What a sync needs of the stored tasks, read cheaply: first each row's id, status and digest. A row whose digest
   * matches the plan's task is that task with its stored status (the planner then finds it unchanged, or changes only
   * its status); only the other rows (digest missing or different, or no longer in the plan) are read in full.
   * Removed tasks no longer in the plan are left out: the planner passes over them anyway.
   */
  private Future<Existing> loadForSync(SqlConnection conn, PlanSnapshot snapshot, Map<String, String> hashes) {
    return conn.query("SELECT id, status, spec_hash FROM tasks").execute().compose(rows -> {
      Map<String, TaskSpec> specs = new HashMap<>();
      snapshot.tasks().forEach(spec -> specs.put(spec.id(), spec));
      Map<String, StoredTask> out = new HashMap<>();
      Set<String> full = new LinkedHashSet<>();
      List<String> order = new ArrayList<>();
      for (Row row : rows) {
        String id = row.getString("id");
        order.add(id);
        TaskStatus status = TaskStatus.fromWire(row.getString("status"));
        TaskSpec spec = specs.get(id);
        if (spec != null && hashes.get(id).equals(row.getString("spec_hash"))) {
          out.put(id, new StoredTask(spec, status, 0, 0));
        } else if (spec != null || status != TaskStatus.REMOVED) {
          full.add(id);
        }
      }
      if (full.isEmpty()) {
        return Future.succeededFuture(Existing.inOrder(order, out, full));
      }
      if (full.size() > FULL_READ_CHUNK * 4) {
        return loadAll(conn).map(all -> {
          full.forEach(id -> out.put(id, all.get(id)));
          return Existing.inOrder(order, out, full);
        });
      }
      List<String> ids = new ArrayList<>(full);
      Future<Void> reads = Future.succeededFuture();
      for (int from = 0; from < ids.size(); from += FULL_READ_CHUNK) {
        List<Object> chunk = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + FULL_READ_CHUNK)));
        String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
        reads = reads.compose(v -> conn.preparedQuery("SELECT " + COLUMNS + " FROM tasks WHERE id IN (" + marks + ")")
            .execute(Tuple.wrap(chunk))
            .map(found -> {
              found.forEach(row -> out.put(row.getString("id"), fromRow(row)));
              return null;
            }));
      }
      return reads.map(v -> Existing.inOrder(order, out, full));
    });
  }

  /**
   * A digest of everything the plan decides about a task, in the form it is stored (so equal digests mean a row's
   * plan columns need no write). The separator cannot occur in any field; null is told apart from empty.
   */
  static String specHash(TaskSpec s) {
    StringBuilder text = new StringBuilder(512);
    for (Object field : new Object[] {s.id(), s.module(), s.prefix(), s.number(), s.title(), s.file(), s.priority().wire(),
        new JsonArray(s.dependsOn()).encode(), s.needsReview(), s.planStatus() == null ? null : s.planStatus().wire(),
        s.criteriaDone(), s.criteriaTotal(), encodeRows(s.testSummary()), s.contentHash(), s.blockedReason(),
        new JsonArray(s.files()).encode(), new JsonArray(s.mentions()).encode()}) {
      text.append(field == null ? "\u0001" : field.toString()).append('\u0000');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The governor as last saved, or open when it never parked. */
  Future<RateGovernor.State> governor() {
    return pool.query("SELECT phase, parked_for, resume_at, limits_in_a_row, allowed, ramped_at FROM governor").execute()
        .map(rows -> {
          if (!rows.iterator().hasNext()) {
            return RateGovernor.State.OPEN;
          }
          Row row = rows.iterator().next();
          String parkedFor = row.getString("parked_for");
          return new RateGovernor.State(RateGovernor.Phase.valueOf(row.getString("phase")),
              parkedFor == null ? null : ApiLimit.Kind.fromWire(parkedFor), row.getLong("resume_at"),
              row.getInteger("limits_in_a_row"), row.getInteger("allowed"), row.getLong("ramped_at"));
        });
  }

  Future<Void> saveGovernor(RateGovernor.State state) {
    return pool.preparedQuery("INSERT OR REPLACE INTO governor (id, phase, parked_for, resume_at, limits_in_a_row, allowed,"
            + " ramped_at) VALUES (1, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.tuple().addValue(state.phase().name())
            .addValue(state.parkedFor() == null ? null : state.parkedFor().wire()).addValue(state.resumeAt())
            .addValue(state.limitsInARow()).addValue(state.allowed()).addValue(state.rampedAt()))
        .mapEmpty();
  }

  /** Every task's merged files, as {@link #saveMergedFiles} kept them. */
  Future<List<ModuleHistory.Merge>> mergedFiles() {
    return pool.query("SELECT task_id, module, merged_at, paths FROM merged_files").execute().map(rows -> {
      List<ModuleHistory.Merge> out = new ArrayList<>();
      rows.forEach(row -> out.add(new ModuleHistory.Merge(row.getString("module"), row.getString("task_id"),
          row.getLong("merged_at"), ChangedPaths.require("merged_files.paths", stringList(row.getString("paths"))))));
      return out;
    });
  }

  Future<Void> saveMergedFiles(ModuleHistory.Merge merge) {
    return pool.preparedQuery("INSERT OR REPLACE INTO merged_files (task_id, module, merged_at, paths) VALUES (?, ?, ?, ?)")
        .execute(Tuple.of(merge.taskId(), merge.module(), merge.mergedAt(), new JsonArray(merge.paths()).encode()))
        .mapEmpty();
  }

  private Future<Map<String, StoredTask>> loadAll(SqlConnection conn) {
    return conn.query("SELECT " + COLUMNS + " FROM tasks").execute().map(rows -> {
      Map<String, StoredTask> out = new LinkedHashMap<>();
      rows.forEach(row -> out.put(row.getString("id"), fromRow(row)));
      return out;
    });
  }

  private static Future<Void> batch(SqlConnection conn, String sql, List<Tuple> tuples) {
    if (tuples.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(sql).executeBatch(tuples).mapEmpty();
  }

  private static StoredTask fromRow(Row row) {
    String planStatus = row.getString("plan_status");
    return StoredTask.of(row.getString("id"), row.getString("module"), row.getString("prefix"), row.getInteger("number"),
        row.getString("title"), row.getString("file"), Priority.fromWire(row.getString("priority")),
        stringList(row.getString("depends_on")), row.getInteger("needs_review") != 0,
        planStatus == null ? null : PlanStatus.fromWire(planStatus), TaskStatus.fromWire(row.getString("status")),
        row.getString("blocked_reason"), row.getInteger("criteria_done"), row.getInteger("criteria_total"),
        tableRows(row.getString("test_summary")), row.getString("content_hash"), row.getLong("created_at"),
        row.getLong("updated_at"), row.getInteger("attempts"), row.getLong("retry_at"), row.getString("last_error"),
        stringList(row.getString("files")), stringList(row.getString("mentions")));
  }

  private static Tuple insertTuple(StoredTask t) {
    var s = t.spec();
    return Tuple.tuple().addValue(s.id()).addValue(s.module()).addValue(s.prefix()).addValue(s.number())
        .addValue(s.title()).addValue(s.file()).addValue(s.priority().wire()).addValue(new JsonArray(s.dependsOn()).encode())
        .addValue(s.needsReview() ? 1 : 0).addValue(s.planStatus() == null ? null : s.planStatus().wire())
        .addValue(t.status().wire()).addValue(s.blockedReason()).addValue(s.criteriaDone()).addValue(s.criteriaTotal())
        .addValue(encodeRows(s.testSummary())).addValue(s.contentHash()).addValue(t.createdAt()).addValue(t.updatedAt())
        .addValue(new JsonArray(s.files()).encode()).addValue(new JsonArray(s.mentions()).encode()).addValue(specHash(s));
  }

  private static Tuple updateTuple(StoredTask t) {
    var s = t.spec();
    return Tuple.tuple().addValue(s.module()).addValue(s.prefix()).addValue(s.number()).addValue(s.title())
        .addValue(s.file()).addValue(s.priority().wire()).addValue(new JsonArray(s.dependsOn()).encode())
        .addValue(s.needsReview() ? 1 : 0).addValue(s.planStatus() == null ? null : s.planStatus().wire())
        .addValue(t.status().wire()).addValue(s.blockedReason()).addValue(s.criteriaDone()).addValue(s.criteriaTotal())
        .addValue(encodeRows(s.testSummary())).addValue(s.contentHash()).addValue(t.updatedAt())
        .addValue(new JsonArray(s.files()).encode()).addValue(new JsonArray(s.mentions()).encode()).addValue(specHash(s))
        .addValue(s.id());
  }

  private static Tuple transitionTuple(TaskTransition t) {
    return Tuple.tuple().addValue(t.taskId().toString()).addValue(t.from() == null ? null : t.from().wire())
        .addValue(t.to().wire()).addValue(t.reason()).addValue(t.at());
  }

  private static String encodeRows(List<Map<String, String>> rows) {
    JsonArray array = new JsonArray();
    rows.forEach(r -> array.add(new JsonObject(new LinkedHashMap<String, Object>(r))));
    return array.encode();
  }

  private static List<String> stringList(String json) {
    List<String> out = new ArrayList<>();
    new JsonArray(json).forEach(item -> out.add((String) item));
    return out;
  }

  private static List<Map<String, String>> tableRows(String json) {
    List<Map<String, String>> out = new ArrayList<>();
    new JsonArray(json).forEach(item -> {
      Map<String, String> row = new LinkedHashMap<>();
      ((JsonObject) item).forEach(e -> row.put(e.getKey(), String.valueOf(e.getValue())));
      out.add(row);
    });
    return out;
  }

  private static TaskId taskIdOrNull(String stored) {
    return stored == null ? null : TaskId.parseFull(stored);
  }
}
