package dev.orch.launcher;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The one orch process that runs agents for a project: it holds a lock beside the database (so a second one refuses to
 * start) and writes where its API listens, with the token, for the CLI to find (readable by its owner only).
 */
final class OrchInstance implements AutoCloseable {
  static final String LOCK_FILE = "orch.lock";
  static final String STATE_FILE = "orch.json";

  /** A running instance as its state file describes it. */
  record Running(long pid, String host, int port, String token) {
    String baseUrl() {
      return "http://" + ("0.0.0.0".equals(host) || host.isBlank() ? "127.0.0.1" : host) + ":" + port;
    }
  }

  private final Path stateDir;
  private final FileChannel channel;
  private final FileLock lock;

  private OrchInstance(Path stateDir, FileChannel channel, FileLock lock) {
    this.stateDir = stateDir;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or says which process holds it. */
  static OrchInstance acquire(Path stateDir) {
    try {
      Files.createDirectories(stateDir);
      FileChannel channel = FileChannel.open(stateDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        String who = find(stateDir).map(r -> " (pid " + r.pid() + ", " + r.baseUrl() + ")").orElse("");
        throw new IllegalStateException("orch is already running for this project" + who);
      }
      return new OrchInstance(stateDir, channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + stateDir.resolve(LOCK_FILE), e);
    }
  }

  void announce(String host, int port, String token) {
    Path file = stateDir.resolve(STATE_FILE);
    JsonObject state = new JsonObject().put("pid", ProcessHandle.current().pid()).put("host", host).put("port", port)
        .put("token", token).put("started_at", System.currentTimeMillis());
    try {
      Path temp = stateDir.resolve(STATE_FILE + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, state.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The running instance, if its state file names a live process. */
  static Optional<Running> find(Path stateDir) {
    Path file = stateDir.resolve(STATE_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonObject state = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      long pid = state.getLong("pid");
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && pid != ProcessHandle.current().pid()) {
        return Optional.of(new Running(pid, state.getString("host", "127.0.0.1"), state.getInteger("port"),
            state.getString("token")));
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(stateDir.resolve(STATE_FILE));
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The process is ending; a stale state file names a dead pid, which find() ignores.
    }
  }
}
