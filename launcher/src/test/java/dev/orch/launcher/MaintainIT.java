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

  /**
   * A person coming from the reference project keeps their prompt overrides under $HOME: the maintenance wrapper wraps
   * the task, their epic/task.md (Go template constructs and all) is the agent's prompt and is warned about for telling
   * the agent to push, and their skill reaches the model through the CLI without ever being committed. The wrapper sits
   * in orch's folder ($XDG_CONFIG_HOME), the others in the reference's ($HOME/.config): both are read.
   */
  @Test
  void seedPromptOverridesUnderHomeReachTheAgent() throws Exception {
    ScriptBook book = new ScriptBook()
        .on("docs/plans/maintenance/epic-01-docs-core.md",
            ScriptBook.writeAndCommit("core/README.md", "# Core\n\nWhat core does.\n", "docs: core", "documented core"));
    try (OrchHarness orch = new OrchHarness(tmp, book, Map.of())) {
      orch.tree.plan("core/epic-01-greeting.md", PlanTree.task("Greeting", "status: complete"));
      orch.commitPlan();
      Path xdg = tmp.resolve("xdg");
      orch.putEnv("XDG_CONFIG_HOME", xdg.toString());
      Path ours = Files.createDirectories(xdg.resolve("claude-orchestrator/prompts/maintenance"));
      Files.writeString(ours.resolve("wrapper.md"), "{{.Prompt}}\n\n**WRAPPED-FOR-AUTONOMY** on {{.Scope}}"
          + "{{with .Module}} (module {{.}}){{end}}.\n");
      Path reference = tmp.resolve("home/.config/claude-orchestrator/prompts");
      Files.createDirectories(reference.resolve("epic"));
      Files.writeString(reference.resolve("epic/task.md"), """
          You are implementing: {{.Title}}

          Epic file: {{.EpicFilePath}}

          {{.EpicContent}}
          {{- with .ModuleContext}}
          Module context:
          {{.}}
          {{- end}}
          Dependencies completed: {{if not .Dependencies}}none{{else}}{{range .Dependencies}}{{.}} {{end}}{{end}}
          Attempt {{printf "%d" .Attempt}} of {{.TaskID | printf "%q"}}{{if eq .Module "maintenance"}} (maintenance){{end}}.

          1. Commit all changes with a descriptive message
          2. Push the branch to remote: git push -u origin HEAD
          """);
      Files.createDirectories(reference.resolve("skills"));
      Files.writeString(reference.resolve("skills/autonomous-plan-execution.md"),
          "# Autonomous Plan Execution\n\nWork through the plan without asking anything.\n");

      OrchProcess.Result listed = orch.orch("maintain");
      assertThat(listed.exit()).as(listed.toString()).isZero();
      assertThat(listed.out()).contains("docs").doesNotContain("wrapper");
      OrchProcess.Result created = orch.orch("maintain", "docs", "--module", "core");
      assertThat(created.exit()).as(created.toString()).isZero();
      assertThat(Files.readString(orch.tree.root().resolve("docs/plans/maintenance/epic-01-docs-core.md")))
          .contains("# Document the module core", "**WRAPPED-FOR-AUTONOMY** on the module core (module core).");

      Process run = orch.startRun();
      orch.awaitTasks(t -> t.containsKey("maintenance/E01")
          && "complete".equals(t.get("maintenance/E01").getString("status")), TIMEOUT);
      assertThat(orch.runLog(0)).contains("warning: " + reference.resolve("epic/task.md") + ":14: tells the agent to push"
          + " or merge (\"Push the branch\"), but orch pushes the branch, opens the pull request and merges it itself");

      String sent = orch.model.requests().toString();
      assertThat(sent).as("the wrapper and the user's epic/task.md reach the model")
          .contains("**WRAPPED-FOR-AUTONOMY** on the module core", "Dependencies completed: none",
              "Attempt 1 of \\\"maintenance/E01\\\" (maintenance).");
      assertThat(sent).as("the CLI lists the installed skill to the model")
          .contains("autonomous-plan-execution: Use when carrying out an orch task");
      assertThat(orch.git("show", "main:core/README.md")).contains("What core does.");
      assertThat(orch.git("ls-tree", "-r", "--name-only", "main")).as("the skill is never committed").doesNotContain(".claude");
      orch.stop(run);
    }
  }
}
