package dev.orch.buildpool;

import dev.orch.git.GitWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A detached worktree of the project at a job's commit, for the local fallback; removed when the job ends. The
 * {@link GitWorkspace} serialises it with every other change to the project's worktrees. Blocking.
 */
final class LocalCheckout {
  private final GitWorkspace workspace;

  LocalCheckout(GitWorkspace workspace) {
    this.workspace = workspace;
  }

  void create(Path dir, String commit) {
    workspace.exclusively(() -> {
      if (Files.exists(dir)) {
        remove(dir);
      }
      workspace.addDetached(dir, commit);
    });
  }

  void remove(Path dir) {
    workspace.exclusively(() -> {
      workspace.remove(dir);
      workspace.prune();
    });
  }
}
