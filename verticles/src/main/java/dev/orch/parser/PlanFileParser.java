package dev.orch.parser;

import dev.orch.contract.PlanIssue;
import dev.orch.contract.PlanStatus;
import dev.orch.contract.Priority;
import dev.orch.contract.TaskId;
import dev.orch.footprint.PathGlob;
import dev.orch.footprint.PathMentions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one plan file into a {@link ParsedFile}. Identity comes from frontmatter {@code module} and {@code epic}
 * when present, else from the folder (the module, {@code -module} suffix dropped) and the file name:
 * {@code epic-05-x.md}, {@code 05-epic-x.md}, {@code epic-cli-02-x.md} (prefix {@code CLI}).
 */
public final class PlanFileParser {
  private static final Pattern EPIC_FIRST = Pattern.compile("(?i)epic-(?:([a-z][a-z0-9]*)-)?(\\d{1,6})(?:[-_.].*)?\\.md");
  private static final Pattern NUMBER_FIRST = Pattern.compile("(?i)(\\d{1,6})-epic(?:[-_.].*)?\\.md");
  private static final Pattern CONTEXT_FILE = Pattern.compile("(?i)readme\\.md|0+-overview\\.md");
  private static final String MODULE_SUFFIX = "-module";
  private static final Pattern LINE_BREAK = Pattern.compile("\\s*[\\n\\r\\u000b\\u000c\\u0085\\u2028\\u2029]+\\s*");

  private PlanFileParser() {
  }

  /**
   * @param file     path relative to the project root, with '/' separators (used in messages and as the task's file)
   * @param folder   the name of the folder the file is in, or null when it lies directly in the plans folder
   * @param fileName the file's own name
   */
  public static ParsedFile parse(String file, String folder, String fileName, String text) {
    Frontmatter front = Frontmatter.split(text);
    List<PlanIssue> issues = new ArrayList<>();
    if (!front.ok()) {
      issues.add(PlanIssue.of(file, front.problemLine, front.problem));
    }
    Fields fields = new Fields(file, issues);

    String module = fields.text(front, "module").map(TaskId::normalizeModule).orElse(null);
    if (module == null && folder != null) {
      module = moduleOfFolder(folder);
    }
    Optional<Sequence> fromFront = fields.sequence(front, "epic", module);
    Optional<Sequence> fromName = sequenceOfFileName(fileName);
    Optional<Sequence> sequence = fromFront.isPresent() ? fromFront : fromName;

    if (sequence.isEmpty()) {
      if (folder != null && CONTEXT_FILE.matcher(fileName).matches()) {
        return ParsedFile.notATask(file, ParsedFile.Kind.MODULE_CONTEXT);
      }
      return issues.isEmpty() ? ParsedFile.notATask(file, ParsedFile.Kind.OTHER) : ParsedFile.broken(file, issues);
    }
    if (module == null) {
      issues.add(PlanIssue.of(file, fields.lineOf(front, "epic"),
          "cannot tell this task's module: add 'module:' to the frontmatter or move the file into a module folder"));
      return ParsedFile.broken(file, issues);
    }
    Optional<String> moduleProblem = TaskId.moduleProblem(module);
    if (moduleProblem.isPresent()) {
      issues.add(PlanIssue.of(file, fields.lineOf(front, "module"), moduleProblem.get()
          + (fields.lineOf(front, "module") == 0 ? " (the module comes from the folder name)" : "")));
      return ParsedFile.broken(file, issues);
    }
    TaskId id;
    try {
      id = new TaskId(module, sequence.get().prefix(), sequence.get().number());
    } catch (IllegalArgumentException e) {
      issues.add(PlanIssue.of(file, fields.lineOf(front, "module"), e.getMessage()));
      return ParsedFile.broken(file, issues);
    }

    MarkdownBody body = MarkdownBody.read(front.body);
    String title = fields.text(front, "title")
        .orElse(body.firstHeading != null ? body.firstHeading : fileName.replaceFirst("(?i)\\.md$", ""));
    if (LINE_BREAK.matcher(title).find()) {
      // A title is a table cell, a notification and a commit subject: a second line could forge commit trailers
      // (Orch-Task: ...) or rows (audit L13). The task is blocked until the plan is fixed; the title shown meanwhile is
      // its lines joined.
      issues.add(PlanIssue.of(file, fields.lineOf(front, "title"), "'title' must be one line"));
      title = LINE_BREAK.matcher(title).replaceAll(" ").strip();
    }
    Priority priority = fields.text(front, "priority").flatMap(p -> {
      Optional<Priority> parsed = Priority.parse(p);
      if (parsed.isEmpty()) {
        issues.add(PlanIssue.of(file, fields.lineOf(front, "priority"),
            "unknown priority '" + p + "' (use high, medium, normal or low)"));
      }
      return parsed;
    }).orElse(Priority.MEDIUM);
    PlanStatus status = fields.text(front, "status").flatMap(s -> {
      Optional<PlanStatus> parsed = PlanStatus.parse(s);
      if (parsed.isEmpty()) {
        issues.add(PlanIssue.of(file, fields.lineOf(front, "status"),
            "unknown status '" + s + "' (use not_started, in_progress or complete)"));
      }
      return parsed;
    }).orElse(null);
    boolean needsReview = fields.bool(front, "needs_review");
    // standalone: true: not after the task before it in its module (maintenance tasks only share a folder).
    boolean standalone = fields.bool(front, "standalone");
    List<ParsedFile.Dependency> deps = fields.dependencies(front, module);
    List<String> files = fields.pathGlobs(front, "files");
    List<String> mentions = PathMentions.in(front.body).stream().map(PathGlob::text).toList();

    List<PlanIssue> forTask = issues.stream()
        .sorted(java.util.Comparator.comparingInt(PlanIssue::line))
        .map(i -> i.forTask(id))
        .toList();
    return new ParsedFile(file, ParsedFile.Kind.TASK, id, title, priority, deps, needsReview, status,
        body.criteriaDone, body.criteriaTotal, body.testSummary, hash(text), forTask, standalone, files, mentions);
  }

