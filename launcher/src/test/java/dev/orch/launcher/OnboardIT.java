package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.testkit.PlanTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code orch onboard} on a fresh repository, as a newcomer runs it, and again: the second run changes nothing. */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class OnboardIT {
  @TempDir
  Path tmp;

  @Test
  void onboardingSetsUpAProjectAndRunningItAgainChangesNothing() throws Exception {
    PlanTree repo = PlanTree.create(tmp.resolve("project"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    OrchProcess orch = new OrchProcess(home, Map.of("HOME", home.toString()));

    OrchProcess.Result first = orch.run(repo.root(), "onboard", "--yes", "--claude", OrchHarness.claude(), "--max-parallel", "3");
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(first.out()).contains("ok       git", "ok       java", "ok       claude CLI", "wrote .claude-orchestrator.toml",
        "created docs/plans/getting-started/", "added .orch/ to .gitignore", "2 task(s), 2 new, 0 plan problem(s)",
        "getting-started/E01", "Say hello");
    assertThat(Files.readString(repo.root().resolve(".claude-orchestrator.toml"))).contains("max_parallel_agents = 3",
        "command = \"" + OrchHarness.claude() + "\"");
    assertThat(Files.readString(repo.root().resolve("docs/plans/getting-started/README.md"))).contains("| E01 | Say hello |");
    Map<Path, String> made = contents(repo.root());

    OrchProcess.Result second = orch.run(repo.root(), "onboard", "--yes");
    assertThat(second.exit()).as(second.toString()).isZero();
    assertThat(second.out()).contains("kept .claude-orchestrator.toml", "kept docs/plans/", "kept .gitignore",
        "2 task(s), 0 new");
    assertThat(contents(repo.root())).isEqualTo(made);

    OrchProcess.Result status = orch.run(repo.root(), "status");
    assertThat(status.out()).contains("Tasks: 2   ready: 1");
  }

  @Test
  void outsideAGitRepositoryItSaysWhatToDo() throws Exception {
    Path plain = Files.createDirectories(tmp.resolve("not-a-repo"));
    Path home = Files.createDirectories(tmp.resolve("home2"));
    OrchProcess.Result result = new OrchProcess(home, Map.of("HOME", home.toString())).run(plain, "onboard", "--yes");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("run orch onboard inside a git repository (git init first)");
  }

  private static Map<Path, String> contents(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(f -> !root.relativize(f).startsWith(".git"))
          .filter(f -> !root.relativize(f).startsWith(".orch"))
          .collect(Collectors.toMap(root::relativize, f -> {
            try {
              return Files.readString(f);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }));
    }
  }
}
