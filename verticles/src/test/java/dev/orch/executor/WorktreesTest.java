package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.TaskId;
import dev.orch.git.GitCli;
import dev.orch.git.GitWorkspace;
import dev.orch.testkit.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's worktree with real git: what orch copies in stays on disk and out of every commit (H1). */
class WorktreesTest {
  @TempDir
  Path tmp;
  Path repo;
  GitCli git;
  Worktrees worktrees;
  final TaskId task = TaskId.parseFull("app/E01");

  @BeforeEach
  void repository() throws Exception {
    repo = tmp.resolve("repo");
    git = TestRepo.init(repo);
    Files.writeString(repo.resolve("README.md"), "app\n");
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "first");
    Files.writeString(repo.resolve(".env"), "SECRET_API_KEY=sk-test-canary\n");
    worktrees = new Worktrees(new GitWorkspace(git), repo.resolve(".orch/worktrees"), repo.resolve(".orch/bundles"), "", "orch/");
  }

  @Test
  void h1_copiedFilesAreNeverInOrchsCommitsNorInTheArchive() throws Exception {
    Path worktree = worktrees.create(task, "before-run-1");
    worktrees.copyFiles(worktree, List.of(".env"));
    assertThat(worktree.resolve(".env")).hasContent("SECRET_API_KEY=sk-test-canary");
    Files.writeString(worktree.resolve("greeting.txt"), "hi\n");

    assertThat(worktrees.commitLeftovers(worktree, "orch: leftovers")).isTrue();

    assertThat(git.run("ls-tree", "-r", "--name-only", "orch/app-E01")).contains("greeting.txt").doesNotContain(".env");
    assertThat(worktree.resolve(".env")).exists();
    assertThat(git.runIn(worktree, "status", "--porcelain")).isEmpty();
    assertThat(git.run("status", "--porcelain")).as("the person's checkout: .env and .orch are local-only too").isEmpty();

    List<String> saved = worktrees.archiveAndRemove(task, "stopped");
    assertThat(saved).isNotEmpty();
    assertThat(git.run("ls-tree", "-r", "--name-only", saved.get(0))).contains("greeting.txt").doesNotContain(".env");
  }

  @Test
  void h1_newFilesThatLookLikeSecretsStayOutOfOrchsCommit() throws Exception {
    Path worktree = worktrees.create(task, "before-run-1");
    Files.createDirectories(worktree.resolve("deploy"));
    Files.writeString(worktree.resolve("deploy/server.key"), "-----BEGIN PRIVATE KEY-----\n");
    Files.writeString(worktree.resolve(".env.local"), "TOKEN=x\n");
    Files.writeString(worktree.resolve(".env.example"), "TOKEN=\n");

    assertThat(worktrees.commitLeftovers(worktree, "orch: leftovers")).isTrue();

    assertThat(git.run("ls-tree", "-r", "--name-only", "orch/app-E01")).contains(".env.example")
        .doesNotContain("server.key").doesNotContain(".env.local");
    assertThat(worktree.resolve("deploy/server.key")).exists();
  }

  @Test
  void h1_aTrackedFileOrchCopiesOverIsNotCommittedEither() throws Exception {
    Files.writeString(repo.resolve("settings.local"), "placeholder\n");
    git.run("add", "settings.local");
    git.run("commit", "-q", "-m", "tracked placeholder");
    Files.writeString(repo.resolve("settings.local"), "password=hunter2\n");
    Path worktree = worktrees.create(task, "before-run-1");
    worktrees.copyFiles(worktree, List.of("settings.local"));

    assertThat(worktrees.commitLeftovers(worktree, "orch: leftovers")).isFalse();

    assertThat(git.run("show", "orch/app-E01:settings.local")).isEqualTo("placeholder");
  }
}
