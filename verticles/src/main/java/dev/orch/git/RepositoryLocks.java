package dev.orch.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exclusive lock per git repository, for changes to its worktree metadata ({@code git worktree add/remove/prune}):
 * concurrent {@code git worktree add} calls read each other's half-written {@code .git/worktrees/} entries and fail.
 * A hold excludes this JVM's other threads (a fair {@link ReentrantLock} per canonical path) and other processes (an
 * {@code orch cleanup} next to a running orch, a second build agent on the same cache) through a file lock on
 * {@value #LOCK_FILE} in the repository's git directory. Holds are reentrant; acquiring blocks, so call from a worker
 * thread, never the event loop.
 *
 * <p>There is one registry per JVM ({@link #jvmWide()}) on purpose: file locks belong to the whole process, and on
 * Linux closing <em>any</em> channel to the lock file drops every lock the process holds on it, so exactly one object in
 * the JVM may open these files. The key is the canonical path (symlinks resolved), so two spellings of one repository
 * share one lock. Lock files stay in place: deleting one would let two processes lock two different files.
 */
public final class RepositoryLocks {
  /** In the repository's git common directory (next to {@code worktrees/}), or in a bare repository itself. */
  public static final String LOCK_FILE = "orch-worktrees.lock";
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryLocks.class);
  private static final RepositoryLocks JVM_WIDE = new RepositoryLocks();

  private final ConcurrentMap<Path, RepositoryLock> locks = new ConcurrentHashMap<>();

  RepositoryLocks() {
  }

  /** The registry every owner of a repository's worktrees in this JVM uses. */
  public static RepositoryLocks jvmWide() {
    return JVM_WIDE;
  }

  /** A held lock; closing releases one hold. */
  public interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Holds the repository whose git directory is {@code gitDir} (created if missing) until the hold is closed; blocks
   * while another thread or process holds it.
   */
  public Hold hold(Path gitDir) {
    RepositoryLock lock = lockOf(gitDir);
    lock.acquire();
    return lock::release;
  }

  /** Whether this thread holds the repository at {@code gitDir} (under any spelling of its path). */
  public boolean heldByCurrentThread(Path gitDir) {
    return lockOf(gitDir).lock.isHeldByCurrentThread();
  }

  private RepositoryLock lockOf(Path gitDir) {
    return locks.computeIfAbsent(canonical(gitDir), RepositoryLock::new);
  }

  static Path canonical(Path dir) {
    try {
      Files.createDirectories(dir);
      return dir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the git repository at " + dir, e);
    }
  }

  private static final class RepositoryLock {
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock(true);
    /** Open only while held; guarded by {@link #lock}. */
    private FileChannel channel;
    private boolean warned;

    RepositoryLock(Path gitDir) {
      this.file = gitDir.resolve(LOCK_FILE);
    }

    void acquire() {
      lock.lock();
      if (lock.getHoldCount() > 1) {
        return;
      }
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lockFile();
      } catch (IOException e) {
        closeChannel();
        lock.unlock();
        throw new UncheckedIOException("cannot lock " + file, e);
      } catch (RuntimeException | Error e) {
        closeChannel();
        lock.unlock();
        throw e;
      }
    }

    private void lockFile() throws IOException {
      try {
        // Blocks until no other process holds it. Released by closing the channel.
        channel.lock();
      } catch (OverlappingFileLockException e) {
        throw new IllegalStateException(file + " is already locked by this JVM outside RepositoryLocks", e);
      } catch (ClosedChannelException | FileLockInterruptionException e) {
        throw e;
      } catch (IOException e) {
        // Some file systems (NFS without a lock daemon) refuse file locks; worktree commands must still work there,
        // serialised within this process at least.
        if (!warned) {
          warned = true;
          LOG.warn("cannot lock {} ({}); worktree changes are serialised only within this orch process", file,
              e.getMessage());
        }
      }
    }

    void release() {
      if (!lock.isHeldByCurrentThread()) {
        throw new IllegalMonitorStateException("released a repository lock this thread does not hold: " + file);
      }
      if (lock.getHoldCount() == 1) {
        closeChannel();
      }
      lock.unlock();
    }

    private void closeChannel() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // Closing releases the lock; a failure to close leaves nothing more to do.
        } finally {
          channel = null;
        }
      }
    }
  }
}
