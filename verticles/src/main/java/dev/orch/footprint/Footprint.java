package dev.orch.footprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files a task is expected to touch, by how that is known: declared in its frontmatter ({@code files:}),
 * predicted from its text and its module's history, or observed in its running agent's worktree.
 */
public record Footprint(List<PathGlob> declared, List<PathGlob> predicted, List<PathGlob> observed) {
  public static final Footprint NONE = new Footprint(List.of(), List.of(), List.of());

  public Footprint {
    declared = List.copyOf(declared);
    predicted = List.copyOf(predicted);
    observed = List.copyOf(observed);
  }

  public static Footprint declared(List<PathGlob> globs) {
    return new Footprint(globs, List.of(), List.of());
  }

  public Footprint withPredicted(List<PathGlob> globs) {
    return new Footprint(declared, globs, observed);
  }

  public Footprint withObserved(List<PathGlob> globs) {
    return new Footprint(declared, predicted, globs);
  }

  public boolean isEmpty() {
    return declared.isEmpty() && predicted.isEmpty() && observed.isEmpty();
  }

  /** Every glob, declared first. */
  public List<PathGlob> all() {
    List<PathGlob> out = new ArrayList<>(declared);
    out.addAll(predicted);
    out.addAll(observed);
    return out;
  }

  /**
   * Where this footprint meets another: an overlap of two declared globs when there is one (the kind that always
   * holds a task back), else the first overlap of any kind.
   */
  public Optional<Overlap> overlapWith(Footprint other) {
    Optional<Overlap> hard = first(declared, other.declared, true);
    return hard.isPresent() ? hard : first(all(), other.all(), false);
  }

  private static Optional<Overlap> first(List<PathGlob> mine, List<PathGlob> theirs, boolean declaredOnBoth) {
    for (PathGlob a : mine) {
      for (PathGlob b : theirs) {
        if (a.intersects(b)) {
          return Optional.of(new Overlap(a, b, declaredOnBoth));
        }
      }
    }
    return Optional.empty();
  }

  /** Two globs some path matches; {@code declared}: both were declared, so the tasks must never run together. */
  public record Overlap(PathGlob mine, PathGlob theirs, boolean declared) {
    /** The narrower of the two, to show people: "shares src/billing/Invoice.java". */
    public PathGlob shared() {
      return mine.text().length() >= theirs.text().length() ? mine : theirs;
    }
  }
}
