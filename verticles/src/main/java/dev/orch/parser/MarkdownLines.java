package dev.orch.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A line scan of the plain markdown plans are usually written in: unindented ATX headings, {@code - } list items,
 * paragraphs that start with a letter, and pipe tables set apart by blank lines. For such a body it finds what
 * commonmark finds, several times faster (commonmark was most of a sync's time). It gives up on the first line it is
 * not sure of (indentation, tabs, other list markers, fences, quotes, html, setext underlines, inline markup where
 * text is read, a table that is not set apart) and the caller parses with commonmark instead.
 * MarkdownBodyProperties holds the two to the same result.
 */
final class MarkdownLines {
  /** Characters that could make inline markup (emphasis, code, links, html, entities, escapes) in text that is read. */
  private static final String MARKUP = "*_`[]<>&!\\~#|";
  private static final Pattern HEADING = Pattern.compile("(#{1,6})(?: (.*))?");
  private static final Pattern DELIMITER_CELL = Pattern.compile(" *:?-{3,}:? *");

  private MarkdownLines() {
  }

  /** Feeds what the body says into {@code findings}; false when the body is not plain enough to be sure. */
  static boolean scan(String markdown, MarkdownBody.Findings findings) {
    if (markdown.indexOf('\t') >= 0) {
      return false;
    }
    String[] lines = markdown.split("\n", -1);
    // Open: the line before continues a paragraph (top level or a list item's), so a pipe row could join a table
    // header to it.
    boolean open = false;
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      if (blank(line)) {
        open = false;
      } else if (line.charAt(0) == '#') {
        var heading = HEADING.matcher(line);
        if (!heading.matches()) {
          return false;
        }
        String text = heading.group(2) == null ? "" : heading.group(2).trim();
        if (hasMarkup(text)) {
          return false;
        }
        findings.heading(heading.group(1).length(), text);
        open = false;
      } else if (line.charAt(0) == '|') {
        int end = i;
        while (end < lines.length && lines[end].startsWith("|")) {
          end++;
        }
        if (open || (end < lines.length && !blank(lines[end])) || !table(lines, i, end, findings)) {
          return false;
        }
        i = end;
        open = false;
        continue;
      } else if (line.startsWith("- ")) {
        String content = line.substring(2);
        if (content.isEmpty()) {
          return false;
        } else if (checkbox(content)) {
          findings.listItem(content);
        } else if (!letter(content.charAt(0))) {
          return false;
        }
        open = true;
      } else if (letter(line.charAt(0))) {
        open = true;
      } else {
        return false;
      }
      i++;
    }
    return true;
  }

  /** {@code [ ] text}, {@code [x] text}: a checkbox that can be nothing else (no link, no reference definition). */
  private static boolean checkbox(String content) {
    return content.length() > 4 && content.charAt(0) == '[' && " xX".indexOf(content.charAt(1)) >= 0
        && content.charAt(2) == ']' && content.charAt(3) == ' ' && !blank(content.substring(4));
  }

  private static boolean table(String[] lines, int from, int to, MarkdownBody.Findings findings) {
    if (to - from < 2) {
      return false;
    }
    List<String> header = cells(lines[from]);
    List<String> delimiter = cells(lines[from + 1]);
    if (header == null || delimiter == null || delimiter.size() != header.size()
        || !delimiter.stream().allMatch(c -> DELIMITER_CELL.matcher(c).matches())) {
      return false;
    }
    List<List<String>> rows = new ArrayList<>();
    for (int i = from + 2; i < to; i++) {
      List<String> cells = cells(lines[i]);
      if (cells == null || cells.size() != header.size()) {
        return false;
      }
      rows.add(cells);
    }
    if (findings.wantsTable()) {
      rows.forEach(cells -> findings.tableRow(header, cells));
    }
    return true;
  }

  /** The trimmed cells of {@code | a | b |}, or null when the row is not that plain. */
  private static List<String> cells(String row) {
    String line = row.stripTrailing();
    if (line.length() < 2 || !line.endsWith("|")) {
      return null;
    }
    List<String> cells = new ArrayList<>();
    int start = 1;
    for (int bar = line.indexOf('|', start); bar >= 0; bar = line.indexOf('|', start)) {
      String cell = line.substring(start, bar);
      if (hasMarkup(cell)) {
        return null;
      }
      cells.add(cell.trim());
      start = bar + 1;
    }
    return cells;
  }

  /** Markup, or whitespace other than a space, whose trimming commonmark may do its own way. */
  private static boolean hasMarkup(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (MARKUP.indexOf(c) >= 0 || c < ' ' || (c != ' ' && Character.isWhitespace(c)) || Character.isSpaceChar(c) && c != ' ') {
        return true;
      }
    }
    return false;
  }

  private static boolean letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Blank as commonmark means it: spaces only (tabs were ruled out). */
  private static boolean blank(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) != ' ') {
        return false;
      }
    }
    return true;
  }
}
