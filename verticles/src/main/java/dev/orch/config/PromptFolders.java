package dev.orch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where prompt overrides are looked for, first match wins for each file: the project's
 * {@code .claude-orchestrator/prompts/}, then {@code [prompts] override_dir} (by default
 * {@code ~/.config/claude-orchestrator/prompts}, with {@code ~/.config} read as {@code $XDG_CONFIG_HOME} when set), then
 * {@code $HOME/.config/claude-orchestrator/prompts} where the reference project looks (it ignores
 * {@code XDG_CONFIG_HOME}), when that is another folder. The built-in copies come after all of them.
 */
public final class PromptFolders {
  public static final String PROJECT_FOLDER = ".claude-orchestrator/prompts";
  static final String REFERENCE_USER_FOLDER = ".config/claude-orchestrator/prompts";

  private PromptFolders() {
  }

  public static List<Path> of(Path projectRoot, Path overrideDir, UserDirs dirs) {
    List<Path> folders = new ArrayList<>();
    folders.add(projectRoot.resolve(PROJECT_FOLDER).toAbsolutePath().normalize());
    if (overrideDir != null) {
      folders.add(overrideDir.toAbsolutePath().normalize());
    }
    Path reference = dirs.home().resolve(REFERENCE_USER_FOLDER);
    if (!folders.contains(reference)) {
      folders.add(reference);
    }
    return List.copyOf(folders);
  }
}
