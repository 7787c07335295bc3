package dev.orch.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The environment orch gives the processes it starts for a project (agents, checks, setup commands, build jobs): an
 * allow-list, never the whole of orch's own (H4). Always passed on: {@link #BASE} and the {@code LC_*},
 * {@code ANTHROPIC_*} and {@code CLAUDE_*} variables; {@code entries} ({@code executor.env}) add a variable by
 * {@code NAME}, a family by {@code PREFIX*}, or a fixed {@code NAME=value}. Never passed on, whatever the entries say:
 * {@code GITHUB_TOKEN}, {@code GH_TOKEN}, every {@code ORCH_*}, and any variable whose value holds one of
 * {@code secretValues} (orch's configured credentials, under whatever name they were given).
 *
 * @param entries the configured additions; a forbidden one is a config error ({@link #forbidden})
 * @param secretValues the values of orch's secret config keys, never repeated by {@link #toString()}
 */
public record ChildEnvironment(List<String> entries, List<String> secretValues) {
  public static final List<String> BASE = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "TERM", "TZ",
      "TMPDIR");
  public static final List<String> BASE_PREFIXES = List.of("LC_", "ANTHROPIC_", "CLAUDE_");
  private static final List<String> FORBIDDEN = List.of("GITHUB_TOKEN", "GH_TOKEN");
  private static final String FORBIDDEN_PREFIX = "ORCH_";
  /** Shorter secrets are only matched whole: as substrings they would strip innocent variables. */
  private static final int MIN_SECRET_SUBSTRING = 8;

  public ChildEnvironment {
    entries = entries == null ? List.of() : List.copyOf(entries);
    secretValues = secretValues == null ? List.of() : secretValues.stream().filter(v -> v != null && !v.isBlank()).toList();
  }

  /** The allow-list alone. */
  public static ChildEnvironment allowListOnly() {
    return new ChildEnvironment(List.of(), List.of());
  }

  /**
   * Why an {@code executor.env} entry may not be used, if it may not: it names a variable orch never passes on. A
   * prefix entry is refused when it would cover such a variable ({@code ORCH*}, {@code GH*}).
   */
  public static Optional<String> forbidden(String entry) {
    String name = nameOf(entry);
    if (name.isEmpty() || !name.matches("[A-Za-z_][A-Za-z0-9_]*\\*?")) {
      return Optional.of("\"" + entry + "\" is not NAME, PREFIX* or NAME=value");
    }
    boolean prefix = name.endsWith("*");
    String stem = prefix ? name.substring(0, name.length() - 1).toUpperCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT);
    boolean hitsForbidden = prefix
        ? FORBIDDEN.stream().anyMatch(f -> f.startsWith(stem)) || FORBIDDEN_PREFIX.startsWith(stem) || stem.startsWith(FORBIDDEN_PREFIX)
        : FORBIDDEN.contains(stem) || stem.startsWith(FORBIDDEN_PREFIX);
    return hitsForbidden ? Optional.of("\"" + entry + "\" would pass on " + String.join(", ", FORBIDDEN) + " or "
        + FORBIDDEN_PREFIX + "*, which orch never gives the processes it starts") : Optional.empty();
  }

  /** The environment for a child, from {@code parent} (orch's own). */
  public Map<String, String> from(Map<String, String> parent) {
    Map<String, String> out = new LinkedHashMap<>();
    parent.forEach((name, value) -> {
      if (allowed(name)) {
        out.put(name, value);
      }
    });
    for (String entry : entries) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        out.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    out.entrySet().removeIf(e -> neverPassed(e.getKey()) || holdsSecret(e.getValue()));
    return out;
  }

  /** Replaces {@code builder}'s environment (a copy of orch's) with this one. */
  public ProcessBuilder applyTo(ProcessBuilder builder) {
    Map<String, String> env = builder.environment();
    Map<String, String> child = from(Map.copyOf(env));
    env.clear();
    env.putAll(child);
    return builder;
  }

  private boolean allowed(String name) {
    if (BASE.contains(name) || BASE_PREFIXES.stream().anyMatch(name::startsWith)) {
      return true;
    }
    for (String entry : entries) {
      String wanted = nameOf(entry);
      if (entry.indexOf('=') < 0 && (wanted.endsWith("*") ? name.startsWith(wanted.substring(0, wanted.length() - 1))
          : name.equals(wanted))) {
        return true;
      }
    }
    return false;
  }

  private static boolean neverPassed(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return FORBIDDEN.contains(upper) || upper.startsWith(FORBIDDEN_PREFIX);
  }

  private boolean holdsSecret(String value) {
    return secretValues.stream().anyMatch(secret -> value.equals(secret)
        || secret.length() >= MIN_SECRET_SUBSTRING && value.contains(secret));
  }

  private static String nameOf(String entry) {
    int equals = entry.indexOf('=');
    return (equals >= 0 ? entry.substring(0, equals) : entry).strip();
  }

  @Override
  public String toString() {
    return "ChildEnvironment[entries=" + entries.stream().map(e -> e.contains("=") ? nameOf(e) + "=(set)" : e).toList()
        + ", " + secretValues.size() + " secret values withheld]";
  }
}
