package dev.orch.parser;

import dev.orch.contract.PlanStatus;
import dev.orch.contract.TaskId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status tables people keep in README files: rows such as {@code | [E05](billing/epic-05-x.md) | Title | 🟢 |}
 * or {@code | E05 | Title | 🟡 |} under a {@code ## billing} heading. A row names its task by a link to the plan
 * file, by a full id, or by a local id within the module of the heading (or of the folder the README is in).
 * Read for statuses the frontmatter does not give, and rewritten when orch merges a task.
 */
final class StatusTable {
  private static final Pattern HEADING = Pattern.compile("^#{2,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\(([^)\\s]+)[^)]*\\)");
  private static final Pattern MODULE_WORDS = Pattern.compile("(?i)^(.*?)(?:[\\s-]+module)?$");
  private static final String[] EMOJI = {"🔴", "🟡", "🟢"};

  /** Statuses found, by plan file (relative to the project root) and by task id. */
  record Statuses(Map<String, PlanStatus> byFile, Map<TaskId, PlanStatus> byId) {
    Optional<PlanStatus> lookup(String file, TaskId id) {
      PlanStatus status = byFile.get(file);
      return Optional.ofNullable(status != null ? status : byId.get(id));
    }

    Statuses merge(Statuses other) {
      Map<String, PlanStatus> files = new HashMap<>(byFile);
      other.byFile.forEach(files::putIfAbsent);
      Map<TaskId, PlanStatus> ids = new HashMap<>(byId);
      other.byId.forEach(ids::putIfAbsent);
      return new Statuses(files, ids);
    }

    static Statuses empty() {
      return new Statuses(Map.of(), Map.of());
    }
  }

  /** One status row: its line index, its status, and the task it names (by file, by id, or both). */
  record Row(int line, PlanStatus status, String file, TaskId id) {
  }

  private StatusTable() {
  }

  /**
   * @param readme       the README's path relative to the project root
   * @param folderModule the module of the folder the README is in, or null
   * @param modules      the modules the plan has: a heading switches module only when it names one of them
   */
  static Statuses read(String readme, String text, String folderModule, Set<String> modules) {
    Map<String, PlanStatus> byFile = new HashMap<>();
    Map<TaskId, PlanStatus> byId = new HashMap<>();
    for (Row row : rows(readme, text.split("\n", -1), folderModule, modules)) {
      if (row.file() != null) {
        byFile.putIfAbsent(row.file(), row.status());
      }
      if (row.id() != null) {
        byId.putIfAbsent(row.id(), row.status());
      }
    }
    return new Statuses(byFile, byId);
  }

  /** The README text with every row naming the task ({@code file} or {@code id}) set to {@code status}. */
  static String write(String readme, String text, String folderModule, Set<String> modules, String file, TaskId id,
      PlanStatus status) {
    String[] lines = text.split("\n", -1);
    boolean changed = false;
    for (Row row : rows(readme, lines, folderModule, modules)) {
      if (file.equals(row.file()) || id.equals(row.id())) {
        String replaced = lines[row.line()].replace(row.status().emoji(), status.emoji());
        changed |= !replaced.equals(lines[row.line()]);
        lines[row.line()] = replaced;
      }
    }
    return changed ? String.join("\n", lines) : text;
  }

  static List<Row> rows(String readme, String[] lines, String folderModule, Set<String> modules) {
    List<Row> out = new ArrayList<>();
    Path readmeDir = parentOf(readme);
    String module = folderModule;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        module = headingModule(heading.group(1), folderModule, modules);
        continue;
      }
      String row = line.trim();
      if (!row.startsWith("|")) {
        continue;
      }
      Optional<PlanStatus> status = statusOf(row);
      if (status.isEmpty()) {
        continue;
      }
      Matcher link = LINK.matcher(row);
      if (link.find() && !link.group(2).contains("://")) {
        String target = readmeDir.resolve(link.group(2)).normalize().toString().replace('\\', '/');
        out.add(new Row(i, status.get(), target, idIn(link.group(1), module).orElse(null)));
        continue;
      }
      for (String cell : row.split("\\|")) {
        Optional<TaskId> id = idIn(cell.replace("`", "").replace("*", ""), module);
        if (id.isPresent()) {
          out.add(new Row(i, status.get(), null, id.get()));
          break;
        }
      }
    }
    return out;
  }

  private static Optional<TaskId> idIn(String cell, String module) {
    String text = cell.trim();
    if (text.isEmpty() || (module == null && !text.contains("/"))) {
      return Optional.empty();
    }
    if (!text.matches("(?i)([a-z0-9_.-]+/)?[a-z]+-?\\d{1,6}")) {
      return Optional.empty();
    }
    try {
      return TaskId.parse(text, module);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<PlanStatus> statusOf(String row) {
    for (String emoji : EMOJI) {
      if (row.contains(emoji)) {
        return PlanStatus.parse(emoji);
      }
    }
    return Optional.empty();
  }

  private static String headingModule(String heading, String fallback, Set<String> modules) {
    Matcher m = MODULE_WORDS.matcher(heading.trim());
    String words = m.matches() ? m.group(1) : heading;
    String candidate = words.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s]+", "-");
    return modules.contains(candidate) ? candidate : fallback;
  }

  private static Path parentOf(String file) {
    Path parent = Path.of(file).getParent();
    return parent == null ? Path.of("") : parent;
  }
}
