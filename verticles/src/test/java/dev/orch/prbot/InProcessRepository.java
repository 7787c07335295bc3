package dev.orch.prbot;

import dev.orch.contract.GitRefs;
import dev.orch.contract.PullRequestView;
import dev.orch.contract.TaskId;
import dev.orch.git.SecretFiles;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * prbot's {@link PipelinePorts.Repository} on the simulation's real repository, in process: what {@link GitRepository}
 * and {@link BranchUpdate} do with the git command line (inspect, rebase or else merge onto the main branch keeping the
 * old commits under the archive refs, route the diff through the real {@link ReviewRouter}, find orch's trailers on
 * main, record a merged tip). A conflict leaves the branch as it was for the agent, who merges the main branch in.
 * Nothing that changes the repository runs once this orch is dead.
 */
final class InProcessRepository implements PipelinePorts.Repository {
  private final InProcessGit git;
  private final ReviewRouter router;
  private final Function<String, String> branchOfTask;
  private final BooleanSupplier dead;

  /** {@code branchOfTask}: the ref of a task's branch (the worktree holds it checked out). */
  InProcessRepository(InProcessGit git, ReviewRouter router, Function<String, String> branchOfTask,
      BooleanSupplier dead) {
    this.git = git;
    this.router = router;
    this.branchOfTask = branchOfTask;
    this.dead = dead;
  }

  private <T> Future<T> blocking(boolean writes, Callable<T> work) {
    if (writes && dead.getAsBoolean()) {
      return Future.failedFuture("simulated kill -9: this orch is gone");
    }
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private static String ref(String branch) {
    return branch.startsWith("refs/") ? branch : "refs/heads/" + branch;
  }

  @Override
  public Future<BranchInspection> inspect(String branch, Path worktree, String taskFile) {
    return blocking(false, () -> {
      ObjectId main = git.tip(InProcessGit.MAIN_REF);
      ObjectId head = git.tip(ref(branch));
      if (head == null) {
        return new BranchInspection(0, "", 0, 0, 0, "", List.of());
      }
      int commits = git.commitsBetween(main, head).size();
      if (commits == 0) {
        return new BranchInspection(0, head.name(), 0, 0, 0, "", List.of());
      }
      ObjectId base = git.mergeBase(main, head);
      List<DiffEntry> changes = git.changes(base, head);
      int[] lines = git.lines(base, head);
      return new BranchInspection(commits, head.name(), changes.size(), lines[0], lines[1],
          " " + changes.size() + " files changed, " + lines[0] + " insertions(+), " + lines[1] + " deletions(-)",
          List.of());
    });
  }

  @Override
  public Future<List<BranchSecrets.Finding>> secrets(String branch) {
    return blocking(false, () -> {
      ObjectId main = git.tip(InProcessGit.MAIN_REF);
      ObjectId head = git.tip(ref(branch));
      List<BranchSecrets.Finding> found = new ArrayList<>();
      for (DiffEntry change : git.changes(git.mergeBase(main, head), head)) {
        if (change.getChangeType() != DiffEntry.ChangeType.DELETE) {
          SecretFiles.reason(change.getNewPath()).ifPresent(why -> found.add(new BranchSecrets.Finding(
              change.getNewPath(), why)));
        }
      }
      return found;
    });
  }

  @Override
  public Future<PipelinePorts.Update> update(Path worktree, String archiveLabel, TaskId taskId, String method) {
    return blocking(true, () -> new PipelinePorts.Update(InProcessGit.MAIN, update(branchOfTask.apply(taskId.toString()),
        GitRefs.ARCHIVE + taskId.slug() + "/" + archiveLabel, method)));
  }

  private BranchUpdate.Outcome update(String branch, String archiveRef, String method) throws Exception {
    ObjectId main = git.tip(InProcessGit.MAIN_REF);
    ObjectId tip = git.tip(branch);
    if (git.isAncestor(main, tip)) {
      return new BranchUpdate.Outcome(BranchUpdate.Kind.UP_TO_DATE, "");
    }
    git.move(archiveRef, null, tip);
    if (method.equals("rebase")) {
      ObjectId rebased = rebase(main, tip);
      if (rebased != null) {
        git.move(branch, tip, rebased);
        return new BranchUpdate.Outcome(BranchUpdate.Kind.UPDATED, "");
      }
    }
    InProcessGit.Merged merged = git.merge(tip, main, null);
    if (!merged.clean()) {
      return new BranchUpdate.Outcome(BranchUpdate.Kind.CONFLICT, String.join("\n", merged.conflicts()));
    }
    git.move(branch, tip, git.commit(merged.tree(), "Merge branch 'main'", "orch", tip, main));
    return new BranchUpdate.Outcome(BranchUpdate.Kind.UPDATED, "");
  }

  /** The branch's own commits replayed onto {@code main} (merge commits dropped, as git rebase does), or null. */
  private ObjectId rebase(ObjectId main, ObjectId tip) throws Exception {
    ObjectId onto = main;
    for (RevCommit commit : git.commitsBetween(main, tip)) {
      if (commit.getParentCount() != 1) {
        continue;
      }
      InProcessGit.Merged picked = git.merge(onto, commit, commit.getParent(0));
      if (!picked.clean()) {
        return null;
      }
      if (!picked.tree().equals(git.treeOf(onto))) {
        onto = git.commit(picked.tree(), commit.getFullMessage(), commit.getAuthorIdent().getName(), onto);
      }
    }
    return onto;
  }

  @Override
  public Future<ReviewRouter.Decision> route(String branch, boolean needsReview, String taskFile) {
    return blocking(false, () -> {
      ObjectId head = git.tip(ref(branch));
      ObjectId base = git.mergeBase(git.tip(InProcessGit.MAIN_REF), head);
      return router.route(FileDiff.parse(git.diff(base, head)), needsReview, taskFile);
    });
  }

  @Override
  public Future<Boolean> exists(Path worktree) {
    return blocking(false, () -> Files.isDirectory(worktree));
  }

  @Override
  public Future<Optional<String>> mergedOnMain(PullRequestView pr) {
    return blocking(false, () -> {
      try (RevWalk walk = new RevWalk(git.repo)) {
        walk.markStart(walk.parseCommit(git.tip(InProcessGit.MAIN_REF)));
        for (RevCommit commit : walk) {
          if (commit.getFooterLines(SquashMessage.PR_TRAILER).contains(String.valueOf(pr.number()))
              && commit.getFooterLines(SquashMessage.TASK_TRAILER).contains(pr.taskId().toString())) {
            return Optional.of(commit.name());
          }
        }
      }
      return Optional.<String>empty();
    });
  }

  @Override
  public Future<Void> markMerged(TaskId taskId, String branchTip) {
    return blocking(true, () -> {
      git.move(GitRefs.MERGED + taskId.slug(), null, ObjectId.fromString(branchTip));
      return null;
    });
  }

  @Override
  public Future<List<String>> changedFiles(String since, String mergeCommit, String taskFile) {
    // The schedules do not predict footprints; only whether the merge is recorded matters here.
    return Future.succeededFuture(List.of());
  }
}
