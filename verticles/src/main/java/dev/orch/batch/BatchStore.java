package dev.orch.batch;

import dev.orch.contract.ApiLimit;
import dev.orch.contract.BatchSummary;
import dev.orch.contract.ParkedTime;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a restart needs of the batches: when each last fired (so a missed slot runs once, not once per slot), the runs
 * in progress with the tasks they started and the time they spent parked, each batch's last summary, and the plan's
 * current parked spell as the governor last told it.
 */
final class BatchStore implements Batches.Store {
  static final String OWNER = "batch";
  static final List<Database.Migration> MIGRATIONS = List.of(Database.Migration.of(1,
      "CREATE TABLE batch_state (name TEXT PRIMARY KEY, last_fire INTEGER NOT NULL, running INTEGER NOT NULL DEFAULT 0,"
          + " started_at INTEGER NOT NULL DEFAULT 0, deadline INTEGER NOT NULL DEFAULT 0, tasks TEXT NOT NULL DEFAULT '[]',"
          + " stopping INTEGER NOT NULL DEFAULT 0, last_summary TEXT)"),
      Database.Migration.of(2,
          "ALTER TABLE batch_state ADD COLUMN parked TEXT NOT NULL DEFAULT '[]'",
          "ALTER TABLE batch_state ADD COLUMN ran_out_parked_by TEXT",
          // One row at most: the plan is parked by one limit at a time.
          "CREATE TABLE batch_parked_spell (id INTEGER PRIMARY KEY CHECK (id = 1), parked_by TEXT NOT NULL,"
              + " since INTEGER NOT NULL)"));

  /**
   * One batch's stored state. {@code parked}: the spells of its current (or last) run that have ended, per limit;
   * {@code ranOutParkedBy}: what held the plan when its max_duration ran out, or null.
   */
  record State(String name, long lastFire, boolean running, long startedAt, long deadline, List<String> tasks,
      boolean stopping, BatchSummary lastSummary, List<ParkedTime> parked, ApiLimit.Kind ranOutParkedBy) {
    State {
      tasks = List.copyOf(tasks);
      parked = List.copyOf(parked);
    }

    /** A state whose run, if any, was never parked. */
    State(String name, long lastFire, boolean running, long startedAt, long deadline, List<String> tasks,
        boolean stopping, BatchSummary lastSummary) {
      this(name, lastFire, running, startedAt, deadline, tasks, stopping, lastSummary, List.of(), null);
    }

    State withRun(long startedAt, long deadline) {
      return new State(name, startedAt, true, startedAt, deadline, List.of(), false, lastSummary, List.of(), null);
    }

    /** A slot that passed without a run: it counts as fired, nothing else changes. */
    State passedAt(long slot) {
      return new State(name, slot, running, startedAt, deadline, tasks, stopping, lastSummary, parked, ranOutParkedBy);
    }

    State withTasks(List<String> all) {
      return new State(name, lastFire, running, startedAt, deadline, all, stopping, lastSummary, parked, ranOutParkedBy);
    }

    State withParked(List<ParkedTime> totals) {
      return new State(name, lastFire, running, startedAt, deadline, tasks, stopping, lastSummary, totals, ranOutParkedBy);
    }

    /** It starts nothing more; {@code parkedBy}: what held the plan if its max_duration ran out, else null. */
    State stoppingNow(ApiLimit.Kind parkedBy) {
      return new State(name, lastFire, running, startedAt, deadline, tasks, true, lastSummary, parked,
          parkedBy == null ? ranOutParkedBy : parkedBy);
    }

    State ended(BatchSummary summary) {
      return new State(name, lastFire, false, startedAt, deadline, tasks, false, summary, summary.parked(),
          summary.ranOutParkedBy());
    }
  }

  private final Pool pool;

  BatchStore(Pool pool) {
    this.pool = pool;
  }

  Future<Map<String, State>> load() {
    return pool.query("SELECT name, last_fire, running, started_at, deadline, tasks, stopping, last_summary, parked,"
            + " ran_out_parked_by FROM batch_state")
        .execute().map(rows -> {
          Map<String, State> out = new HashMap<>();
          for (Row row : rows) {
            String summary = row.getString("last_summary");
            boolean hasSummary = summary != null && !summary.isEmpty();
            List<String> tasks = new ArrayList<>();
            new JsonArray(row.getString("tasks")).forEach(t -> tasks.add(String.valueOf(t)));
            List<ParkedTime> parked = new ArrayList<>();
            new JsonArray(row.getString("parked")).forEach(p -> parked.add(ParkedTime.fromJson((JsonObject) p)));
            String ranOut = row.getString("ran_out_parked_by");
            out.put(row.getString("name"), new State(row.getString("name"), row.getLong("last_fire"),
                row.getInteger("running") == 1, row.getLong("started_at"), row.getLong("deadline"), tasks,
                row.getInteger("stopping") == 1, hasSummary ? BatchSummary.fromJson(new JsonObject(summary)) : null,
                parked, ranOut == null ? null : ApiLimit.Kind.fromWire(ranOut)));
          }
          return out;
        });
  }

  /** The plan's parked spell the batches last heard of, if the plan was parked then. */
  Future<Optional<Parking.Spell>> loadSpell() {
    return pool.query("SELECT parked_by, since FROM batch_parked_spell").execute().map(rows -> {
      for (Row row : rows) {
        return Optional.of(new Parking.Spell(ApiLimit.Kind.fromWire(row.getString("parked_by")), row.getLong("since")));
      }
      return Optional.empty();
    });
  }

  @Override
  public Future<Void> save(State state) {
    return pool.withConnection(conn -> save(conn, state));
  }

  @Override
  public Future<Void> saveSpell(List<State> states, Parking.Spell spell) {
    return Database.inTransaction(pool, conn -> {
      Future<Void> chain = spell == null ? conn.query("DELETE FROM batch_parked_spell").execute().mapEmpty()
          : conn.preparedQuery("INSERT INTO batch_parked_spell (id, parked_by, since) VALUES (1, ?, ?) ON CONFLICT(id)"
              + " DO UPDATE SET parked_by = excluded.parked_by, since = excluded.since")
              .execute(Tuple.of(spell.by().wire(), spell.since())).mapEmpty();
      for (State state : states) {
        chain = chain.compose(v -> save(conn, state));
      }
      return chain;
    });
  }

  private static Future<Void> save(SqlConnection conn, State state) {
    return conn.preparedQuery("INSERT INTO batch_state (name, last_fire, running, started_at, deadline, tasks, stopping,"
            + " last_summary, parked, ran_out_parked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE"
            + " SET last_fire = excluded.last_fire, running = excluded.running, started_at = excluded.started_at,"
            + " deadline = excluded.deadline, tasks = excluded.tasks, stopping = excluded.stopping,"
            + " last_summary = excluded.last_summary, parked = excluded.parked,"
            + " ran_out_parked_by = excluded.ran_out_parked_by")
        .execute(Tuple.from(Arrays.asList(state.name(), state.lastFire(), state.running() ? 1 : 0,
            state.startedAt(), state.deadline(), new JsonArray(state.tasks()).encode(), state.stopping() ? 1 : 0,
            state.lastSummary() == null ? "" : state.lastSummary().toJson().encode(),
            new JsonArray(state.parked().stream().map(ParkedTime::toJson).toList()).encode(),
            state.ranOutParkedBy() == null ? null : state.ranOutParkedBy().wire())))
        .mapEmpty();
  }
}
