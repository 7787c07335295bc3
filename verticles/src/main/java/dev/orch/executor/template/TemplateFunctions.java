package dev.orch.executor.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Go's built-in template functions that make sense in a prompt: {@code and or not eq ne lt le gt ge len index print
 * printf println}. They only compute with the values they are given: none reads a file, the environment or runs
 * anything (docs/security.md).
 */
final class TemplateFunctions {
  static final Set<String> NAMES = Set.of("and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "index", "print",
      "printf", "println");

  private TemplateFunctions() {
  }

  /** A problem with giving {@code name} that many arguments, if any. */
  static Optional<String> checkArity(String name, int given) {
    int min;
    int max;
    switch (name) {
      case "not", "len" -> {
        min = 1;
        max = 1;
      }
      case "ne", "lt", "le", "gt", "ge" -> {
        min = 2;
        max = 2;
      }
      case "eq" -> {
        min = 2;
        max = Integer.MAX_VALUE;
      }
      case "and", "or", "index", "printf" -> {
        min = 1;
        max = Integer.MAX_VALUE;
      }
      default -> {
        min = 0;
        max = Integer.MAX_VALUE;
      }
    }
    if (given < min || given > max) {
      return Optional.of(name + " takes " + (min == max ? String.valueOf(min) : max == Integer.MAX_VALUE
          ? min + " or more" : min + " to " + max) + " argument" + (max == 1 ? "" : "s") + ", not " + given);
    }
    return Optional.empty();
  }

  /** Arguments come as suppliers so {@code and} and {@code or} evaluate only what they need, as Go does. */
  static Object call(String name, List<Supplier<Object>> args) {
    return switch (name) {
      case "and" -> {
        Object last = null;
        for (Supplier<Object> arg : args) {
          last = arg.get();
          if (!GoValues.truth(last)) {
            yield last;
          }
        }
        yield last;
      }
      case "or" -> {
        Object last = null;
        for (Supplier<Object> arg : args) {
          last = arg.get();
          if (GoValues.truth(last)) {
            yield last;
          }
        }
        yield last;
      }
      case "not" -> !GoValues.truth(args.get(0).get());
      case "eq" -> {
        Object first = args.get(0).get();
        for (Supplier<Object> other : args.subList(1, args.size())) {
          if (GoValues.equal(first, other.get())) {
            yield true;
          }
        }
        yield false;
      }
      case "ne" -> !GoValues.equal(args.get(0).get(), args.get(1).get());
      case "lt" -> GoValues.compare(args.get(0).get(), args.get(1).get()) < 0;
      case "le" -> GoValues.compare(args.get(0).get(), args.get(1).get()) <= 0;
      case "gt" -> GoValues.compare(args.get(0).get(), args.get(1).get()) > 0;
      case "ge" -> GoValues.compare(args.get(0).get(), args.get(1).get()) >= 0;
      case "len" -> length(args.get(0).get());
      case "index" -> index(values(args));
      case "print" -> print(values(args), false);
      case "println" -> print(values(args), true);
      case "printf" -> {
        List<Object> values = values(args);
        if (!(values.get(0) instanceof String format)) {
          throw new GoValues.Mismatch("printf's first argument is its format, text, not " + GoValues.kind(values.get(0)));
        }
        yield GoPrintf.format(format, values.subList(1, values.size()));
      }
      default -> throw new IllegalStateException("a function the parser let through: " + name);
    };
  }

  private static List<Object> values(List<Supplier<Object>> args) {
    List<Object> out = new ArrayList<>();
    args.forEach(arg -> out.add(GoValues.normalise(arg.get())));
    return out;
  }

  /** Text counts its bytes (UTF-8), as Go's len does. */
  private static long length(Object value) {
    if (value instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8).length;
    }
    if (value instanceof List<?> list) {
      return list.size();
    }
    if (value instanceof Map<?, ?> map) {
      return map.size();
    }
    throw new GoValues.Mismatch("len needs text, a list or a map, not " + GoValues.kind(value));
  }

  private static Object index(List<Object> values) {
    Object current = values.get(0);
    for (Object key : values.subList(1, values.size())) {
      if (current instanceof List<?> list && key instanceof Long i) {
        if (i < 0 || i >= list.size()) {
          throw new GoValues.Mismatch("index " + i + " is out of range for a list of " + list.size());
        }
        current = GoValues.normalise(list.get(i.intValue()));
      } else if (current instanceof Map<?, ?> map && key instanceof String k) {
        current = GoValues.normalise(map.get(k));
      } else {
        throw new GoValues.Mismatch("cannot index " + GoValues.kind(current) + " with " + GoValues.kind(key));
      }
    }
    return current;
  }

  /** Go's Sprint puts a space between operands when neither is text; Sprintln between all, and a newline. */
  private static String print(List<Object> values, boolean line) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0 && (line || !(values.get(i - 1) instanceof String) && !(values.get(i) instanceof String))) {
        out.append(' ');
      }
      out.append(GoValues.print(values.get(i)));
    }
    return line ? out.append('\n').toString() : out.toString();
  }
}
