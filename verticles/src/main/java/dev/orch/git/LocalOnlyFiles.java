package dev.orch.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Files that exist only on this machine and never reach a commit, a snapshot, the git daemon or a forge: what orch
 * copies into worktrees ({@code executor.copy_files}) and orch's own state folder. They are listed in a marked block of
 * the repository's {@code info/exclude} (shared by every worktree of the repository), so every {@code git add -A} orch,
 * an agent or a person runs leaves them out; {@link #stageAll} also unstages them should one be tracked already, and
 * leaves out new files that look like secrets ({@link SecretFiles}). Blocking.
 */
public final class LocalOnlyFiles {
  static final String BEGIN = "# >>> orch: local-only files (executor.copy_files, orch's state); never committed";
  static final String END = "# <<< orch";
  public static final String STATE_DIR = ".orch";

  private LocalOnlyFiles() {
  }

  /** Writes (or rewrites) orch's block in the repository's info/exclude with {@code paths} and orch's state folder. */
  public static synchronized void declare(GitCli git, List<String> paths) {
    Path exclude = excludeFile(git);
    Set<String> all = new LinkedHashSet<>();
    all.add(STATE_DIR);
    paths.stream().map(LocalOnlyFiles::normalise).filter(p -> !p.isEmpty()).forEach(all::add);
    try {
      List<String> kept = new ArrayList<>();
      boolean inside = false;
      List<String> existing = Files.isRegularFile(exclude) ? Files.readAllLines(exclude, StandardCharsets.UTF_8) : null;
      if (existing != null) {
        for (String line : existing) {
          if (line.equals(BEGIN)) {
            inside = true;
          } else if (line.equals(END) && inside) {
            inside = false;
          } else if (!inside) {
            kept.add(line);
          }
        }
      }
      kept.add(BEGIN);
      all.forEach(path -> kept.add("/" + escape(path)));
      kept.add(END);
      if (kept.equals(existing)) {
        return;
      }
      Files.createDirectories(exclude.getParent());
      Files.write(exclude, kept, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + exclude + " (orch keeps copied files out of commits there)", e);
    }
  }

  /** The paths in orch's block (relative to the top of a checkout), the state folder included. */
  public static List<String> paths(GitCli git) {
    Path exclude = excludeFile(git);
    List<String> out = new ArrayList<>();
    out.add(STATE_DIR);
    if (!Files.isRegularFile(exclude)) {
      return out;
    }
    try {
      boolean inside = false;
      for (String line : Files.readAllLines(exclude, StandardCharsets.UTF_8)) {
        if (line.equals(BEGIN)) {
          inside = true;
        } else if (line.equals(END)) {
          inside = false;
        } else if (inside && line.startsWith("/") && !out.contains(unescape(line.substring(1)))) {
          out.add(unescape(line.substring(1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + exclude, e);
    }
    return out;
  }

  /**
   * {@code git add -A} in {@code worktree}, then unstages local-only files and new files that look like secrets; returns
   * what was left out. Nothing staged afterwards means there is nothing for orch to commit.
   */
  public static List<String> stageAll(GitCli git, Path worktree) {
    git.runIn(worktree, "add", "-A");
    List<String> localOnly = paths(git);
    List<String> leftOut = new ArrayList<>();
    for (String entry : git.runIn(worktree, "diff", "--cached", "--name-status", "--no-renames").split("\n")) {
      String[] parts = entry.split("\t", 2);
      if (parts.length < 2) {
        continue;
      }
      String path = parts[1];
      boolean added = parts[0].startsWith("A");
      if (isUnder(path, localOnly) || added && SecretFiles.looksSecret(path)) {
        leftOut.add(path);
      }
    }
    if (!leftOut.isEmpty()) {
      List<String> reset = new ArrayList<>(List.of("reset", "-q", "--"));
      reset.addAll(leftOut);
      git.runIn(worktree, reset.toArray(String[]::new));
    }
    return leftOut;
  }

  /** Whether anything is staged in {@code worktree}. */
  public static boolean anythingStaged(GitCli git, Path worktree) {
    return !git.tryRunIn(worktree, "diff", "--cached", "--quiet").ok();
  }

  static boolean isUnder(String path, List<String> roots) {
    return roots.stream().anyMatch(root -> path.equals(root) || path.startsWith(root + "/"));
  }

  private static Path excludeFile(GitCli git) {
    return git.gitPath("info/exclude");
  }

  private static String normalise(String path) {
    String p = path.strip().replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /** Glob characters and a leading '#' or '!' would change what the line means to git. */
  private static String escape(String path) {
    return path.replaceAll("([\\\\*?\\[\\]!#])", "\\\\$1");
  }

  private static String unescape(String line) {
    return line.replaceAll("\\\\(.)", "$1");
  }
}
