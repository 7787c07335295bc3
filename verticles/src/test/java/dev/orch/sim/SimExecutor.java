package dev.orch.sim;

import dev.orch.contract.LaunchRequest;
import dev.orch.contract.OrchException;
import dev.orch.contract.RunStatus;
import dev.orch.contract.RunView;
import dev.orch.contract.StopCause;
import dev.orch.contract.StopRequest;
import dev.orch.db.Database;
import dev.orch.scheduler.TaskLifecycle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the executor at the scheduler's port, keeping the executor's promises: one live run per task (a
 * unique index), the run recorded before its agent is spawned, the agent found again after a restart by its run (the
 * pidfile), a run settled only once its agent is known dead, and its end written before it is published.
 */
final class SimExecutor implements TaskLifecycle.Runs {
  static final List<Database.Migration> MIGRATIONS = List.of(Database.Migration.of(1, """
      CREATE TABLE sim_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        fix INTEGER NOT NULL,
        status TEXT NOT NULL,
        cause TEXT,
        reason TEXT)""",
      "CREATE UNIQUE INDEX sim_runs_one_live ON sim_runs(task_id) WHERE status IN ('starting', 'running')"));

  private final Life life;
  /** Why a run is being stopped, between the kill and the exit: in memory, as in the executor. */
  private final Map<Long, StopRequest> stopping = new HashMap<>();

  SimExecutor(Life life) {
    this.life = life;
  }

  @Override
  public Future<RunView> launch(LaunchRequest request) {
    return life.request(() -> start(request.taskId(), request.attempt(), false));
  }

  /** A follow-up run on the task's branch (a fix round), as prbot asks for one. */
  Future<RunView> resume(String taskId) {
    return life.request(() -> latest(taskId).compose(previous -> start(taskId,
        previous == null ? 1 : previous.attempt(), true)));
  }

  private Future<RunView> start(String taskId, int attempt, boolean fix) {
    return life.pool.preparedQuery("INSERT INTO sim_runs (task_id, attempt, fix, status) VALUES (?, ?, ?, 'starting')")
        .execute(Tuple.of(taskId, attempt, fix ? 1 : 0))
        .recover(e -> Future.failedFuture(e instanceof org.sqlite.SQLiteException sqlite
            && sqlite.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
            ? OrchException.conflict(taskId + " has a live run")
            : new OrchException(dev.orch.contract.ErrorCode.TRANSIENT, "the run could not be recorded: " + e.getMessage())))
        .compose(v -> life.pool.query("SELECT last_insert_rowid() AS id").execute())
        .compose(rows -> {
          long runId = rows.iterator().next().getLong("id");
          fixRuns.put(runId, fix);
          if (life.dead()) {
            return Future.failedFuture("killed");
          }
          World.Agent agent = life.world.spawn(taskId, runId, branchOf(taskId),
              Duration.ofMinutes(2 + life.world.random.nextInt(9)));
          agent.onExit = this::exited;
          return markRunning(runId);
        });
  }

  private Future<RunView> markRunning(long runId) {
    return life.written("run " + runId + " running", () -> life.pool
            .preparedQuery("UPDATE sim_runs SET status = 'running' WHERE id = ? AND status = 'starting'")
            .execute(Tuple.of(runId)))
        .compose(v -> get(runId))
        .onSuccess(view -> {
          if (view.status() == RunStatus.RUNNING) {
            life.deliver(() -> life.lifecycle.onStarted(view));
          }
        });
  }

  private void exited(World.Agent agent) {
    life.deliver(() -> settle(agent.runId, agent));
  }

