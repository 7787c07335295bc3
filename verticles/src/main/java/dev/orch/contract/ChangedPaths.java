package dev.orch.contract;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files a merged change touched, as repository paths. They come from a branch an agent wrote (or a forge merged),
 * so they are untrusted: each is relative, normalised ({@code a/b}, never {@code ./a}, {@code a//b} or {@code a/../b}),
 * free of control characters and of the glob characters {@code *} and {@code ?} (the scheduler reads them as globs),
 * and bounded in length; a list is bounded in count.
 */
public final class ChangedPaths {
  public static final int MAX_PATHS = 500;
  public static final int MAX_LENGTH = 1024;

  private ChangedPaths() {
  }

  /** Why {@code path} is not a path this list may hold, or empty when it is. */
  public static Optional<String> problem(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("an empty path");
    }
    if (path.length() > MAX_LENGTH) {
      return Optional.of("a path longer than " + MAX_LENGTH + " characters");
    }
    if (path.startsWith("/")) {
      return Optional.of("'" + path + "' is absolute; paths are relative to the repository");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("a path with a control character");
      }
      if (c == '\\' || c == '*' || c == '?') {
        return Optional.of("'" + path + "' holds '" + c + "'");
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return Optional.of("'" + path + "' is not a normalised relative path (empty, '.' or '..' part)");
      }
    }
    return Optional.empty();
  }

  /** For records' compact constructors: the list as given, or an error naming the field and the entry. */
  public static List<String> require(String field, List<String> paths) {
    if (paths == null) {
      return List.of();
    }
    if (paths.size() > MAX_PATHS) {
      throw new IllegalArgumentException("field '" + field + "' holds " + paths.size() + " paths; at most " + MAX_PATHS);
    }
    for (int i = 0; i < paths.size(); i++) {
      Optional<String> problem = problem(paths.get(i));
      if (problem.isPresent()) {
        throw new IllegalArgumentException("field '" + field + "' entry " + i + ": " + problem.get());
      }
    }
    return List.copyOf(paths);
  }

  /** What a reader of a repository keeps: the valid paths, each once, in order, at most {@link #MAX_PATHS}. */
  public static List<String> keepValid(Iterable<String> paths) {
    Set<String> kept = new LinkedHashSet<>();
    for (String path : paths) {
      if (kept.size() == MAX_PATHS) {
        break;
      }
      if (problem(path).isEmpty()) {
        kept.add(path);
      }
    }
    return List.copyOf(kept);
  }
}
