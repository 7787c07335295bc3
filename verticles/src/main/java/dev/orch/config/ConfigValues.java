package dev.orch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The resolved value of every known key, read by the typed sections of {@link OrchConfig}. */
final class ConfigValues {
  private final Map<String, Object> values;

  ConfigValues(Map<String, Object> values) {
    this.values = Map.copyOf(values);
  }

  private Object get(String path) {
    if (!values.containsKey(path)) {
      throw new IllegalStateException("config key not in schema: " + path);
    }
    return values.get(path);
  }

  String string(String path) {
    return (String) get(path);
  }

  Path path(String path) {
    return (Path) get(path);
  }

  int integer(String path) {
    return (Integer) get(path);
  }

  double decimal(String path) {
    return (Double) get(path);
  }

  boolean bool(String path) {
    return (Boolean) get(path);
  }

  Duration duration(String path) {
    return (Duration) get(path);
  }

  @SuppressWarnings("unchecked")
  List<String> strings(String path) {
    return (List<String>) get(path);
  }
}