  /** Records how a run ended, then tells the scheduler and prbot. */
  private Future<?> settle(long runId, World.Agent agent) {
    StopRequest stop = stopping.remove(runId);
    RunStatus status = stop != null ? stop.outcome() : agent != null && agent.committed ? RunStatus.SUCCEEDED
        : RunStatus.FAILED;
    String reason = stop != null ? stop.reason() : status == RunStatus.FAILED ? "the agent exited without a result" : null;
    return life.written("run " + runId + "'s end", () -> life.pool
            .preparedQuery("UPDATE sim_runs SET status = ?, cause = ?, reason = ? WHERE id = ?"
                + " AND status IN ('starting', 'running')")
            .execute(Tuple.of(status.wire(), stop == null ? null : stop.cause().wire(), reason, runId)))
        .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture() : get(runId).onSuccess(view -> {
          life.deliver(() -> life.lifecycle.onFinished(view));
          life.deliver(() -> life.prbot.onRunFinished(view, fix(runId)));
        }));
  }

  private final Map<Long, Boolean> fixRuns = new HashMap<>();

  private boolean fix(long runId) {
    return fixRuns.getOrDefault(runId, false);
  }

  @Override
  public Future<RunView> stop(StopRequest request) {
    return life.request(() -> live(request.taskId()).compose(run -> {
      if (run == null) {
        return Future.failedFuture(OrchException.notFound(request.taskId() + " has no live run"));
      }
      World.Agent agent = life.world.agentOfRun(run.runId());
      stopping.put(run.runId(), request);
      if (agent != null) {
        life.world.kill(agent);
      }
      return Future.succeededFuture(run);
    }));
  }

  @Override
  public Future<List<RunView>> ofTask(String taskId) {
    return life.request(() -> life.pool.preparedQuery("SELECT * FROM sim_runs WHERE task_id = ? ORDER BY id DESC")
        .execute(Tuple.of(taskId)).map(rows -> {
          List<RunView> out = new ArrayList<>();
          rows.forEach(row -> out.add(view(row)));
          return out;
        }));
  }

  /** After a restart: follow the agents still alive, settle the runs whose agent ended while orch was gone. */
  Future<Void> recover() {
    return life.pool.query("SELECT * FROM sim_runs WHERE status IN ('starting', 'running') ORDER BY id").execute()
        .compose(rows -> {
          Future<?> chain = Future.succeededFuture();
          for (Row row : rows) {
            long runId = row.getLong("id");
            fixRuns.put(runId, row.getInteger("fix") == 1);
            World.Agent agent = life.world.agentOfRun(runId);
            if (agent != null && agent.alive) {
              agent.onExit = this::exited;
              if ("starting".equals(row.getString("status"))) {
                chain = chain.compose(v -> markRunning(runId));
              }
            } else {
              chain = chain.compose(v -> settle(runId, agent));
            }
          }
          return chain.mapEmpty();
        });
  }

  private Future<RunView> live(String taskId) {
    return life.pool.preparedQuery("SELECT * FROM sim_runs WHERE task_id = ? AND status IN ('starting', 'running')")
        .execute(Tuple.of(taskId)).map(rows -> rows.iterator().hasNext() ? view(rows.iterator().next()) : null);
  }

  private Future<RunView> latest(String taskId) {
    return life.pool.preparedQuery("SELECT * FROM sim_runs WHERE task_id = ? ORDER BY id DESC LIMIT 1")
        .execute(Tuple.of(taskId)).map(rows -> rows.iterator().hasNext() ? view(rows.iterator().next()) : null);
  }

  Future<RunView> run(long runId) {
    return get(runId);
  }

  private Future<RunView> get(long runId) {
    return life.pool.preparedQuery("SELECT * FROM sim_runs WHERE id = ?").execute(Tuple.of(runId))
        .map(rows -> view(rows.iterator().next()));
  }

  private RunView view(Row row) {
    long id = row.getLong("id");
    fixRuns.put(id, row.getInteger("fix") == 1);
    String cause = row.getString("cause");
    return RunView.fromJson(new JsonObject().put("run_id", id).put("task_id", row.getString("task_id"))
        .put("attempt", row.getInteger("attempt")).put("status", row.getString("status")).put("session_id", "s" + id)
        .put("resumed_from", 0).put("branch", branchOf(row.getString("task_id"))).put("worktree", "/w")
        .put("log_file", "/l").put("pid", id).put("started_at", 0).put("ended_at", 0)
        .put("reason", row.getString("reason")).put("input_tokens", 0).put("output_tokens", 0)
        .put("cache_read_tokens", 0).put("cache_creation_tokens", 0).put("cost_usd", 0.0).put("num_turns", 0)
        .put("last_output_at", 0).put("stop_cause", cause == null ? null : StopCause.fromWire(cause).wire()));
  }

  static String branchOf(String taskId) {
    return "refs/heads/orch/" + taskId.replace('/', '-');
  }
}
