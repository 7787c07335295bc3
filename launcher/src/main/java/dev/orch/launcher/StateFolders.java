package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.db.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * orch's folders are its owner's alone: the store, the agents' prompts and output, and worktrees that may hold
 * copied secrets. Missing folders are made 0700; orch's own {@code .orch} folder is narrowed to 0700 even when an
 * older orch made it under the umask. A folder a person configured that already exists is left as it is: it may
 * be shared on purpose.
 */
final class StateFolders {
  static final String DEFAULT_NAME = ".orch";

  private StateFolders() {
  }

  static void secure(OrchConfig.General general) {
    try {
      for (Path dir : new Path[] {general.stateDir(), general.logDir(), general.worktreeDir()}) {
        OwnerOnly.createDirectories(dir);
        if (dir.getFileName() != null && dir.getFileName().toString().equals(DEFAULT_NAME)) {
          OwnerOnly.restrictDirectory(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make orch's folders: " + e.getMessage(), e);
    }
  }
}
