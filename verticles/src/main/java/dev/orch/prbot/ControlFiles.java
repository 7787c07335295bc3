package dev.orch.prbot;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Files that steer orch, its agents or the commands it runs rather than being the project's code: orch's config and
 * prompt overrides, Claude Code's settings, hooks and MCP servers, the plan, CI, and the build entry points that checks
 * and build agents run before any test does. A branch that touches one (adds, changes, deletes, or renames to or from
 * it) always needs a person: built-in review category {@code control}, which no config removes (M6). Nested build
 * files ({@code module/pom.xml}) are left to {@code review.architecture}: they change what a module builds, not which
 * commands run.
 */
final class ControlFiles {
  static final String CATEGORY = "control";

  private record Rule(String glob, String what, PathMatcher matcher) {
  }

  /** The fixed rules: glob (from the repository's top, matched case-sensitively) and what such a file steers. */
  static final List<String[]> RULES = List.of(
      new String[] {".claude-orchestrator.toml", "orch's config"},
      new String[] {".claude-orchestrator/**", "orch's prompt overrides"},
      new String[] {".orch/**", "orch's state"},
      new String[] {".claude/**", "Claude Code settings and hooks"},
      new String[] {"**/.claude/**", "Claude Code settings and hooks"},
      new String[] {".mcp.json", "the agents' MCP servers"},
      new String[] {"CLAUDE.md", "the agents' standing instructions"},
      new String[] {"CLAUDE.local.md", "the agents' standing instructions"},
      new String[] {".github/**", "CI"},
      new String[] {".gitlab-ci.yml", "CI"},
      new String[] {".gitlab/**", "CI"},
      new String[] {".ci/**", "CI"},
      new String[] {".circleci/**", "CI"},
      new String[] {".buildkite/**", "CI"},
      new String[] {".travis.yml", "CI"},
      new String[] {".drone.yml", "CI"},
      new String[] {".woodpecker/**", "CI"},
      new String[] {"azure-pipelines.yml", "CI"},
      new String[] {"bitbucket-pipelines.yml", "CI"},
      new String[] {"Jenkinsfile", "CI"},
      new String[] {"**/Jenkinsfile", "CI"},
      new String[] {"pom.xml", "the build entry point"},
      new String[] {".mvn/**", "the build entry point"},
      new String[] {"mvnw", "the build entry point"},
      new String[] {"build.gradle", "the build entry point"},
      new String[] {"build.gradle.kts", "the build entry point"},
      new String[] {"settings.gradle", "the build entry point"},
      new String[] {"settings.gradle.kts", "the build entry point"},
      new String[] {"gradlew", "the build entry point"},
      new String[] {"gradle/wrapper/**", "the build entry point"},
      new String[] {"package.json", "the build entry point (its scripts)"},
      new String[] {"Makefile", "the build entry point"},
      new String[] {"GNUmakefile", "the build entry point"},
      new String[] {"justfile", "the build entry point"},
      new String[] {"Taskfile.yml", "the build entry point"},
      new String[] {"Cargo.toml", "the build entry point"},
      new String[] {"build.rs", "the build entry point"},
      new String[] {"flake.nix", "the build environment build agents enter"},
      new String[] {"flake.lock", "the build environment build agents enter"},
      new String[] {"shell.nix", "the build environment build agents enter"},
      new String[] {"default.nix", "the build environment build agents enter"},
      new String[] {".envrc", "the build environment"},
      new String[] {".pre-commit-config.yaml", "git hooks"},
      new String[] {".husky/**", "git hooks"},
      new String[] {".githooks/**", "git hooks"});

  private final List<Rule> rules = new ArrayList<>();

  /** @param plansDir the plan folder relative to the repository's top ({@code docs/plans}), or empty when outside it */
  ControlFiles(Optional<String> plansDir) {
    for (String[] rule : RULES) {
      rules.add(rule(rule[0], rule[1]));
    }
    plansDir.filter(dir -> !dir.isBlank()).ifPresent(dir -> rules.add(rule(trim(dir) + "/**", "the plan")));
  }

  /** The plan folder relative to {@code projectRoot}, when it is inside it. */
  static Optional<String> relativePlansDir(Path projectRoot, Path plansDir) {
    Path root = projectRoot.toAbsolutePath().normalize();
    Path plans = plansDir.toAbsolutePath().normalize();
    return plans.startsWith(root) && !plans.equals(root)
        ? Optional.of(root.relativize(plans).toString().replace('\\', '/')) : Optional.empty();
  }

  private static boolean isOwnStatusLine(FileDiff file, String ownPlanFile) {
    return ownPlanFile != null && file.change() == FileDiff.Change.MODIFIED && file.path().equals(ownPlanFile)
        && file.changedLines() > 0 && java.util.stream.Stream.concat(file.added().stream(), file.removed().stream())
        .allMatch(line -> STATUS_LINE.matcher(line.text()).matches());
  }

  private static final java.util.regex.Pattern STATUS_LINE = java.util.regex.Pattern.compile("status\\s*:\\s*[\\w-]*\\s*");

  private static Rule rule(String glob, String what) {
    return new Rule(glob, what, FileSystems.getDefault().getPathMatcher("glob:" + glob));
  }

  private static String trim(String dir) {
    String d = dir.replace('\\', '/');
    while (d.endsWith("/")) {
      d = d.substring(0, d.length() - 1);
    }
    return d.startsWith("./") ? d.substring(2) : d;
  }

  /**
   * Every controlled path the change touches (both ends of a rename), with the rule and what it steers. The one change
   * not counted: the {@code status:} line of the task's own plan file ({@code ownPlanFile}), which orch itself writes
   * when the task completes.
   */
  List<ReviewRouter.Match> in(List<FileDiff> files, String ownPlanFile) {
    List<ReviewRouter.Match> matches = new ArrayList<>();
    for (FileDiff file : files) {
      if (isOwnStatusLine(file, ownPlanFile)) {
        continue;
      }
      for (String path : file.paths()) {
        for (Rule rule : rules) {
          if (rule.matcher().matches(Path.of(path))) {
            String how = file.change() == FileDiff.Change.RENAMED ? (path.equals(file.path()) ? "renamed into " : "renamed out of ")
                : file.change().name().toLowerCase(Locale.ROOT) + ": ";
            matches.add(new ReviewRouter.Match(CATEGORY, how + rule.what() + ", " + rule.glob(), path, 0));
            break;
          }
        }
      }
    }
    return matches;
  }
}
