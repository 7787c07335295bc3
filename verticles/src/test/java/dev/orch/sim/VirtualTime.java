package dev.orch.sim;

import dev.orch.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * The simulation's only time: a clock that moves when the next timer is due, and the timers. A timer belongs to one
 * orch life or to the world (agents, the forge, people), and a life's timers die with it.
 */
final class VirtualTime {
  /** A timer of {@code owner} (null for the world). */
  record Timer(long at, long seq, Object owner, Runnable action) {
  }

  static final long START = Instant.parse("2026-11-29T09:00:00Z").toEpochMilli();
  final MovableClock clock = new MovableClock(Instant.ofEpochMilli(START));
  private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
      : Long.compare(a.seq, b.seq));
  private long seq;

  long now() {
    return clock.millis();
  }

  void after(Duration wait, Object owner, Runnable action) {
    timers.add(new Timer(now() + Math.max(0, wait.toMillis()), seq++, owner, action));
  }

  /** Drops a dead life's timers. */
  void forget(Object owner) {
    timers.removeIf(t -> t.owner == owner);
  }

  boolean idle() {
    return timers.isEmpty();
  }

  /** Moves the clock to the next timer and returns it. */
  Timer next() {
    Timer timer = timers.poll();
    if (timer != null && timer.at > now()) {
      clock.set(Instant.ofEpochMilli(timer.at));
    }
    return timer;
  }
}
