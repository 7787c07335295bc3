package dev.orch.git;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The other orch process in {@link RepositoryLocksTest}, run in its own JVM: {@code probe <gitDir>} says whether the
 * repository's lock file is free right now; {@code hold <gitDir>} holds the repository through {@link RepositoryLocks}
 * until a line arrives on stdin.
 */
public final class LockProbe {
  private LockProbe() {
  }

  public static void main(String[] args) throws Exception {
    Path gitDir = Path.of(args[1]);
    if (args[0].equals("hold")) {
      try (RepositoryLocks.Hold held = RepositoryLocks.jvmWide().hold(gitDir)) {
        System.out.println("held");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      }
      return;
    }
    try (FileChannel channel = FileChannel.open(gitDir.resolve(RepositoryLocks.LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      System.out.println(lock == null ? "busy" : "free");
    }
  }
}
