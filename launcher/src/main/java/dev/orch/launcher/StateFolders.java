package dev.orch.launcher;

import dev.orch.config.OrchConfig;
import dev.orch.db.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * orch's folders are its owner's alone: the store, the agents' prompts and output, and worktrees that may hold
 * copied secrets. Missing folders are made 0700, and the state folder (the store's, {@code .orch} by default) is
 * narrowed to 0700 even when an older orch made it under the umask, unless it is the project itself or a home
 * folder: a store configured to sit there does not get to lock others out of them.
 */
final class StateFolders {
  private StateFolders() {
  }

  static void secure(OrchConfig.General general) {
    try {
      for (Path dir : new Path[] {general.stateDir(), general.logDir(), general.worktreeDir()}) {
        OwnerOnly.createDirectories(dir);
      }
      Path state = general.stateDir().toAbsolutePath().normalize();
      boolean holdsSomethingElse = Stream.of(general.projectRoot().toString(), System.getProperty("user.home"),
              System.getenv("HOME"))
          .filter(p -> p != null && !p.isBlank())
          .anyMatch(p -> Path.of(p).toAbsolutePath().normalize().startsWith(state));
      if (!holdsSomethingElse) {
        OwnerOnly.restrictDirectory(state);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make orch's folders: " + e.getMessage(), e);
    }
  }
}
