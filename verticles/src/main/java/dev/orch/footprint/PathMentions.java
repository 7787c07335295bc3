package dev.orch.footprint;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files and folders a task's text names in backticks ({@code `src/billing/`}, {@code `Invoice.java`}), read as
 * globs: what the task will probably touch. Fenced code blocks are skipped (they hold commands and output, not
 * promises), and so are code spans that are not shaped like a path: spaces, URLs, options, calls.
 */
public final class PathMentions {
  /** A path: segments of letters, digits, {@code . _ - * ?}, separated by slashes. */
  private static final Pattern PATH_LIKE = Pattern.compile("(?:\\./)?[A-Za-z0-9_.*?-]+(?:/[A-Za-z0-9_.*?-]+)*/?");
  /** A file name on its own: something with an extension of letters after a dot, like {@code pom.xml}. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_*?-][A-Za-z0-9_.*?-]*\\.[A-Za-z][A-Za-z0-9]{0,9}");
  private static final int MAX_MENTIONS = 64;

  private PathMentions() {
  }

  public static List<PathGlob> in(String markdown) {
    Set<PathGlob> found = new LinkedHashSet<>();
    boolean fenced = false;
    String fence = null;
    for (String line : markdown.split("\n", -1)) {
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        String marker = trimmed.substring(0, 3);
        if (!fenced) {
          fenced = true;
          fence = marker;
        } else if (marker.equals(fence)) {
          fenced = false;
        }
        continue;
      }
      if (!fenced) {
        spansOf(line, found);
      }
      if (found.size() >= MAX_MENTIONS) {
        break;
      }
    }
    return List.copyOf(found);
  }

  private static void spansOf(String line, Set<PathGlob> found) {
    int from = 0;
    while (true) {
      int open = line.indexOf('`', from);
      if (open < 0) {
        return;
      }
      int ticks = 1;
      while (open + ticks < line.length() && line.charAt(open + ticks) == '`') {
        ticks++;
      }
      String marker = "`".repeat(ticks);
      int close = line.indexOf(marker, open + ticks);
      if (close < 0) {
        return;
      }
      globOf(line.substring(open + ticks, close).strip(), found);
      from = close + ticks;
    }
  }

  private static void globOf(String span, Set<PathGlob> found) {
    if (span.isEmpty() || span.startsWith("-") || !PATH_LIKE.matcher(span).matches() || span.contains("..")) {
      return;
    }
    boolean hasSlash = span.indexOf('/') >= 0;
    if (!hasSlash) {
      if (FILE_NAME.matcher(span).matches() && !looksLikeAVersion(span)) {
        found.add(PathGlob.parse("**/" + span));
      }
      return;
    }
    if (span.endsWith("/")) {
      found.add(PathGlob.parse(span));
      return;
    }
    String last = span.substring(span.lastIndexOf('/') + 1);
    found.add(PathGlob.parse(span));
    if (last.indexOf('.') < 0 && last.indexOf('*') < 0) {
      // "src/billing" may be a folder as well as a file; a task naming it will likely edit what is under it.
      found.add(PathGlob.parse(span + "/"));
    }
  }

  /** {@code 1.2.3}, {@code v2.0}: numbers with dots are versions, not files. */
  private static boolean looksLikeAVersion(String span) {
    return span.matches("v?[0-9]+(\\.[0-9A-Za-z]+)+");
  }
}
