package dev.orch.executor;

import dev.orch.testkit.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.OrchException;
import dev.orch.contract.TaskId;
import dev.orch.git.GitCli;
import dev.orch.git.GitWorkspace;
import dev.orch.process.ChildEnvironment;
import dev.orch.testkit.TestRepo;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Real git and a real process: a worktree something still works in is never removed. */
@Timeout(60)
class WorktreeJanitorTest {
  @TempDir
  Path tmp;
  Worktrees worktrees;
  final Fakes.Records store = new Fakes.Records();
  final OsProcesses processes = new OsProcesses(new AgentLauncher(new AgentLauncher.Settings("claude", List.of(), "m", 16000, 1,
      "default", List.of()), ChildEnvironment.allowListOnly(), Map.of()), Runnable::run);
  final TaskId task = TaskId.parseFull("app/E01");

  @BeforeEach
  void repository() throws Exception {
    Path repo = tmp.resolve("repo");
    GitCli git = TestRepo.init(repo);
    Files.writeString(repo.resolve("README.md"), "app\n");
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "first");
    worktrees = new Worktrees(new GitWorkspace(git), tmp.resolve("worktrees"), tmp.resolve("bundles"), "", "orch/");
  }

  private WorktreeJanitor janitor(Set<TaskId> followed) {
    return new WorktreeJanitor(worktrees, store, processes, () -> followed,
        new Fakes.InlineHost(MovableClock.at("2026-11-28T10:00:00Z")));
  }

  @Test
  void aFollowedRunsWorktreeIsNotRemoved() {
    worktrees.create(task, "before-run-1");

    Future<List<String>> removed = janitor(Set.of(TaskId.parseFull("app/E01"))).remove(task, "removed");

    assertThat(removed.cause()).isInstanceOf(OrchException.class).hasMessageContaining("has a live run");
    assertThat(worktrees.pathOf(task)).isDirectory();
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void h5_aWorktreeAProcessWorksInIsNeitherRemovedNorCleanedUpUntilItEnds() throws Exception {
    Path worktree = worktrees.create(task, "before-run-1");
    Process agent = new ProcessBuilder("sleep", "30").directory(worktree.toFile()).start();
    try {
      WorktreeJanitor janitor = janitor(Set.of());

      assertThat(janitor.remove(task, "removed").cause()).hasMessageContaining("in use").hasMessageContaining("process " + agent.pid());
      WorktreeJanitor.Cleanup cleanup = janitor.cleanup(false, Set.of()).result();
      assertThat(cleanup.busy()).containsExactly("app/E01");
      assertThat(cleanup.removed()).isEmpty();
      assertThat(worktree).isDirectory();
    } finally {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    WorktreeJanitor.Cleanup cleanup = janitor(Set.of()).cleanup(false, Set.of()).result();
    assertThat(cleanup.removed()).containsExactly("app/E01");
    assertThat(worktree).doesNotExist();
  }
}
