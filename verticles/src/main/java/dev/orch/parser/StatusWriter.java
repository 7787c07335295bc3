package dev.orch.parser;

import dev.orch.contract.PlanStatus;
import dev.orch.contract.TaskId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a task's status back into the plan: the {@code status:} field of the plan file's frontmatter (added when
 * missing) and the emoji of every README status row that names the task. Works under any checkout of the project,
 * so the change can land in the merge commit. Never follows a symbolic link, and writes nothing whose real place is
 * outside the root, whatever a branch committed as a link. Blocking.
 */
final class StatusWriter {
  private static final Pattern STATUS_LINE = Pattern.compile("^status\\s*:.*$");

  private final Path root;
  private final Path plansDir;

  /** @param plansRelative the plans folder relative to the project root */
  StatusWriter(Path root, Path plansRelative) {
    this.root = root;
    this.plansDir = root.resolve(plansRelative);
  }

  /** The files it changed, relative to the root. */
  List<String> write(String file, TaskId id, PlanStatus status) throws IOException {
    List<String> changed = new ArrayList<>();
    Path plan = root.resolve(file);
    if (inside(plan)) {
      String text = Files.readString(plan, StandardCharsets.UTF_8);
      String updated = withFrontmatterStatus(text, status);
      if (!updated.equals(text)) {
        Files.writeString(plan, updated, StandardCharsets.UTF_8);
        changed.add(file);
      }
    }
    List<Path> readmes = new ArrayList<>();
    if (Files.isDirectory(plansDir)) {
      try (Stream<Path> walk = Files.walk(plansDir)) {
        walk.filter(p -> p.getFileName().toString().equalsIgnoreCase("README.md")).forEach(readmes::add);
      }
    }
    readmes.add(root.resolve("README.md"));
    Set<String> modules = Set.of(id.module());
    for (Path readme : readmes) {
      if (!inside(readme)) {
        continue;
      }
      String relative = root.relativize(readme).toString().replace('\\', '/');
      Path parent = readme.getParent();
      String folderModule = parent.startsWith(plansDir) && !parent.equals(plansDir)
          ? PlanFileParser.moduleOfFolder(parent.getFileName().toString()) : null;
      String text = Files.readString(readme, StandardCharsets.UTF_8);
      String updated = StatusTable.write(relative, text, folderModule, modules, file, id, status);
      if (!updated.equals(text)) {
        Files.writeString(readme, updated, StandardCharsets.UTF_8);
        changed.add(relative);
      }
    }
    return changed;
  }

  /** A plain file (not a link) whose real path is under the root, its folders included. */
  private boolean inside(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    return file.toRealPath().startsWith(root.toRealPath());
  }

  /** Sets {@code status:} in the frontmatter, keeping line endings and every other line as they were. */
  static String withFrontmatterStatus(String text, PlanStatus status) {
    String newline = text.contains("\r\n") ? "\r\n" : "\n";
    boolean bom = text.startsWith("\uFEFF");
    String body = bom ? text.substring(1) : text;
    String[] lines = body.split("\r?\n", -1);
    String value = "status: " + status.wire();
    if (lines.length > 0 && lines[0].stripTrailing().equals("---")) {
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i].stripTrailing();
        if (line.equals("---") || line.equals("...")) {
          List<String> out = new ArrayList<>(List.of(lines));
          boolean replaced = false;
          for (int j = 1; j < i; j++) {
            if (STATUS_LINE.matcher(out.get(j)).matches()) {
              out.set(j, value);
              replaced = true;
            }
          }
          if (!replaced) {
            out.add(i, value);
          }
          return (bom ? "\uFEFF" : "") + String.join(newline, out);
        }
      }
    }
    return (bom ? "\uFEFF" : "") + "---" + newline + value + newline + "---" + newline + body;
  }
}
