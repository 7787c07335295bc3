package dev.orch.prbot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub's conditional-request cache: the last ETag and body per path, so a poll that changed nothing costs no rate
 * limit. Every commit's statuses and check runs get a path of their own, so the cache keeps only the most recently
 * used {@code capacity} entries rather than every commit orch ever polled.
 */
final class EtagCache {
  static final int DEFAULT_CAPACITY = 512;

  record Entry(String etag, Object body) {
  }

  private final Map<String, Entry> entries;

  EtagCache(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  Optional<Entry> get(String path) {
    return Optional.ofNullable(entries.get(path));
  }

  void put(String path, String etag, Object body) {
    entries.put(path, new Entry(etag, body));
  }

  int size() {
    return entries.size();
  }
}
