package dev.orch.batch;

import dev.orch.contract.BatchSummary;
import dev.orch.db.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restart needs of the batches: when each last fired (so a missed slot runs once, not once per slot), the runs
 * in progress with the tasks they started, and each batch's last summary.
 */
final class BatchStore {
  static final String OWNER = "batch";
  static final List<Database.Migration> MIGRATIONS = List.of(Database.Migration.of(1,
      "CREATE TABLE batch_state (name TEXT PRIMARY KEY, last_fire INTEGER NOT NULL, running INTEGER NOT NULL DEFAULT 0,"
          + " started_at INTEGER NOT NULL DEFAULT 0, deadline INTEGER NOT NULL DEFAULT 0, tasks TEXT NOT NULL DEFAULT '[]',"
          + " stopping INTEGER NOT NULL DEFAULT 0, last_summary TEXT)"));

  /** One batch's stored state. */
  record State(String name, long lastFire, boolean running, long startedAt, long deadline, List<String> tasks,
      boolean stopping, BatchSummary lastSummary) {
    State withRun(long startedAt, long deadline) {
      return new State(name, startedAt, true, startedAt, deadline, List.of(), false, lastSummary);
    }

    /** A slot that passed without a run: it counts as fired, nothing else changes. */
    State passedAt(long slot) {
      return new State(name, slot, running, startedAt, deadline, tasks, stopping, lastSummary);
    }
  }

  private final Pool pool;

  BatchStore(Pool pool) {
    this.pool = pool;
  }

  Future<Map<String, State>> load() {
    return pool.query("SELECT name, last_fire, running, started_at, deadline, tasks, stopping, last_summary FROM batch_state")
        .execute().map(rows -> {
          Map<String, State> out = new HashMap<>();
          for (Row row : rows) {
            String summary = row.getString("last_summary");
            boolean hasSummary = summary != null && !summary.isEmpty();
            List<String> tasks = new ArrayList<>();
            new JsonArray(row.getString("tasks")).forEach(t -> tasks.add(String.valueOf(t)));
            out.put(row.getString("name"), new State(row.getString("name"), row.getLong("last_fire"),
                row.getInteger("running") == 1, row.getLong("started_at"), row.getLong("deadline"), tasks,
                row.getInteger("stopping") == 1, hasSummary ? BatchSummary.fromJson(new JsonObject(summary)) : null));
          }
          return out;
        });
  }

  Future<Void> save(State state) {
    return pool.preparedQuery("INSERT INTO batch_state (name, last_fire, running, started_at, deadline, tasks, stopping,"
            + " last_summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET last_fire = excluded.last_fire,"
            + " running = excluded.running, started_at = excluded.started_at, deadline = excluded.deadline,"
            + " tasks = excluded.tasks, stopping = excluded.stopping, last_summary = excluded.last_summary")
        .execute(Tuple.from(List.of(state.name(), state.lastFire(), state.running() ? 1 : 0, state.startedAt(),
            state.deadline(), new JsonArray(state.tasks()).encode(), state.stopping() ? 1 : 0,
            state.lastSummary() == null ? "" : state.lastSummary().toJson().encode())))
        .mapEmpty();
  }
}
