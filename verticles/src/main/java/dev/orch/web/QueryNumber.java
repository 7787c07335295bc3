package dev.orch.web;

import dev.orch.contract.OrchException;

/**
 * A number from a query string, checked against its range before any narrowing, so {@code limit=4294967796} is a
 * 400 naming {@code limit} rather than an int that wrapped to 500.
 */
final class QueryNumber {
  private QueryNumber() {
  }

  static long parse(String name, String raw, long min, long max) {
    String text = raw.trim();
    long value;
    try {
      if (!text.matches("\\d{1,19}")) {
        throw new NumberFormatException();
      }
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw outOfRange(name, raw, min, max);
    }
    if (value < min || value > max) {
      throw outOfRange(name, raw, min, max);
    }
    return value;
  }

  private static OrchException outOfRange(String name, String raw, long min, long max) {
    String shown = raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
    return OrchException.badRequest("query '" + name + "' must be a number " + (max == Long.MAX_VALUE
        ? "of " + min + " or more" : "from " + min + " to " + max) + ", not '" + shown + "'");
  }
}
