package dev.orch.executor;

import dev.orch.contract.FollowUpKind;
import dev.orch.executor.template.PromptTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a prompt template by name ({@code epic/task.md}) in the reference's override order: the project's
 * {@code .claude-orchestrator/prompts/}, then the user's override folder ({@code [prompts] override_dir}), then the
 * built-in copy. Blocking (file reads).
 */
public final class PromptLibrary {
  public static final String EPIC_TASK = "epic/task.md";
  /** The reference's variables plus orch's own ({@code TaskID}, {@code Module}, {@code Branch}). */
  public static final Set<String> EPIC_VARIABLES =
      Set.of("Title", "EpicFilePath", "EpicContent", "ModuleContext", "CompletedDeps", "TaskID", "Module", "Branch");
  /** The follow-up prompts prbot sends and the variables each may use. */
  public static final Map<String, Set<String>> FOLLOW_UP_VARIABLES = java.util.Arrays.stream(FollowUpKind.values())
      .collect(java.util.stream.Collectors.toUnmodifiableMap(FollowUpKind::template, FollowUpKind::variables));
  static final String PROJECT_FOLDER = ".claude-orchestrator/prompts";
  private static final String BUILT_IN = "/dev/orch/prompts/";

  private final List<Path> overrideDirs;

  public PromptLibrary(Path projectRoot, Path userOverrideDir) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(projectRoot.resolve(PROJECT_FOLDER));
    if (userOverrideDir != null) {
      dirs.add(userOverrideDir);
    }
    this.overrideDirs = List.copyOf(dirs);
  }

  /** Renders {@code name} with {@code values}; an override with an unknown variable fails naming file and line. */
  public String render(String name, Set<String> known, Map<String, ?> values) {
    Source source = find(name);
    return PromptTemplate.parse(source.text(), source.origin(), known).render(values);
  }

  record Source(String text, String origin) {
  }

  Source find(String name) {
    for (Path dir : overrideDirs) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate)) {
        try {
          return new Source(Files.readString(candidate, StandardCharsets.UTF_8), candidate.toString());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read prompt override " + candidate, e);
        }
      }
    }
    return builtIn(name).map(text -> new Source(text, "built-in " + name))
        .orElseThrow(() -> new IllegalArgumentException("no prompt template named " + name));
  }

  static Optional<String> builtIn(String name) {
    try (InputStream in = PromptLibrary.class.getResourceAsStream(BUILT_IN + name)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
