package dev.orch.prbot;

import dev.orch.git.GitCli;
import dev.orch.git.SecretFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Files a branch adds or changes that look like they hold secrets ({@link SecretFiles}): such a branch is flagged for
 * a person with the files named, and never pushed to a forge (H1). Deleting one that main has is fine.
 */
final class BranchSecrets {
  static final String CATEGORY = "secrets";

  /** A secret-looking file and why it looks like one. */
  record Finding(String path, String why) {
    String describe() {
      return path + " (" + why + ")";
    }
  }

  private BranchSecrets() {
  }

  static List<Finding> in(List<FileDiff> files) {
    return files.stream().filter(FileDiff::hasContent)
        .flatMap(file -> SecretFiles.reason(file.path()).map(why -> new Finding(file.path(), why)).stream())
        .toList();
  }

  /**
   * Blocking: the secret-looking files any commit on {@code branch} (and not on {@code main}) adds or changes. Every
   * commit counts, not only the net change: a key committed and deleted again is still in what a push would publish.
   */
  static List<Finding> of(GitCli git, String main, String branch) {
    Map<String, Finding> found = new LinkedHashMap<>();
    for (String line : git.run("log", "--format=", "--name-status", "--no-renames", main + ".." + branch).split("\n")) {
      String[] parts = line.split("\t", 2);
      if (parts.length == 2 && !parts[0].startsWith("D")) {
        SecretFiles.reason(parts[1]).ifPresent(why -> found.putIfAbsent(parts[1], new Finding(parts[1], why)));
      }
    }
    return List.copyOf(found.values());
  }

  /** The branch's change as review routing and these checks read it: renames with both paths, no context lines. */
  static String diff(GitCli git, String main, String branch) {
    return git.run("diff", "-M", "--unified=0", "--no-color", "--no-ext-diff", main + "..." + branch);
  }

  static String describe(List<Finding> findings) {
    return findings.stream().map(Finding::describe).collect(Collectors.joining(", "));
  }
}
