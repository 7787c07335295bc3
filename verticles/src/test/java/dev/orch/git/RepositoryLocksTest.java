package dev.orch.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One lock per repository, whatever the path's spelling, that another process respects too. */
@Timeout(120)
class RepositoryLocksTest {
  @TempDir
  Path tmp;
  final RepositoryLocks locks = new RepositoryLocks();

  @Test
  void aSymlinkedPathToTheSameRepositoryGetsTheSameLock() throws Exception {
    Path gitDir = Files.createDirectories(tmp.resolve("repo/.git"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("repo"));
    CompletableFuture<Void> other;
    try (RepositoryLocks.Hold held = locks.hold(gitDir)) {
      assertThat(locks.heldByCurrentThread(link.resolve(".git"))).isTrue();
      assertThat(locks.heldByCurrentThread(tmp.resolve("repo/./.git"))).isTrue();
      // Were it a different lock, the other thread would open a second channel on the same file and fail at once.
      other = CompletableFuture.runAsync(() -> {
        try (RepositoryLocks.Hold mine = locks.hold(link.resolve(".git"))) {
          assertThat(locks.heldByCurrentThread(gitDir)).isTrue();
        }
      });
      assertThat(other).isNotDone();
    }
    other.get(60, TimeUnit.SECONDS);
    assertThat(locks.heldByCurrentThread(gitDir)).isFalse();
  }

  @Test
  void holdsAreReentrantAndTheLastCloseReleases() throws Exception {
    Path gitDir = Files.createDirectories(tmp.resolve("repo/.git"));
    try (RepositoryLocks.Hold outer = locks.hold(gitDir)) {
      try (RepositoryLocks.Hold inner = locks.hold(gitDir)) {
        assertThat(probe(gitDir)).isEqualTo("busy");
      }
      assertThat(locks.heldByCurrentThread(gitDir)).isTrue();
      assertThat(probe(gitDir)).isEqualTo("busy");
    }
    assertThat(locks.heldByCurrentThread(gitDir)).isFalse();
    assertThat(probe(gitDir)).isEqualTo("free");
  }

  @Test
  void anotherProcessCannotTakeTheLockWhileThisOneHoldsIt() throws Exception {
    Path gitDir = Files.createDirectories(tmp.resolve("repo/.git"));
    try (RepositoryLocks.Hold held = locks.hold(gitDir)) {
      assertThat(probe(gitDir)).isEqualTo("busy");
    }
    assertThat(probe(gitDir)).isEqualTo("free");
  }

  @Test
  void thisProcessWaitsWhileAnotherHoldsTheLock() throws Exception {
    Path gitDir = Files.createDirectories(tmp.resolve("repo/.git"));
    Process other = java("hold", gitDir);
    try {
      var out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("held");
      try (FileChannel channel = FileChannel.open(gitDir.resolve(RepositoryLocks.LOCK_FILE), StandardOpenOption.WRITE)) {
        assertThat(channel.tryLock()).as("the lock file while the other process holds the repository").isNull();
      }
      CompletableFuture<Boolean> mine = CompletableFuture.supplyAsync(() -> {
        try (RepositoryLocks.Hold held = locks.hold(gitDir)) {
          return true;
        }
      });
      try (Writer in = other.outputWriter()) {
        in.write("release\n");
      }
      assertThat(mine.get(60, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> !other.isAlive());
      assertThat(other.exitValue()).isZero();
    } finally {
      other.destroyForcibly();
    }
  }

  /** What a second JVM finds when it tries the repository's lock file right now. */
  private static String probe(Path gitDir) throws Exception {
    Process probe = java("probe", gitDir);
    String answer = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return answer;
  }

  private static Process java(String mode, Path gitDir) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LockProbe.class.getName());
    command.add(mode);
    command.add(gitDir.toString());
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
