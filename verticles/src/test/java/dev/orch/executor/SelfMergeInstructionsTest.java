package dev.orch.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.config.PromptFolders;
import dev.orch.config.UserDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfMergeInstructionsTest {
  @Test
  void instructionsToPushOrMergeAreFoundWithTheirLine() {
    assertThat(SelfMergeInstructions.scan("Implement it.\n\n8. Push to the remote: git push -u origin HEAD\n"))
        .contains(new SelfMergeInstructions.Finding(3, "git push"));
    assertThat(SelfMergeInstructions.scan("a\nThen: gh pr create --fill")).get().extracting(f -> f.line()).isEqualTo(2);
    assertThat(SelfMergeInstructions.scan("Finally GH PR MERGE --squash")).get().extracting(f -> f.words())
        .isEqualTo("GH PR MERGE");
    assertThat(SelfMergeInstructions.scan("When done, push the branch and create a PR.")).get()
        .extracting(f -> f.words()).isEqualTo("push the branch");
    assertThat(SelfMergeInstructions.scan("Merge the pull request once green.")).isPresent();
    assertThat(SelfMergeInstructions.scan("Open a pull request for review.")).isPresent();
    assertThat(SelfMergeInstructions.scan("Do not ask questions. Then git push.")).as("the negation is another sentence")
        .isPresent();
  }

  @Test
  void sayingNotToIsFineAndSoIsOrchsOwnPrompt() {
    assertThat(SelfMergeInstructions.scan("Do not push, open a pull request or merge: orch does that.")).isEmpty();
    assertThat(SelfMergeInstructions.scan("Never run git push; don't merge the PR.")).isEmpty();
    assertThat(SelfMergeInstructions.scan("Commit your work with a clear message.\nPushing happens elsewhere.")).isEmpty();
    assertThat(SelfMergeInstructions.scan(PromptLibrary.builtIn(PromptLibrary.EPIC_TASK).orElseThrow())).isEmpty();
  }

  @Test
  void warningsNameTheOverrideThatWinsAndItsLine(@TempDir Path tmp) throws Exception {
    Path project = tmp.resolve("project");
    Path home = tmp.resolve("home");
    Path user = home.resolve(".config/claude-orchestrator/prompts");
    Files.createDirectories(user.resolve("epic"));
    Files.writeString(user.resolve("epic/task.md"), "You are implementing: {{.Title}}\n\n9. git push -u origin HEAD\n");
    Files.createDirectories(user.resolve("skills"));
    Files.writeString(user.resolve("skills/autonomous-plan-execution.md"), "# Skill\nJust commit.\n");
    PromptLibrary library = new PromptLibrary(PromptFolders.of(project, user,
        UserDirs.of(Map.of("HOME", home.toString()), home)));

    assertThat(SelfMergeInstructions.warnings(library)).containsExactly(user.resolve("epic/task.md") + ":3: tells the agent"
        + " to push or merge (\"git push\"), but orch pushes the branch, opens the pull request and merges it itself;"
        + " the agent should only commit");

    Files.createDirectories(project.resolve(".claude-orchestrator/prompts/epic"));
    Files.writeString(project.resolve(".claude-orchestrator/prompts/epic/task.md"), "{{.Title}}: only commit.\n");
    assertThat(SelfMergeInstructions.warnings(library)).as("the project's copy wins and says nothing of the kind").isEmpty();
  }
}
