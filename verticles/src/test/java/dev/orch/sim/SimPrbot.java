package dev.orch.sim;

import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.db.Database;
import dev.orch.scheduler.TaskLifecycle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A stand-in for prbot at the scheduler's port: a pull request per successful run, checks that are red once for some
 * tasks (a fix round by a follow-up run), a person's approval for tasks that need review, a forge that may refuse a
 * merge for a while, and, after a restart, a squash already on main recognised as merged rather than merged again.
 */
final class SimPrbot implements TaskLifecycle.PullRequests {
  static final List<Database.Migration> MIGRATIONS = List.of(Database.Migration.of(1, """
      CREATE TABLE sim_prs (
        number INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL,
        run_id INTEGER NOT NULL UNIQUE,
        state TEXT NOT NULL,
        rounds INTEGER NOT NULL DEFAULT 0,
        reason TEXT)"""));
  static final Duration CHECKS_TAKE = Duration.ofMinutes(2);
  static final Duration A_PERSON_TAKES = Duration.ofMinutes(10);

  private final Life life;
  private final Set<String> redOnce;
  private final Set<String> needReview;

  SimPrbot(Life life) {
    this.life = life;
    this.redOnce = Simulation.RED_ONCE;
    this.needReview = Simulation.NEED_REVIEW;
  }

  @Override
  public Future<PullRequestView> open(TaskId taskId, long runId) {
    return life.request(() -> openFor(taskId.toString(), runId));
  }

  @Override
  public Future<Optional<PullRequestView>> latestOf(TaskId taskId) {
    return life.request(() -> life.pool.preparedQuery("SELECT * FROM sim_prs WHERE task_id = ? ORDER BY number DESC"
        + " LIMIT 1").execute(Tuple.of(taskId.toString())).map(rows -> rows.iterator().hasNext()
        ? Optional.of(view(rows.iterator().next())) : Optional.<PullRequestView>empty()));
  }

  /** The executor's event: a run ended. */
  Future<?> onRunFinished(RunView run, boolean fixRound) {
    if (fixRound) {
      return byTask(run.taskId().toString()).compose(pr -> {
        if (pr == null || !"fixing".equals(pr.getString("state"))) {
          return Future.succeededFuture();
        }
        if (!run.succeeded()) {
          return setState(pr.getInteger("number"), "closed", "the fix round failed").onSuccess(v -> life.deliver(() ->
              life.lifecycle.onPullRequestFailed(new PullRequestFailure(run.taskId(), run.runId(), "the fix round failed"))));
        }
        return setState(pr.getInteger("number"), "open", null).onSuccess(v -> check(pr.getInteger("number")));
      });
    }
    return run.succeeded() ? openFor(run.taskId().toString(), run.runId()) : Future.succeededFuture();
  }

  private Future<PullRequestView> openFor(String taskId, long runId) {
    return life.pool.preparedQuery("SELECT * FROM sim_prs WHERE run_id = ?").execute(Tuple.of(runId)).compose(rows -> {
      if (rows.iterator().hasNext()) {
        return Future.succeededFuture(view(rows.iterator().next()));
      }
      return life.written("the pull request of run " + runId, () -> life.pool
              .preparedQuery("INSERT INTO sim_prs (task_id, run_id, state) VALUES (?, ?, 'open')")
              .execute(Tuple.of(taskId, runId)))
          .compose(v -> life.pool.preparedQuery("SELECT * FROM sim_prs WHERE run_id = ?").execute(Tuple.of(runId)))
          .map(created -> {
            PullRequestView pr = view(created.iterator().next());
            life.deliver(() -> life.lifecycle.onOpened(pr));
            check(pr.number());
            return pr;
          });
    });
  }

  private void check(int number) {
    life.after(CHECKS_TAKE, () -> life.deliver(() -> step(number)));
  }

  /** One step of a pull request: checks, review, merge. */
  private Future<?> step(int number) {
    return get(number).<Object>compose(pr -> {
      String state = pr.getString("state");
      String taskId = pr.getString("task_id");
      if (!state.equals("open") && !state.equals("approved")) {
        return Future.succeededFuture();
      }
      if (redOnce.contains(taskId) && pr.getInteger("rounds") == 0) {
        return life.written("pull request #" + number + " fixing", () -> life.pool
                .preparedQuery("UPDATE sim_prs SET state = 'fixing', rounds = 1, reason = ? WHERE number = ?")
                .execute(Tuple.of("checks failed: a fix round", number)))
            .compose(v -> get(number))
            .onSuccess(updated -> {
              life.deliver(() -> life.lifecycle.onFixing(view(updated)));
              life.deliver(() -> life.untilAnswered("a fix round of " + taskId, () -> life.request(() -> life.runs.resume(taskId))));
            }).mapEmpty();
      }
      if (needReview.contains(taskId) && state.equals("open")) {
        return setState(number, "flagged", "needs review: a person decides").compose(v -> get(number)).onSuccess(updated -> {
          life.deliver(() -> life.lifecycle.onFlagged(view(updated)));
        }).mapEmpty();
      }
      return merge(number, taskId).mapEmpty();
    });
  }

