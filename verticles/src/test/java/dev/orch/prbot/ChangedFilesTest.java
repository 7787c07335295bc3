package dev.orch.prbot;

import static dev.orch.prbot.PipelineFixture.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.contract.ChangedPaths;
import dev.orch.git.GitCli;
import dev.orch.testkit.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a merged change touched, read from a real repository: what the scheduler predicts the module's next tasks touch. */
class ChangedFilesTest {
  static final String PLAN = "docs/plans/app/epic-01-x.md";

  @TempDir
  Path tmp;
  GitCli git;
  Path root;
  GitRepository repo;

  @BeforeEach
  void repository() throws Exception {
    root = tmp.resolve("repo");
    git = TestRepo.init(root);
    write(PLAN, "---\nstatus: in-progress\n---\n# X\n");
    write("src/app/Main.java", "class Main {}\n");
    commit("first");
    repo = new GitRepository(git, Offload.INLINE, "main", new ReviewRouter(List.of(), 400,
        new ControlFiles(Optional.of("docs/plans"))));
  }

  @Test
  void aSquashCommitsFilesAreThoseItChangedAgainstItsParentWithoutThePlanFile() throws Exception {
    write("src/app/Main.java", "class Main { int x; }\n");
    write("src/app/New.java", "class New {}\n");
    write(PLAN, "---\nstatus: complete\n---\n# X\n");
    String squash = commit("X (app/E01)");

    assertThat(result(repo.changedFiles(null, squash, PLAN)))
        .containsExactlyInAnyOrder("src/app/Main.java", "src/app/New.java");
  }

  @Test
  void aMergeCommitCountsTheBranchNotWhatMainGainedMeanwhile() throws Exception {
    git.run("checkout", "-q", "-b", "orch/app-E01");
    write("src/app/Branch.java", "class Branch {}\n");
    commit("agent: one");
    write("src/app/Main.java", "class Main { int y; }\n");
    commit("agent: two");
    git.run("checkout", "-q", "main");
    write("README.md", "meanwhile\n");
    commit("someone else");
    git.run("merge", "-q", "--no-ff", "-m", "merge", "orch/app-E01");
    String merge = git.resolve("main").orElseThrow();

    assertThat(result(repo.changedFiles(null, merge, PLAN)))
        .containsExactlyInAnyOrder("src/app/Branch.java", "src/app/Main.java");
  }

  @Test
  void aRebaseCountsEveryCommitItLandedOnTopOfTheMainBranchBefore() throws Exception {
    String before = git.resolve("main").orElseThrow();
    write("src/app/One.java", "class One {}\n");
    commit("agent: one");
    write("src/app/Two.java", "class Two {}\n");
    String tip = commit("agent: two");

    assertThat(result(repo.changedFiles(before, tip, PLAN)))
        .containsExactlyInAnyOrder("src/app/One.java", "src/app/Two.java");
    assertThat(result(repo.changedFiles(null, tip, PLAN))).as("without it, the last commit alone")
        .containsExactly("src/app/Two.java");
    assertThat(result(repo.changedFiles("0000000000000000000000000000000000000000", tip, PLAN)))
        .as("a base that is not an ancestor is ignored").containsExactly("src/app/Two.java");
  }

  @Test
  void namesNoPredictionCanHoldAreDroppedAndTheListIsBounded() throws Exception {
    write("src/we*ird.txt", "x\n");
    write("src/back\\slash.txt", "x\n");
    write("src/ok.txt", "x\n");
    for (int i = 0; i < ChangedPaths.MAX_PATHS + 20; i++) {
      write("gen/f" + i + ".txt", "x\n");
    }
    String sha = commit("many");

    List<String> paths = result(repo.changedFiles(null, sha, PLAN));

    assertThat(paths).hasSize(ChangedPaths.MAX_PATHS).doesNotContain("src/we*ird.txt", "src/back\\slash.txt")
        .allSatisfy(path -> assertThat(ChangedPaths.problem(path)).isEmpty());
  }

  @Test
  void aCommitThisRepositoryDoesNotHaveChangedNothingHere() {
    assertThat(result(repo.changedFiles(null, "1234567890123456789012345678901234567890", PLAN))).isEmpty();
  }

  private void write(String path, String text) throws Exception {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private String commit(String message) {
    git.run("add", "-A");
    git.run("commit", "-q", "-m", message);
    return git.resolve("HEAD").orElseThrow();
  }
}
