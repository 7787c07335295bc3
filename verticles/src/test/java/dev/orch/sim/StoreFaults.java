package dev.orch.sim;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What the simulated disk does to each SQL statement of one orch life: a kill -9 right after the k-th persisted step
 * (every statement after it fails, as nothing runs after a kill), SQLITE_BUSY on writes for a window of virtual
 * time, and a full disk until it is freed.
 */
final class StoreFaults {
  private final Clock clock;
  private final int killAfter;
  private final Runnable onKill;
  private int persisted;
  private volatile boolean killed;
  private long busyUntil;
  private long fullUntil;
  /** A busy store and a full disk each begin right after a chosen persisted step (0: never), when writes are near. */
  int busyAfterStep;
  Duration busyFor = Duration.ZERO;
  int fullAfterStep;
  Duration fullFor = Duration.ZERO;

  StoreFaults(Clock clock, int killAfter, Runnable onKill) {
    this.clock = clock;
    this.killAfter = killAfter;
    this.onKill = onKill;
  }

  boolean killed() {
    return killed;
  }

  int persisted() {
    return persisted;
  }

  void kill() {
    killed = true;
  }

  /** Before a statement runs; {@code write} for statements that change the file or take its write lock. */
  void before(String sql, boolean write) throws SQLException {
    if (killed) {
      throw new SQLException("simulated kill -9: this orch is gone");
    }
    if (write && clock.millis() < busyUntil) {
      throw new SQLiteException("[SQLITE_BUSY] The database file is locked (simulated)", SQLiteErrorCode.SQLITE_BUSY);
    }
    if (write && clock.millis() < fullUntil && !sql.startsWith("ROLLBACK")) {
      throw new SQLiteException("[SQLITE_FULL] database or disk is full (simulated)", SQLiteErrorCode.SQLITE_FULL);
    }
  }

  /** After a write in autocommit mode, or a COMMIT: the state is on disk now. */
  void persistedStep() {
    persisted++;
    if (persisted == busyAfterStep) {
      busyUntil = clock.millis() + busyFor.toMillis();
    }
    if (persisted == fullAfterStep) {
      fullUntil = clock.millis() + fullFor.toMillis();
    }
    if (persisted == killAfter) {
      killed = true;
      onKill.run();
    }
  }
}
