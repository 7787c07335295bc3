package dev.orch.contract;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Paths that arrive in messages are checked before anything opens them: a plan file is relative, normalised and
 * inside the plans folder; a checkout to write status into is the project itself or one folder directly inside
 * orch's worktree folder. A sender can then not point orch at {@code /etc/hostname} or a folder outside the project.
 */
public final class MessagePaths {
  private MessagePaths() {
  }

  /**
   * A plan file named relative to the project root.
   *
   * @param plansRelative the plans folder relative to the project root; null or empty: anywhere in the project
   */
  public static String planFile(String field, String file, Path plansRelative) {
    Path path = relativeNormalised(field, file);
    if (plansRelative != null && !plansRelative.toString().isEmpty() && !path.startsWith(plansRelative.normalize())) {
      throw OrchException.badRequest("field '" + field + "': '" + file + "' is not inside the plans folder "
          + plansRelative);
    }
    if (path.equals(plansRelative)) {
      throw OrchException.badRequest("field '" + field + "': '" + file + "' is the plans folder, not a plan file");
    }
    return file;
  }

  /** A relative path with no {@code ..}, no {@code .}, no doubled or trailing separator and no NUL. */
  public static Path relativeNormalised(String field, String file) {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw OrchException.badRequest("field '" + field + "': '" + file + "' is not a path");
    }
    if (file.isEmpty() || path.isAbsolute() || file.startsWith("/") || file.contains("\\")) {
      throw OrchException.badRequest("field '" + field + "': '" + file + "' must be a path relative to the project");
    }
    if (!path.normalize().toString().equals(file) || path.normalize().startsWith("..")) {
      throw OrchException.badRequest("field '" + field + "': '" + file + "' must be normalised (no '.' or '..')");
    }
    return path;
  }

  /** The root to write status under: the project root, or a folder directly inside the worktree folder. */
  public static Path statusRoot(String field, String root, Path projectRoot, Path worktreeDir) {
    Path path;
    try {
      path = Path.of(root);
    } catch (InvalidPathException e) {
      throw OrchException.badRequest("field '" + field + "': '" + root + "' is not a path");
    }
    if (!path.isAbsolute() || !path.normalize().equals(path)) {
      throw OrchException.badRequest("field '" + field + "': '" + root + "' must be an absolute, normalised path");
    }
    Path project = projectRoot.toAbsolutePath().normalize();
    boolean inWorktrees = worktreeDir != null && path.getParent() != null
        && path.getParent().equals(worktreeDir.toAbsolutePath().normalize());
    if (!path.equals(project) && !inWorktrees) {
      throw OrchException.badRequest("field '" + field + "': '" + root + "' is neither the project nor one of orch's"
          + " worktrees" + (worktreeDir == null ? "" : " (directly inside " + worktreeDir + ")"));
    }
    return path;
  }
}
