package dev.orch.executor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The reference's {@code skills/autonomous-plan-execution.md} as a Claude Code project skill: written to
 * {@value #TARGET} in the run's worktree (local-only, never committed), where the CLI finds it and lists it to the
 * model. The CLI needs YAML frontmatter with {@code name} and {@code description}; what the file lacks of them is
 * added. The text is installed as written: it is not a template.
 */
record AgentSkill(String text, String origin) {
  static final String NAME = "autonomous-plan-execution";
  static final String OVERRIDE = "skills/" + NAME + ".md";
  static final String TARGET = ".claude/skills/" + NAME + "/SKILL.md";
  static final String DEFAULT_DESCRIPTION = "Use when carrying out an orch task - work through the plan autonomously,"
      + " without asking for input, and commit the result";

  /**
   * Writes the skill to {@value #TARGET} in {@code worktree}, where nothing is there yet (not even a link). The
   * worktree holds what the project committed, links included, so the folders on the way are checked to stay inside
   * it before anything is made and again after: a committed link must not get orch to write elsewhere.
   *
   * @return empty when installed, else why not (the path that leads outside the worktree)
   */
  Optional<String> installIn(Path worktree) throws IOException {
    Path root = worktree.toRealPath();
    Path target = worktree.resolve(TARGET);
    Path folder = target.getParent();
    Path existing = folder;
    while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (!inside(existing, root)) {
      return Optional.of(existing + " leads outside the worktree " + root + " (a symbolic link)");
    }
    Files.createDirectories(folder);
    if (!inside(folder, root)) {
      return Optional.of(folder + " leads outside the worktree " + root + " (a symbolic link)");
    }
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }

  /** A dangling link has no real path, and counts as leading outside. */
  private static boolean inside(Path path, Path realRoot) {
    try {
      return path.toRealPath().startsWith(realRoot);
    } catch (IOException e) {
      return false;
    }
  }

  static AgentSkill of(PromptLibrary.Source source) {
    return new AgentSkill(withFrontmatter(source.text(), source.origin()), source.origin());
  }

  /** Adds {@code name} and {@code description} to the frontmatter (making one if there is none) where they are missing. */
  static String withFrontmatter(String text, String origin) {
    String normalized = text.replace("\r\n", "\n");
    String front = "";
    String body = normalized;
    int end = normalized.startsWith("---\n") ? normalized.indexOf("\n---\n", 3) : -1;
    if (end >= 0) {
      front = normalized.substring(4, end + 1);
      body = normalized.substring(end + 5);
    }
    Object loaded;
    try {
      loaded = front.isBlank() ? Map.of() : new Yaml(new SafeConstructor(new LoaderOptions())).load(front);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(origin + ": its frontmatter is not valid YAML: " + e.getMessage(), e);
    }
    if (!(loaded instanceof Map<?, ?> fields)) {
      throw new IllegalArgumentException(origin + ": the frontmatter between the --- lines must be a YAML mapping");
    }
    StringBuilder out = new StringBuilder("---\n");
    if (!(fields.get("name") instanceof String name) || name.isBlank()) {
      out.append("name: ").append(NAME).append('\n');
    }
    if (!(fields.get("description") instanceof String description) || description.isBlank()) {
      out.append("description: \"").append(DEFAULT_DESCRIPTION).append("\"\n");
    }
    return out.append(front).append("---\n").append(body).toString();
  }
}
