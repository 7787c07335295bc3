package dev.orch.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.git.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorktreeSnapshotTest {
  @TempDir
  Path tmp;
  Path repo;
  GitCli git;

  @BeforeEach
  void repository() throws IOException {
    repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    git = new GitCli(repo);
    git.run("init", "-q", "-b", "main");
    Files.writeString(repo.resolve("tracked.txt"), "one\n");
    Files.writeString(repo.resolve(".gitignore"), "target/\n");
    git.run("add", "-A");
    git.run("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");
  }

  @Test
  void uncommittedAndUntrackedWorkIsInTheSnapshotAndNothingOfTheAgentsChanges() throws IOException {
    Path worktree = tmp.resolve("wt");
    git.run("worktree", "add", "-q", "-b", "orch/core-E01", worktree.toString());
    Files.writeString(worktree.resolve("tracked.txt"), "two\n");
    Files.writeString(worktree.resolve("new.txt"), "new\n");
    Files.writeString(worktree.resolve("staged.txt"), "staged\n");
    git.runIn(worktree, "add", "staged.txt");
    Files.createDirectories(worktree.resolve("target"));
    Files.writeString(worktree.resolve("target/out.bin"), "ignored\n");
    Files.createDirectories(worktree.resolve(".orch"));
    Files.writeString(worktree.resolve(".orch/orch.db"), "state\n");
    String statusBefore = git.runIn(worktree, "status", "--porcelain");
    String headBefore = git.runIn(worktree, "rev-parse", "HEAD");

    WorktreeSnapshot.Snapshot snapshot = WorktreeSnapshot.take(worktree);

    assertThat(snapshot.ref()).isEqualTo("refs/orch/snapshots/" + snapshot.commit());
    assertThat(git.run("rev-parse", snapshot.ref())).isEqualTo(snapshot.commit());
    assertThat(git.run("show", snapshot.commit() + ":tracked.txt")).isEqualTo("two");
    assertThat(git.run("show", snapshot.commit() + ":new.txt")).isEqualTo("new");
    assertThat(git.run("show", snapshot.commit() + ":staged.txt")).isEqualTo("staged");
    assertThat(git.run("ls-tree", "-r", "--name-only", snapshot.commit())).doesNotContain("target/").doesNotContain(".orch");
    assertThat(git.run("rev-parse", snapshot.commit() + "^")).isEqualTo(headBefore);
    assertThat(git.runIn(worktree, "rev-parse", "HEAD")).isEqualTo(headBefore);
    assertThat(git.runIn(worktree, "status", "--porcelain")).isEqualTo(statusBefore);
    assertThat(git.run("branch", "--list")).doesNotContain("snapshot");
  }

  @Test
  void aCleanCheckoutIsItsOwnHead() {
    WorktreeSnapshot.Snapshot snapshot = WorktreeSnapshot.take(repo);
    assertThat(snapshot.commit()).isEqualTo(git.run("rev-parse", "HEAD"));
    assertThat(WorktreeSnapshot.take(repo)).isEqualTo(snapshot);
  }

  @Test
  void h1_copiedFilesAndNewSecretLookingFilesAreNeverInASnapshot() throws IOException {
    Path worktree = tmp.resolve("wt");
    git.run("worktree", "add", "-q", "-b", "orch/core-E01", worktree.toString());
    dev.orch.git.LocalOnlyFiles.declare(git, java.util.List.of(".env", "tracked.txt"));
    Files.writeString(worktree.resolve(".env"), "SECRET_API_KEY=sk-test-canary\n");
    Files.writeString(worktree.resolve("tracked.txt"), "copied over a tracked file\n");
    Files.createDirectories(worktree.resolve("deploy"));
    Files.writeString(worktree.resolve("deploy/server.pem"), "-----BEGIN PRIVATE KEY-----\n");
    Files.writeString(worktree.resolve(".env.example"), "SECRET_API_KEY=\n");
    Files.writeString(worktree.resolve("work.txt"), "work\n");

    WorktreeSnapshot.Snapshot snapshot = WorktreeSnapshot.take(worktree);

    assertThat(git.run("ls-tree", "-r", "--name-only", snapshot.commit()))
        .contains("work.txt", ".env.example", "tracked.txt").doesNotContain("server.pem").doesNotContain(".env\n")
        .doesNotEndWith(".env");
    assertThat(git.run("show", snapshot.commit() + ":tracked.txt")).isEqualTo("one");
    assertThat(git.tryRunIn(repo, "cat-file", "-e", snapshot.commit() + ":.env").ok()).isFalse();
  }
}
