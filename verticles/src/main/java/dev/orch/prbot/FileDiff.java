package dev.orch.prbot;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of a unified diff: its path (the new one; the old one when deleted), the path it had before ({@code oldPath},
 * the same unless renamed or copied), what happened to it, and its added and removed lines with their line numbers (in
 * the new file for added lines, in the old file for removed ones). Read from {@code git diff -M --unified=0}. A rename
 * keeps both paths so that moving a file out of a watched folder is seen as touching that folder.
 */
record FileDiff(String path, String oldPath, Change change, List<Line> added, List<Line> removed, boolean binary) {

  /** What the diff did to the file. */
  enum Change { ADDED, DELETED, MODIFIED, RENAMED, COPIED }

  record Line(int number, String text) {
  }

  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@.*");

  int changedLines() {
    return added.size() + removed.size();
  }

  /** Every path the change touches: the new one, and the old one of a rename or a deletion. */
  List<String> paths() {
    return oldPath == null || oldPath.equals(path) ? List.of(path) : List.of(path, oldPath);
  }

  /** Whether the branch leaves content at {@link #path} (anything but a deletion). */
  boolean hasContent() {
    return change != Change.DELETED;
  }

  static List<FileDiff> parse(String diff) {
    List<FileDiff> files = new ArrayList<>();
    Builder current = null;
    int oldLine = 0;
    int newLine = 0;
    for (String line : diff.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        if (current != null) {
          files.add(current.build());
        }
        current = new Builder();
        String[] parts = line.substring("diff --git ".length()).split(" b/", 2);
        current.oldPath = parts[0].startsWith("a/") ? parts[0].substring(2) : parts[0];
        current.newPath = parts.length > 1 ? parts[1] : current.oldPath;
      } else if (current == null) {
        continue;
      } else if (current.inHeader && line.startsWith("new file mode")) {
        current.change = Change.ADDED;
      } else if (current.inHeader && line.startsWith("deleted file mode")) {
        current.change = Change.DELETED;
      } else if (current.inHeader && line.startsWith("rename from ")) {
        current.change = Change.RENAMED;
        current.oldPath = unquote(line.substring("rename from ".length()));
      } else if (current.inHeader && line.startsWith("rename to ")) {
        current.newPath = unquote(line.substring("rename to ".length()));
      } else if (current.inHeader && line.startsWith("copy from ")) {
        current.change = Change.COPIED;
        current.oldPath = unquote(line.substring("copy from ".length()));
      } else if (current.inHeader && line.startsWith("copy to ")) {
        current.newPath = unquote(line.substring("copy to ".length()));
      } else if (current.inHeader && line.startsWith("--- ")) {
        String path = line.substring(4);
        if (path.equals("/dev/null")) {
          current.change = Change.ADDED;
        } else {
          current.oldPath = stripPrefix(path);
        }
      } else if (current.inHeader && line.startsWith("+++ ")) {
        String path = line.substring(4);
        if (path.equals("/dev/null")) {
          current.change = Change.DELETED;
        } else {
          current.newPath = stripPrefix(path);
        }
      } else if (line.startsWith("Binary files ")) {
        current.binary = true;
      } else {
        Matcher hunk = HUNK.matcher(line);
        if (hunk.matches()) {
          current.inHeader = false;
          oldLine = Integer.parseInt(hunk.group(1));
          newLine = Integer.parseInt(hunk.group(2));
        } else if (current.inHeader) {
          continue;
        } else if (line.startsWith("+")) {
          current.added.add(new Line(newLine++, line.substring(1)));
        } else if (line.startsWith("-")) {
          current.removed.add(new Line(oldLine++, line.substring(1)));
        } else if (line.startsWith(" ")) {
          oldLine++;
          newLine++;
        }
      }
    }
    if (current != null) {
      files.add(current.build());
    }
    return files;
  }

  private static final class Builder {
    String oldPath;
    String newPath;
    Change change = Change.MODIFIED;
    boolean binary;
    boolean inHeader = true;
    final List<Line> added = new ArrayList<>();
    final List<Line> removed = new ArrayList<>();

    FileDiff build() {
      String path = change == Change.DELETED ? oldPath : newPath;
      return new FileDiff(path, oldPath == null ? path : oldPath, change, List.copyOf(added), List.copyOf(removed), binary);
    }
  }

  private static String unquote(String path) {
    String p = path.strip();
    return p.startsWith("\"") && p.endsWith("\"") ? p.substring(1, p.length() - 1) : p;
  }

  private static String stripPrefix(String path) {
    String p = unquote(path);
    return p.startsWith("a/") || p.startsWith("b/") ? p.substring(2) : p;
  }
}
