package dev.orch.text;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Text that is safe to put on a terminal. Plan titles, agent output and reasons come from files and models orch does
 * not control; raw, an ESC sequence in them retitles the window, clears the screen or plants a link, and a bidi
 * override makes a line read differently from what it holds (audit L3). Each such character is shown as its
 * {@code \}{@code uXXXX} escape instead, a form that also stays valid, and means the same, inside a JSON string.
 *
 * <p>Escaped: C0 controls, DEL, C1 controls, the bidi embeddings, overrides, isolates and marks, and the Unicode line
 * and paragraph separators. {@link #line} escapes newlines and tabs too (one field, one line); {@link #text} keeps
 * them and drops carriage returns (which would let a line overwrite itself).
 */
public final class Printable {
  private Printable() {
  }

  /** One line: every control character escaped, newlines and tabs included. Null stays null. */
  public static String line(String text) {
    return text == null ? null : escape(text, false);
  }

  /** Several lines: newlines and tabs kept, carriage returns dropped, every other control character escaped. */
  public static String text(String text) {
    return text == null ? null : escape(text, true);
  }

  /** A writer that passes everything through {@link #text} on its way to {@code out}. */
  public static PrintWriter writer(Writer out) {
    return new PrintWriter(new Filter(out), true);
  }

  static boolean unsafe(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f
        || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }

  private static String escape(String text, boolean multiline) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c, multiline);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        out.append(replacement == null ? String.valueOf(c) : replacement);
      }
    }
    return out == null ? text : out.toString();
  }

  /** Null when {@code c} goes through as it is. */
  private static String replacement(char c, boolean multiline) {
    if (!unsafe(c)) {
      return null;
    }
    if (multiline) {
      if (c == '\n' || c == '\t') {
        return null;
      }
      if (c == '\r') {
        return "";
      }
    }
    return switch (c) {
      case '\n' -> "\\n";
      case '\t' -> "\\t";
      case '\r' -> "\\r";
      default -> String.format("\\u%04x", (int) c);
    };
  }

  private static final class Filter extends FilterWriter {
    Filter(Writer out) {
      super(out);
    }

    @Override
    public void write(int c) throws IOException {
      out.write(escape(String.valueOf((char) c), true));
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
      out.write(escape(new String(buffer, offset, length), true));
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      out.write(escape(text.substring(offset, offset + length), true));
    }
  }
}
