package dev.orch.web;

/**
 * Bytes handed to one connection and not yet written to the network. A consumer that stops reading (a paused
 * websocket, a stalled SSE client) would otherwise make orch keep every event for it in memory; past {@link #CAP}
 * the connection is closed instead, and the client, which reconnects by itself, fetches what it missed.
 */
final class WriteBacklog {
  static final long CAP = 2L * 1024 * 1024;

  private final long cap;
  private long pending;

  WriteBacklog(long cap) {
    this.cap = cap;
  }

  /**
   * Whether {@code bytes} more may be queued: not when they would take the backlog over the cap, nor when the
   * connection itself already reports its queue full ({@code queueFull}, for transports that buffer on their own).
   * Admitted bytes count until {@link #written} says they left.
   */
  boolean admit(long bytes, boolean queueFull) {
    if (queueFull || pending + bytes > cap) {
      return false;
    }
    pending += bytes;
    return true;
  }

  void written(long bytes) {
    pending = Math.max(0, pending - bytes);
  }

  long pending() {
    return pending;
  }

  /** Why the connection is being closed, for the log. */
  String reason(long bytes) {
    return "it does not read: " + pending + " bytes still unsent and " + bytes + " more would pass the " + cap
        + "-byte cap";
  }
}
