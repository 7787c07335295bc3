package dev.orch.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.testkit.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real git: owners changing one repository's worktrees at once never break each other's commands. */
@Timeout(300)
class GitWorkspaceTest {
  @TempDir
  Path tmp;
  Path repo;
  GitCli git;

  @BeforeEach
  void repository() throws Exception {
    repo = tmp.resolve("repo");
    git = TestRepo.init(repo);
    // Enough files that a checkout takes a while, as in a real project: the window in which git's half-written
    // worktree metadata is visible to a concurrent command.
    for (int i = 0; i < 200; i++) {
      Files.writeString(repo.resolve("f" + i + ".txt"), "file " + i + "\n");
    }
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "first");
  }

  /**
   * The executor (a worktree on a new branch, then removal and branch deletion), prbot (prune, then a detached merge
   * worktree) and the build pool (detached checkouts) each with their own {@link GitWorkspace}, one of them reaching
   * the repository through a symlink, all at once. Without the shared lock git fails here with "failed to read
   * .git/worktrees/…/commondir" or "is not a working tree".
   */
  @Test
  void ownersAddingAndRemovingWorktreesAtOnceNeverCorruptTheList() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("link"), repo);
    GitWorkspace executor = new GitWorkspace(new GitCli(repo));
    GitWorkspace prbot = new GitWorkspace(new GitCli(link));
    GitWorkspace buildPool = new GitWorkspace(new GitCli(repo));
    String tip = git.run("rev-parse", "HEAD");
    int threads = 9;
    int rounds = 3;
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      pool.submit(() -> {
        try {
          start.await();
          for (int round = 0; round < rounds; round++) {
            String name = "w" + thread + "-" + round;
            Path path = tmp.resolve("worktrees").resolve(name);
            switch (thread % 3) {
              case 0 -> {
                executor.addOnNewBranch(path, "orch/" + name, tip);
                assertThat(executor.worktreeWithBranch("orch/" + name)).contains(path);
                assertThat(executor.remove(path)).isTrue();
                executor.prune();
                executor.deleteBranch("orch/" + name);
              }
              case 1 -> {
                prbot.prune();
                prbot.addDetached(path, tip);
                assertThat(path.resolve("f0.txt")).exists();
                assertThat(prbot.remove(path)).isTrue();
              }
              default -> {
                buildPool.addDetached(path, tip);
                assertThat(path.resolve("f199.txt")).exists();
                assertThat(buildPool.remove(path)).isTrue();
                buildPool.prune();
              }
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(240, TimeUnit.SECONDS)).isTrue();

    assertThat(failures).isEmpty();
    assertThat(executor.list()).extracting(GitWorkspace.Worktree::path).containsExactly(repo.toRealPath());
    assertThat(git.run("for-each-ref", "refs/heads/orch/")).isEmpty();
    assertThat(repo.resolve(".git/worktrees")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
  }

  @Test
  void listsWorktreesWithTheirBranches() throws Exception {
    GitWorkspace workspace = new GitWorkspace(git);
    Path onBranch = tmp.resolve("a");
    Path detached = tmp.resolve("b");
    workspace.addOnNewBranch(onBranch, "topic", "main");
    workspace.addDetached(detached, "main");

    List<GitWorkspace.Worktree> all = new ArrayList<>(workspace.list());

    assertThat(all).containsExactly(new GitWorkspace.Worktree(repo.toRealPath(), Optional.of("main")),
        new GitWorkspace.Worktree(onBranch.toRealPath(), Optional.of("topic")),
        new GitWorkspace.Worktree(detached.toRealPath(), Optional.empty()));
    assertThat(workspace.worktreeWithBranch("topic")).contains(onBranch.toRealPath());
    assertThat(workspace.worktreeWithBranch("nowhere")).isEmpty();
  }

  @Test
  void theLockFileLivesInTheSharedGitDirectoryEvenWhenReachedFromALinkedWorktree() throws Exception {
    Path linked = tmp.resolve("linked");
    new GitWorkspace(git).addDetached(linked, "main");

    new GitWorkspace(new GitCli(linked)).prune();

    assertThat(repo.resolve(".git").resolve(RepositoryLocks.LOCK_FILE)).exists();
    assertThat(linked.resolve(RepositoryLocks.LOCK_FILE)).doesNotExist();
  }
}
