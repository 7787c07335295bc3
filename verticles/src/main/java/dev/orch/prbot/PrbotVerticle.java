package dev.orch.prbot;

import dev.orch.contract.Addresses;
import dev.orch.contract.Addresses.Prbot.Action;
import dev.orch.contract.BusMessage;
import dev.orch.contract.CommandEndpoint;
import dev.orch.contract.ExecutorClient;
import dev.orch.contract.OrchException;
import dev.orch.contract.ParserClient;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.RunView;
import dev.orch.contract.SchedulerClient;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskView;
import dev.orch.contract.WireJson;
import dev.orch.contract.WriteStatusRequest;
import dev.orch.db.Database;
import dev.orch.git.GitCli;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a successful run into a pull request on the forge and merges it: the change and the plan's new status land in
 * one commit on the main branch, the task's worktree is removed (its commits kept under {@code refs/orch/merged/}), and
 * everyone hears about it. Merges happen one at a time.
 */
public final class PrbotVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PrbotVerticle.class);
  static final String MERGED_REFS = "refs/orch/merged/";
  private static final long CLEANUP_DELAY_MILLIS = 2_000;

  /** This verticle's slice of the config. Without {@code orchestrate} it only answers questions (a CLI process). */
  public record Settings(String projectRoot, String worktreeDir, String databasePath, String mainBranch, String mergeMethod,
      boolean orchestrate) implements BusMessage {
    public Settings {
      WireJson.require("project_root", projectRoot);
      WireJson.require("worktree_dir", worktreeDir);
      WireJson.require("database_path", databasePath);
      mergeMethod = mergeMethod == null ? "squash" : mergeMethod;
    }
  }

  private Settings settings;
  private Pool pool;
  private PrStore store;
  private GitCli git;
  private Forge forge;
  private ExecutorClient executor;
  private SchedulerClient scheduler;
  private ParserClient parser;
  /** Merges run one after another: each starts from the main branch the previous one left. */
  private Future<?> mergeQueue = Future.succeededFuture();

  @Override
  public Future<?> start() {
    settings = WireJson.fromJson(config(), Settings.class);
    git = new GitCli(Path.of(settings.projectRoot()));
    forge = new LocalForge(git, Path.of(settings.worktreeDir()).resolve(".merge"), settings.mainBranch());
    executor = new ExecutorClient(vertx);
    scheduler = new SchedulerClient(vertx);
    parser = new ParserClient(vertx);
    var finished = vertx.eventBus().<JsonObject>consumer(Addresses.Executor.EVT_FINISHED, m -> {
      RunView run = RunView.fromJson(m.body());
      if (run.succeeded() && settings.orchestrate()) {
        open(run.taskId(), run.runId()).onFailure(e -> LOG.warn("{} run {}: no pull request: {}", run.taskId(), run.runId(),
            e.getMessage()));
      }
    });
    return Database.open(vertx, Path.of(settings.databasePath()))
        .compose(opened -> {
          pool = opened;
          store = new PrStore(pool);
          return Database.migrate(pool, PrStore.OWNER, PrStore.MIGRATIONS);
        })
        .compose(v -> finished.completion())
        .compose(v -> CommandEndpoint.on(Addresses.Prbot.CMD, Action.class)
            .handle(Action.OPEN, this::openCommand)
            .handle(Action.LIST, this::list)
            .handle(Action.GET, this::get)
            .handle(Action.MERGE, this::mergeCommand)
            .register(vertx))
        .onSuccess(v -> {
          if (settings.orchestrate()) {
            resumeOpenMerges();
          }
        });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  // ---- opening

  private Future<PullRequestView> openCommand(JsonObject body) {
    String taskId = TaskId.parseFull(body.getValue("task_id") instanceof String s ? s : null).toString();
    if (!(body.getValue("run_id") instanceof Number runId)) {
      return Future.failedFuture(OrchException.badRequest("field 'run_id' must be a number"));
    }
    return open(taskId, runId.longValue());
  }

  /** Idempotent: a run that already has a pull request gets that one back. */
  private Future<PullRequestView> open(String taskId, long runId) {
    return store.forRun(runId).compose(existing -> {
      if (existing.isPresent()) {
        return Future.succeededFuture(existing.get());
      }
      return store.activeForTask(taskId).compose(active -> active.isPresent() ? Future.succeededFuture(active.get())
          : Future.all(scheduler.get(taskId), executor.run(runId)).compose(both -> create(both.resultAt(0), both.resultAt(1))));
    });
  }

  private Future<PullRequestView> create(TaskView task, RunView run) {
    Path planFile = Path.of(run.worktree()).resolve(task.file());
    return vertx.executeBlocking(() -> BranchInspection.of(git, settings.mainBranch(), run.branch(), Path.of(run.worktree()),
            java.nio.file.Files.isRegularFile(planFile) ? planFile : Path.of(settings.projectRoot()).resolve(task.file())))
        .compose(inspection -> {
          if (inspection.commits() == 0) {
            String reason = "the agent finished without committing anything on " + run.branch();
            vertx.eventBus().publish(Addresses.Prbot.EVT_FAILED, new PullRequestFailure(task.id(), run.runId(), reason).toJson());
            return Future.failedFuture(OrchException.conflict(task.id() + ": " + reason));
          }
          PullRequestView draft = new PullRequestView(0, task.id(), run.runId(), run.branch(),
              task.title() + " (" + task.id() + ")", PrBody.of(task, run, inspection), PrState.OPEN, null,
              inspection.headCommit(), null, inspection.filesChanged(), inspection.additions(), inspection.deletions(),
              inspection.diffStat(), run.costUsd(), run.inputTokens() + run.outputTokens(), System.currentTimeMillis(), 0);
          return store.insert(draft)
              .compose(pr -> vertx.executeBlocking(() -> forge.open(pr)).map(published -> pr))
              .onSuccess(pr -> {
                LOG.info("{}: opened pull request #{} ({} files, +{} -{})", pr.taskId(), pr.number(), pr.filesChanged(),
                    pr.additions(), pr.deletions());
                vertx.eventBus().publish(Addresses.Prbot.EVT_OPENED, pr.toJson());
                enqueueMerge(pr.number());
              });
        });
  }

  // ---- merging

  private Future<PullRequestView> mergeCommand(JsonObject body) {
    if (!(body.getValue("number") instanceof Number number)) {
      return Future.failedFuture(OrchException.badRequest("field 'number' must be a pull request number"));
    }
    return store.get(number.intValue()).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      if (pr.state() == PrState.MERGED || pr.state() == PrState.CLOSED) {
        return Future.failedFuture(OrchException.conflict("pull request #" + number + " is " + pr.state().wire()));
      }
      return enqueueMerge(pr.number());
    });
  }

  private Future<PullRequestView> enqueueMerge(int number) {
    if (!settings.orchestrate()) {
      return Future.failedFuture(OrchException.conflict("merging needs a running orch (orch run)"));
    }
    Future<PullRequestView> next = mergeQueue.transform(v -> merge(number));
    mergeQueue = next;
    return next;
  }

  private Future<PullRequestView> merge(int number) {
    return store.get(number).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      return scheduler.get(pr.taskId()).compose(task -> vertx.executeBlocking(() -> forge.prepareMerge(pr, settings.mergeMethod()))
          .compose(prepared -> prepared.conflict() != null ? flag(pr, prepared.conflict())
              : writeStatusAndComplete(pr, task, prepared.attempt())));
    }).recover(failure -> store.get(number).compose(found -> found.isPresent()
        ? flag(found.get(), "merge failed: " + failure.getMessage())
        : Future.failedFuture(failure)));
  }

  private Future<PullRequestView> writeStatusAndComplete(PullRequestView pr, TaskView task, Forge.MergeAttempt attempt) {
    WriteStatusRequest status = new WriteStatusRequest(attempt.checkout().toString(), pr.taskId(), task.file(),
        PlanStatus.COMPLETE);
    return parser.writeStatus(status)
        .compose(v -> vertx.executeBlocking(() -> forge.completeMerge(attempt, commitMessage(pr))))
        .compose(done -> {
          if (done.blocked() != null) {
            return vertx.executeBlocking(() -> {
              forge.abortMerge(attempt);
              return null;
            }).compose(v -> flag(pr, done.blocked()));
          }
          return merged(pr, task, attempt, done.mergeCommit());
        });
  }

  private Future<PullRequestView> merged(PullRequestView pr, TaskView task, Forge.MergeAttempt attempt, String mergeCommit) {
    TaskId id = TaskId.parseFull(pr.taskId());
    long now = System.currentTimeMillis();
    return vertx.executeBlocking(() -> git.run("update-ref", MERGED_REFS + id.module() + "-" + id.local(), attempt.branchTip()))
        .compose(v -> store.merged(pr.number(), mergeCommit, now))
        .compose(v -> store.get(pr.number()))
        .map(Optional::orElseThrow)
        .onSuccess(updated -> {
          LOG.info("{}: merged pull request #{} into {} as {}", pr.taskId(), pr.number(), attempt.mainBranch(),
              mergeCommit.substring(0, Math.min(10, mergeCommit.length())));
          vertx.eventBus().publish(Addresses.Prbot.EVT_MERGED, updated.toJson());
          // Tidying up is not urgent: leave the git lock and the CPU to the dependants starting now.
          vertx.setTimer(CLEANUP_DELAY_MILLIS, timer -> executor.removeWorktree(pr.taskId(), "merged-pr-" + pr.number())
              .onFailure(e -> LOG.warn("{}: worktree not removed: {}", pr.taskId(), e.getMessage())));
        });
  }

  private Future<PullRequestView> flag(PullRequestView pr, String reason) {
    LOG.warn("{}: pull request #{} needs a person: {}", pr.taskId(), pr.number(), reason);
    return store.setState(pr.number(), PrState.FLAGGED, reason)
        .compose(v -> store.get(pr.number()))
        .map(Optional::orElseThrow)
        .onSuccess(flagged -> vertx.eventBus().publish(Addresses.Prbot.EVT_FLAGGED, flagged.toJson()));
  }

  private static String commitMessage(PullRequestView pr) {
    return pr.title() + "\n\n" + "Merged by orch from pull request #" + pr.number() + " (branch " + pr.branch() + ").\n\n"
        + "Orch-Task: " + pr.taskId() + "\nOrch-Pull-Request: " + pr.number() + "\n";
  }

  /** After a restart, pull requests that were open (not flagged) are merged again from the start. */
  private void resumeOpenMerges() {
    store.list(PrState.OPEN).onSuccess(open -> open.forEach(pr -> {
      LOG.info("{}: resuming the merge of pull request #{}", pr.taskId(), pr.number());
      enqueueMerge(pr.number());
    }));
  }

  // ---- queries

  private Future<JsonObject> list(JsonObject body) {
    PrState state = body.getValue("state") instanceof String s ? PrState.fromWire(s) : null;
    return store.list(state).map(prs -> new JsonObject().put("pull_requests",
        new JsonArray(prs.stream().map(PullRequestView::toJson).toList())));
  }

  private Future<JsonObject> get(JsonObject body) {
    if (!(body.getValue("number") instanceof Number number)) {
      return Future.failedFuture(OrchException.badRequest("field 'number' must be a pull request number"));
    }
    return store.get(number.intValue()).compose(found -> {
      PullRequestView pr = found.orElseThrow(() -> OrchException.notFound("no pull request #" + number));
      return vertx.executeBlocking(() -> diffOf(pr)).map(diff -> pr.toJson().put("diff", diff));
    });
  }

  private String diffOf(PullRequestView pr) {
    if (pr.mergeCommit() != null && git.resolve(pr.mergeCommit()).isPresent()) {
      return git.run("show", "--stat", "--patch", "--format=commit %H%n%n    %s%n", pr.mergeCommit());
    }
    String main = git.mainBranch(settings.mainBranch());
    if (git.resolve(pr.headCommit()).isPresent()) {
      return git.run("diff", "--stat", "--patch", main + "..." + pr.headCommit());
    }
    return "(the commits of this pull request are no longer in the repository)";
  }
}
