package dev.orch.launcher;

/** What {@code orch} exits with; scripts rely on these. */
final class ExitCodes {
  static final int OK = 0;
  /** Some plan files had errors; everything else synced. */
  static final int PLAN_ERRORS = 1;
  /** Bad usage, a bad argument, or a bad config. */
  static final int USAGE = 2;
  /** orch itself failed (database, I/O); the message says what. */
  static final int FAILURE = 3;

  private ExitCodes() {
  }
}
