package dev.orch.config;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Remembers on which line each key of a TOML file was written, so errors can name a line: the TOML reader
 * gives a tree without positions. Array tables ({@code [[batch]]}) are indexed: {@code batch[1].name}.
 */
public final class TomlKeyLines {
  private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*([^\\[\\]]+?)\\s*]\\s*(#.*)?$");
  private static final Pattern ARRAY_TABLE = Pattern.compile("^\\s*\\[\\[\\s*([^\\[\\]]+?)\\s*]]\\s*(#.*)?$");
  private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_\\-.\"' ]+?)\\s*=");

  private final Map<String, Integer> lines = new HashMap<>();

  public TomlKeyLines(String text) {
    String table = "";
    Map<String, Integer> arrayCounts = new HashMap<>();
    boolean inMultiline = false;
    String[] all = text.split("\r?\n", -1);
    for (int i = 0; i < all.length; i++) {
      String line = all[i];
      int quotes = countTripleQuotes(line);
      if (inMultiline) {
        inMultiline = quotes % 2 == 0;
        continue;
      }
      Matcher m;
      if ((m = ARRAY_TABLE.matcher(line)).matches()) {
        String name = unquote(m.group(1));
        int index = arrayCounts.merge(name, 1, Integer::sum) - 1;
        table = name + "[" + index + "]";
        lines.putIfAbsent(table, i + 1);
        lines.putIfAbsent(name, i + 1);
      } else if ((m = TABLE.matcher(line)).matches()) {
        table = unquote(m.group(1));
        lines.putIfAbsent(table, i + 1);
      } else if ((m = KEY.matcher(line)).find()) {
        String key = unquote(m.group(1));
        lines.putIfAbsent(table.isEmpty() ? key : table + "." + key, i + 1);
      }
      inMultiline = quotes % 2 == 1;
    }
  }

  /** The 1-based line of a dotted key, or of its nearest written parent; 0 when unknown. */
  public int lineOf(String dottedPath) {
    String path = dottedPath;
    while (!path.isEmpty()) {
      Integer line = lines.get(path);
      if (line != null) {
        return line;
      }
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut < 0 ? "" : path.substring(0, cut);
    }
    return 0;
  }

  private static int countTripleQuotes(String line) {
    int count = 0;
    for (int idx = line.indexOf("\"\"\""); idx >= 0; idx = line.indexOf("\"\"\"", idx + 3)) {
      count++;
    }
    for (int idx = line.indexOf("'''"); idx >= 0; idx = line.indexOf("'''", idx + 3)) {
      count++;
    }
    return count;
  }

  private static String unquote(String dotted) {
    StringBuilder out = new StringBuilder();
    for (String part : dotted.split("\\.")) {
      String p = part.trim();
      if (p.length() >= 2 && (p.startsWith("\"") && p.endsWith("\"") || p.startsWith("'") && p.endsWith("'"))) {
        p = p.substring(1, p.length() - 1);
      }
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(p);
    }
    return out.toString();
  }
}
