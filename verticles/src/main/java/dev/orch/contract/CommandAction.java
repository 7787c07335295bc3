package dev.orch.contract;

import java.util.Locale;

/** An action header value: the enum constant's name in lower case with dashes, e.g. {@code RETRY_NOW -> retry-now}. */
public interface CommandAction {
  String name();

  default String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
