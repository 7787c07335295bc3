package dev.orch.mcp;

import dev.orch.git.GitCli;
import dev.orch.git.LocalOnlyFiles;
import dev.orch.git.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * A worktree as it is now, uncommitted and untracked (not ignored) files included, as a commit on a hidden ref
 * {@code refs/orch/snapshots/<commit>}: built in a temporary index, so the agent's branch, index and files are left
 * exactly as they were. The parent is the worktree's HEAD; a clean worktree's snapshot is HEAD itself. Local-only files
 * (what orch copied in, orch's state) and new secret-looking files are never in a snapshot. Blocking.
 */
public final class WorktreeSnapshot {
  public static final String REF_PREFIX = "refs/orch/snapshots/";
  /** Snapshot refs beyond this many (newest first) are deleted, so they do not pile up. */
  private static final int KEEP = 200;
  private static final Map<String, String> IDENTITY = Map.of("GIT_AUTHOR_NAME", "orch", "GIT_AUTHOR_EMAIL",
      "orch@localhost", "GIT_COMMITTER_NAME", "orch", "GIT_COMMITTER_EMAIL", "orch@localhost");

  /** The commit and the ref it can be fetched by. */
  public record Snapshot(String commit, String ref) {
  }

  private WorktreeSnapshot() {
  }

  /** Snapshots {@code worktree}, leaving out orch's own state folder when it is inside it. */
  public static Snapshot take(Path worktree) {
    return take(worktree, List.of(".orch"));
  }

  /** {@code excludes} are paths relative to the top of the checkout that never go into a snapshot. */
  public static Snapshot take(Path worktree, List<String> excludes) {
    GitCli git = new GitCli(worktree);
    Path index = null;
    try {
      index = Files.createTempFile("orch-snapshot-", ".index");
      // Starting from the worktree's own index keeps git's file stat cache: only changed files get hashed.
      Path realIndex = worktree.resolve(git.runIn(worktree, "rev-parse", "--git-path", "index"));
      if (Files.exists(realIndex)) {
        // With its modification time: git trusts stat data only for files older than the index (racy-git check).
        Files.copy(realIndex, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      } else {
        Files.delete(index);
      }
      Map<String, String> env = Map.of("GIT_INDEX_FILE", index.toString());
      String head = git.tryRunIn(worktree, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").out().strip();
      List<String> add = new java.util.ArrayList<>(List.of("add", "-A", "--", ":/"));
      java.util.Set<String> left = new java.util.LinkedHashSet<>(excludes);
      left.addAll(LocalOnlyFiles.paths(git));
      // An exclude pathspec naming an ignored path makes git add fail; ignored paths stay out by themselves anyway.
      List<String> checkIgnore = new java.util.ArrayList<>(List.of("check-ignore", "--"));
      checkIgnore.addAll(left);
      List<String> ignored = List.of(git.tryRunIn(worktree, checkIgnore.toArray(String[]::new)).out().split("\n"));
      left.stream().filter(path -> !ignored.contains(path)).forEach(path -> add.add(":(top,exclude,literal)" + path));
      git.runIn(worktree, env, add.toArray(String[]::new));
      leaveOutSecrets(git, worktree, env, head);
      String tree = git.runIn(worktree, env, "write-tree");
      String commit;
      if (!head.isEmpty() && tree.equals(git.runIn(worktree, "rev-parse", head + "^{tree}"))) {
        commit = head;
      } else {
        Map<String, String> commitEnv = new java.util.HashMap<>(IDENTITY);
        commitEnv.putAll(env);
        commit = head.isEmpty()
            ? git.runIn(worktree, commitEnv, "commit-tree", tree, "-m", "orch build snapshot")
            : git.runIn(worktree, commitEnv, "commit-tree", tree, "-p", head, "-m", "orch build snapshot");
      }
      String ref = REF_PREFIX + commit;
      git.runIn(worktree, "update-ref", ref, commit);
      prune(git, worktree);
      return new Snapshot(commit, ref);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot snapshot " + worktree, e);
    } finally {
      if (index != null) {
        try {
          Files.deleteIfExists(index);
        } catch (IOException e) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  /**
   * Snapshots reach build agents and the git daemon: new files that look like secrets stay out, as do local-only files
   * (what orch copied in) already tracked, which the exclude pathspecs above do not drop from the index (H1).
   */
  private static void leaveOutSecrets(GitCli git, Path worktree, Map<String, String> env, String head) {
    String base = head.isEmpty() ? git.runIn(worktree, "hash-object", "-t", "tree", "/dev/null") : head;
    List<String> localOnly = LocalOnlyFiles.paths(git);
    List<String> paths = new java.util.ArrayList<>();
    for (String entry : git.runIn(worktree, env, "diff-index", "--cached", "--name-status", "--no-renames", base)
        .split("\n")) {
      String[] parts = entry.split("\t", 2);
      if (parts.length == 2 && !parts[0].startsWith("D") && (parts[0].startsWith("A") && SecretFiles.looksSecret(parts[1])
          || localOnly.stream().anyMatch(p -> parts[1].equals(p) || parts[1].startsWith(p + "/")))) {
        paths.add(":(top,literal)" + parts[1]);
      }
    }
    if (paths.isEmpty()) {
      return;
    }
    // reset puts a tracked file back as HEAD has it and drops a new one; without a HEAD there is only rm --cached.
    List<String> command = new java.util.ArrayList<>(head.isEmpty()
        ? List.of("rm", "--cached", "-q", "--ignore-unmatch", "--") : List.of("reset", "-q", head, "--"));
    command.addAll(paths);
    git.runIn(worktree, env, command.toArray(String[]::new));
  }

  private static void prune(GitCli git, Path worktree) {
    String[] refs = git.runIn(worktree, "for-each-ref", "--sort=-creatordate", "--format=%(refname)", REF_PREFIX)
        .split("\n");
    for (int i = KEEP; i < refs.length; i++) {
      git.tryRunIn(worktree, "update-ref", "-d", refs[i].strip());
    }
  }
}
