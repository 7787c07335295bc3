package dev.orch.db;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * orch's state (the store, agents' prompts and output, worktrees with copied files) is readable by its owner only:
 * folders orch creates are 0700 and files it keeps 0600, whatever the umask says. Where the file system has no POSIX
 * permissions this does nothing.
 */
public final class OwnerOnly {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnly() {
  }

  /** Creates {@code dir} and any missing parents; the folders it creates are 0700. */
  public static Path createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return absolute;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (POSIX) {
        Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(absolute);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // Another owner made it at the same moment; its mode is the same.
    }
    return absolute;
  }

  /** For {@code Files.createFile}: 0600 where permissions exist. */
  public static java.nio.file.attribute.FileAttribute<?>[] fileAttributes() {
    return POSIX ? new java.nio.file.attribute.FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new java.nio.file.attribute.FileAttribute<?>[0];
  }

  /** Narrows an existing folder to 0700 (orch's own state folder, made by an older orch under the umask). */
  public static void restrictDirectory(Path dir) throws IOException {
    if (POSIX && Files.isDirectory(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** Narrows an existing file to 0600. */
  public static void restrictFile(Path file) throws IOException {
    if (POSIX && Files.isRegularFile(file)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