  /** A person approves every flagged pull request they see. */
  Future<?> approveFlagged() {
    return life.pool.query("SELECT number FROM sim_prs WHERE state = 'flagged'").execute().compose(rows -> {
      Future<?> chain = Future.succeededFuture();
      for (Row row : rows) {
        int number = row.getInteger("number");
        chain = chain.compose(v -> setState(number, "approved", null).onSuccess(done -> life.deliver(() -> step(number))));
      }
      return chain;
    });
  }

  private Future<?> merge(int number, String taskId) {
    if (life.time.now() < life.world.forgeDownUntil) {
      // The forge answered 5xx or 409: try again later, never hand it to a person for that.
      life.after(Duration.ofSeconds(30), () -> life.deliver(() -> step(number)));
      return Future.succeededFuture();
    }
    try {
      if (life.dead()) {
        return Future.failedFuture("killed");
      }
      if (life.world.squashesOnMain(taskId) == 0) {
        life.world.squash(World.branchOf(taskId), taskId, number);
      }
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return recordMerged(number, taskId);
  }

  private Future<?> recordMerged(int number, String taskId) {
    return setState(number, "merged", null).compose(v -> get(number)).onSuccess(pr -> {
      try {
        String branch = World.branchOf(taskId);
        if (life.world.head(branch) != null) {
          life.world.setRef("refs/orch/merged/" + taskId.replace('/', '-') + "-" + number, life.world.head(branch));
        }
      } catch (IOException e) {
        life.world.violations.add("could not keep the merged branch of " + taskId + ": " + e);
      }
      life.deliver(() -> life.lifecycle.onMerged(view(pr)));
    });
  }

  /** After a restart: a squash already on main is a merge; open ones go on being checked. */
  Future<Void> recover() {
    return life.pool.query("SELECT * FROM sim_prs WHERE state IN ('open', 'approved', 'fixing') ORDER BY number").execute()
        .compose(rows -> {
          Future<?> chain = Future.succeededFuture();
          for (Row row : rows) {
            int number = row.getInteger("number");
            String taskId = row.getString("task_id");
            try {
              if (life.world.squashesOnMain(taskId) > 0) {
                chain = chain.compose(v -> recordMerged(number, taskId));
                continue;
              }
            } catch (IOException e) {
              return Future.failedFuture(e);
            }
            if ("fixing".equals(row.getString("state"))) {
              chain = chain.compose(v -> resumeFixRound(taskId));
            } else {
              check(number);
            }
          }
          return chain.mapEmpty();
        });
  }

  /**
   * A fix round a crash interrupted: its follow-up run is still going (its end will come), ended while nobody listened
   * (handled now), or was never asked for (asked now).
   */
  private Future<?> resumeFixRound(String taskId) {
    return life.pool.preparedQuery("SELECT id, resumed_from, status FROM runs WHERE task_id = ? ORDER BY id DESC LIMIT 1")
        .execute(Tuple.of(taskId)).compose(rows -> {
          Row latest = rows.iterator().hasNext() ? rows.iterator().next() : null;
          if (latest == null || latest.getLong("resumed_from") == 0) {
            life.deliver(() -> life.untilAnswered("a fix round of " + taskId, () -> life.request(() -> life.runs.resume(taskId))));
            return Future.succeededFuture();
          }
          String status = latest.getString("status");
          if (status.equals("starting") || status.equals("running")) {
            return Future.succeededFuture();
          }
          return life.runs.run(latest.getLong("id")).compose(run -> onRunFinished(run, true));
        });
  }

  private Future<Void> setState(int number, String state, String reason) {
    return life.written("pull request #" + number + " " + state, () -> life.pool
        .preparedQuery("UPDATE sim_prs SET state = ?, reason = ? WHERE number = ?")
        .execute(Tuple.of(state, reason, number))).mapEmpty();
  }

  private Future<Row> get(int number) {
    return life.pool.preparedQuery("SELECT * FROM sim_prs WHERE number = ?").execute(Tuple.of(number))
        .map(rows -> rows.iterator().next());
  }

  private Future<Row> byTask(String taskId) {
    return life.pool.preparedQuery("SELECT * FROM sim_prs WHERE task_id = ? ORDER BY number DESC LIMIT 1")
        .execute(Tuple.of(taskId)).map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
  }

  private static PullRequestView view(Row row) {
    String state = row.getString("state");
    String wire = switch (state) {
      case "merged" -> "merged";
      case "flagged" -> "flagged";
      case "closed" -> "closed";
      default -> "open";
    };
    return PullRequestView.fromJson(new JsonObject().put("number", row.getInteger("number"))
        .put("task_id", row.getString("task_id")).put("run_id", row.getLong("run_id")).put("state", wire)
        .put("reason", row.getString("reason")).put("files_changed", 1).put("additions", 1).put("deletions", 0)
        .put("cost_usd", 0.0).put("tokens", 0).put("created_at", 0).put("merged_at", 0).put("fix_rounds",
            row.getInteger("rounds")).put("remote_number", 0).put("needs_review",
            Simulation.NEED_REVIEW.contains(row.getString("task_id"))));
  }
}
