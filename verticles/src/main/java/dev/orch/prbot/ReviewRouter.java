package dev.orch.prbot;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether a pull request may merge by itself or needs a person, file by file: a category's path globs
 * against each changed file, its patterns against each added and removed line, the size of the change, and the
 * plan's {@code needs_review}, and built-in categories no config removes ({@code secrets}, {@code control}). Every match records the rule, the file and the line, so the reason can be shown.
 */
final class ReviewRouter {
  static final String LARGE = "large";
  static final String PLAN = "plan";

  /** One category's rules as the config gives them. */
  record Category(String name, List<String> paths, List<String> patterns) {
  }

  /** A rule that matched: which category, which rule, where (line 0: the file as a whole). */
  record Match(String category, String rule, String file, int line) {
    String describe() {
      return file + (line > 0 ? ":" + line : "") + " (" + rule + ")";
    }
  }

  /** Routine when nothing matched; otherwise the categories and every match. */
  record Decision(List<Match> matches) {
    boolean routine() {
      return matches.isEmpty();
    }

    Set<String> categories() {
      return matches.stream().map(Match::category).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** {@code security: src/auth/Login.java (**}/auth/**), src/App.java:12 (...); large: 812 changed lines (over 400)}. */
    String reason() {
      Map<String, List<String>> byCategory = new LinkedHashMap<>();
      matches.forEach(m -> byCategory.computeIfAbsent(m.category(), k -> new ArrayList<>()).add(m.describe()));
      return byCategory.entrySet().stream().map(e -> e.getKey() + ": " + abbreviate(e.getValue()))
          .collect(Collectors.joining("; "));
    }

    private static String abbreviate(List<String> items) {
      return items.size() <= 3 ? String.join(", ", items)
          : String.join(", ", items.subList(0, 3)) + " and " + (items.size() - 3) + " more";
    }
  }

  private record CompiledCategory(String name, List<String> globs, List<PathMatcher> matchers, List<Pattern> patterns) {
  }

  private final List<CompiledCategory> categories = new ArrayList<>();
  private final int maxChangedLines;
  private final ControlFiles control;

  /** With the default plan folder, {@code docs/plans}. */
  ReviewRouter(List<Category> categories, int maxChangedLines) {
    this(categories, maxChangedLines, new ControlFiles(java.util.Optional.of("docs/plans")));
  }

  ReviewRouter(List<Category> categories, int maxChangedLines, ControlFiles control) {
    this.control = control;
    for (Category c : categories) {
      List<PathMatcher> matchers = c.paths().stream()
          .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
      List<Pattern> patterns = c.patterns().stream().map(Pattern::compile).toList();
      this.categories.add(new CompiledCategory(c.name(), c.paths(), matchers, patterns));
    }
    this.maxChangedLines = maxChangedLines;
  }

  Decision route(List<FileDiff> files, boolean planNeedsReview) {
    return route(files, planNeedsReview, null);
  }

  /** {@code ownPlanFile}: the task's plan file, whose status line alone may change without a person. */
  Decision route(List<FileDiff> files, boolean planNeedsReview, String ownPlanFile) {
    List<Match> matches = new ArrayList<>();
    if (planNeedsReview) {
      matches.add(new Match(PLAN, "needs_review: true", "the plan", 0));
    }
    // Built in, whatever the config says: secrets never merge unseen.
    for (BranchSecrets.Finding secret : BranchSecrets.in(files)) {
      matches.add(new Match(BranchSecrets.CATEGORY, "looks like a secret: " + secret.why(), secret.path(), 0));
    }
    // Built in too: what steers orch, its agents and the commands it runs always needs a person (M6).
    matches.addAll(control.in(files, ownPlanFile));
    for (CompiledCategory category : categories) {
      for (FileDiff file : files) {
        boolean byPath = false;
        for (int i = 0; i < category.matchers().size() && !byPath; i++) {
          for (String path : file.paths()) {
            if (!byPath && matchesPath(category.matchers().get(i), path)) {
              matches.add(new Match(category.name(), category.globs().get(i), path, 0));
              byPath = true;
            }
          }
        }
        if (!byPath) {
          matchLines(category, file, matches);
        }
      }
    }
    int changed = files.stream().mapToInt(FileDiff::changedLines).sum();
    if (changed > maxChangedLines) {
      matches.add(new Match(LARGE, changed + " changed lines, over review.max_changed_lines = " + maxChangedLines,
          files.size() + " files", 0));
    }
    return new Decision(List.copyOf(matches));
  }

  private static void matchLines(CompiledCategory category, FileDiff file, List<Match> matches) {
    for (Pattern pattern : category.patterns()) {
      for (FileDiff.Line line : file.added()) {
        if (pattern.matcher(line.text()).find()) {
          matches.add(new Match(category.name(), "added line matches " + pattern.pattern(), file.path(), line.number()));
          return;
        }
      }
      for (FileDiff.Line line : file.removed()) {
        if (pattern.matcher(line.text()).find()) {
          matches.add(new Match(category.name(), "removed line matches " + pattern.pattern(), file.path(), line.number()));
          return;
        }
      }
    }
  }

  /**
   * Globs match from the repository's root, so {@code **}/auth/**} also matches {@code auth/x} at the top, and in lower
   * case, so {@code *auth*} matches {@code AuthService.java}.
   */
  private static boolean matchesPath(PathMatcher matcher, String file) {
    String lower = file.toLowerCase(java.util.Locale.ROOT);
    return matcher.matches(Path.of(lower)) || matcher.matches(Path.of("./" + lower));
  }
}
