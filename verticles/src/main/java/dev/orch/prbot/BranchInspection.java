package dev.orch.prbot;

import dev.orch.git.GitCli;
import dev.orch.git.LocalOnlyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a finished run left on its branch: the commits the main branch does not have, the diff stat, and the plan's
 * acceptance criteria for the pull request's body. Uncommitted work in the worktree is committed first, so nothing the
 * agent wrote is left out. Blocking.
 */
record BranchInspection(int commits, String headCommit, int filesChanged, int additions, int deletions, String diffStat,
    List<String> criteria) {

  static BranchInspection of(GitCli git, String configuredMain, String branch, Path worktree, Path planFile) {
    if (Files.isDirectory(worktree)) {
      GitCli.Result status = git.tryRunIn(worktree, "status", "--porcelain");
      int ahead = git.countCommits(git.mainBranch(configuredMain), branch);
      if (status.ok() && !status.out().isBlank() && ahead > 0) {
        // Never what orch copied in, nor new files that look like secrets: they stay on disk, out of the branch (H1).
        LocalOnlyFiles.stageAll(git, worktree);
        if (LocalOnlyFiles.anythingStaged(git, worktree)) {
          git.commitIn(worktree, "orch: changes the agent left uncommitted");
        }
      }
    }
    String main = git.mainBranch(configuredMain);
    int commits = git.countCommits(main, branch);
    String head = git.resolve(branch).orElse("");
    int files = 0;
    int added = 0;
    int deleted = 0;
    if (commits > 0) {
      for (String line : git.run("diff", "--numstat", main + "..." + branch).split("\n")) {
        String[] parts = line.split("\t");
        if (parts.length >= 3) {
          files++;
          added += parts[0].equals("-") ? 0 : Integer.parseInt(parts[0]);
          deleted += parts[1].equals("-") ? 0 : Integer.parseInt(parts[1]);
        }
      }
    }
    String stat = commits > 0 ? git.run("diff", "--stat", main + "..." + branch) : "";
    return new BranchInspection(commits, head, files, added, deleted, stat, criteria(planFile));
  }

  private static List<String> criteria(Path planFile) {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(planFile, StandardCharsets.UTF_8)) {
        String trimmed = line.strip();
        if (trimmed.startsWith("- [ ]") || trimmed.startsWith("- [x]") || trimmed.startsWith("- [X]")
            || trimmed.startsWith("* [ ]") || trimmed.startsWith("* [x]")) {
          out.add(trimmed);
        }
      }
    } catch (java.io.IOException e) {
      out.add("(plan file " + planFile + " could not be read: " + e.getMessage() + ")");
    }
    return out;
  }
}