  /** The module a folder stands for: lower case, without a trailing {@code -module}. */
  public static String moduleOfFolder(String folder) {
    String module = TaskId.normalizeModule(folder);
    if (module.endsWith(MODULE_SUFFIX) && module.length() > MODULE_SUFFIX.length()) {
      module = module.substring(0, module.length() - MODULE_SUFFIX.length());
    }
    return module;
  }

  record Sequence(String prefix, int number) {
  }

  static Optional<Sequence> sequenceOfFileName(String fileName) {
    Matcher m = EPIC_FIRST.matcher(fileName);
    if (m.matches()) {
      String prefix = m.group(1) == null ? TaskId.DEFAULT_PREFIX : m.group(1).toUpperCase(Locale.ROOT);
      return Optional.of(new Sequence(prefix, Integer.parseInt(m.group(2))));
    }
    m = NUMBER_FIRST.matcher(fileName);
    if (m.matches()) {
      return Optional.of(new Sequence(TaskId.DEFAULT_PREFIX, Integer.parseInt(m.group(1))));
    }
    return Optional.empty();
  }

  private static String hash(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Typed reads of frontmatter fields; a wrong type is an issue on the field's line, and the field counts as absent. */
  private record Fields(String file, List<PlanIssue> issues) {

    int lineOf(Frontmatter front, String key) {
      Frontmatter.Field field = front.fields.get(key);
      return field == null ? 0 : field.line();
    }

    Optional<String> text(Frontmatter front, String key) {
      Frontmatter.Field field = front.fields.get(key);
      if (field == null || isNull(field.value())) {
        return Optional.empty();
      }
      if (field.value() instanceof ScalarNode scalar) {
        String value = scalar.getValue().trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
      }
      issues.add(PlanIssue.of(file, field.line(), "'" + key + "' must be a single value, not a list or mapping"));
      return Optional.empty();
    }

    Optional<Sequence> sequence(Frontmatter front, String key, String module) {
      return text(front, key).flatMap(raw -> {
        // A bad module is reported on its own line; here only the number is in question.
        Optional<TaskId> parsed = TaskId.parse(raw, module == null || TaskId.moduleProblem(module).isPresent()
            ? "unknown" : module)
            .filter(id -> !raw.contains("/"));
        if (parsed.isEmpty()) {
          issues.add(PlanIssue.of(file, lineOf(front, key), "'" + key + "' must be a number such as 5 or 05, got '" + raw + "'"));
        }
        return parsed.map(id -> new Sequence(id.prefix(), id.number()));
      });
    }

    boolean bool(Frontmatter front, String key) {
      return text(front, key).map(raw -> switch (raw.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> {
          issues.add(PlanIssue.of(file, lineOf(front, key), "'" + key + "' must be true or false, got '" + raw + "'"));
          yield false;
        }
      }).orElse(false);
    }

    List<ParsedFile.Dependency> dependencies(Frontmatter front, String module) {
      Frontmatter.Field field = front.fields.get("depends_on");
      if (field == null || isNull(field.value())) {
        return List.of();
      }
      List<ParsedFile.Dependency> out = new ArrayList<>();
      if (field.value() instanceof SequenceNode sequence) {
        for (Node item : sequence.getValue()) {
          int line = item.getStartMark().getLine() + 2;
          if (item instanceof ScalarNode scalar) {
            addDependency(out, scalar.getValue(), line, module);
          } else {
            issues.add(PlanIssue.of(file, line, "'depends_on' entries must be task ids such as billing/E04 or 4"));
          }
        }
      } else if (field.value() instanceof ScalarNode scalar) {
        for (String part : scalar.getValue().split("[,\\s]+")) {
          if (!part.isBlank()) {
            addDependency(out, part, field.line(), module);
          }
        }
      } else {
        issues.add(PlanIssue.of(file, field.line(), "'depends_on' must be a list of task ids"));
      }
      return List.copyOf(out);
    }

    /** A list of path globs (or one), each checked, with the line of any that is not a path inside the repository. */
    List<String> pathGlobs(Frontmatter front, String key) {
      Frontmatter.Field field = front.fields.get(key);
      if (field == null || isNull(field.value())) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      if (field.value() instanceof SequenceNode sequence) {
        for (Node item : sequence.getValue()) {
          int line = item.getStartMark().getLine() + 2;
          if (item instanceof ScalarNode scalar) {
            addGlob(out, key, scalar.getValue(), line);
          } else {
            issues.add(PlanIssue.of(file, line, "'" + key + "' entries must be paths or globs such as src/billing/**"));
          }
        }
      } else if (field.value() instanceof ScalarNode scalar) {
        addGlob(out, key, scalar.getValue(), field.line());
      } else {
        issues.add(PlanIssue.of(file, field.line(), "'" + key + "' must be a list of paths or globs"));
      }
      return List.copyOf(out);
    }

    private void addGlob(List<String> out, String key, String raw, int line) {
      try {
        String glob = PathGlob.parse(raw).text();
        if (!out.contains(glob)) {
          out.add(glob);
        }
      } catch (IllegalArgumentException e) {
        issues.add(PlanIssue.of(file, line, "'" + key + "' entry: " + e.getMessage()));
      }
    }

    private void addDependency(List<ParsedFile.Dependency> out, String raw, int line, String module) {
      Optional<TaskId> id = TaskId.parse(raw, module);
      if (id.isEmpty()) {
        issues.add(PlanIssue.of(file, line, "'depends_on' entry '" + raw.trim()
            + "' is not a task id (use module/E04, E04 or 4)"));
      } else {
        out.add(new ParsedFile.Dependency(id.get(), line));
      }
    }

    private static boolean isNull(Node node) {
      return node instanceof ScalarNode scalar && scalar.getTag().getValue().endsWith(":null");
    }
  }
}
