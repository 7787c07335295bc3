package dev.orch.executor.template;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Go's {@code printf} for templates: the verbs {@code %v %s %q %d %x %X %o %b %c %f %e %E %t %%} with the flags
 * {@code - + # 0} and space, a width and a precision. Where Go would print a marker such as {@code %!d(string=x)} into
 * the prompt, this fails instead, so a wrong template is found before an agent reads it. Since orch's values are
 * text, the number verbs also take text that is a number.
 */
final class GoPrintf {
  private GoPrintf() {
  }

  static String format(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int used = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i++);
      if (c != '%') {
        out.append(c);
        continue;
      }
      String flags = "";
      while (i < format.length() && "+- #0".indexOf(format.charAt(i)) >= 0) {
        flags += format.charAt(i++);
      }
      int width = -1;
      int start = i;
      while (i < format.length() && Character.isDigit(format.charAt(i))) {
        i++;
      }
      if (i > start) {
        width = bounded(format, start, i, "width");
      }
      int precision = -1;
      if (i < format.length() && format.charAt(i) == '.') {
        start = ++i;
        while (i < format.length() && Character.isDigit(format.charAt(i))) {
          i++;
        }
        precision = i > start ? bounded(format, start, i, "precision") : 0;
      }
      if (i >= format.length()) {
        throw new GoValues.Mismatch("printf: the format \"" + format + "\" ends in the middle of a verb");
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (verb == '*') {
        throw new GoValues.Mismatch("printf: a width or precision from an argument (*) is not supported");
      }
      if (used >= args.size()) {
        throw new GoValues.Mismatch("printf: the format \"" + format + "\" has more verbs than the " + args.size()
            + " argument(s) given");
      }
      out.append(verb(verb, flags, width, precision, GoValues.normalise(args.get(used++))));
      if (out.length() > TemplateLimits.MAX_OUTPUT) {
        throw new GoValues.Mismatch("printf made text longer than " + TemplateLimits.MAX_OUTPUT + " characters");
      }
    }
    if (used < args.size()) {
      throw new GoValues.Mismatch("printf: " + (args.size() - used) + " argument(s) left over by the format \"" + format + "\"");
    }
    return out.toString();
  }

  /** A width or precision, refused above the limit before it is parsed, so a long run of digits cannot overflow. */
  private static int bounded(String format, int start, int end, String what) {
    String digits = format.substring(start, end).replaceFirst("^0+(?=.)", "");
    if (digits.length() > 5 || Integer.parseInt(digits) > TemplateLimits.MAX_PRINTF_WIDTH) {
      throw new GoValues.Mismatch("printf: the " + what + " " + digits + " in \"" + format + "\" is more than "
          + TemplateLimits.MAX_PRINTF_WIDTH);
    }
    return Integer.parseInt(digits);
  }

  private static String verb(char verb, String flags, int width, int precision, Object arg) {
    return switch (verb) {
      case 'v', 's' -> pad(truncate(GoValues.print(arg), precision), flags, width);
      case 'q' -> {
        if (!(arg instanceof String text)) {
          throw new GoValues.Mismatch("printf %q needs text, got " + GoValues.kind(arg));
        }
        yield pad(quote(text), flags, width);
      }
      case 't' -> {
        if (!(arg instanceof Boolean b)) {
          throw new GoValues.Mismatch("printf %t needs a boolean, got " + GoValues.kind(arg));
        }
        yield pad(b.toString(), flags, width);
      }
      case 'd' -> integer(whole(arg, verb), 10, flags, width, precision, "");
      case 'o' -> integer(whole(arg, verb), 8, flags, width, precision, flags.contains("#") ? "0" : "");
      case 'b' -> integer(whole(arg, verb), 2, flags, width, precision, flags.contains("#") ? "0b" : "");
      case 'x', 'X' -> {
        String hex = arg instanceof String text && !isWhole(text)
            ? pad(HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)), flags, width)
            : integer(whole(arg, verb), 16, flags, width, precision, flags.contains("#") ? "0x" : "");
        yield verb == 'X' ? hex.toUpperCase(Locale.ROOT) : hex;
      }
      case 'c' -> {
        long code = whole(arg, verb);
        if (code < 0 || code > Character.MAX_CODE_POINT) {
          throw new GoValues.Mismatch("printf %c needs a Unicode code point (0 to " + Character.MAX_CODE_POINT + "), got "
              + code);
        }
        yield pad(new String(Character.toChars((int) code)), flags, width);
      }
      case 'f', 'e', 'E' -> {
        String spec = "%" + decimalFlags(flags, width) + (width > 0 ? width : "") + "." + (precision < 0 ? 6 : precision)
            + verb;
        yield String.format(Locale.ROOT, spec, decimal(arg, verb));
      }
      default -> throw new GoValues.Mismatch("printf: the verb %" + verb + " is not supported (use %v %s %q %d %x %X %o %b"
          + " %c %f %e %E %t)");
    };
  }

  /**
   * Go ignores flags that cannot apply, Java's Formatter refuses them: {@code 0} and {@code -} without a width,
   * {@code 0} beside {@code -}, and a space beside {@code +} (the latter of each pair wins, as in Go).
   */
  private static String decimalFlags(String flags, int width) {
    String kept = flags.replace("#", "");
    if (width <= 0) {
      kept = kept.replace("0", "").replace("-", "");
    }
    if (kept.contains("-")) {
      kept = kept.replace("0", "");
    }
    if (kept.contains("+")) {
      kept = kept.replace(" ", "");
    }
    // Java refuses a flag given twice, Go does not mind.
    return kept.chars().distinct().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  private static boolean isWhole(String text) {
    return text.strip().matches("[+-]?\\d{1,18}");
  }

  private static long whole(Object arg, char verb) {
    if (arg instanceof Long l) {
      return l;
    }
    if (arg instanceof String text && isWhole(text)) {
      return Long.parseLong(text.strip());
    }
    throw new GoValues.Mismatch("printf %" + verb + " needs a whole number, got " + GoValues.kind(arg)
        + (arg instanceof String text ? " \"" + text + "\"" : ""));
  }

  private static double decimal(Object arg, char verb) {
    if (arg instanceof Number n) {
      return n.doubleValue();
    }
    if (arg instanceof String text) {
      try {
        return Double.parseDouble(text.strip());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new GoValues.Mismatch("printf %" + verb + " needs a number, got " + GoValues.kind(arg)
        + (arg instanceof String text ? " \"" + text + "\"" : ""));
  }

  private static String integer(long value, int radix, String flags, int width, int precision, String prefix) {
    String digits = value == Long.MIN_VALUE ? Long.toUnsignedString(value, radix) : Long.toString(Math.abs(value), radix);
    if (precision > digits.length()) {
      digits = "0".repeat(precision - digits.length()) + digits;
    }
    String sign = value < 0 ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : "";
    String head = sign + prefix;
    if (flags.contains("0") && !flags.contains("-") && precision < 0) {
      if (head.length() + digits.length() < width) {
        digits = "0".repeat(width - head.length() - digits.length()) + digits;
      }
    }
    return pad(head + digits, flags, width);
  }

  /** Precision on text keeps that many characters, as Go keeps runes. */
  private static String truncate(String text, int precision) {
    if (precision < 0 || text.codePointCount(0, text.length()) <= precision) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, precision));
  }

  private static String pad(String text, String flags, int width) {
    int length = text.codePointCount(0, text.length());
    if (width <= length) {
      return text;
    }
    String fill = " ".repeat(width - length);
    return flags.contains("-") ? text + fill : fill + text;
  }

  /** Go's strconv.Quote for what prompts hold. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.codePoints().forEach(cp -> {
      switch (cp) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            out.append(String.format(Locale.ROOT, "\\x%02x", cp));
          } else {
            out.appendCodePoint(cp);
          }
        }
      }
    });
    return out.append('"').toString();
  }
}
