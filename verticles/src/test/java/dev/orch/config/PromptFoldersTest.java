package dev.orch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptFoldersTest {
  private final Path root = Path.of("/work/project");

  @Test
  void theProjectThenOverrideDirThenTheReferencesFolderUnderHome() {
    UserDirs dirs = UserDirs.of(Map.of("HOME", "/h", "XDG_CONFIG_HOME", "/xdg"), Path.of("/nowhere"));
    Path overrideDir = Path.of(dirs.expand("~/.config/claude-orchestrator/prompts"));
    assertThat(PromptFolders.of(root, overrideDir, dirs)).containsExactly(Path.of("/work/project/.claude-orchestrator/prompts"),
        Path.of("/xdg/claude-orchestrator/prompts"), Path.of("/h/.config/claude-orchestrator/prompts"));
  }

  @Test
  void withoutXdgConfigHomeTheDefaultIsTheReferencesFolderOnce() {
    UserDirs dirs = UserDirs.of(Map.of("HOME", "/h"), Path.of("/nowhere"));
    Path overrideDir = Path.of(dirs.expand("~/.config/claude-orchestrator/prompts"));
    assertThat(PromptFolders.of(root, overrideDir, dirs)).containsExactly(Path.of("/work/project/.claude-orchestrator/prompts"),
        Path.of("/h/.config/claude-orchestrator/prompts"));
  }
}
