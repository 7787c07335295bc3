package dev.orch.executor.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text and actions, and an action into tokens, as Go's text/template does: {@code {{- } and
 * {@code -}}} (with white space beside the dash) trim the white space before and after the action, and comments
 * {@code {{/* ... * /}}} vanish. Quoted strings may hold {@code }}}.
 */
final class TemplateLexer {
  enum Kind { FIELD, ROOT, CHAIN, IDENT, STRING, NUMBER, PIPE, OPEN, CLOSE }

  /** {@code value}: the path of a FIELD, ROOT or CHAIN (fields right after a parenthesis) (without the dots), a STRING's text, a NUMBER's Long or Double. */
  record Token(Kind kind, String text, Object value) {
  }

  sealed interface Item permits TextItem, ActionItem {
  }

  record TextItem(String text) implements Item {
  }

  record ActionItem(int line, List<Token> tokens) implements Item {
  }

  private final String text;
  private final String source;
  private int pos;
  private int counted;
  private int countedLine = 1;

  private TemplateLexer(String text, String source) {
    this.text = text;
    this.source = source;
  }

  static List<Item> lex(String text, String source) {
    return new TemplateLexer(text, source).items();
  }

  private List<Item> items() {
    List<Item> items = new ArrayList<>();
    boolean trimNext = false;
    while (pos < text.length()) {
      int open = text.indexOf("{{", pos);
      String before = text.substring(pos, open < 0 ? text.length() : open);
      if (trimNext) {
        before = stripLeading(before);
      }
      if (open < 0) {
        addText(items, before);
        break;
      }
      boolean trimLeft = open + 3 < text.length() && text.charAt(open + 2) == '-' && isSpace(text.charAt(open + 3));
      addText(items, trimLeft ? stripTrailing(before) : before);
      int line = lineAt(open);
      pos = open + (trimLeft ? 3 : 2);
      if (text.startsWith("/*", trimLeft ? pos + 1 : pos)) {
        trimNext = comment(line);
        continue;
      }
      List<Token> tokens = new ArrayList<>();
      trimNext = action(tokens, line);
      items.add(new ActionItem(line, List.copyOf(tokens)));
    }
    return items;
  }

  private static void addText(List<Item> items, String text) {
    if (!text.isEmpty()) {
      items.add(new TextItem(text));
    }
  }

  /** Reads a comment and its closing delimiter; returns whether it trims what follows. */
  private boolean comment(int line) {
    int start = text.indexOf("/*", pos);
    int end = text.indexOf("*/", start + 2);
    if (end < 0) {
      throw new PromptTemplate.TemplateException(source, line, "the comment '/*' is never closed with '*/'");
    }
    pos = end + 2;
    Boolean trim = closing();
    if (trim == null) {
      throw new PromptTemplate.TemplateException(source, line, "a comment must end right before '}}'");
    }
    return trim;
  }

  /** At "}}" or " -}}": consumes it and returns whether it trims; else null. */
  private Boolean closing() {
    if (text.startsWith("}}", pos)) {
      pos += 2;
      return false;
    }
    int p = pos;
    while (p < text.length() && isSpace(text.charAt(p))) {
      p++;
    }
    if (p > pos && text.startsWith("-}}", p)) {
      pos = p + 3;
      return true;
    }
    return null;
  }

  /** Reads an action's tokens up to its closing delimiter; returns whether it trims what follows. */
  private boolean action(List<Token> tokens, int line) {
    while (true) {
      Boolean trim = closing();
      if (trim != null) {
        return trim;
      }
      if (pos >= text.length()) {
        throw new PromptTemplate.TemplateException(source, line, "'{{' is never closed with '}}'");
      }
      char c = text.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c == '.' && pos + 1 < text.length() && isIdentStart(text.charAt(pos + 1))) {
        tokens.add(path(Kind.FIELD, pos));
      } else if (c == '.') {
        pos++;
        tokens.add(new Token(Kind.FIELD, ".", List.of()));
      } else if (c == '$') {
        if (pos + 1 < text.length() && isIdentStart(text.charAt(pos + 1))) {
          throw new PromptTemplate.TemplateException(source, line, "template variables ($" + identAt(pos + 1)
              + ") are not supported; $ alone is the template's data, as in $.Title");
        }
        int start = pos++;
        tokens.add(pos < text.length() && text.charAt(pos) == '.' && pos + 1 < text.length()
            && isIdentStart(text.charAt(pos + 1)) ? path(Kind.ROOT, start) : new Token(Kind.ROOT, "$", List.of()));
      } else if (c == '"') {
        tokens.add(quoted(line));
      } else if (c == '`') {
        int end = text.indexOf('`', pos + 1);
        if (end < 0) {
          throw new PromptTemplate.TemplateException(source, line, "a raw string '`' is never closed");
        }
        tokens.add(new Token(Kind.STRING, text.substring(pos, end + 1), text.substring(pos + 1, end)));
        pos = end + 1;
      } else if (Character.isDigit(c) || (c == '-' || c == '+') && pos + 1 < text.length()
          && Character.isDigit(text.charAt(pos + 1))) {
        tokens.add(number(line));
      } else if (isIdentStart(c)) {
        String ident = identAt(pos);
        pos += ident.length();
        tokens.add(new Token(Kind.IDENT, ident, ident));
      } else if (c == '|') {
        pos++;
        tokens.add(new Token(Kind.PIPE, "|", null));
      } else if (c == '(') {
        pos++;
        tokens.add(new Token(Kind.OPEN, "(", null));
      } else if (c == ')') {
        pos++;
        tokens.add(new Token(Kind.CLOSE, ")", null));
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && isIdentStart(text.charAt(pos + 1))) {
          tokens.add(path(Kind.CHAIN, pos));
        }
      } else if (c == ':' || c == '=') {
        throw new PromptTemplate.TemplateException(source, line, "assignments (:= and =) are not supported");
      } else {
        throw new PromptTemplate.TemplateException(source, line, "unexpected '" + c + "' in an action");
      }
    }
  }

  /** {@code .A.B} or {@code $.A.B} from {@code start}. */
  private Token path(Kind kind, int start) {
    List<String> path = new ArrayList<>();
    while (pos < text.length() && text.charAt(pos) == '.' && pos + 1 < text.length() && isIdentStart(text.charAt(pos + 1))) {
      String name = identAt(pos + 1);
      path.add(name);
      pos += 1 + name.length();
    }
    return new Token(kind, text.substring(start, pos), List.copyOf(path));
  }

  private Token quoted(int line) {
    int start = pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        throw new PromptTemplate.TemplateException(source, line, "a string '\"' is never closed on its line");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return new Token(Kind.STRING, text.substring(start, pos), out.toString());
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw new PromptTemplate.TemplateException(source, line, "a string ends in the middle of an escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000b');
        case '\\', '"', '\'' -> out.append(e);
        case 'x' -> out.appendCodePoint(hex(2, line));
        case 'u' -> out.appendCodePoint(hex(4, line));
        case 'U' -> out.appendCodePoint(hex(8, line));
        default -> throw new PromptTemplate.TemplateException(source, line, "unknown escape '\\" + e + "' in a string");
      }
    }
  }

  private int hex(int digits, int line) {
    if (pos + digits > text.length()) {
      throw new PromptTemplate.TemplateException(source, line, "a string ends in the middle of an escape");
    }
    try {
      String hexDigits = text.substring(pos, pos + digits);
      if (!hexDigits.chars().allMatch(c -> "0123456789abcdefABCDEF".indexOf(c) >= 0)) {
        throw new NumberFormatException(hexDigits);
      }
      int value = Integer.parseUnsignedInt(hexDigits, 16);
      // Go refuses surrogates as well as what is past the last code point.
      if (!Character.isValidCodePoint(value) || (value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE)) {
        throw new PromptTemplate.TemplateException(source, line, "the escape '" + text.substring(pos - 2, pos + digits)
            + "' is not a Unicode code point");
      }
      pos += digits;
      return value;
    } catch (NumberFormatException e) {
      throw new PromptTemplate.TemplateException(source, line, "bad escape '" + text.substring(pos - 2, pos + digits) + "'");
    }
  }

  private Token number(int line) {
    int start = pos;
    if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
      pos++;
    }
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
        || text.charAt(pos) == '_' || (text.charAt(pos) == '-' || text.charAt(pos) == '+')
        && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E'))) {
      pos++;
    }
    String literal = text.substring(start, pos);
    String digits = literal.replace("_", "");
    try {
      if (digits.matches("[+-]?\\d+")) {
        return new Token(Kind.NUMBER, literal, Long.parseLong(digits));
      }
      if (digits.matches("[+-]?0[xX][0-9a-fA-F]+")) {
        boolean negative = digits.startsWith("-");
        long value = Long.parseLong(digits.replaceFirst("^[+-]?0[xX]", ""), 16);
        return new Token(Kind.NUMBER, literal, negative ? -value : value);
      }
      if (digits.matches("[+-]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][+-]?\\d+)?")) {
        return new Token(Kind.NUMBER, literal, Double.parseDouble(digits));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new PromptTemplate.TemplateException(source, line, "bad number '" + literal + "'");
  }

  private String identAt(int at) {
    int end = at;
    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
      end++;
    }
    return text.substring(at, end);
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  /** Go's template white space: space, tab, carriage return, newline. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  private static String stripLeading(String s) {
    int start = 0;
    while (start < s.length() && isSpace(s.charAt(start))) {
      start++;
    }
    return s.substring(start);
  }

  /** Offsets only grow, so lines are counted once. */
  private int lineAt(int offset) {
    for (; counted < offset; counted++) {
      if (text.charAt(counted) == '\n') {
        countedLine++;
      }
    }
    return countedLine;
  }
}
