package dev.orch.buildpool;

import dev.orch.git.GitCli;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A detached worktree of the project at a job's commit, for the local fallback; removed when the job ends. Worktree
 * changes are serialised: concurrent {@code git worktree add} calls break each other. Blocking.
 */
final class LocalCheckout {
  private static final Object LOCK = new Object();

  private LocalCheckout() {
  }

  static void create(GitCli git, Path dir, String commit) {
    synchronized (LOCK) {
      if (Files.exists(dir)) {
        remove(git, dir);
      }
      git.run("worktree", "add", "--quiet", "--detach", dir.toString(), commit);
    }
  }

  static void remove(GitCli git, Path dir) {
    synchronized (LOCK) {
      git.tryRunIn(git.repo(), "worktree", "remove", "--force", dir.toString());
      git.tryRunIn(git.repo(), "worktree", "prune");
    }
  }
}
