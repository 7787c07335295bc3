package dev.orch.footprint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A repository-relative path pattern: {@code *} and {@code ?} stay within one path segment, {@code **} crosses
 * segments, and a pattern ending in {@code /} names everything below that folder. Two globs can be asked whether any
 * path matches both, which is what "these two tasks may touch the same file" means.
 */
public final class PathGlob {
  /** What one step of the automaton may read: one given character, any but '/', or any. */
  private record Step(char literal, boolean anyButSlash, boolean any, int next) {
    boolean reads(char c) {
      return any || anyButSlash && c != '/' || !anyButSlash && !any && literal == c;
    }

    boolean sharesACharacterWith(Step other) {
      if (!anyButSlash && !any) {
        return other.reads(literal);
      }
      if (!other.anyButSlash && !other.any) {
        return reads(other.literal);
      }
      return true;
    }
  }

  private final String text;
  /** Matches its text alone (no {@code *} or {@code ?}): two such globs meet only when equal. */
  private final boolean plain;
  /** A small automaton: state k's steps, and the states reachable from k without reading; the last state accepts. */
  private final List<List<Step>> steps;
  private final List<List<Integer>> skips;

  private PathGlob(String text, boolean literally) {
    this.text = text;
    this.plain = literally || text.indexOf('*') < 0 && text.indexOf('?') < 0;
    this.steps = new ArrayList<>();
    this.skips = new ArrayList<>();
    if (literally) {
      int at = newState();
      for (int i = 0; i < text.length(); i++) {
        int after = newState();
        steps.get(at).add(new Step(text.charAt(i), false, false, after));
        at = after;
      }
    } else {
      build(text);
    }
  }

  /**
   * Reads a glob, normalised: leading {@code ./} and {@code /} dropped, a trailing {@code /} read as {@code /**}.
   *
   * @throws IllegalArgumentException naming what is wrong: empty, {@code ..} segments, or backslashes
   */
  public static PathGlob parse(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("an empty path pattern");
    }
    String normal = glob.strip();
    while (normal.startsWith("./")) {
      normal = normal.substring(2);
    }
    while (normal.startsWith("/")) {
      normal = normal.substring(1);
    }
    if (normal.contains("\\")) {
      throw new IllegalArgumentException("'" + glob + "' uses a backslash; paths are written with /");
    }
    for (String segment : normal.split("/", -1)) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("'" + glob + "' leaves the repository with ..");
      }
    }
    if (normal.isEmpty() || normal.endsWith("/")) {
      normal = normal + "**";
    }
    return new PathGlob(normal, false);
  }

  private int newState() {
    steps.add(new ArrayList<>());
    skips.add(new ArrayList<>());
    return steps.size() - 1;
  }

  private void build(String glob) {
    int at = newState();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        i++;
        boolean slashFollows = i + 1 < glob.length() && glob.charAt(i + 1) == '/';
        int after = newState();
        if (slashFollows) {
          // "a/**/b" matches "a/b" and "a/x/y/b", never "a/xb": either nothing, or anything that ends in a slash.
          i++;
          int inside = newState();
          skips.get(at).add(after);
          steps.get(at).add(new Step('\0', false, true, inside));
          steps.get(inside).add(new Step('\0', false, true, inside));
          steps.get(inside).add(new Step('/', false, false, after));
          steps.get(at).add(new Step('/', false, false, after));
        } else {
          skips.get(at).add(after);
          steps.get(at).add(new Step('\0', false, true, at));
        }
        at = after;
      } else if (c == '*') {
        int after = newState();
        skips.get(at).add(after);
        steps.get(at).add(new Step('\0', true, false, at));
        at = after;
      } else {
        int after = newState();
        steps.get(at).add(c == '?' ? new Step('\0', true, false, after) : new Step(c, false, false, after));
        at = after;
      }
    }
  }

  public String text() {
    return text;
  }

  /** Whether {@code path} (repository-relative, / separated) matches. */
  public boolean matches(String path) {
    return intersects(literal(path));
  }

  /** Whether some path matches both globs. */
  public boolean intersects(PathGlob other) {
    if (plain && other.plain) {
      // Files against files (what running agents touched, what merges changed) are most of a dispatch's questions.
      return text.equals(other.text);
    }
    // A walk over the product of the two automata: a pair of states is live when some string leads to both.
    Deque<int[]> todo = new ArrayDeque<>();
    Set<Long> seen = new HashSet<>();
    push(todo, seen, 0, 0);
    int acceptHere = steps.size() - 1;
    int acceptThere = other.steps.size() - 1;
    while (!todo.isEmpty()) {
      int[] state = todo.poll();
      int i = state[0];
      int j = state[1];
      if (i == acceptHere && j == acceptThere) {
        return true;
      }
      for (int skip : skips.get(i)) {
        push(todo, seen, skip, j);
      }
      for (int skip : other.skips.get(j)) {
        push(todo, seen, i, skip);
      }
      for (Step a : steps.get(i)) {
        for (Step b : other.steps.get(j)) {
          if (a.sharesACharacterWith(b)) {
            push(todo, seen, a.next(), b.next());
          }
        }
      }
    }
    return false;
  }

  private static void push(Deque<int[]> todo, Set<Long> seen, int i, int j) {
    if (seen.add(((long) i << 32) | j)) {
      todo.add(new int[] {i, j});
    }
  }

  private static PathGlob literal(String path) {
    return new PathGlob(path, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathGlob other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
