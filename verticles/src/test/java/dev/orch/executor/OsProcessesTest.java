package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.process.ChildEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a recorded agent is its pid together with its start time, and is found by the folder it works in. */
@Timeout(30)
class OsProcessesTest {
  @TempDir
  Path tmp;

  private final OsProcesses processes = new OsProcesses(new AgentLauncher(new AgentLauncher.Settings("claude", List.of(),
      "m", 16000, 1, "default", List.of()), ChildEnvironment.allowListOnly(), Map.of()), Runnable::run);

  @Test
  void aPidIsTheSameProcessOnlyWithItsStartTime() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").directory(tmp.toFile()).start();
    try {
      long started = sleep.toHandle().info().startInstant().orElseThrow().toEpochMilli();

      assertThat(processes.find(sleep.pid(), started)).get().extracting(AgentProcesses.AgentProcess::pid)
          .isEqualTo(sleep.pid());
      assertThat(processes.find(sleep.pid(), started - 60_000)).as("the pid reused by a later process").isEmpty();
      assertThat(OsProcesses.sameProcess(sleep.toHandle(), started + 1_000)).isTrue();

      AgentProcesses.AgentProcess found = processes.find(sleep.pid(), started).orElseThrow();
      found.kill(true);
      assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(found.exit().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
      assertThat(processes.find(sleep.pid(), started)).isEmpty();
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void theProcessesWorkingInAFolderAreFoundThere() throws Exception {
    Path worktree = Files.createDirectories(tmp.resolve("app-E01/src"));
    Process sleep = new ProcessBuilder("sleep", "30").directory(worktree.toFile()).start();
    try {
      if (Files.isDirectory(Path.of("/proc"))) {
        assertThat(processes.workingIn(tmp.resolve("app-E01"))).extracting(AgentProcesses.AgentProcess::pid)
            .containsExactly(sleep.pid());
      }
      assertThat(processes.workingIn(tmp.resolve("elsewhere"))).isEmpty();
    } finally {
      sleep.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(processes.workingIn(tmp.resolve("app-E01"))).isEmpty();
  }
}
