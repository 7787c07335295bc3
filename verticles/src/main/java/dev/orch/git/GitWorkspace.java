package dev.orch.git;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place that changes a repository's worktree list: {@code git worktree add/remove/prune/list}, and deleting a
 * worktree's branch (git refuses while a worktree has it checked out, so it belongs to the same sequence). Every call
 * holds the repository's {@link RepositoryLocks lock}, shared by every owner in this JVM (the executor's run
 * worktrees, prbot's merge worktree, the build pool's job checkouts, a build agent's caches) and excluding other orch
 * processes. A sequence that must not interleave with another owner's (archive a worktree, then make a new one) runs
 * inside {@link #exclusively}. Every method blocks: call it from a worker thread.
 */
public final class GitWorkspace {
  private final GitCli git;
  private final RepositoryLocks locks;
  private volatile Path gitDir;

  /** Worktrees of the repository {@code git} works in, under this JVM's registry of repository locks. */
  public GitWorkspace(GitCli git) {
    this(git, RepositoryLocks.jvmWide());
  }

  GitWorkspace(GitCli git, RepositoryLocks locks) {
    this.git = git;
    this.locks = locks;
  }

  /** One entry of {@code git worktree list}: where it is and which branch it has checked out, if any. */
  public record Worktree(Path path, Optional<String> branch) {
  }

  public GitCli git() {
    return git;
  }

  /** Runs {@code work} holding the repository, so no other owner changes its worktrees meanwhile. */
  public <T> T exclusively(Supplier<T> work) {
    try (RepositoryLocks.Hold hold = locks.hold(gitDir())) {
      return work.get();
    }
  }

  public void exclusively(Runnable work) {
    exclusively(() -> {
      work.run();
      return null;
    });
  }

  /** A new worktree at {@code path} on a new branch {@code branch} starting at {@code startPoint}. */
  public void addOnNewBranch(Path path, String branch, String startPoint) {
    exclusively(() -> git.run("worktree", "add", "--quiet", "-b", branch, path.toString(), startPoint));
  }

  /** A new worktree at {@code path} with {@code commit} checked out and no branch. */
  public void addDetached(Path path, String commit) {
    exclusively(() -> git.run("worktree", "add", "--quiet", "--detach", path.toString(), commit));
  }

  /**
   * Removes the worktree at {@code path}, uncommitted changes and all, even when locked; returns whether git did
   * (false when it was no worktree, or its folder is gone: {@link #prune} forgets those).
   */
  public boolean remove(Path path) {
    return exclusively(() -> git.tryRunIn(git.repo(), "worktree", "remove", "--force", "--force", path.toString()).ok());
  }

  /** Forgets worktrees whose folders are gone. */
  public void prune() {
    exclusively(() -> git.tryRunIn(git.repo(), "worktree", "prune"));
  }

  /** Deletes a local branch, merged or not; a worktree must not have it checked out. */
  public void deleteBranch(String branch) {
    exclusively(() -> git.run("branch", "-D", branch));
  }

  /** The repository's worktrees, the main checkout first (for a bare repository, the repository itself). */
  public List<Worktree> list() {
    String out = exclusively(() -> git.run("worktree", "list", "--porcelain"));
    List<Worktree> worktrees = new ArrayList<>();
    Path current = null;
    String branch = null;
    for (String line : (out + "\n").split("\n", -1)) {
      if (line.startsWith("worktree ")) {
        current = Path.of(line.substring("worktree ".length()));
      } else if (line.startsWith("branch refs/heads/")) {
        branch = line.substring("branch refs/heads/".length());
      } else if (line.isEmpty() && current != null) {
        worktrees.add(new Worktree(current, Optional.ofNullable(branch)));
        current = null;
        branch = null;
      }
    }
    return worktrees;
  }

  /** Where {@code branch} is checked out (the main checkout or a linked worktree), if anywhere. */
  public Optional<Path> worktreeWithBranch(String branch) {
    return list().stream().filter(w -> w.branch().equals(Optional.of(branch))).map(Worktree::path).findFirst();
  }

  /** The git directory every worktree of the repository shares; the lock's key. */
  private Path gitDir() {
    Path dir = gitDir;
    if (dir == null) {
      GitCli.Result absolute = git.tryRunIn(git.repo(), "rev-parse", "--path-format=absolute", "--git-common-dir");
      // Before git 2.31 (no --path-format) the answer is relative to the repository.
      dir = absolute.ok() ? Path.of(absolute.out().strip())
          : git.repo().resolve(git.run("rev-parse", "--git-common-dir"));
      gitDir = dir;
    }
    return dir;
  }
}
