package dev.orch.executor;

import dev.orch.config.PromptFolders;
import dev.orch.contract.FollowUpKind;
import dev.orch.contract.ResumeRequest;
import dev.orch.executor.template.PromptTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a prompt template by name ({@code epic/task.md}) in the override folders ({@link PromptFolders}: the project's,
 * then the user's), then the built-in copy. Blocking (file reads).
 */
public final class PromptLibrary {
  public static final String EPIC_TASK = "epic/task.md";
  /**
   * The reference's variables plus orch's own: {@code TaskID}, {@code Module}, {@code Branch}, {@code Attempt} (a
   * number, 1 for the first run) and {@code Dependencies} (the done dependencies' ids as a list, for {@code range}).
   */
  public static final Set<String> EPIC_VARIABLES = Set.of("Title", "EpicFilePath", "EpicContent", "ModuleContext",
      "CompletedDeps", "TaskID", "Module", "Branch", "Attempt", "Dependencies");
  /**
   * The follow-up prompts a session can be resumed with, and the variables each may use: prbot's, and the scheduler's
   * after an API limit lifted.
   */
  public static final Map<String, Set<String>> FOLLOW_UP_VARIABLES = java.util.stream.Stream.concat(
      java.util.Arrays.stream(FollowUpKind.values()).map(kind -> Map.entry(kind.template(), kind.variables())),
      java.util.stream.Stream.of(Map.entry(ResumeRequest.AFTER_LIMIT, ResumeRequest.AFTER_LIMIT_VARIABLES)))
      .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
  private static final String BUILT_IN = "/dev/orch/prompts/";

  private final List<Path> overrideDirs;

  /** @param overrideDirs in order, first match wins ({@link PromptFolders#of}) */
  public PromptLibrary(List<Path> overrideDirs) {
    this.overrideDirs = List.copyOf(overrideDirs);
  }

  /** Renders {@code name} with {@code values}; an override with an unknown variable fails naming file and line. */
  public String render(String name, Set<String> known, Map<String, ?> values) {
    Source source = find(name);
    return PromptTemplate.parse(source.text(), source.origin(), known).render(values);
  }

  /** A template's text and where it came from: its file, or "built-in NAME". */
  public record Source(String text, String origin) {
  }

  Source find(String name) {
    return override(name).or(() -> builtIn(name).map(text -> new Source(text, "built-in " + name)))
        .orElseThrow(() -> new IllegalArgumentException("no prompt template named " + name));
  }

  /** The first override folder's copy of {@code name}, if any has one. */
  public Optional<Source> override(String name) {
    for (Path dir : overrideDirs) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate)) {
        try {
          return Optional.of(new Source(Files.readString(candidate, StandardCharsets.UTF_8), candidate.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read prompt override " + candidate, e);
        }
      }
    }
    return Optional.empty();
  }

  public List<Path> overrideDirs() {
    return overrideDirs;
  }

  static Optional<String> builtIn(String name) {
    try (InputStream in = PromptLibrary.class.getResourceAsStream(BUILT_IN + name)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
