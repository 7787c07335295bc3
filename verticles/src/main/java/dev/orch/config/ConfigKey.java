package dev.orch.config;

import java.util.List;

/**
 * One known configuration key: its dotted path ({@code general.max_parallel_agents}), its kind, its default
 * and its bounds. Defaults of path keys may name {@code ${project_root}} or {@code ~}. {@code T} is the type its
 * resolved value has (a path key's default is a template string, its value a {@link java.nio.file.Path}).
 */
record ConfigKey<T>(String path, Kind kind, Object defaultValue, long min, long max, List<String> choices, String note) {

  enum Kind {
    STRING, PATH, INT, DECIMAL, BOOL, CHOICE, STRING_LIST, REGEX_LIST, GLOB_LIST, DURATION,
    /** A key the reference knew that orch reads no more: a warning says why. */
    RETIRED
  }

  static ConfigKey<String> string(String path, String defaultValue) {
    return new ConfigKey<>(path, Kind.STRING, defaultValue, 0, 0, List.of(), "");
  }

  static ConfigKey<java.nio.file.Path> path(String path, String defaultValue) {
    return new ConfigKey<>(path, Kind.PATH, defaultValue, 0, 0, List.of(), "");
  }

  static ConfigKey<Integer> integer(String path, int defaultValue, long min, long max) {
    return new ConfigKey<>(path, Kind.INT, defaultValue, min, max, List.of(), "");
  }

  /** A non-negative number such as a cost in dollars; 0 often means "no limit". */
  static ConfigKey<Double> decimal(String path, double defaultValue) {
    return new ConfigKey<>(path, Kind.DECIMAL, defaultValue, 0, 0, List.of(), "");
  }

  static ConfigKey<Boolean> bool(String path, boolean defaultValue) {
    return new ConfigKey<>(path, Kind.BOOL, defaultValue, 0, 0, List.of(), "");
  }

  static ConfigKey<String> choice(String path, String defaultValue, String... choices) {
    return new ConfigKey<>(path, Kind.CHOICE, defaultValue, 0, 0, List.of(choices), "");
  }

  static ConfigKey<List<String>> stringList(String path, List<String> defaultValue) {
    return new ConfigKey<>(path, Kind.STRING_LIST, defaultValue, 0, 0, List.of(), "");
  }

  /** A list of regular expressions (Java syntax), each checked when the config is read. */
  static ConfigKey<List<String>> regexList(String path, List<String> defaultValue) {
    return new ConfigKey<>(path, Kind.REGEX_LIST, defaultValue, 0, 0, List.of(), "");
  }

  /** A list of path globs ({@code **}/auth/**), each checked when the config is read. */
  static ConfigKey<List<String>> globList(String path, List<String> defaultValue) {
    return new ConfigKey<>(path, Kind.GLOB_LIST, defaultValue, 0, 0, List.of(), "");
  }

  /** "90m", "8h", "30s", "1h30m", or a bare number of seconds. */
  static ConfigKey<java.time.Duration> duration(String path, String defaultValue) {
    return new ConfigKey<>(path, Kind.DURATION, defaultValue, 0, 0, List.of(), "");
  }

  static ConfigKey<Void> retired(String path, String why) {
    return new ConfigKey<>(path, Kind.RETIRED, null, 0, 0, List.of(), why);
  }

  /** The environment variable that overrides this key: {@code ORCH_GENERAL__MAX_PARALLEL_AGENTS}. */
  String envName() {
    return ConfigSchema.ENV_PREFIX + path.toUpperCase(java.util.Locale.ROOT).replace(".", "__");
  }

  /** The last part of the path: {@code job_max_secs} of {@code build_pool.timeouts.job_max_secs}. */
  String leaf() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  String describeKind() {
    return switch (kind) {
      case STRING, PATH -> "a string";
      case INT -> "an integer from " + min + " to " + max;
      case DECIMAL -> "a number of 0 or more";
      case BOOL -> "true or false";
      case CHOICE -> "one of " + String.join(", ", choices);
      case STRING_LIST -> "a list of strings";
      case REGEX_LIST -> "a list of regular expressions";
      case GLOB_LIST -> "a list of path globs";
      case DURATION -> "a duration such as \"90s\", \"10m\", \"8h\" or \"1h30m\"";
      case RETIRED -> "nothing (retired)";
    };
  }
}
