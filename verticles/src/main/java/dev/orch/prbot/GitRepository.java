package dev.orch.prbot;

import dev.orch.contract.ChangedPaths;
import dev.orch.contract.GitRefs;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import dev.orch.git.GitCli;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The project repository through git: every call runs its git commands through {@link Offload}. */
final class GitRepository implements PipelinePorts.Repository {
  /** Where a merged branch's tip is recorded; the executor reads it before deleting a worktree. */
  static final String MERGED_REFS = GitRefs.MERGED;
  /** Where a branch's commits are kept before orch rewrites it: the executor's archive convention. */
  static final String ARCHIVE_REFS = GitRefs.ARCHIVE;

  private final GitCli git;
  private final Offload offload;
  private final String configuredMain;
  private final ReviewRouter router;

  GitRepository(GitCli git, Offload offload, String configuredMain, ReviewRouter router) {
    this.git = git;
    this.offload = offload;
    this.configuredMain = configuredMain;
    this.router = router;
  }

  @Override
  public Future<BranchInspection> inspect(String branch, Path worktree, String taskFile) {
    return offload.blocking(() -> BranchInspection.of(git, configuredMain, branch, worktree, planFile(worktree, taskFile)));
  }

  /** The plan as the agent left it in its worktree, or the project's copy when the worktree has none. */
  private Path planFile(Path worktree, String taskFile) {
    Path inWorktree = worktree.resolve(taskFile);
    return Files.isRegularFile(inWorktree) ? inWorktree : git.repo().resolve(taskFile);
  }

  @Override
  public Future<List<BranchSecrets.Finding>> secrets(String branch) {
    return offload.blocking(() -> BranchSecrets.of(git, git.mainBranch(configuredMain), branch));
  }

  @Override
  public Future<PipelinePorts.Update> update(Path worktree, String archiveLabel, TaskId taskId, String method) {
    return offload.blocking(() -> {
      String main = git.mainBranch(configuredMain);
      String mainTip = git.resolve(main).orElseThrow(() -> new IllegalStateException("no main branch '" + main + "'"));
      String archive = ARCHIVE_REFS + taskId.slug() + "/" + archiveLabel;
      return new PipelinePorts.Update(main, BranchUpdate.update(git, worktree, mainTip, method, archive));
    });
  }

  @Override
  public Future<ReviewRouter.Decision> route(String branch, boolean needsReview, String taskFile) {
    return offload.blocking(() -> router.route(FileDiff.parse(BranchSecrets.diff(git, git.mainBranch(configuredMain),
        branch)), needsReview, taskFile));
  }

  @Override
  public Future<Boolean> exists(Path worktree) {
    return offload.blocking(() -> Files.isDirectory(worktree));
  }

  /**
   * Looks for orch's own trailers ({@link SquashMessage}) on the main branch: after a crash between landing a change and
   * recording it, the change must be recognised, not merged again.
   */
  @Override
  public Future<Optional<String>> mergedOnMain(PullRequestView pr) {
    return offload.blocking(() -> {
      String main = git.mainBranch(configuredMain);
      String log = git.run("log", main, "--fixed-strings", "--grep=" + SquashMessage.PR_TRAILER + ": " + pr.number(),
          "--format=%H%x1f%(trailers:key=" + SquashMessage.TASK_TRAILER + ",valueonly,separator=%x2c)%x1f%(trailers:key="
              + SquashMessage.PR_TRAILER + ",valueonly,separator=%x2c)%x1e");
      for (String entry : log.split("\u001e")) {
        String[] fields = entry.strip().split("\u001f", -1);
        if (fields.length == 3 && fields[1].strip().equals(pr.taskId().toString())
            && fields[2].strip().equals(String.valueOf(pr.number()))) {
          return Optional.of(fields[0].strip());
        }
      }
      return Optional.empty();
    });
  }

  @Override
  public Future<Void> markMerged(TaskId taskId, String branchTip) {
    return offload.blocking(() -> {
      git.run("update-ref", MERGED_REFS + taskId.slug(), branchTip);
      return null;
    });
  }

  @Override
  public Future<List<String>> changedFiles(String since, String mergeCommit, String taskFile) {
    // Read past the kept count: invalid names and the plan file are dropped before counting.
    return offload.blocking(() -> ChangedPaths.keepValid(git.changedFiles(since, mergeCommit, ChangedPaths.MAX_PATHS * 2)
        .stream().filter(path -> !path.equals(taskFile)).toList()));
  }

  /** The pull request's change, or the merged commit once it landed (for {@code orch pr show}). */
  Future<String> diffOf(PullRequestView pr) {
    return offload.blocking(() -> {
      if (pr.mergeCommit() != null && git.resolve(pr.mergeCommit()).isPresent()) {
        return git.run("show", "--stat", "--patch", "--format=commit %H%n%n    %s%n", pr.mergeCommit());
      }
      String main = git.mainBranch(configuredMain);
      if (git.resolve(pr.headCommit()).isPresent()) {
        return git.run("diff", "--stat", "--patch", main + "..." + pr.headCommit());
      }
      return "(the commits of this pull request are no longer in the repository)";
    });
  }
}
