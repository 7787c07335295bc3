package dev.orch.executor.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What Go's templates do with a value: whether it counts as true, how it prints, how two compare. Values are text,
 * Long, Double, Boolean, List, Map with text keys, or null (a missing one).
 */
final class GoValues {
  /** Thrown where a value cannot be used as asked; the evaluator adds the file and line. */
  static final class Mismatch extends RuntimeException {
    Mismatch(String message) {
      super(message, null, false, false);
    }
  }

  private GoValues() {
  }

  /** Integers become Long and other numbers Double, so the rest of the engine meets only those. */
  static Object normalise(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    return value;
  }

  /** False for false, 0, null and empty text, lists and maps, as in Go. */
  static boolean truth(Object value) {
    Object v = normalise(value);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Long l) {
      return l != 0;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof List<?> list) {
      return !list.isEmpty();
    }
    if (v instanceof Map<?, ?> map) {
      return !map.isEmpty();
    }
    return true;
  }

  /** Go's %v: lists as [a b], maps as map[k:v] by key, a missing value as {@code <no value>}. */
  static String print(Object value) {
    Object v = normalise(value);
    if (v == null) {
      return "<no value>";
    }
    if (v instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e21 ? Long.toString(d.longValue())
          : new BigDecimal(Double.toString(d)).stripTrailingZeros().toString();
    }
    if (v instanceof List<?> list) {
      return list.stream().map(GoValues::print).collect(Collectors.joining(" ", "[", "]"));
    }
    if (v instanceof Map<?, ?> map) {
      return new TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + ":" + print(e.getValue()))
          .collect(Collectors.joining(" ", "map[", "]"));
    }
    return v.toString();
  }

  static String kind(Object value) {
    Object v = normalise(value);
    if (v == null) {
      return "no value";
    }
    if (v instanceof String) {
      return "text";
    }
    if (v instanceof Long || v instanceof Double) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    if (v instanceof Map<?, ?>) {
      return "a map";
    }
    return v.getClass().getSimpleName();
  }

  static boolean equal(Object a, Object b) {
    Object x = normalise(a);
    Object y = normalise(b);
    if (x == null || y == null) {
      return x == y;
    }
    if (x instanceof Number n && y instanceof Number m) {
      return x instanceof Long && y instanceof Long ? n.longValue() == m.longValue() : n.doubleValue() == m.doubleValue();
    }
    if (x instanceof List<?> || x instanceof Map<?, ?> || y instanceof List<?> || y instanceof Map<?, ?>) {
      throw new Mismatch("cannot compare " + kind(x) + " with " + kind(y) + " (only text, numbers and booleans compare)");
    }
    if (!x.getClass().equals(y.getClass())) {
      throw new Mismatch("cannot compare " + kind(x) + " with " + kind(y));
    }
    return x.equals(y);
  }

  /** Negative, zero or positive, for text and numbers. */
  static int compare(Object a, Object b) {
    Object x = normalise(a);
    Object y = normalise(b);
    if (x instanceof Number n && y instanceof Number m) {
      return x instanceof Long && y instanceof Long ? Long.compare(n.longValue(), m.longValue())
          : Double.compare(n.doubleValue(), m.doubleValue());
    }
    if (x instanceof String s && y instanceof String t) {
      return s.compareTo(t);
    }
    throw new Mismatch("cannot order " + kind(x) + " and " + kind(y) + " (only text with text, numbers with numbers)");
  }
}
