package dev.orch.prbot;

import dev.orch.git.GitCli;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Brings a pull request's branch up to date with the main branch in the task's worktree: rebase by default, merge when
 * configured or when the rebase conflicts. A merge that conflicts is left in progress for the agent to resolve. The
 * branch's commits before the update are kept under {@code refs/orch/archive/}, so a rebase never loses one. Blocking.
 */
final class BranchUpdate {
  enum Kind { UP_TO_DATE, UPDATED, CONFLICT }

  /** What happened; {@code files} lists the conflicting files (one per line) for a conflict. */
  record Outcome(Kind kind, String files) {
  }

  private BranchUpdate() {
  }

  static Outcome update(GitCli git, Path worktree, String mainTip, String method, String archiveRef) {
    if (git.tryRunIn(worktree, "merge-base", "--is-ancestor", mainTip, "HEAD").ok()) {
      return new Outcome(Kind.UP_TO_DATE, "");
    }
    git.runIn(worktree, "update-ref", archiveRef, "HEAD");
    if (method.equals("rebase")) {
      if (git.tryRunInWithIdentity(worktree, "rebase", "--quiet", mainTip).ok()) {
        return new Outcome(Kind.UPDATED, "");
      }
      git.tryRunIn(worktree, "rebase", "--abort");
    }
    GitCli.Result merged = git.tryRunInWithIdentity(worktree, "merge", "--no-edit", "--quiet", mainTip);
    if (merged.ok()) {
      return new Outcome(Kind.UPDATED, "");
    }
    String files = git.tryRunIn(worktree, "diff", "--name-only", "--diff-filter=U").out().strip();
    return new Outcome(Kind.CONFLICT, files.isEmpty() ? merged.err().strip() : files);
  }

  /** After the agent's turn: whether the merge is concluded and the branch contains the main branch's tip. */
  static boolean resolved(GitCli git, Path worktree, String mainTip) {
    Path gitDir = Path.of(git.runIn(worktree, "rev-parse", "--absolute-git-dir"));
    boolean merging = Files.exists(gitDir.resolve("MERGE_HEAD")) || Files.exists(gitDir.resolve("rebase-merge"))
        || Files.exists(gitDir.resolve("rebase-apply"));
    boolean unmerged = !git.tryRunIn(worktree, "diff", "--name-only", "--diff-filter=U").out().isBlank();
    return !merging && !unmerged && git.tryRunIn(worktree, "merge-base", "--is-ancestor", mainTip, "HEAD").ok();
  }
}
