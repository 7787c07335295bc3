package dev.orch.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's identity: module, sequence prefix ({@code E} for epics, {@code CLI} for {@code epic-cli-02-x.md})
 * and number. Prints zero-padded: {@code billing/E05}, {@code cli-impl/CLI02}. Modules are lower case. On the wire it
 * is that full text, a JSON string; reading anything else is refused as a bad request naming the field.
 */
public record TaskId(String module, String prefix, int number) implements Comparable<TaskId> {
  public static final String DEFAULT_PREFIX = "E";
  private static final Pattern MODULE = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9]*?");
  private static final Pattern LOCAL = Pattern.compile("(?i)([a-z][a-z0-9]*?)?-?0*(\\d{1,6})");

  public TaskId {
    if (module == null || !MODULE.matcher(module).matches()) {
      throw new IllegalArgumentException("invalid module name '" + module + "' (lower-case letters, digits, '-', '_', '.')");
    }
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("invalid sequence prefix '" + prefix + "'");
    }
    if (number < 0) {
      throw new IllegalArgumentException("task number must not be negative: " + number);
    }
  }

  /**
   * Why {@code module} cannot name tasks, or empty when it can. Beyond the character rules, the module becomes a
   * component of the branch {@code orch/<module>-E05} and of ref and folder names, so git's rules for a ref component
   * apply (git check-ref-format): no {@code ..}, no trailing {@code .}, no {@code .lock} ending (audit L5).
   */
  public static Optional<String> moduleProblem(String module) {
    if (module == null || !MODULE.matcher(module).matches()) {
      return Optional.of("invalid module name '" + module + "' (lower-case letters, digits, '-', '_', '.', starting"
          + " with a letter or digit)");
    }
    if (module.contains("..")) {
      return Optional.of("invalid module name '" + module + "': git branch names cannot contain '..'");
    }
    if (module.endsWith(".")) {
      return Optional.of("invalid module name '" + module + "': git branch names cannot have a part ending in '.'");
    }
    if (module.endsWith(".lock")) {
      return Optional.of("invalid module name '" + module + "': git branch names cannot have a part ending in"
          + " '.lock'");
    }
    return Optional.empty();
  }

  public static TaskId of(String module, int number) {
    return new TaskId(module, DEFAULT_PREFIX, number);
  }

  public static String normalizeModule(String raw) {
    return raw.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code module/E05}, or, relative to {@code currentModule}, {@code E05}, {@code 5}, {@code CLI02},
   * {@code cli-02}. Empty when the text is not a task reference.
   */
  public static Optional<TaskId> parse(String text, String currentModule) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    String module = currentModule;
    int slash = trimmed.lastIndexOf('/');
    if (slash >= 0) {
      module = normalizeModule(trimmed.substring(0, slash));
      trimmed = trimmed.substring(slash + 1).trim();
    }
    if (module == null || module.isEmpty() || !MODULE.matcher(module).matches()) {
      return Optional.empty();
    }
    Matcher m = LOCAL.matcher(trimmed);
    if (!m.matches()) {
      return Optional.empty();
    }
    String prefix = m.group(1) == null ? DEFAULT_PREFIX : m.group(1).toUpperCase(Locale.ROOT);
    if (prefix.equals("EPIC")) {
      prefix = DEFAULT_PREFIX;
    }
    return Optional.of(new TaskId(module, prefix, Integer.parseInt(m.group(2))));
  }

  /** Reads a full id ({@code module/E05}); anything else is an {@link OrchException} with BAD_REQUEST. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TaskId parseFull(String text) {
    if (text == null || !text.contains("/")) {
      throw OrchException.badRequest("'" + text + "' is not a task id (expected module/E05)");
    }
    return parse(text, null).orElseThrow(() ->
        OrchException.badRequest("'" + text + "' is not a task id (expected module/E05)"));
  }

  public String local() {
    return prefix + (number < 10 ? "0" : "") + number;
  }

  /**
   * {@code module-E05}: the task's part of its branch ({@code orch/billing-E05}), worktree folder and refs. Not read
   * back into an id: a module may itself contain '-', so whoever needs the task keeps it next to the name.
   */
  public String slug() {
    return module + "-" + local();
  }

  @JsonValue
  @Override
  public String toString() {
    return module + "/" + local();
  }

  @Override
  public int compareTo(TaskId other) {
    int byModule = module.compareTo(other.module);
    if (byModule != 0) {
      return byModule;
    }
    int byPrefix = prefix.compareTo(other.prefix);
    return byPrefix != 0 ? byPrefix : Integer.compare(number, other.number);
  }
}
