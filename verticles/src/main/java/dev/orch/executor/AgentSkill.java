package dev.orch.executor;

import java.util.Map;
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
