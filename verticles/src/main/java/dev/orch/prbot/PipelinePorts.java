package dev.orch.prbot;

import dev.orch.contract.PullRequestFailure;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.ResumeRequest;
import dev.orch.contract.RunView;
import dev.orch.contract.TaskId;
import dev.orch.contract.TaskView;
import dev.orch.contract.WriteStatusRequest;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The neighbours {@link PullRequestPipeline} talks to, each cut to what it needs. {@link PrbotVerticle} binds them to
 * the bus, git and timers; tests pass in-memory fakes.
 */
final class PipelinePorts {
  private PipelinePorts() {
  }

  /** The executor: the agent's session in the task's worktree. */
  interface Agent {
    /** Continues the task's latest run with a follow-up; answers the new run. */
    Future<RunView> resume(ResumeRequest request);

    /** The task's most recent run, if it has one. */
    Future<Optional<RunView>> latestRun(TaskId taskId);

    Future<Void> removeWorktree(TaskId taskId, String reason);
  }

  /**
   * The scheduler and the executor: asked only when a person opens a pull request for a run (the executor), or for a
   * run or pull request row recorded before they carried the task's snapshot (the scheduler).
   */
  interface TaskSource {
    Future<TaskView> task(TaskId taskId);

    Future<RunView> run(long runId);
  }

  /** The parser: writes the plan's new status into the checkout that is about to land. */
  interface StatusWriter {
    Future<Void> writeStatus(WriteStatusRequest request);
  }

  /** The configured check commands. */
  interface Checks {
    boolean configured();

    Future<CheckRunner.Result> run(Path worktree, Path output);
  }

  /** What the pipeline announces on the bus. */
  interface Events {
    void opened(PullRequestView pr);

    void fixing(PullRequestView pr);

    void flagged(PullRequestView pr);

    void merged(PullRequestView pr);

    void failed(PullRequestFailure failure);
  }

  /** Later, once: a retry after a passing failure, tidying up after a merge. */
  interface Timers {
    void after(Duration delay, Runnable action);
  }

  /** The project repository, as the pipeline reads and changes it (blocking work runs off the event loop). */
  interface Repository {
    /** What the branch holds now; uncommitted work in the worktree is committed first. */
    Future<BranchInspection> inspect(String branch, Path worktree, String taskFile);

    Future<List<BranchSecrets.Finding>> secrets(String branch);

    /** Brings the branch in {@code worktree} up to date with the main branch, keeping its old commits under archive. */
    Future<Update> update(Path worktree, String archiveLabel, TaskId taskId, String method);

    Future<ReviewRouter.Decision> route(String branch, boolean needsReview, String taskFile);

    Future<Boolean> exists(Path worktree);

    /** The commit on the main branch that already carries this pull request (its trailers), if there is one. */
    Future<Optional<String>> mergedOnMain(PullRequestView pr);

    /** Records that the task's branch at {@code branchTip} is merged (the executor may then delete its worktree). */
    Future<Void> markMerged(TaskId taskId, String branchTip);

    /**
     * The files {@code mergeCommit} changed on the main branch, without {@code taskFile} (orch writes its status there),
     * kept as {@link dev.orch.contract.ChangedPaths} allows; {@code since} is the main branch's commit before several
     * landed at once (a rebase), else null.
     */
    Future<List<String>> changedFiles(String since, String mergeCommit, String taskFile);
  }

  /** A branch update's outcome and the main branch it was brought to. */
  record Update(String mainBranch, BranchUpdate.Outcome outcome) {
  }
}
