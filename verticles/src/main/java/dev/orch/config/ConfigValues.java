package dev.orch.config;

import java.util.Map;

/** The resolved value of every known key, read by the typed sections of {@link OrchConfig}. */
final class ConfigValues {
  private final Map<String, Object> values;

  ConfigValues(Map<String, Object> values) {
    this.values = Map.copyOf(values);
  }

  /** The value of {@code key}, of the type the schema declares for it. */
  @SuppressWarnings("unchecked")
  <T> T get(ConfigKey<T> key) {
    if (!values.containsKey(key.path())) {
      throw new IllegalStateException("config key not in schema: " + key.path());
    }
    return (T) values.get(key.path());
  }
}
