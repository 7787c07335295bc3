package dev.orch.config;

import java.util.List;

/** The config cannot be used; every problem names the key, and the file and line or environment variable. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;
  private final List<String> warnings;

  public ConfigException(List<String> problems) {
    this(problems, List.of());
  }

  public ConfigException(List<String> problems, List<String> warnings) {
    super(String.join("\n", problems), null, false, false);
    this.problems = List.copyOf(problems);
    this.warnings = List.copyOf(warnings);
  }

  public List<String> problems() {
    return problems;
  }

  /** Warnings found before the errors, still worth showing. */
  public List<String> warnings() {
    return warnings;
  }
}
