package dev.orch.prbot;

import dev.orch.contract.GovernorView;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.PrState;
import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskView;
import dev.orch.db.Database;
import dev.orch.scheduler.TaskLifecycle;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jgit.lib.Repository;

/**
 * The real {@link PullRequestPipeline} and {@link PrStore} as the crash-and-fault simulation runs them: the store on the
 * simulation's SQLite file, git in process on its real repository ({@link InProcessRepository}, {@link SimulatedForge}),
 * and the neighbours (executor, scheduler, parser, the bus, timers) from the simulation. Checks are the simulation's
 * word on a branch. A restart builds a new one from the store and calls {@link #resumeAll}, as the verticle does.
 */
public final class SimulatedPrbot {
  public static final String OWNER = PrStore.OWNER;
  public static final List<Database.Migration> MIGRATIONS = PrStore.MIGRATIONS;
  /** prbot's follow-up templates, as the agent receives them. */
  public static final String CONFLICT = FollowUp.CONFLICT_TEMPLATE;
  public static final String CHECKS_FAILED = FollowUp.CHECKS_FAILED_TEMPLATE;
  public static final String REJECTED = FollowUp.REJECTED_TEMPLATE;

  /** What surrounds prbot in the simulation. */
  public interface Surroundings {
    Future<RunView> resume(ResumeRequest request);

    Future<Optional<RunView>> latestRun(TaskId taskId);

    Future<Void> removeWorktree(TaskId taskId, String reason);

    Future<TaskView> task(TaskId taskId);

    Future<RunView> run(long runId);

    /** prbot's events, as the bus carries them. */
    void announced(String event, PullRequestView pr);

    void failed(PullRequestFailure failure);

    void after(Duration delay, Runnable action);

    boolean dead();

    /** Whether the checks pass in the task's worktree as its branch now is. */
    boolean checksPass(Path worktree);

    /** 0: the forge merges; 1: it answers 5xx; 2: it answers 409. */
    int forgeRefuses();
  }

  private final PrStore store;
  private final PullRequestPipeline pipeline;

  /** {@code branchOfTask}: a task's branch as a ref; {@code dir}: where the merge checkout and check logs go. */
  public SimulatedPrbot(Pool pool, Clock clock, Repository repository, Function<String, String> branchOfTask, Path dir,
      Surroundings around) {
    this.store = new PrStore(pool);
    InProcessGit git = new InProcessGit(repository, clock);
    ReviewRouter router = new ReviewRouter(List.of(), 400, new ControlFiles(Optional.of("docs/plans")));
    Forge forge = new SimulatedForge(git, dir.resolve("merge"),
        () -> SimulatedForge.Answer.values()[around.forgeRefuses()], around::dead);
    PipelinePorts.Agent agent = new PipelinePorts.Agent() {
      @Override
      public Future<RunView> resume(ResumeRequest request) {
        return around.resume(request);
      }

      @Override
      public Future<Optional<RunView>> latestRun(TaskId taskId) {
        return around.latestRun(taskId);
      }

      @Override
      public Future<Void> removeWorktree(TaskId taskId, String reason) {
        return around.removeWorktree(taskId, reason);
      }
    };
    PipelinePorts.TaskSource tasks = new PipelinePorts.TaskSource() {
      @Override
      public Future<TaskView> task(TaskId taskId) {
        return around.task(taskId);
      }

      @Override
      public Future<RunView> run(long runId) {
        return around.run(runId);
      }
    };
    // The parser's side: the plan's new status, written into the checkout that is about to land.
    PipelinePorts.StatusWriter status = request -> {
      if (around.dead()) {
        return Future.failedFuture("simulated kill -9: this orch is gone");
      }
      try {
        Path file = Path.of(request.root()).resolve(request.file());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "---\nstatus: " + request.status().wire() + "\n---\n", StandardCharsets.UTF_8);
        return Future.succeededFuture();
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
    };
    PipelinePorts.Checks checks = new PipelinePorts.Checks() {
      @Override
      public boolean configured() {
        return true;
      }

      @Override
      public Future<CheckRunner.Result> run(Path worktree, Path output) {
        return Future.succeededFuture(around.checksPass(worktree) ? new CheckRunner.Result(true, null, 0, "", 1)
            : new CheckRunner.Result(false, "make test", 2, "FAIL: the simulation's red check", 1));
      }
    };
    PipelinePorts.Events events = new PipelinePorts.Events() {
      @Override
      public void opened(PullRequestView pr) {
        around.announced("opened", pr);
      }

      @Override
      public void fixing(PullRequestView pr) {
        around.announced("fixing", pr);
      }

      @Override
      public void flagged(PullRequestView pr) {
        around.announced("flagged", pr);
      }

      @Override
      public void merged(PullRequestView pr) {
        around.announced("merged", pr);
      }

      @Override
      public void failed(PullRequestFailure failure) {
        around.failed(failure);
      }
    };
    this.pipeline = new PullRequestPipeline(new PullRequestPipeline.Settings("squash", "rebase", 2, dir.resolve("logs"),
        false), clock, store, forge, new InProcessRepository(git, router, branchOfTask, around::dead), agent, tasks,
        status, checks, events, around::after, new ModelApiGate(ModelApiGate.openView()));
  }

  /** The executor's event: a run ended. */
  public Future<Void> onRunFinished(RunView run) {
    return pipeline.onRunFinished(run);
  }

  /** As the verticle does once deployed. */
  /** The scheduler's governor, as the bus would bring it. */
  public Future<Void> onGovernor(GovernorView view) {
    return pipeline.onGovernor(view);
  }

  public Future<Void> resumeAll() {
    return pipeline.resumeAll();
  }

  /** The scheduler's port, as prbot's command endpoint answers it. */
  public TaskLifecycle.PullRequests commands() {
    return new TaskLifecycle.PullRequests() {
      @Override
      public Future<PullRequestView> open(TaskId taskId, long runId) {
        return pipeline.open(taskId, runId);
      }

      @Override
      public Future<Optional<PullRequestView>> latestOf(TaskId taskId) {
        return store.list(null).map(prs -> TaskLifecycle.newest(prs, taskId));
      }
    };
  }

  /** A person merges every flagged pull request, or, when orch refuses the merge, sends it back to its agent. */
  public Future<Void> personMergesFlagged() {
    return store.list(PrState.FLAGGED).compose(flagged -> {
      Future<?> chain = Future.succeededFuture();
      for (PullRequestView pr : flagged) {
        chain = chain.compose(v -> pipeline.mergeByPerson(pr.number(), false).<Void>mapEmpty()
            .recover(refused -> pipeline.reject(pr.number(), "make it mergeable: " + refused.getMessage()).mapEmpty())
            .otherwiseEmpty());
      }
      return chain.mapEmpty();
    });
  }

  public Future<List<PullRequestView>> all() {
    return store.list(null);
  }
}
