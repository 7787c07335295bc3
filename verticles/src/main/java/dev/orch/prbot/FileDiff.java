package dev.orch.prbot;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of a unified diff: its path (the new one; the old one when deleted), and its added and removed lines with
 * their line numbers (in the new file for added lines, in the old file for removed ones). Read from
 * {@code git diff --unified=0}.
 */
record FileDiff(String path, List<Line> added, List<Line> removed, boolean binary) {

  record Line(int number, String text) {
  }

  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@.*");

  int changedLines() {
    return added.size() + removed.size();
  }

  static List<FileDiff> parse(String diff) {
    List<FileDiff> files = new ArrayList<>();
    String oldPath = null;
    String newPath = null;
    List<Line> added = null;
    List<Line> removed = null;
    boolean binary = false;
    int oldLine = 0;
    int newLine = 0;
    for (String line : diff.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        if (added != null) {
          files.add(new FileDiff(newPath != null ? newPath : oldPath, added, removed, binary));
        }
        added = new ArrayList<>();
        removed = new ArrayList<>();
        binary = false;
        String[] parts = line.substring("diff --git ".length()).split(" b/", 2);
        oldPath = parts[0].startsWith("a/") ? parts[0].substring(2) : parts[0];
        newPath = parts.length > 1 ? parts[1] : oldPath;
      } else if (added == null) {
        continue;
      } else if (line.startsWith("--- ")) {
        String path = line.substring(4);
        oldPath = path.equals("/dev/null") ? null : stripPrefix(path);
      } else if (line.startsWith("+++ ")) {
        String path = line.substring(4);
        newPath = path.equals("/dev/null") ? null : stripPrefix(path);
      } else if (line.startsWith("Binary files ")) {
        binary = true;
      } else {
        Matcher hunk = HUNK.matcher(line);
        if (hunk.matches()) {
          oldLine = Integer.parseInt(hunk.group(1));
          newLine = Integer.parseInt(hunk.group(2));
        } else if (line.startsWith("+")) {
          added.add(new Line(newLine++, line.substring(1)));
        } else if (line.startsWith("-")) {
          removed.add(new Line(oldLine++, line.substring(1)));
        } else if (line.startsWith(" ")) {
          oldLine++;
          newLine++;
        }
      }
    }
    if (added != null) {
      files.add(new FileDiff(newPath != null ? newPath : oldPath, added, removed, binary));
    }
    return files;
  }

  private static String stripPrefix(String path) {
    String p = path.strip();
    if (p.startsWith("\"") && p.endsWith("\"")) {
      p = p.substring(1, p.length() - 1);
    }
    return p.startsWith("a/") || p.startsWith("b/") ? p.substring(2) : p;
  }
}
