package dev.orch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.scripted.ScriptBook;
import dev.orch.testkit.PlanTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orch maintain}: the templates are listed (a custom one from the project's override folder too), a bad
 * request is a clear message, and the task it creates runs like any other with the real Claude Code CLI: worktree,
 * pull request, merge.
 */
// A bound on each test, so a hang fails it instead of the whole CI run.
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class MaintainIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void aMaintenanceTaskIsPlannedCommittedAndRunLikeAnyOther() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/maintenance/epic-01-docs-core.md",
            ScriptBook.writeAndCommit("core/README.md", "# Core\n\nWhat core does.\n", "docs: core", "documented core"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of())) {
      orch.tree.plan("core/epic-01-greeting.md", PlanTree.task("Greeting", "status: complete"))
          .plan("core/epic-02-farewell.md", PlanTree.task("Farewell", "status: complete"));
      Path custom = orch.tree.root().resolve(".claude-orchestrator/prompts/maintenance/licences.md");
      Files.createDirectories(custom.getParent());
      Files.writeString(custom, "---\nid: licences\nname: Licences\ndescription: Check third-party licences.\n"
          + "scopes: [all]\n---\n# Licences of {{.Scope}}\n\n## Acceptance Criteria\n\n- [ ] every dependency's licence is known\n");
      orch.commitPlan();

      OrchProcess.Result listed = orch.orch("maintain");
      assertThat(listed.out()).as(listed.toString()).contains("refactor", "cleanup", "optimize", "docs", "tests", "security",
          "lint", "licences", "Check third-party licences.", "licences.md");
      assertThat(orch.orch("maintain", "docs").err()).contains("exactly one of --module M, --package P or --all");
      assertThat(orch.orch("maintain", "licences", "--module", "core").err()).contains("works on all, not module");
      assertThat(orch.orch("maintain", "polish", "--all").err()).contains("no maintenance template 'polish'");

      OrchProcess.Result created = orch.orch("maintain", "docs", "--module", "core");
      assertThat(created.exit()).as(created.toString()).isZero();
      assertThat(created.out()).contains("created maintenance/E01 (docs/plans/maintenance/epic-01-docs-core.md): Document: core",
          "it is ready");
      assertThat(orch.git("log", "-1", "--format=%s")).isEqualTo("Plan a maintenance task: Document: core");
      assertThat(Files.readString(orch.tree.root().resolve("docs/plans/maintenance/epic-01-docs-core.md")))
          .contains("# Document the module core", "- [ ] Every public entry point of the module core");

      Process run = orch.startRun();
      orch.awaitTasks(t -> t.containsKey("maintenance/E01")
          && "complete".equals(t.get("maintenance/E01").getString("status")), TIMEOUT);
      assertThat(orch.git("show", "main:core/README.md")).contains("What core does.");
      orch.stop(run);
    }
  }
}
