package dev.orch.launcher;

import dev.orch.db.OwnerOnly;
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
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Optional;

/**
 * The one orch process that runs agents for a project: it holds a lock beside the database (so a second one refuses to
 * start) and writes where its API listens, with the token, for the CLI to find (readable by its owner only). A
 * client trusts that file only while it is owner-only and names a live process that started when the file says
 * (within {@link #START_TOLERANCE}): after a crash, a recycled pid or a port someone else took does not get the token.
 */
final class OrchInstance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrchInstance.class);
  static final String LOCK_FILE = "orch.lock";
  static final String STATE_FILE = "orch.json";
  /** Start times from /proc are in clock ticks and the recorded one in milliseconds: both sides round. */
  static final Duration START_TOLERANCE = Duration.ofSeconds(2);
  private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE);

  /** A running instance as its state file describes it. */
  record Running(long pid, String host, int port, String token) {
    String baseUrl() {
      return "http://" + ("0.0.0.0".equals(host) || host.isBlank() ? "127.0.0.1" : host) + ":" + port;
    }
  }

  /** Another process holds the project's lock (it may not have said where it serves yet). */
  static final class AlreadyRunning extends IllegalStateException {
    AlreadyRunning(String message) {
      super(message);
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
      OwnerOnly.createDirectories(stateDir);
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
        throw new AlreadyRunning("orch is already running for this project" + who);
      }
      return new OrchInstance(stateDir, channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + stateDir.resolve(LOCK_FILE), e);
    }
  }

  void announce(String host, int port, String token) {
    Path file = stateDir.resolve(STATE_FILE);
    ProcessHandle self = ProcessHandle.current();
    JsonObject state = new JsonObject().put("pid", self.pid()).put("host", host).put("port", port)
        .put("token", token).put("started_at", System.currentTimeMillis())
        .put("process_started_at", self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    try {
      Path temp = stateDir.resolve(STATE_FILE + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(temp, OwnerOnly.fileAttributes());
      Files.writeString(temp, state.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The running instance, if its state file is owner-only and names the live process that wrote it. */
  static Optional<Running> find(Path stateDir) {
    Path file = stateDir.resolve(STATE_FILE);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      if (!ownerOnly(file)) {
        LOG.warn("{} is readable or writable by others or not ours: not trusted; orch run writes it afresh", file);
        return Optional.empty();
      }
      JsonObject state = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      long pid = state.getLong("pid");
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (process.isEmpty() || pid == ProcessHandle.current().pid()) {
        return Optional.empty();
      }
      long recorded = state.getLong("process_started_at", 0L);
      if (!sameProcess(recorded, process.get().info().startInstant())) {
        return Optional.empty();
      }
      return Optional.of(new Running(pid, state.getString("host", "127.0.0.1"), state.getInteger("port"),
          state.getString("token")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the live pid's start time is the one recorded: a pid reused by another process started later. */
  static boolean sameProcess(long recordedMillis, Optional<Instant> liveStart) {
    return recordedMillis > 0 && liveStart.map(start -> Math.abs(start.toEpochMilli() - recordedMillis)
        <= START_TOLERANCE.toMillis()).orElse(false);
  }

  /** Mode 600 (or 400) and owned by this user: nobody else could have written the address or read the token. */
  static boolean ownerOnly(Path file) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS);
    return OWNER_ONLY.containsAll(mode) && owner.getName().equals(System.getProperty("user.name"));
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
